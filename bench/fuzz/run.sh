#!/usr/bin/env bash
# Runs every fuzz target (fuzz/, cargo-fuzz + libFuzzer) for a set time, one after the other,
# niced, one process each, and prints per target: executions, time, exec/s, coverage
# (libFuzzer cov/ft counters and corpus size) and crashes.
#
#   bench/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]       (default 300 s, all targets)
#
# Environment:
#   FUZZ_SANITIZER  cargo-fuzz sanitizer, default "none": the project's crates forbid unsafe
#                   code, and what we hunt (panics, overflow checks, hangs, memory blow-ups) needs
#                   no sanitizer, which would cost half the executions. "address" works too.
#   FUZZ_WORK       working corpora, crash artifacts and logs (default target/fuzz, not committed)
#   FUZZ_RSS_MB     libFuzzer -rss_limit_mb (default 2048): more is an OOM crash
#   SHARED_DIR      real third-party PDFs to seed pdf_extract with (default ../shared beside the
#                   checkout, optional: the committed seeds and corpus/ suffice)
#
# Working corpora persist in FUZZ_WORK, so a second run starts where the first stopped. A crash
# stops that target (the input is saved under FUZZ_WORK/artifacts/TARGET/) and the next target
# runs; reproduce with `cargo +nightly fuzz run -s none --target-dir target/fuzz/build TARGET
# ARTIFACT` (or run target/fuzz/build/HOST/release/TARGET ARTIFACT). Each crash fixed gets
# a regression test with its input kept in the repository (indexer/tests/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

secs=${1:-300}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pdf_extract query_search legacy_text records)

sanitizer=${FUZZ_SANITIZER:-none}
work=${FUZZ_WORK:-$root/target/fuzz}
rss=${FUZZ_RSS_MB:-2048}
shared=${SHARED_DIR:-$root/../shared}
build_dir=$work/build

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Per target: largest input (bytes) and the time (s) after which one input is a hang.
max_len() {
  case $1 in
    pdf_extract) echo 131072 ;; query_search) echo 2048 ;; legacy_text) echo 4096 ;; *) echo 16384 ;;
  esac
}
timeout_of() { case $1 in pdf_extract) echo 30 ;; *) echo 10 ;; esac; }

seed_pdfs() {
  local dir=$1
  echo "==> seeding pdf_extract from corpus/${shared:+ and $shared/corpus}"
  nice -n 10 cargo build --quiet --release --manifest-path fuzz/Cargo.toml -p pdf-seeds \
    --target-dir "$work/tools"
  local files=()
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find corpus -name '*.pdf' -print0)
  if [ -d "$shared/corpus" ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "$shared/corpus" -name '*.pdf' -size -4M -print0)
  fi
  # Uncompressed first pages of every file, and the small real files as they are (their
  # compressed streams, xref streams and object streams are inputs too).
  "$work/tools/release/pdf-seeds" "$dir" 1 98304 "${files[@]}" 2>"$work/pdf-seeds.log" || true
  tail -n 1 "$work/pdf-seeds.log"
  for f in "${files[@]}"; do
    if [ "$(stat -c %s "$f")" -le "$(max_len pdf_extract)" ]; then cp -n "$f" "$dir/" || true; fi
  done
}

# One build of every target, then the binaries run directly: `cargo fuzz run` would rebuild
# before each target (inside the timed run) whenever someone edits the libraries meanwhile.
echo "==> building fuzz targets (sanitizer: $sanitizer)"
nice -n 10 cargo +nightly fuzz build -s "$sanitizer" --target-dir "$build_dir"
bin_dir=$build_dir/$(rustc -vV | sed -n 's/^host: //p')/release

summary=()
for t in "${targets[@]}"; do
  corpus_dir=$work/corpus/$t
  artifacts=$work/artifacts/$t
  log=$work/logs/$t-$(date +%Y%m%d-%H%M%S).log
  mkdir -p "$corpus_dir" "$artifacts" "$work/logs"
  cp -n fuzz/seeds/"$t"/* "$corpus_dir/" 2>/dev/null || true
  if [ "$t" = pdf_extract ] && [ ! -e "$work/pdf-seeded" ]; then
    seed_pdfs "$corpus_dir" && touch "$work/pdf-seeded"
  fi
  before=$(find "$artifacts" -type f | wc -l)
  echo "==> $t for ${secs}s (corpus: $(find "$corpus_dir" -type f | wc -l) inputs, log: $log)"
  start=$(date +%s)
  set +e
  nice -n 10 "$bin_dir/$t" -max_total_time="$secs" -timeout="$(timeout_of "$t")" \
    -rss_limit_mb="$rss" -max_len="$(max_len "$t")" -dict="$root/fuzz/dicts/$t.dict" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus_dir" >"$log" 2>&1
  status=$?
  set -e
  elapsed=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "$log" | tail -n 1 | awk '{print $2 "/" $4 "/" $6}')
  crashes=$(( $(find "$artifacts" -type f | wc -l) - before ))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="? (exit $status, see log)"; fi
  line=$(printf '%-13s executions %10s  time %5ss  exec/s %6s  cov/ft/corpus %-18s crashes %s' \
    "$t" "${execs:-?}" "$elapsed" "${rate:-?}" "${cov:-?}" "$crashes")
  echo "$line"
  grep -E '^(==[0-9]+==|SUMMARY|thread .* panicked|.*deadly signal|.*Test unit written)' "$log" | head -n 5 || true
  summary+=("$line")
done

echo
echo "==> summary (${secs}s per target, sanitizer $sanitizer)"
printf '%s\n' "${summary[@]}"
