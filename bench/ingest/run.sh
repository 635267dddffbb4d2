#!/usr/bin/env bash
# Ingestion benchmark: `indexer add` against Xapian's omindex on the same folder of PDFs.
#
#   bench/ingest/run.sh [CORPUS_DIR]        (default /work/shared/corpus)
#
# Measures, each into a fresh data directory / database:
#   1. indexer add CORPUS (release build): wall time, pages/s, peak RSS;
#   2. the same command again on the unchanged folder (must be all "unchanged");
#   3. omindex over the same folder (text through pdftotext), wall time and peak RSS;
#   4. memory flatness: the corpus copied 5 times (each copy's files get a different comment
#      appended, so they are not deduplicated) ingested in one run, peak RSS compared with 1x.
# Prints a Markdown table; the figures are meant for bench/ingest/RESULTS.md.
# Environment: WORK (scratch dir, default a new /tmp dir), SKIP_X5=1 to skip step 4.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CORPUS=$(cd "${1:-/work/shared/corpus}" && pwd)
WORK=${WORK:-$(mktemp -d /tmp/bench-ingest.XXXXXX)}
mkdir -p "$WORK"

# Tools: omindex (xapian-omega), pdftotext (poppler-utils, omindex's PDF filter), GNU time.
missing=()
command -v omindex >/dev/null || missing+=(xapian-omega)
command -v pdftotext >/dev/null || missing+=(poppler-utils)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    $SUDO apt-get install -y -qq "${missing[@]}" >&2
fi

echo "building indexer (release)" >&2
(cd "$ROOT" && cargo build --release -q -p indexer)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BIN=$TARGET/release/indexer

# Runs a command under GNU time; prints "WALL_SECONDS PEAK_RSS_KB".
measure() {
    local log=$1; shift
    /usr/bin/time -v -o "$log.time" "$@" >"$log.out" 2>"$log.err" || {
        local rc=$?
        # indexer exits 2 when some input failed; that is a result, not a benchmark failure.
        [ $rc -eq 2 ] || { echo "command failed ($rc): $*" >&2; tail -5 "$log.err" >&2; exit 1; }
    }
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log.time" |
        awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log.time")
    echo "$wall $rss"
}

json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary'][sys.argv[2]])" "$@"; }

files=$(find "$CORPUS" -type f -iname '*.pdf' | wc -l)
bytes=$(du -sb "$CORPUS" | cut -f1)
echo "corpus: $CORPUS, $files PDFs, $((bytes / 1000000)) MB; $(nproc) cores" >&2

rm -rf "$WORK/ours" "$WORK/xapian"
# OCR off: omindex reads text layers only, and scans are bench/ocr's subject.
echo "1/4 indexer add (fresh)" >&2
read -r ours_wall ours_rss < <(measure "$WORK/ours1" "$BIN" --data-dir "$WORK/ours" add "$CORPUS" \
    --collection bench --ocr never --quiet --report "$WORK/ours1.json")
pages=$(json_field "$WORK/ours1.json" pages)
added=$(json_field "$WORK/ours1.json" added)
failed=$(json_field "$WORK/ours1.json" failed)
dups=$(json_field "$WORK/ours1.json" duplicates)

echo "2/4 indexer add (unchanged)" >&2
read -r again_wall again_rss < <(measure "$WORK/ours2" "$BIN" --data-dir "$WORK/ours" add "$CORPUS" \
    --collection bench --ocr never --quiet --report "$WORK/ours2.json")
unchanged=$(json_field "$WORK/ours2.json" unchanged)

echo "3/4 omindex (fresh)" >&2
read -r xap_wall xap_rss < <(measure "$WORK/xapian" omindex --db "$WORK/xapian" --url / "$CORPUS")

x5_wall=- x5_rss=- x5_pages=-
if [ "${SKIP_X5:-0}" != 1 ]; then
    echo "4/4 indexer add, corpus x5" >&2
    rm -rf "$WORK/x5" "$WORK/ours5"
    for i in 1 2 3 4 5; do
        mkdir -p "$WORK/x5/copy$i"
        cp -r "$CORPUS/." "$WORK/x5/copy$i/"
        # A comment after %%EOF keeps every PDF valid and makes each copy's hash differ (the
        # same bytes in every copy would be deduplicated to one document).
        find "$WORK/x5/copy$i" -type f -iname '*.pdf' -exec sh -c 'printf "\n%% copy %s\n" "$2" >> "$1"' _ {} "$i" \;
    done
    read -r x5_wall x5_rss < <(measure "$WORK/ours5" "$BIN" --data-dir "$WORK/ours5" add "$WORK/x5" \
        --collection bench5 --ocr never --quiet --report "$WORK/ours5.json")
    x5_pages=$(json_field "$WORK/ours5.json" pages)
    rm -rf "$WORK/x5"
fi

python3 - "$ours_wall" "$ours_rss" "$pages" "$again_wall" "$xap_wall" "$xap_rss" "$x5_wall" "$x5_rss" "$x5_pages" \
    "$files" "$added" "$failed" "$dups" "$unchanged" <<'PY'
import sys
(ow, orss, pages, aw, xw, xrss, x5w, x5rss, x5p, files, added, failed, dups, unch) = sys.argv[1:]
ow, aw, xw = float(ow), float(aw), float(xw)
pages = int(pages)
mib = lambda kb: f"{int(kb) / 1024:.0f} MiB"
print(f"| run | wall | pages/s | peak RSS | notes |")
print(f"|---|---|---|---|---|")
print(f"| indexer add, fresh | {ow:.1f} s | {pages / ow:.0f} | {mib(orss)} | {files} PDFs: {added} added, {failed} failed, {dups} duplicates; {pages} pages |")
print(f"| indexer add, unchanged | {aw:.2f} s | - | - | {unch} unchanged; {100 * aw / ow:.1f}% of the first run |")
print(f"| omindex (pdftotext), fresh | {xw:.1f} s | {pages / xw:.0f} | {mib(xrss)} | same folder |")
if x5w != "-":
    x5w = float(x5w)
    print(f"| indexer add, corpus x5 | {x5w:.1f} s | {int(x5p) / x5w:.0f} | {mib(x5rss)} | {x5p} pages; RSS x5/x1 = {int(x5rss) / int(orss):.2f} |")
print()
print(f"speed-up over omindex: {xw / ow:.2f}x")
PY
echo "scratch: $WORK" >&2
