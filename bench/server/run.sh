#!/usr/bin/env bash
# Search server latency and throughput vs PostgreSQL full-text search, same texts, same run.
# Usage: bench/server/run.sh     (writes bench/server/RESULTS.md; loopback only; ~10 minutes)
#        SCALE=100000 bench/server/run.sh
#                                (scale mode: shared/corpus plus SCALE catalogue records generated
#                                 from real sentences of ../shared, fixed seed; SCALE set but empty
#                                 means 100000; writes bench/server/RESULTS-scale.md; ~1 hour)
# Env: DURATION (seconds of each wrk/pgbench throughput run, default 15); in scale mode
#      REINDEX=1 rebuilds the index of that N (it is built once per N and reused, like the
#      default mode's: rebuild after a change to the indexer's analysis or schema).
# Needs: ../shared, apt packages wrk and postgresql (installed here when missing, as root);
# scale mode also GNU time (package time) for the indexer's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${SHARED_DIR:-$ROOT/../shared}
DURATION=${DURATION:-15}
N=
if [ -n "${SCALE+set}" ]; then
  N=${SCALE:-100000}
  [[ $N =~ ^[1-9][0-9]*$ ]] || { echo "error: SCALE must be a number of records, not '$N'" >&2; exit 1; }
  # One folder per N: its index, records and marker are reused by the next run with that N.
  OUT=$ROOT/target/bench-server-scale-$N
  RESULTS=bench/server/RESULTS-scale.md
else
  OUT=$ROOT/target/bench-server
  RESULTS=bench/server/RESULTS.md
fi
mkdir -p "$OUT"
[ -d "$SHARED/corpus" ] || { echo "error: $SHARED/corpus not found (set SHARED_DIR)" >&2; exit 1; }
# Wall time of each phase, so that a slow run says where its time went, with the 1-minute load
# average at its end: the 2 cores are shared with other builds, which the figures then carry.
: > "$OUT/phases.tsv"
T0=$SECONDS
phase() { echo -e "$1\t$((SECONDS - T0))\t$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/phases.tsv"; T0=$SECONDS; }

need=()
command -v wrk >/dev/null || need+=(wrk)
[ -z "$N" ] || [ -x /usr/bin/time ] || need+=(time)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")

cargo build --release -q -p search-server -p indexer
BIN=$ROOT/target/release
phase build

