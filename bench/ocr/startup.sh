#!/usr/bin/env bash
# Tesseract as a process per page (what the indexer does) against one process reading every
# page (what a library binding would do: the models loaded once). Tesseract reads a list of
# images in one run, so both sides are the same engine with the same settings; the difference
# is the start-up a library would save. One core, pages one after another.
#
# Usage: bench/ocr/startup.sh IMAGE_DIR [LANG]     (run.sh calls it on its clean Vietnamese pages)
set -euo pipefail

DIR="$1"
LANG_="${2:-vie}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
ls "$DIR"/*.png "$DIR"/*.jpg 2>/dev/null > "$TMP/list.txt" || true
n=$(wc -l < "$TMP/list.txt")
[ "$n" -gt 0 ] || { echo "no images in $DIR" >&2; exit 1; }

now() { date +%s.%N; }
t0=$(now)
while read -r img; do
    OMP_THREAD_LIMIT=1 tesseract "$img" stdout -l "$LANG_" --psm 3 > /dev/null 2>&1
done < "$TMP/list.txt"
t1=$(now)
OMP_THREAD_LIMIT=1 tesseract "$TMP/list.txt" stdout -l "$LANG_" --psm 3 > /dev/null 2>&1
t2=$(now)
/usr/bin/python3 - "$n" "$t0" "$t1" "$t2" <<'PY'
import sys
n = int(sys.argv[1]); t0, t1, t2 = map(float, sys.argv[2:])
per, once = (t1 - t0) / n, (t2 - t1) / n
print(f"tesseract start-up: {n} pages, one process per page {per:.3f} s/page, one process for all "
      f"{once:.3f} s/page: a library would save {per - once:.3f} s/page ({(per - once) / per:.1%}), "
      f"ratio {per / once:.3f}x")
PY
