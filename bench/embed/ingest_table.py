"""Medians of bench/embed/run.sh's ingest runs: without the model against with it, at each
per-document token budget."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
threads = sys.argv[2]
label = sys.argv[3] if len(sys.argv) > 3 else "corpus/"
modes = list(dict.fromkeys(r["mode"] for r in rows))
by = {m: [r for r in rows if r["mode"] == m] for m in modes}
budgets = [m for m in modes if m != "without"]


def med(mode, key):
    return statistics.median(r[key] for r in by[mode])


base = med("without", "seconds")
w = by[budgets[0]]
print(f"ingest of {label} ({w[0]['documents']} documents, {w[0]['pages']} pages), "
      f"{len(w)} runs each, {threads} threads")
print(f"{'budget (tokens/doc)':20} {'seconds':>8} {'ratio':>6} {'docs/s':>7} {'vectors':>8} "
      f"{'tokens':>8} {'tokens/doc':>10} {'model tokens/s':>14}")
print(f"{'no model':20} {base:8.1f} {1:6.2f} {med('without', 'documents') / base:7.1f}")
for m in budgets:
    s = med(m, "seconds")
    rate = statistics.median(r["tokens"] / max(r["embed_seconds"], 1e-9) for r in by[m])
    print(f"{m:20} {s:8.1f} {s / base:6.2f} {med(m, 'documents') / s:7.1f} "
          f"{med(m, 'vectors'):8.0f} {med(m, 'tokens'):8.0f} "
          f"{med(m, 'tokens') / max(med(m, 'embedded'), 1):10.0f} {rate:14.0f}")
