#!/usr/bin/env bash
# Search quality: the real indexer + /api/search on the ViRE Vietnamese retrieval sets, NFCorpus and
# Cranfield, beside the published figures and a plain BM25 run in the same command.
# Usage: bench/relevance/run.sh [SET...]   (default: all sets; ~5 minutes; writes RESULTS.md)
# Needs: ../shared/ir (or SHARED_DIR), python3. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
OUT=${OUT:-$ROOT/target/bench-relevance}
PY="python3 $ROOT/bench/relevance/relevance.py"
[ -d "$SHARED/ir" ] || { echo "error: $SHARED/ir not found (set SHARED_DIR)" >&2; exit 1; }
SETS=("$@")
[ ${#SETS[@]} -gt 0 ] || SETS=(ViMedAQA_v2 ALQAC ViRHE4QA_v2 ViRe4MRC_v2 NFCorpus Cranfield)

cargo build --release -q -p search-server -p indexer
BIN=$ROOT/target/release
rm -rf "$OUT"
mkdir -p "$OUT"
$PY prepare "$SHARED" "$OUT/sets"

SERVER=
cleanup() { [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

echo "{" > "$OUT/results.json"
first=1
for set in "${SETS[@]}"; do
  dir=$OUT/sets/$set
  data=$OUT/data/$set
  echo "== $set: ingest" >&2
  "$BIN/indexer" --data-dir "$data" add --quiet --collection "$(echo "$set" | tr 'A-Z_' 'a-z-')" \
    "$dir/records.jsonl" >"$OUT/$set.ingest.log"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  addr=127.0.0.1:$port
  RUST_LOG=warn "$BIN/search-server" --data-dir "$data" --bind "$addr" --no-ingest 2>"$OUT/$set.server.log" &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf "http://$addr/health" >/dev/null 2>&1 && break
    sleep 0.2
  done
  echo "== $set: queries" >&2
  ours=$($PY search "$addr" "$dir" --out "$OUT/$set.ranked.jsonl")
  base=$($PY bm25 "$dir")
  extra=
  case $set in
    NFCorpus | Cranfield) ;;
    *)
      ours_s=$($PY search "$addr" "$dir" --strip --out "$OUT/$set.strip.ranked.jsonl")
      base_s=$($PY bm25 "$dir" --strip)
      extra=", \"ours_strip\": $ours_s, \"bm25_strip\": $base_s"
      ;;
  esac
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=
  [ $first = 1 ] || echo "," >> "$OUT/results.json"
  first=0
  echo "\"$set\": {\"ours\": $ours, \"bm25\": $base$extra}" >> "$OUT/results.json"
done
echo "}" >> "$OUT/results.json"

{
  echo "# Relevance: ours vs published figures and a plain BM25 (same run)"
  echo
  echo "\`bench/relevance/run.sh\` on $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)."
  echo "ViRE sets: MRR@10 (%), one gold context per question; NFCorpus and Cranfield: nDCG@10 (%)."
  echo
  $PY table "$OUT"
} | tee "$OUT/RESULTS.md"
if [ $# -eq 0 ]; then cp "$OUT/RESULTS.md" "$ROOT/bench/relevance/RESULTS.md"; fi
