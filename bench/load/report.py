#!/usr/bin/env python3
"""Writes bench/load/RESULTS.md (stdout) from the files bench/load/run.sh left in OUT.
Exit status 1 when either phase had a 5xx reply or a socket error (connect/read/write/timeout),
or when the server's anonymous memory grew in the second half of the ingest phase."""
import collections, datetime, json, os, statistics, subprocess, sys

out, duration, conns, threads, timeout, bound_mb, npaths = sys.argv[1:]
bound_mb = float(bound_mb)
MEASURES = [("vm", "VmRSS"), ("anon", "RssAnon"), ("file", "RssFile"), ("shmem", "RssShmem")]


def wrk(phase):
    vals = {}
    for line in open(f"{out}/wrk-{phase}.txt", encoding="utf-8"):
        if line.startswith("LOAD "):
            _, k, v = line.split()
            vals[k] = float(v)
    vals["socket_errors"] = sum(vals[k] for k in ("err_connect", "err_read", "err_write", "err_timeout"))
    return vals


def rss(phase):
    """Samples of one phase: second, then memory and index size in MB, and the thread count."""
    rows = []
    for line in open(f"{out}/rss-{phase}", encoding="utf-8"):
        parts = line.split()
        if len(parts) == 7 and not line.startswith("#"):
            s, vm, anon, file, shmem, nthreads, idx = (int(p) for p in parts)
            rows.append(dict(s=s, vm=vm / 1024, anon=anon / 1024, file=file / 1024, shmem=shmem / 1024,
                             threads=nthreads, index=idx / 1024))
    return rows


def at(rows, s):
    """The first sample at or after second `s` (the last one when the phase ended earlier)."""
    return next((r for r in rows if r["s"] >= s), rows[-1])


def slope_per_min(rows, key):
    """Least-squares slope of `key` over `rows`, in MB per minute."""
    if len(rows) < 2:
        return 0.0
    xs, ys = [r["s"] for r in rows], [r[key] for r in rows]
    if len(set(xs)) < 2:
        return 0.0
    return 60 * statistics.linear_regression(xs, ys).slope


base, ing = wrk("baseline"), wrk("ingest")
rss_b, rss_i = rss("baseline"), rss("ingest")
# uploads.tsv: round, HTTP status, milliseconds, bytes, outcome reported by the server, path.
uploads = [l.rstrip("\n").split(" ", 5) for l in open(f"{out}/uploads.tsv", encoding="utf-8") if l.strip()]
codes = collections.Counter(u[1] for u in uploads)
outcomes = collections.Counter(u[4] for u in uploads)
up_ms = [int(u[2]) for u in uploads]
up_mb = sum(int(u[3]) for u in uploads) / 1e6
rounds = max((int(u[0]) for u in uploads), default=0)
n_list = sum(1 for l in open(f"{out}/upload.list", encoding="utf-8") if l.strip())
h0 = json.load(open(f"{out}/health.json"))
h1 = json.load(open(f"{out}/health-after.json"))
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                     capture_output=True, text=True).stdout.strip()
# The 1-minute load average when the ingest phase ended (run.sh keeps it in OUT/loadavg).
try:
    load = float(open(f"{out}/loadavg").read().split()[0])
except (OSError, ValueError, IndexError):
    load = os.getloadavg()[0]

five = int(base["status_5xx"] + ing["status_5xx"])
sock = int(base["socket_errors"] + ing["socket_errors"])
non2 = int(base["non_2xx"] + ing["non_2xx"])
ratio = ing["p99_ms"] / base["p99_ms"] if base["p99_ms"] else float("nan")
ok = five == 0 and sock == 0

# Stability of the heap: the ingest phase cut in two halves at its middle second. A leak, or a
# cache without bound, keeps raising the peak, so the peak of the second half is compared with
# the peak of the first half (peaks rather than single samples, because the heap saw-tooths with
# every upload). Warm-up growth (first requests, first uploads, thread arenas) falls in the
# first half and is not counted against stability. The slope of a least-squares line over the
# second half is given beside it for the trend.
half = rss_i[-1]["s"] / 2
first = [r for r in rss_i if r["s"] < half]
second = [r for r in rss_i if r["s"] >= half]
peak1, peak2 = max(r["anon"] for r in first), max(r["anon"] for r in second)
anon_growth = peak2 - peak1
anon_slope = slope_per_min(second, "anon")
file_slope = slope_per_min(second, "file")
anon_ok = anon_growth < bound_mb
# The sampler must cover the phase (wrk's duration; it goes on while the last upload finishes).
covered = rss_i[-1]["s"]
complete = covered >= 0.9 * int(duration)


def row(name, w):
    return (f"| {name} | {int(w['requests']):,} | {w['rps']:.0f} | {w['p50_ms']:.1f} | {w['p90_ms']:.1f} | "
            f"{w['p99_ms']:.1f} | {w['max_ms']:.0f} | {int(w['non_2xx'])} | {int(w['status_5xx'])} | "
            f"{int(w['err_connect'])}/{int(w['err_read'])}/{int(w['err_write'])}/{int(w['err_timeout'])} |")


