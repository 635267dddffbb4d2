#!/usr/bin/env bash
# Extraction benchmark: quality (word F1 against pdftotext, recall against LaTeX sources) and
# speed (2 threads of ours vs 2 pdftotext processes) over /work/shared/corpus.
# Usage: bench/extract/run.sh [SHARED_DIR]   (default /work/shared, or $SHARED)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARED="${1:-${SHARED:-/work/shared}}"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/extract-bench.XXXXXX)}"
THREADS="${THREADS:-2}"

if ! command -v pdftotext >/dev/null 2>&1; then
    echo "installing poppler-utils..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null; fi
fi

if [ -n "${EXTRACT_BIN:-}" ]; then
    BIN="$EXTRACT_BIN"   # a prebuilt driver, e.g. from another checkout
else
    echo "building the extractor (release)..." >&2
    (cd "$ROOT" && cargo build --release -q -p indexer --example pdf_extract)
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    BIN="$TARGET_DIR/release/examples/pdf_extract"
fi

mkdir -p "$WORK/ours" "$WORK/ref"
(cd "$SHARED" && find corpus -name '*.pdf' | sort) > "$WORK/all.txt"
echo "corpus: $(wc -l < "$WORK/all.txt") PDFs; work dir $WORK" >&2

# Warm the page cache so that neither side pays for disk reads.
(cd "$SHARED" && xargs -a "$WORK/all.txt" cat > /dev/null)

echo "pdftotext, $THREADS processes..." >&2
T0=$(date +%s.%N)
(cd "$SHARED" && xargs -a "$WORK/all.txt" -P"$THREADS" -I{} sh -c \
    'pdftotext -enc UTF-8 "$1" "$2/$(echo "$1" | sed "s|/|__|g").txt" 2>/dev/null || true' _ {} "$WORK/ref")
T1=$(date +%s.%N)

echo "ours, $THREADS threads..." >&2
T2=$(date +%s.%N)
(cd "$SHARED" && "$BIN" --threads "$THREADS" --out "$WORK/ours" < "$WORK/all.txt" 2> "$WORK/ours.log" || true)
T3=$(date +%s.%N)

# Per-file F1 goes to $WORK/scores.tsv; the committed scores.tsv is the baseline it is
# compared with (copy the new file over it when the changes are wanted).
python3 "$HERE/compare.py" --shared "$SHARED" --ours "$WORK/ours" --ref "$WORK/ref" \
    --pdftotext-seconds "$(echo "$T1 - $T0" | bc)" --ours-seconds "$(echo "$T3 - $T2" | bc)" \
    --errors "$WORK/ours.log" --scores-out "$WORK/scores.tsv" --baseline "$HERE/scores.tsv"
