-- wrk script of Lamina's benchmarks (benchmarks/run.sh). Same request and same output line as the
-- serverless-offline peer's wrk-report.lua, so the two sets of figures come out of one format.
-- Env: WRK_METHOD (GET|POST, default GET), WRK_BODY (default "{}" for POST), WRK_HEADER ("Name: value", optional).
-- Prints one machine-readable line at the end:
--   WRK_RESULT requests=N duration_s=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D errors=E non2xx=F
local method = os.getenv("WRK_METHOD") or "GET"
wrk.method = method
if method == "POST" then
  wrk.body = os.getenv("WRK_BODY") or "{}"
  wrk.headers["Content-Type"] = "application/json"
end
local extra = os.getenv("WRK_HEADER")
if extra and extra ~= "" then
  local name, value = extra:match("^([^:]+):%s*(.*)$")
  wrk.headers[name] = value
end

function done(summary, latency, requests)
  local dur_s = summary.duration / 1e6
  local e = summary.errors
  local sockerr = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "WRK_RESULT requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f errors=%d non2xx=%d\n",
    summary.requests, dur_s, summary.requests / dur_s,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    sockerr, e.status))
end
