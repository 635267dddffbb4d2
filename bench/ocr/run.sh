#!/usr/bin/env bash
# OCR benchmark: pages of text PDFs from ../shared/corpus (Vietnamese and English) rendered as
# scans, clean (300 dpi grayscale PNG) and degraded (200 dpi, 1 degree skew, Gaussian noise,
# JPEG quality 50) and, for Vietnamese, harsh (150 dpi, noise of 60 levels), wrapped into
# image-only PDFs with img2pdf; `indexer extract --json` reads
# them and its text is scored against the pages' own text layer (word F1, exact and with
# diacritics folded). Plain `tesseract -l vie+eng` with its defaults reads the same images in
# the same run, as the baseline.
#
# Usage: bench/ocr/run.sh [SHARED_DIR]     env: PAGES (per language, default 20), THREADS (2),
#        OCR_FLAGS (extra `indexer extract` flags, e.g. "--ocr-denoise always"),
#        SCAN300=1 also adds a 300-page scan with `indexer add` and reports its peak RSS.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARED="${1:-${SHARED:-/work/shared}}"
WORK="${BENCH_WORK:-$(mktemp -d /tmp/ocr-bench.XXXXXX)}"
PAGES="${PAGES:-20}"
THREADS="${THREADS:-2}"
OCR_FLAGS="${OCR_FLAGS:-}"

need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
for l in vie eng; do tesseract --list-langs 2>/dev/null | grep -qx "$l" || need+=("tesseract-ocr-$l"); done
command -v img2pdf >/dev/null 2>&1 || need+=(img2pdf)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
/usr/bin/python3 -c 'import PIL' 2>/dev/null || need+=(python3-pil)
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing ${need[*]}..." >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "building indexer (release)..." >&2
(cd "$ROOT" && cargo build --release -q -p indexer)
TARGET_DIR="$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET_DIR/release/indexer"

if [ ! -f "$WORK/en-degraded.pdf" ] || [ ! -f "$WORK/vi-harsh.pdf" ]; then
    echo "rendering $PAGES pages per language into $WORK..." >&2
    /usr/bin/python3 "$HERE/pages.py" "$SHARED" "$WORK" "$PAGES"
fi

now() { date +%s.%N; }
printf '%-12s %6s | %-22s | %-22s | %-14s | %s\n' set pages "ours exact/folded" "tesseract exact/folded" "diff exact" "pages/s ours, tesseract (ratio)"
for set in vi-clean en-clean vi-degraded en-degraded vi-harsh; do
    lang="${set%%-*}"; ext=png; [[ $set != *clean ]] && ext=jpg
    mkdir -p "$WORK/base/$set"
    t0=$(now)
    # The baseline as anyone would run it: defaults, one process per image, THREADS at once.
    ls "$WORK/img/$set/"*."$ext" | xargs -P"$THREADS" -I{} sh -c \
        'tesseract "$1" stdout -l vie+eng 2>/dev/null > "$2/$(basename "$1" .'"$ext"').txt"' _ {} "$WORK/base/$set"
    t1=$(now)
    # shellcheck disable=SC2086
    RAYON_NUM_THREADS="$THREADS" /usr/bin/time -f '%M' -o "$WORK/ours-$set.rss" \
        "$BIN" extract --json $OCR_FLAGS "$WORK/$set.pdf" > "$WORK/ours-$set.json"
    t2=$(now)
    read -r oe of be bf n < <(/usr/bin/python3 "$HERE/score.py" "$WORK/ref/$lang" "$WORK/ours-$set.json" "$WORK/base/$set")
    /usr/bin/python3 - "$set" "$n" "$oe" "$of" "$be" "$bf" "$t0" "$t1" "$t2" "$(cat "$WORK/ours-$set.rss")" <<'PY'
import sys
s, n, oe, of, be, bf, t0, t1, t2, rss = sys.argv[1:]
n = int(n); oe, of, be, bf = map(float, (oe, of, be, bf))
base_s, ours_s = float(t1) - float(t0), float(t2) - float(t1)
print(f"{s:<12} {n:6d} | {oe:.4f} / {of:.4f}        | {be:.4f} / {bf:.4f}        | {oe - be:+.4f} "
      f"      | {n / ours_s:.2f}, {n / base_s:.2f} ({base_s / ours_s:.2f}x)  peak RSS {int(rss) // 1024} MiB")
PY
done

# Process per page against one process for all (what a library binding would save).
"$HERE/startup.sh" "$WORK/img/vi-clean" vie

if [ "${SCAN300:-0}" = 1 ]; then
    echo "300-page scan: the clean Vietnamese pages repeated, indexer add..." >&2
    imgs=()
    while [ "${#imgs[@]}" -lt 300 ]; do
        for f in "$WORK/img/vi-clean/"*.png; do imgs+=("$f"); [ "${#imgs[@]}" -ge 300 ] && break; done
    done
    mkdir -p "$WORK/scan300"
    img2pdf -o "$WORK/scan300/scan300.pdf" "${imgs[@]}"
    rm -rf "$WORK/data300"
    t0=$(now)
    RAYON_NUM_THREADS="$THREADS" /usr/bin/time -f '%M' -o "$WORK/scan300.rss" \
        "$BIN" --data-dir "$WORK/data300" add "$WORK/scan300" --collection scan300 --quiet 2> "$WORK/scan300.log" || true
    t1=$(now)
    cat "$WORK/scan300.log"
    echo "300-page scan: $(echo "$t1 - $t0" | bc) s, peak RSS of indexer add $(( $(cat "$WORK/scan300.rss") / 1024 )) MiB"
    t0=$(now)
    "$BIN" --data-dir "$WORK/data300" remove --collection scan300 2>/dev/null
    "$BIN" --data-dir "$WORK/data300" add "$WORK/scan300" --collection scan300 --quiet 2>&1 | grep -E "OCR|collection"
    t1=$(now)
    echo "again after remove (OCR cache): $(echo "$t1 - $t0" | bc) s"
fi
echo "work dir: $WORK" >&2
