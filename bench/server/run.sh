#!/usr/bin/env bash
# Search server latency and throughput vs PostgreSQL full-text search, same texts, same run.
# Usage: bench/server/run.sh     (writes bench/server/RESULTS.md; loopback only; ~10 minutes)
# Needs: ../shared, apt packages wrk and postgresql (installed here when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
OUT=$ROOT/target/bench-server
DURATION=${DURATION:-15}
mkdir -p "$OUT"
[ -d "$SHARED/corpus" ] || { echo "error: $SHARED/corpus not found (set SHARED_DIR)" >&2; exit 1; }

need=()
command -v wrk >/dev/null || need+=(wrk)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")

cargo build --release -q -p search-server -p indexer
BIN=$ROOT/target/release

# 1. The index: all of shared/corpus plus the ViRE contexts as records (built once, reused).
DATA=$OUT/data
if [ ! -f "$OUT/indexed" ]; then
  rm -rf "$DATA" "$OUT/records"
  python3 bench/server/bench.py records "$OUT/records" "$SHARED" > "$OUT/records.count"
  "$BIN/indexer" --data-dir "$DATA" add --quiet --collection en "$SHARED/corpus/en" || true
  "$BIN/indexer" --data-dir "$DATA" add --quiet --collection vi "$SHARED/corpus/vi" || true
  for f in "$OUT"/records/*.jsonl; do
    "$BIN/indexer" --data-dir "$DATA" add --quiet --collection "$(basename "$f" .jsonl)" "$f"
  done
  touch "$OUT/indexed"
fi
python3 bench/server/bench.py queries "$SHARED" "$OUT/queries"

# 2. The server.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
ADDR=127.0.0.1:$PORT
RUST_LOG=warn "$BIN/search-server" --data-dir "$DATA" --bind "$ADDR" --no-ingest 2> "$OUT/server.log" &
SERVER=$!
PGDATA=$OUT/pg
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  if [ -f "$PGDATA/postmaster.pid" ]; then runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  curl -sf "http://$ADDR/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://$ADDR/health" > "$OUT/health.json"
curl -sf "http://$ADDR/api/collections" > "$OUT/collections.json"

# 3. Latency: 1,000 queries, server-side took_ms and client-observed.
python3 bench/server/bench.py latency "$ADDR" "$OUT/queries.paths" "$OUT/latency.json"

# 4. Throughput with wrk, cycling through the same queries.
cat > "$OUT/paths.lua" <<LUA
local paths = {}
for line in io.lines("$OUT/queries.paths") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
declare -A WRK
for c in 2 16; do
  wrk -t 2 -c "$c" -d "${DURATION}s" -s "$OUT/paths.lua" "http://$ADDR" > "$OUT/wrk-$c.txt"
  WRK[$c]=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$c.txt")
  echo "wrk -c $c: ${WRK[$c]} req/s"
done

# 5. PostgreSQL over the same texts.
python3 bench/server/bench.py export "$ADDR" "$OUT/records" "$OUT/docs.csv" > "$OUT/docs.count"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
python3 bench/server/bench.py pgsql "$OUT/queries.txt" "$OUT/pgbench.sql"
rm -rf "$PGDATA" && mkdir -p "$PGDATA" && chown postgres "$PGDATA" "$OUT" && chmod 755 "$OUT"
chmod 644 "$OUT/docs.csv" "$OUT/pgbench.sql.queries.csv" "$OUT/pgbench.sql"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -E UTF8 --locale=C.UTF-8 >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w \
  -o "-c listen_addresses='' -k $PGDATA -c shared_buffers=512MB -c max_connections=40 -c jit=off" start >/dev/null
PSQL=(runuser -u postgres -- "$PGBIN/psql" -h "$PGDATA" -d postgres -q -v ON_ERROR_STOP=1)
"${PSQL[@]}" <<SQL
CREATE EXTENSION unaccent;
CREATE TABLE docs (id text PRIMARY KEY, collection text, title text, lang text, doc_type text, year text, body text, tsv tsvector);
\copy docs (id, collection, title, lang, doc_type, year, body) FROM '$OUT/docs.csv' WITH (FORMAT csv)
UPDATE docs SET tsv = to_tsvector('simple', unaccent(coalesce(title, '') || ' ' || left(body, 500000)));
CREATE INDEX docs_tsv ON docs USING gin (tsv);
CREATE TABLE queries (id int PRIMARY KEY, q text);
\copy queries FROM '$OUT/pgbench.sql.queries.csv' WITH (FORMAT csv)
VACUUM ANALYZE;
SQL
PGBENCH=(runuser -u postgres -- "$PGBIN/pgbench" -h "$PGDATA" -n -f "$OUT/pgbench.sql" postgres)
( cd "$PGDATA" && "${PGBENCH[@]}" -c 1 -t 1000 -l --log-prefix=lat >/dev/null )
python3 bench/server/bench.py pglog "$PGDATA"/lat.* "$OUT/pg-latency.json"
declare -A PGB
for c in 2 16; do
  PGB[$c]=$("${PGBENCH[@]}" -c "$c" -j 2 -T "$DURATION" | awk '/^tps/ {print $3}')
  echo "pgbench -c $c: ${PGB[$c]} tps"
done
PGVER=$("$PGBIN/postgres" --version | awk '{print $3}')

python3 - "$OUT" "${WRK[2]}" "${WRK[16]}" "${PGB[2]}" "${PGB[16]}" "$PGVER" "$DURATION" <<'PY'
import json, sys, os, datetime, subprocess
out, w2, w16, p2, p16, pgver, dur = sys.argv[1:]
health = json.load(open(f"{out}/health.json"))
cols = [c for c in json.load(open(f"{out}/collections.json")) if c["name"] in ("en", "vi")]
pdf_docs = sum(c["documents"] for c in cols)
pdf_pages = sum(c["pages"] for c in cols)
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
res = {
    "date": datetime.date.today().isoformat(),
    "machine": f"{os.cpu_count()} cores ({cpu})",
    "documents": health["documents"],
    "records": int(open(f"{out}/records.count").read().strip() or 0),
    "pdf_docs": pdf_docs, "pdf_pages": pdf_pages,
    "latency": json.load(open(f"{out}/latency.json")),
    "pg_latency": json.load(open(f"{out}/pg-latency.json")),
    "wrk": {"2": float(w2), "16": float(w16)},
    "pgbench": {"2": float(p2), "16": float(p16)},
    "pg_version": pgver, "duration": int(dur),
}
json.dump(res, open(f"{out}/results.json", "w"), indent=1)
PY
python3 bench/server/bench.py report "$OUT/results.json" > bench/server/RESULTS.md
cat bench/server/RESULTS.md
