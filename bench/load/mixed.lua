-- wrk script: cycles through mixed search paths (one per line in $LOAD_PATHS), counts status
-- codes per thread and prints the percentiles and counts as "LOAD key value" lines for run.sh.
local paths = {}
for line in io.lines(os.getenv("LOAD_PATHS")) do paths[#paths + 1] = line end

local threads = {}
local next_id = 0
function setup(thread)
  -- Each thread starts at a different place so the two threads do not send the same query at once.
  thread:set("start", next_id * 997)
  next_id = next_id + 1
  threads[#threads + 1] = thread
end

-- Globals, not locals: done() reads them from each thread with thread:get().
local i = 0
ok, non2xx, s5xx = 0, 0, 0
function init(args)
  i = start or 0
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    non2xx = non2xx + 1
    if status >= 500 then s5xx = s5xx + 1 end
  end
end

function done(summary, latency, requests)
  local tok, tnon, t5 = 0, 0, 0
  for _, t in ipairs(threads) do
    tok = tok + t:get("ok")
    tnon = tnon + t:get("non2xx")
    t5 = t5 + t:get("s5xx")
  end
  local e = summary.errors
  local out = {
    requests = summary.requests,
    duration_s = summary.duration / 1e6,
    rps = summary.requests / (summary.duration / 1e6),
    p50_ms = latency:percentile(50) / 1000,
    p90_ms = latency:percentile(90) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    mean_ms = latency.mean / 1000,
    ok_2xx = tok, non_2xx = tnon, status_5xx = t5,
    err_connect = e.connect, err_read = e.read, err_write = e.write, err_timeout = e.timeout,
  }
  for _, k in ipairs({"requests", "duration_s", "rps", "p50_ms", "p90_ms", "p99_ms", "max_ms",
      "mean_ms", "ok_2xx", "non_2xx", "status_5xx", "err_connect", "err_read", "err_write",
      "err_timeout"}) do
    io.write(string.format("LOAD %s %s\n", k, tostring(out[k])))
  end
end
