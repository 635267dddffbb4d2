#!/usr/bin/env bash
# Metadata benchmark: `indexer extract --json` on every PDF of the ground truth
# (bench/metadata/truth.jsonl), beside poppler's pdfinfo fields and the first line of
# `pdftotext -l 1`; prints per-field accuracy by language and kind, writes RESULTS.md.
# Usage: bench/metadata/run.sh [SHARED_DIR]   (default ../shared beside the checkout, or $SHARED)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARED="${1:-${SHARED:-$ROOT/../shared}}"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/metadata-bench.XXXXXX)}"
JOBS="${JOBS:-2}"

if ! command -v pdfinfo >/dev/null 2>&1; then
    echo "installing poppler-utils..." >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null; fi
fi

if [ -n "${INDEXER_BIN:-}" ]; then
    BIN="$INDEXER_BIN"
else
    echo "building the indexer (release)..." >&2
    (cd "$ROOT" && cargo build --release -q -p indexer)
    TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    BIN="$TARGET_DIR/release/indexer"
fi

COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(cd "$ROOT" && git status --porcelain -- indexer 2>/dev/null)" ]; then COMMIT="$COMMIT+changes"; fi

# Labelled paths are relative to the shared folder; the bundled corpus/ holds byte-identical
# copies under the same relative paths, so without ../shared those files are still scored.
python3 "$HERE/score.py" --truth "$HERE/truth.jsonl" --shared "$SHARED" --project "$ROOT" \
    --indexer "$BIN" --jobs "$JOBS" --work "$WORK" --results "${RESULTS:-$HERE/RESULTS.md}" \
    --commit "$COMMIT"
