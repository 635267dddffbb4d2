#!/usr/bin/env python3
"""Writes bench/load/RESULTS.md (stdout) from the files bench/load/run.sh left in OUT.
Exit status 1 when either phase had a 5xx reply or a socket error (connect/read/write/timeout)."""
import datetime, json, os, statistics, subprocess, sys

out, duration, conns, threads, timeout, bound_mb, npaths = sys.argv[1:]
bound_mb = float(bound_mb)


def wrk(phase):
    vals = {}
    for line in open(f"{out}/wrk-{phase}.txt", encoding="utf-8"):
        if line.startswith("LOAD "):
            _, k, v = line.split()
            vals[k] = float(v)
    vals["socket_errors"] = sum(vals[k] for k in ("err_connect", "err_read", "err_write", "err_timeout"))
    return vals


def rss(phase):
    rows = []
    for line in open(f"{out}/rss-{phase}", encoding="utf-8"):
        parts = line.split()
        if len(parts) == 2:
            rows.append((int(parts[0]), int(parts[1]) / 1024))
    return rows


base, ing = wrk("baseline"), wrk("ingest")
rss_b, rss_i = rss("baseline"), rss("ingest")
uploads = [l.split(" ", 4) for l in open(f"{out}/uploads.tsv", encoding="utf-8") if l.strip()]
codes = {}
for u in uploads:
    codes[u[1]] = codes.get(u[1], 0) + 1
up_ok = sum(n for c, n in codes.items() if c.startswith("2"))
up_ms = [int(u[2]) for u in uploads]
up_mb = sum(int(u[3]) for u in uploads) / 1e6
h0 = json.load(open(f"{out}/health.json"))
h1 = json.load(open(f"{out}/health-after.json"))
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
# The 1-minute load average when the ingest phase ended (run.sh keeps it in OUT/loadavg).
try:
    load = float(open(f"{out}/loadavg").read().split()[0])
except (OSError, ValueError, IndexError):
    load = os.getloadavg()[0]


def at(rows, s):
    return next((r for t, r in rows if t >= s), rows[-1][1])


start, mid, end = rss_i[0][1], at(rss_i, len(rss_i) // 2), rss_i[-1][1]
at10 = at(rss_i, 10)
growth = end - at10
five = int(base["status_5xx"] + ing["status_5xx"])
sock = int(base["socket_errors"] + ing["socket_errors"])
non2 = int(base["non_2xx"] + ing["non_2xx"])
ratio = ing["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
ok = five == 0 and sock == 0
rss_ok = growth < bound_mb


def row(name, w):
    return (f"| {name} | {int(w['requests']):,} | {w['rps']:.0f} | {w['p50_ms']:.1f} | {w['p90_ms']:.1f} | "
            f"{w['p99_ms']:.1f} | {w['max_ms']:.0f} | {int(w['non_2xx'])} | {int(w['status_5xx'])} | "
            f"{int(w['err_connect'])}/{int(w['err_read'])}/{int(w['err_write'])}/{int(w['err_timeout'])} |")


print(f"""# Load: mixed queries under concurrent ingest

Run by `bench/load/run.sh` on {datetime.date.today().isoformat()}; machine: {os.cpu_count()} cores ({cpu}),
shared with other work (1-minute load average when the ingest phase ended: {load:.1f}, so the
latencies include waiting for the CPU behind other processes). Loopback only.

- Index at start: {h0['documents']:,} documents (bundled `corpus/` PDFs and records, plus the ViRE
  contexts of `shared/ir/vire-vi` as records, one collection per set), built fresh by `indexer add`.
- Load: `wrk -t {threads} -c {conns} -d {duration}s --timeout {timeout}s -s bench/load/mixed.lua`, cycling
  through {int(npaths):,} mixed `/api/search` paths (`target/bench-load/load.paths`): 1-4 words from ViRE
  questions with and without diacritics, phrases, English words, whole ViRE questions, facets
  (`collection=`, `doc_type=`, `lang=`, `year_from=`/`year_to=`, `sort=newest`) and later pages (`offset=`).
- Two phases on the same server, the same load, {duration} s each: **baseline** (queries only), then
  **ingest**: at the same time, PDFs from `shared/corpus` and `corpus/` are uploaded one after another
  (`POST /api/collections/uploads/documents`, bearer token, multipart) until wrk ends.

| phase | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | 5xx | socket errors c/r/w/timeout |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
{row('baseline', base)}
{row('with ingest', ing)}

p99 with ingest / without: **{ratio:.2f}×**; throughput with ingest / without: {ing['rps'] / base['rps']:.2f}×.

Uploads during the ingest phase: {len(uploads)} PDFs ({up_mb:.1f} MB), statuses:
{', '.join(f'{c}: {n}' for c, n in sorted(codes.items()))}. Time per upload (received, extracted,
indexed, committed, answered): median {statistics.median(up_ms) if up_ms else 0:.0f} ms, max {max(up_ms) if up_ms else 0} ms.
Documents after the run: {h1['documents']:,} (+{h1['documents'] - h0['documents']:,}).

Server RSS (VmRSS, sampled every second):

| phase | start | middle | end | max |
|---|---:|---:|---:|---:|
| baseline | {rss_b[0][1]:.0f} MB | {at(rss_b, len(rss_b) // 2):.0f} MB | {rss_b[-1][1]:.0f} MB | {max(r for _, r in rss_b):.0f} MB |
| with ingest | {start:.0f} MB | {mid:.0f} MB | {end:.0f} MB | {max(r for _, r in rss_i):.0f} MB |

RSS of the ingest phase every 10 s: {' → '.join(f"{at(rss_i, t):.0f}" for t in range(0, len(rss_i), 10))} → {end:.0f} MB.
RSS growth from second 10 of the ingest phase to its end: {growth:+.0f} MB (bound {bound_mb:.0f} MB,
`RSS_BOUND_MB`). Most of the growth comes with the first uploads (cause not investigated);
a run of {duration} s shows whether it levels off, not how it behaves over hours.

**Verdict: {'PASS' if ok and rss_ok else 'FAIL'}** — 5xx: {five}, socket errors: {sock}, other non-2xx: {non2 - five},
RSS growth {growth:+.0f} MB {'<' if rss_ok else '>='} {bound_mb:.0f} MB.

Raw output: `target/bench-load/` (`wrk-*.txt`, `rss-*`, `uploads.tsv`, `server.log`).""")
sys.exit(0 if ok else 1)