def mem_rows(name, rows):
    mid = at(rows, rows[-1]["s"] // 2)
    return "\n".join(f"| {name} | {label} | {rows[0][k]:.0f} | {mid[k]:.0f} | {rows[-1][k]:.0f} | "
                     f"{max(r[k] for r in rows):.0f} |" for k, label in MEASURES)


# A series every 60 s for long runs, every 10 s for short ones, and the last sample.
step = 60 if int(duration) >= 300 else 10


def series(name, rows):
    picked = [at(rows, t) for t in range(0, rows[-1]["s"], step)] + [rows[-1]]
    seen, lines = set(), []
    for r in picked:
        if r["s"] in seen:
            continue
        seen.add(r["s"])
        lines.append(f"| {name} | {r['s']} | {r['vm']:.0f} | {r['anon']:.0f} | {r['file']:.0f} | "
                     f"{r['shmem']:.0f} | {r['index']:.1f} | {r['threads']} |")
    return "\n".join(lines)


# The server binary sets mimalloc as its global allocator (search-server/src/main.rs); mimalloc
# options from the environment change how soon freed pages go back to the system.
malloc_env = "mimalloc (the server's global allocator)" + "".join(
    f", `{k}={v}`" for k, v in sorted(os.environ.items()) if k.startswith("MIMALLOC_"))
idx0, idx1 = rss_i[0]["index"], rss_i[-1]["index"]
file0, file1 = rss_i[0]["file"], rss_i[-1]["file"]
added = h1["documents"] - h0["documents"]
if rounds <= 1:
    rounds_text = (f"The list has {n_list} PDFs; the phase ended in round 1 (no file was sent twice), "
                   "so every upload was a new document unless its content was already indexed.")
else:
    rounds_text = (f"The list has {n_list} PDFs and the loop went through it {rounds - 1} time(s) and "
                   f"started round {rounds}: a re-upload of the same file name gets the same id and "
                   "the same content hash, so the server answers `unchanged` without indexing "
                   "anything; from round 2 on the phase measures memory under repeated write "
                   "requests (receive, store, hash, no commit), not under a growing index.")

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
  **ingest**: at the same time, the PDFs of `corpus/` and `shared/corpus` are uploaded one after
  another (`POST /api/collections/uploads/documents`, bearer token, multipart) until wrk ends.

| phase | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx | 5xx | socket errors c/r/w/timeout |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
{row('baseline', base)}
{row('with ingest', ing)}

p99 with ingest / without: **{ratio:.2f}×**; throughput with ingest / without: {ing['rps'] / base['rps']:.2f}×.

## Uploads

{len(uploads)} PDFs ({up_mb:.1f} MB) during the ingest phase; HTTP statuses:
{', '.join(f'{c}: {n}' for c, n in sorted(codes.items()))}; outcomes reported by the server:
{', '.join(f'{c}: {n}' for c, n in sorted(outcomes.items()))}. Time per upload (received, extracted,
indexed, committed, answered): median {statistics.median(up_ms) if up_ms else 0:.0f} ms, max {max(up_ms) if up_ms else 0} ms.
{rounds_text}
Documents: {h0['documents']:,} before, {h1['documents']:,} after (+{added:,}). Index folder on disk
(`du`): {idx0:.1f} MB at the start of the ingest phase, {idx1:.1f} MB at its end ({idx1 - idx0:+.1f} MB).

## Server memory

Server allocator: {malloc_env}.
From `/proc/PID/status`, sampled every second, MB. `RssAnon` is the heap (and thread stacks):
what a leak or an unbounded cache would raise. `RssFile` is the pages of mapped files resident in
memory, mostly the mmapped index: it follows the index (each upload adds segment files, merges
rewrite them) and the kernel can drop it at any time, so it is not a leak measure. `VmRSS` is
their sum (plus `RssShmem`).

| phase | measure | start | middle | end | max |
|---|---|---:|---:|---:|---:|
{mem_rows('baseline', rss_b)}
{mem_rows('with ingest', rss_i)}

Every {step} s (MB; index: the index folder on disk; threads: the server's thread count):

| phase | second | VmRSS | RssAnon | RssFile | RssShmem | index | threads |
|---|---:|---:|---:|---:|---:|---:|---:|
{series('baseline', rss_b)}
{series('with ingest', rss_i)}

RssFile over the ingest phase: {file0:.0f} → {file1:.0f} MB ({file1 - file0:+.0f} MB) while the index
folder grew by {idx1 - idx0:+.1f} MB ({added:,} documents added); slope over the second half
{file_slope:+.2f} MB/min.

**Stability criterion** (heap only): the ingest phase is cut at its middle second
({half:.0f} s); the peak RssAnon of the second half minus the peak of the first half must stay
below {bound_mb:.0f} MB (`ANON_BOUND_MB`). A leak or a cache without bound keeps raising the peak,
whereas warm-up growth (first requests, first uploads, per-thread malloc arenas) happens in the first
half and a heap that saw-tooths around a plateau keeps the same peak. Peaks rather than single
samples because every upload allocates and frees tens of MB. Over {rss_i[-1]['s']} s this detects a
steady leak faster than about {bound_mb / (rss_i[-1]['s'] / 2 / 60):.1f} MB/min.

Peak RssAnon: first half {peak1:.0f} MB, second half {peak2:.0f} MB: **{anon_growth:+.0f} MB**
({'<' if anon_ok else '>='} {bound_mb:.0f} MB); least-squares slope of RssAnon over the second half:
{anon_slope:+.2f} MB/min.

{'' if complete else f"**The samples stop at {covered} s of the {duration} s ingest phase: the memory verdict covers only that part.**"}

**Verdict: {'PASS' if ok and anon_ok and complete else ('INCOMPLETE' if ok and anon_ok else 'FAIL')}** — 5xx: {five}, socket errors: {sock}, other non-2xx: {non2 - five},
heap peak growth in the second half of the ingest phase {anon_growth:+.0f} MB {'<' if anon_ok else '>='} {bound_mb:.0f} MB.

Raw output: `target/bench-load/` (`wrk-*.txt`, `rss-*`, `uploads.tsv`, `server.log`).""")
sys.exit(0 if ok and anon_ok and complete else 1)
