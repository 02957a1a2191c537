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

-- Pacing: each connection waits this long between requests (an open, steady load).
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