# Runs `indexer add` under GNU time and appends "name wall_s peak_rss_kb cpu_s cpu_percent" to
# $OUT/ingest.tsv (CPU time beside wall time tells a slow run from a starved one).
# Exit code 2 means some inputs failed (scanned PDFs without text): a result, not an error.
timed_add() {
  local name=$1; shift
  local rc=0
  /usr/bin/time -v -o "$OUT/time-$name.txt" "$BIN/indexer" --data-dir "$DATA" add --quiet \
    --report "$OUT/add-$name.json" "$@" 2> "$OUT/add-$name.log" || rc=$?
  [ $rc -eq 0 ] || [ $rc -eq 2 ] || { echo "indexer add $name failed ($rc)" >&2; tail -5 "$OUT/add-$name.log" >&2; exit 1; }
  awk -F': ' -v n="$name" '
    /Elapsed \(wall clock\)/ { k = split($2, t, ":"); w = (k == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
    /Maximum resident set size/ { r = $2 }
    /User time|System time/ { c += $2 }
    /Percent of CPU/ { p = $2 + 0 }
    END { print n "\t" w "\t" r "\t" c "\t" p }' "$OUT/time-$name.txt" >> "$OUT/ingest.tsv"
}

# 1. The index: all of shared/corpus plus the ViRE contexts as records (built once, reused);
#    in scale mode shared/corpus plus N generated records, each `indexer add` timed.
DATA=$OUT/data
if [ -n "$N" ]; then
  [ "${REINDEX:-0}" != 1 ] || rm -f "$OUT/indexed"
  if [ ! -f "$OUT/indexed" ]; then
    rm -rf "$DATA" "$OUT/records" "$OUT/ingest.tsv"
    python3 bench/server/bench.py scale-records "$N" "$OUT/records" "$SHARED" > "$OUT/records.json"
    phase generate
    timed_add pdf-en --collection en "$SHARED/corpus/en"
    timed_add pdf-vi --collection vi "$SHARED/corpus/vi"
    for f in "$OUT"/records/*.jsonl; do
      timed_add "$(basename "$f" .jsonl)" --collection "$(basename "$f" .jsonl)" "$f"
    done
    # The date of the build goes with the ingest figures, which later runs reuse.
    date -u +%Y-%m-%dT%H:%MZ > "$OUT/indexed"
    phase ingest
    # Kept beside the marker: a later run reusing the index still reports how it was built.
    grep -E '^(generate|ingest)\b' "$OUT/phases.tsv" > "$OUT/build-phases.tsv"
  fi
elif [ ! -f "$OUT/indexed" ]; then
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
phase server-start
python3 bench/server/bench.py latency "$ADDR" "$OUT/queries.paths" "$OUT/latency.json"
# The server's memory after the latency run: resident now and its high-water mark.
awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {print r, h}' "/proc/$SERVER/status" > "$OUT/server-rss.txt"
phase latency

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
phase wrk

# 5. PostgreSQL over the same texts.
python3 bench/server/bench.py export "$ADDR" "$OUT/records" "$OUT/docs.csv" > "$OUT/docs.count"
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
phase export
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
phase pg-load
PGBENCH=(runuser -u postgres -- "$PGBIN/pgbench" -h "$PGDATA" -n -f "$OUT/pgbench.sql" postgres)
( cd "$PGDATA" && "${PGBENCH[@]}" -c 1 -t 1000 -l --log-prefix=lat >/dev/null )
python3 bench/server/bench.py pglog "$PGDATA"/lat.* "$OUT/pg-latency.json"
phase pg-latency
declare -A PGB
for c in 2 16; do
  PGB[$c]=$("${PGBENCH[@]}" -c "$c" -j 2 -T "$DURATION" | awk '/^tps/ {print $3}')
  echo "pgbench -c $c: ${PGB[$c]} tps"
done
phase pg-throughput
PGVER=$("$PGBIN/postgres" --version | awk '{print $3}')

python3 - "$OUT" "${WRK[2]}" "${WRK[16]}" "${PGB[2]}" "${PGB[16]}" "$PGVER" "$DURATION" "$N" <<'PY'
import json, sys, os, datetime, subprocess
out, w2, w16, p2, p16, pgver, dur, n = sys.argv[1:]
health = json.load(open(f"{out}/health.json"))
cols = [c for c in json.load(open(f"{out}/collections.json")) if c["name"] in ("en", "vi")]
pdf_docs = sum(c["documents"] for c in cols)
pdf_pages = sum(c["pages"] for c in cols)
cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
res = {
    "date": datetime.date.today().isoformat(),
    "machine": f"{os.cpu_count()} cores ({cpu})",
    "documents": health["documents"],
    "records": int(n) if n else int(open(f"{out}/records.count").read().strip() or 0),
    "pdf_docs": pdf_docs, "pdf_pages": pdf_pages,
    "latency": json.load(open(f"{out}/latency.json")),
    "pg_latency": json.load(open(f"{out}/pg-latency.json")),
    "wrk": {"2": float(w2), "16": float(w16)},
    "pgbench": {"2": float(p2), "16": float(p16)},
    "pg_version": pgver, "duration": int(dur),
}
if n:
    # The code measured: the lead compares ranking changes by commit.
    git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
    res["commit"] = git("rev-parse", "--short", "HEAD") + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")
    res["scale"] = json.load(open(f"{out}/records.json"))
    res["collections"] = json.load(open(f"{out}/collections.json"))
    res["built"] = open(f"{out}/indexed").read().strip()
    res["ingest"] = [dict(zip(("name", "wall_s", "rss_kb", "cpu_s", "cpu_percent"), l.split("\t")))
                     for l in open(f"{out}/ingest.tsv").read().splitlines()]
    res["ingest_added"] = {
        e["name"]: json.load(open(f"{out}/add-{e['name']}.json"))["summary"] for e in res["ingest"]}
    rss, hwm = open(f"{out}/server-rss.txt").read().split()
    res["server_rss"] = {"rss_kb": int(rss), "hwm_kb": int(hwm)}
    res["phases"] = [l.split("\t") for l in open(f"{out}/phases.tsv").read().splitlines()]
    res["build_phases"] = [l.split("\t") for l in open(f"{out}/build-phases.tsv").read().splitlines()]
json.dump(res, open(f"{out}/results.json", "w"), indent=1)
PY
phase report
if [ -n "$N" ]; then
  python3 bench/server/bench.py report-scale "$OUT/results.json" "$OUT/latency.json.queries.tsv" > "$RESULTS"
else
  python3 bench/server/bench.py report "$OUT/results.json" > "$RESULTS"
fi
cat "$RESULTS"
