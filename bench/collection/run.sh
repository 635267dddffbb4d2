#!/usr/bin/env bash
# Collection-scale benchmark: does memory stay flat as a collection grows to a million records?
#
#   bench/collection/run.sh [N]        (default 1000000; the baseline is N/10 in the same run)
#
# For the baseline size N/10 and for N, each in a fresh data directory:
#   1. add:          `indexer add records.jsonl` (catalogue records made by records.py from ViRE
#                    and NFCorpus text of ../shared);
#   2. add --prune:  the same file less 1% of its lines, again with --prune (every other record
#                    unchanged, 1% removed);
#   3. harvest:      search-server serves that collection over OAI-PMH (pages of 500) and
#                    `indexer harvest` copies it into a second data directory (metadata only).
# Each step runs the release build under GNU time: wall time, records/s, peak RSS. Prints a
# Markdown table and the RSS ratio N / (N/10) per step (1.0 = flat, 10 = grows with the
# collection); figures go to bench/collection/RESULTS.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-1000000}
SHARED=${SHARED_DIR:-$ROOT/../shared}
WORK=${WORK:-$(mktemp -d /tmp/bench-collection.XXXXXX)}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)" >&2; exit 1; }

echo "building indexer and search-server (release)" >&2
(cd "$ROOT" && cargo build --release -q -p indexer -p search-server)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
INDEXER=$TARGET/release/indexer
SERVER=$TARGET/release/search-server

server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

# run NAME RECORDS CMD...: one measured step; appends "name records wall rss_mb" to $WORK/rows.
run() {
  local name=$1 n=$2; shift 2
  /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.log" || {
    echo "$name failed:" >&2; tail -20 "$WORK/$name.log" >&2; exit 1; }
  read -r wall rss < "$WORK/$name.time"
  echo "$name $n $wall $((rss / 1024))" >> "$WORK/rows"
  echo "$name: $n records in ${wall}s, peak RSS $((rss / 1024)) MB" >&2
  grep -E "^collection " "$WORK/$name.log" >&2 || true
}

size_run() {
  local n=$1 tag=$2
  local recs=$WORK/records-$n.jsonl pruned=$WORK/records-$n-pruned.jsonl
  local data=$WORK/data-$n mirror=$WORK/mirror-$n
  python3 "$ROOT/bench/collection/records.py" "$n" "$recs" "$SHARED"
  awk 'NR % 100 != 7' "$recs" > "$pruned"
  rm -rf "$data" "$mirror"
  run "add-$tag" "$n" "$INDEXER" --data-dir "$data" add "$recs" -c big -q --ocr never
  run "prune-$tag" "$n" "$INDEXER" --data-dir "$data" add "$pruned" -c big -q --ocr never --prune
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "$SERVER" --data-dir "$data" --bind "127.0.0.1:$port" --no-ingest --oai-page-size 500 \
    > "$WORK/server-$tag.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" > /dev/null && break; sleep 0.2; done
  local live
  live=$(wc -l < "$pruned")
  run "harvest-$tag" "$live" "$INDEXER" --data-dir "$mirror" harvest "http://127.0.0.1:$port/oai" \
    -c mirror -q --ocr never
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
  rm -rf "$data" "$mirror" "$recs" "$pruned"
}

rm -f "$WORK/rows"
size_run $((N / 10)) base
size_run "$N" full

python3 - "$WORK/rows" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    name, n, wall, rss = line.split()
    step, tag = name.rsplit("-", 1)
    rows[(step, tag)] = (int(n), float(wall), int(rss))
print("| step | records | wall s | records/s | peak RSS MB | RSS ratio to N/10 |")
print("|---|---|---|---|---|---|")
for step in ["add", "prune", "harvest"]:
    for tag in ["base", "full"]:
        n, wall, rss = rows[(step, tag)]
        ratio = "%.2f" % (rss / rows[(step, "base")][2]) if tag == "full" else "1.00"
        label = {"add": "add", "prune": "add --prune (1% gone)", "harvest": "harvest from our /oai"}[step]
        print("| %s | %d | %.0f | %.0f | %d | %s |" % (label, n, wall, n / wall, rss, ratio))
PY
