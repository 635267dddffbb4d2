"""Medians of bench/embed/run.sh's ingest runs: without the model against with it."""
import json
import statistics
import sys

rows = [json.loads(line) for line in open(sys.argv[1])]
threads = sys.argv[2]
by = {m: [r for r in rows if r["mode"] == m] for m in ("without", "with")}


def med(mode, key):
    return statistics.median(r[key] for r in by[mode])


a, b = med("without", "seconds"), med("with", "seconds")
w = by["with"]
print(f"ingest of corpus/ ({w[0]['documents']} documents, {w[0]['pages']} pages), "
      f"{len(w)} runs each, {threads} threads")
print(f"{'':14} {'no model':>10} {'with model':>11} {'ratio':>7}")
print(f"{'seconds':14} {a:10.1f} {b:11.1f} {b / a:7.2f}")
print(f"{'documents/s':14} {med('without', 'documents') / a:10.1f} {med('with', 'documents') / b:11.1f}")
print(f"embedded {med('with', 'embedded'):.0f} documents: {med('with', 'vectors'):.0f} vectors, "
      f"{med('with', 'tokens'):.0f} tokens, "
      f"{statistics.median(r['tokens'] / max(r['embed_seconds'], 1e-9) for r in w):.0f} tokens/s in the model "
      f"({statistics.median(r['embed_seconds'] for r in w):.1f} s of the run)")
