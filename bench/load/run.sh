#!/usr/bin/env bash
# Load: wrk with mixed search queries against the real search-server, first alone (baseline),
# then while PDFs are uploaded to the same server without pause; the server's memory (VmRSS and
# its parts RssAnon/RssFile/RssShmem) and the index size on disk are sampled every second.
# Usage: bench/load/run.sh   (DURATION=60 seconds per phase; writes bench/load/RESULTS.md)
# Needs: ../shared (or SHARED_DIR), apt package wrk (installed here when missing, as root).
# The server allocates with mimalloc (its global allocator); MIMALLOC_* options given to this
# script apply to it, and the report records them.
# Exits non-zero on any 5xx or socket error (connect/read/write/timeout) in either phase, or when
# the server's anonymous memory grows in the second half of the ingest phase (see report.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
OUT=$ROOT/target/bench-load
DURATION=${DURATION:-60}
CONNS=${CONNS:-16}
THREADS=${THREADS:-2}
TIMEOUT=${TIMEOUT:-10}          # wrk: a reply slower than this counts as a socket timeout
# Allowed growth of RssAnon (heap) from the first to the second half of the ingest phase: max of
# the second half minus max of the first half. File-backed pages (the mmapped index) are excluded:
# they grow legitimately with every document added.
ANON_BOUND_MB=${ANON_BOUND_MB:-32}
[ -d "$SHARED/corpus" ] || { echo "error: $SHARED/corpus not found (set SHARED_DIR)" >&2; exit 1; }
[ -d "$SHARED/ir/vire-vi" ] || { echo "error: $SHARED/ir/vire-vi not found" >&2; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

cargo build --release -q -p search-server -p indexer
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release

# 1. A fresh index: the bundled corpus/ (PDFs and records) plus the ViRE contexts as records.
rm -rf "$OUT" && mkdir -p "$OUT"
DATA=$OUT/data
python3 bench/server/bench.py records "$OUT/records" "$SHARED" > "$OUT/records.count" 2>/dev/null
"$BIN/indexer" --data-dir "$DATA" add --quiet --collection en "$ROOT/corpus/en"
"$BIN/indexer" --data-dir "$DATA" add --quiet --collection vi "$ROOT/corpus/vi"
"$BIN/indexer" --data-dir "$DATA" add --quiet --collection records "$ROOT/corpus/records/d2l-vi.jsonl"
for f in "$OUT"/records/*.jsonl; do
  # Record ids must be unique across collections; the generator numbers each set from c1.
  sed -i "s/\"id\": \"c/\"id\": \"$(basename "$f" .jsonl)-c/" "$f"
  "$BIN/indexer" --data-dir "$DATA" add --quiet --collection "$(basename "$f" .jsonl)" "$f"
done

# 2. Mixed queries: bench/server's generator (1-4 words from ViRE questions, with and without
# diacritics, phrases, English, facets) plus whole ViRE questions and result pages 2-5.
python3 bench/server/bench.py queries "$SHARED" "$OUT/queries"
python3 - "$SHARED" "$OUT/queries.paths" "$OUT/load.paths" <<'PY'
import csv, random, sys, urllib.parse, unicodedata
shared, src, dst = sys.argv[1:]
rnd = random.Random(7)
def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
paths = [l.rstrip("\n") for l in open(src, encoding="utf-8")]
# Result pages beyond the first: every seventh query asks for a later page.
paths = [p + f"&offset={rnd.choice([10, 20, 40])}" if i % 7 == 3 else p for i, p in enumerate(paths)]
qs = []
for name in ["ViMedAQA_v2", "ViRHE4QA_v2", "ViRe4MRC_v2", "ALQAC", "EduCoQA"]:
    try:
        with open(f"{shared}/ir/vire-vi/{name}.csv", encoding="utf-8-sig") as f:
            qs += [r["question"].strip() for r in csv.DictReader(f) if (r.get("question") or "").strip()]
    except FileNotFoundError:
        pass
for i, q in enumerate(rnd.sample(qs, min(300, len(qs)))):
    q = fold(q) if i % 3 == 0 else q
    extra = rnd.choice(["", "", "&doc_type=article", "&collection=vire-vimedaqa-v2", "&offset=10"])
    paths.append("/api/search?q=" + urllib.parse.quote(q) + "&limit=10" + extra)
rnd.shuffle(paths)
open(dst, "w", encoding="utf-8").write("".join(p + "\n" for p in paths))
print(len(paths))
PY
NPATHS=$(wc -l < "$OUT/load.paths")

# PDFs to upload during the ingest phase: shared/corpus, then corpus/ (real files, varied sizes).
find "$SHARED/corpus" "$ROOT/corpus" -name '*.pdf' -size -100M | sort > "$OUT/upload.list"

# 3. The server, with writes enabled.
TOKEN=load-bench-$RANDOM$RANDOM
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ADDR=127.0.0.1:$PORT
SEARCH_SERVER_TOKEN=$TOKEN RUST_LOG=warn "$BIN/search-server" --data-dir "$DATA" --bind "$ADDR" --no-ingest \
  2> "$OUT/server.log" &
SERVER=$!
SAMPLER=""
INGEST=""
cleanup() {
  [ -n "$INGEST" ] && kill "$INGEST" 2>/dev/null || true
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -sf "http://$ADDR/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://$ADDR/health" > "$OUT/health.json"

# The server's memory about every second until the file "$1.stop" exists, one line per sample:
# "second VmRSS RssAnon RssFile RssShmem threads index_kB" (memory in kB from /proc/PID/status;
# index_kB: du of the index folder, which a merge may be changing meanwhile).
sample_rss() {
  local s t0 mem idx
  t0=$(date +%s)
  echo "# s vmrss_kb anon_kb file_kb shmem_kb threads index_kb" > "$1"
  while [ ! -f "$1.stop" ] && [ -r "/proc/$SERVER/status" ]; do
    # Seconds since the start by the clock: a loaded machine stretches the loop beyond 1 s.
    s=$(($(date +%s) - t0))
    mem=$(awk '/^VmRSS:/ {r=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} /^RssShmem:/ {m=$2}
      /^Threads:/ {t=$2} END {print r, a, f, m, t}' "/proc/$SERVER/status" 2>/dev/null) || break
    # du exits 1 when a merge deletes a file under it; with `set -e -o pipefail` inherited, that
    # ended the sampler in the middle of the phase. The total it prints is still right.
    idx=$( (du -sk "$DATA/index" 2>/dev/null || true) | cut -f1)
    echo "$s $mem ${idx:-0}" >> "$1"
    sleep 1
  done
}

run_wrk() { # phase name
  LOAD_PATHS=$OUT/load.paths wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" --timeout "${TIMEOUT}s" \
    -s bench/load/mixed.lua "http://$ADDR" > "$OUT/wrk-$1.txt"
}

# 4a. Baseline: queries only.
sample_rss "$OUT/rss-baseline" & SAMPLER=$!
run_wrk baseline
touch "$OUT/rss-baseline.stop"; wait "$SAMPLER" || true; SAMPLER=""
echo "baseline: $(awk '/^LOAD rps/ {print $3}' "$OUT/wrk-baseline.txt") req/s"

# 4b. The same load while PDFs are uploaded one after another for the whole run.
ingest_loop() {
  local round=0
  while [ ! -f "$OUT/ingest.stop" ]; do
    round=$((round + 1))
    while read -r pdf; do
      [ -f "$OUT/ingest.stop" ] && break
      local t0 code outcome
      t0=$(date +%s%N)
      code=$(curl -s -o "$OUT/upload-last.json" -w '%{http_code}' --max-time 600 \
        -H "Authorization: Bearer $TOKEN" -F "file=@$pdf;type=application/pdf" \
        "http://$ADDR/api/collections/uploads/documents" || echo 000)
      # The outcome the server reports for the file: added, updated, unchanged (same content
      # hash already indexed under the same id, i.e. a re-upload), duplicate or failed.
      outcome=$(grep -o '"outcome": *"[a-z]*"' "$OUT/upload-last.json" 2>/dev/null | head -1 | grep -o '[a-z]*"$' | tr -d '"')
      echo "$round $code $(( ($(date +%s%N) - t0) / 1000000 )) $(stat -c %s "$pdf") ${outcome:--} $pdf" >> "$OUT/uploads.tsv"
      case $code in 2*) ;; *) cp "$OUT/upload-last.json" "$OUT/upload-fail-$(wc -l < "$OUT/uploads.tsv").json" ;; esac
    done < "$OUT/upload.list"
  done
}
: > "$OUT/uploads.tsv"
sample_rss "$OUT/rss-ingest" & SAMPLER=$!
ingest_loop & INGEST=$!
run_wrk ingest
cut -d" " -f1 /proc/loadavg > "$OUT/loadavg"
touch "$OUT/ingest.stop"; wait "$INGEST" || true; INGEST=""
touch "$OUT/rss-ingest.stop"; wait "$SAMPLER" || true; SAMPLER=""
echo "with ingest: $(awk '/^LOAD rps/ {print $3}' "$OUT/wrk-ingest.txt") req/s"
curl -sf "http://$ADDR/health" > "$OUT/health-after.json"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

# 5. Report.
set +e
python3 bench/load/report.py "$OUT" "$DURATION" "$CONNS" "$THREADS" "$TIMEOUT" "$ANON_BOUND_MB" "$NPATHS" \
  > bench/load/RESULTS.md
status=$?
cat bench/load/RESULTS.md
exit $status
