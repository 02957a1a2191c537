-- wrk script for scripts/bench_load.py: an optional POST body and pacing, and a JSON report
-- (latencies in microseconds) written to $WRK_REPORT when the run ends.
local body = os.getenv("WRK_BODY")
if body then
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("WRK_COOKIE")
if cookie then
  wrk.headers["Cookie"] = cookie
end

-- Several pages of one kind: each request takes one of the paths in $WRK_PATHS at random,
-- and (a POST) one of the bodies in $WRK_BODIES (one a line), e.g. a worker's code each.
local function lines_of(name)
  local found = {}
  if name then
    for line in io.lines(name) do
      found[#found + 1] = line
    end
  end
  return found
end
local paths = lines_of(os.getenv("WRK_PATHS"))
local bodies = lines_of(os.getenv("WRK_BODIES"))
if #bodies > 0 then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if #paths > 0 or #bodies > 0 then
  function request()
    local path = #paths > 0 and paths[math.random(#paths)] or nil
    local posted = #bodies > 0 and bodies[math.random(#bodies)] or nil
    return wrk.format(nil, path, nil, posted)
  end
end

-- Pacing: each connection waits this long after each answer before its next request. This
-- is a closed loop: a slow answer delays the requests behind it instead of queueing them,
-- so the latencies measured under pacing understate what an open load would see.
local pause = tonumber(os.getenv("WRK_DELAY_MS") or "0")
if pause > 0 then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  local out = io.open(os.getenv("WRK_REPORT"), "w")
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "socket_errors": %d, "bad_status": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d, "max": %d}',
    summary.requests, summary.duration, summary.bytes,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
  out:close()
end
