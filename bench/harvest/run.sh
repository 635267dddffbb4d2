#!/usr/bin/env bash
# Harvest benchmark: `indexer harvest` against pyoai's own harvester, and our `/oai` provider
# against pyoai's server, over the same 20,000 records.
#
#   bench/harvest/run.sh [RECORDS]        (default 20000; RUNS=3 repetitions, medians reported)
#
# 1. Starts tests/py/oai_provider.py (pyoai's BatchingServer over records made from ../shared
#    text, 100 a page, 1% deleted).
# 2. Harvest, metadata only, each run into a fresh data directory: ours (`indexer harvest`,
#    release build, under GNU time: wall time, records/s, peak RSS) and pyoai's client
#    (tests/py/pyoai_client.py harvest oai_dc: parses every page, indexes nothing).
# 3. Serving: every ListRecords page of 100 records, following the tokens, from our
#    `search-server /oai` over the harvested collection and from the pyoai provider; per-page
#    latency p50/p99 measured by the client (one keep-alive connection).
# Prints a Markdown table and the ratios; figures go to bench/harvest/RESULTS.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-20000}
RUNS=${RUNS:-3}
WORK=${WORK:-$(mktemp -d /tmp/bench-harvest.XXXXXX)}
PY=${OAI_PYTHON:-$ROOT/target/py-venv/bin/python}
mkdir -p "$WORK"

[ -x /usr/bin/time ] || { echo "GNU time is needed (apt-get install time)" >&2; exit 1; }
if ! "$PY" -c 'import oaipmh.server' 2>/dev/null; then
  echo "making $ROOT/target/py-venv with pyoai" >&2
  python3 -m venv "$ROOT/target/py-venv"
  "$ROOT/target/py-venv/bin/pip" install --quiet "pyoai==2.5.0" "lxml<5"
  PY=$ROOT/target/py-venv/bin/python
fi

echo "building indexer and search-server (release)" >&2
(cd "$ROOT" && cargo build --release -q -p indexer -p search-server)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
INDEXER=$TARGET/release/indexer
SERVER=$TARGET/release/search-server

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a process that prints "PORT n" and echoes n.
start_port() {
  local log=$1; shift
  "$@" > "$log.out" 2> "$log.err" &
  pids+=($!)
  for _ in $(seq 1 600); do
    if grep -q '^PORT ' "$log.out" 2>/dev/null; then
      sed -n 's/^PORT //p' "$log.out" | head -1
      return
    fi
    sleep 0.1
  done
  echo "no PORT line from $*: $(cat "$log.err")" >&2
  exit 1
}

port=$(start_port "$WORK/provider" "$PY" "$ROOT/tests/py/oai_provider.py" \
  --records "$N" --batch-size 100 --deleted $((N / 100)) --sets 5)
PROVIDER=http://127.0.0.1:$port/oai
echo "provider: $PROVIDER ($N records)" >&2

median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

ours_rate=(); ours_rss=(); peer_rate=()
for r in $(seq 1 "$RUNS"); do
  data=$WORK/data-$r
  rm -rf "$data"
  /usr/bin/time -f "%e %M" -o "$WORK/time-$r" \
    "$INDEXER" --data-dir "$data" harvest "$PROVIDER" -c bench -q --ocr never 2> "$WORK/harvest-$r.log"
  read -r wall rss < "$WORK/time-$r"
  ours_rate+=("$(awk -v n="$N" -v t="$wall" 'BEGIN {printf "%.0f", n / t}')")
  ours_rss+=("$((rss / 1024))")
  start=$(date +%s.%N)
  "$PY" "$ROOT/tests/py/pyoai_client.py" "$PROVIDER" harvest oai_dc > "$WORK/pyoai-$r.json"
  end=$(date +%s.%N)
  peer_rate+=("$(awk -v n="$N" -v a="$start" -v b="$end" 'BEGIN {printf "%.0f", n / (b - a)}')")
  echo "run $r: ours ${ours_rate[-1]} records/s, ${ours_rss[-1]} MB; pyoai client ${peer_rate[-1]} records/s" >&2
done
grep -q " added, " "$WORK/harvest-1.log" || { cat "$WORK/harvest-1.log" >&2; exit 1; }

# Serving: our provider over the harvested collection.
sport=$( (cd "$WORK" && python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') )
"$SERVER" --data-dir "$WORK/data-1" --bind "127.0.0.1:$sport" --no-ingest --oai-page-size 100 \
  > "$WORK/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$sport/health" > /dev/null && break; sleep 0.2; done

pages() { # BASE_URL -> "p50 p99 pages records" (ms), one keep-alive connection, every page
  python3 - "$1" <<'PY'
import http.client, re, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
conn = http.client.HTTPConnection(u.hostname, u.port)
times, records, query = [], 0, "verb=ListRecords&metadataPrefix=oai_dc"
for rounds in range(2):  # the first walk warms caches; the second is measured
    times, records, query = [], 0, "verb=ListRecords&metadataPrefix=oai_dc"
    while query:
        t = time.perf_counter()
        conn.request("GET", u.path + "?" + query)
        body = conn.getresponse().read().decode("utf-8")
        times.append((time.perf_counter() - t) * 1000)
        records += body.count("<record>") + body.count("<record ")
        m = re.search(r"<resumptionToken[^>]*>([^<]+)</resumptionToken>", body)
        query = "verb=ListRecords&resumptionToken=" + urllib.parse.quote(m.group(1), safe="") if m else ""
times.sort()
pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
print("%.2f %.2f %d %d" % (pick(0.5), pick(0.99), len(times), records))
PY
}
read -r our_p50 our_p99 our_pages our_records < <(pages "http://127.0.0.1:$sport/oai")
read -r peer_p50 peer_p99 peer_pages peer_records < <(pages "$PROVIDER")

o_rate=$(printf '%s\n' "${ours_rate[@]}" | median)
o_rss=$(printf '%s\n' "${ours_rss[@]}" | median)
p_rate=$(printf '%s\n' "${peer_rate[@]}" | median)
cat <<EOF2

## Harvest of $N records (metadata only, pages of 100; median of $RUNS runs)

| harvester | records/s | peak RSS |
|---|---|---|
| ours: \`indexer harvest\` (parse, map, index, commit) | $o_rate | $o_rss MB |
| pyoai 2.5 client (parse only) | $p_rate | - |

ratio ours / pyoai client: $(awk -v a="$o_rate" -v b="$p_rate" 'BEGIN {printf "%.2f", a / b}')x

## Serving ListRecords, every page of 100 records (second walk)

| provider | pages | records | p50 ms | p99 ms |
|---|---|---|---|---|
| ours: \`search-server /oai\` | $our_pages | $our_records | $our_p50 | $our_p99 |
| pyoai 2.5 BatchingServer | $peer_pages | $peer_records | $peer_p50 | $peer_p99 |

p99 ratio pyoai / ours: $(awk -v a="$peer_p99" -v b="$our_p99" 'BEGIN {printf "%.2f", a / b}')x
EOF2
