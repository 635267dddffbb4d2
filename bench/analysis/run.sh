#!/usr/bin/env bash
# Throughput of the Vietnamese analysis chain vs tantivy's default analyzer, same text, same run.
# Prints criterion's median for each and the ratio. Usage: bench/analysis/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo bench -p indexer --bench analysis -- --noplot "$@"
python3 - <<'PY'
import json, os
base = "target/criterion/analysis"
size = None
rows = {}
for name in ("tantivy_default", "vietnamese_full_chain", "vietnamese_exact_only"):
    est = json.load(open(os.path.join(base, name, "new", "estimates.json")))
    bench = json.load(open(os.path.join(base, name, "new", "benchmark.json")))
    size = bench["throughput"]["Bytes"]
    rows[name] = est["median"]["point_estimate"]  # ns per iteration
print(f"\nsample: {size/1e6:.2f} MB of Vietnamese text (tests/data/d2l-vi), one core")
for name, ns in rows.items():
    print(f"{name:24s} median {ns/1e6:8.2f} ms  {size/ns*1e3:8.1f} MB/s")
full, default = rows["vietnamese_full_chain"], rows["tantivy_default"]
print(f"full chain / tantivy default time ratio: {full/default:.2f}x "
      f"(full chain runs normalisation + 3 analyzers; target >= 20 MB/s per core)")
PY
