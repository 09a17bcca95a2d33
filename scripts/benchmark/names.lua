-- wrk script for scripts/benchmark.sh. Arguments after "--": MODE CAP
--   MODE get  : GET the URL's path (e.g. /api/names, the first page)
--        post : POST /api/names with a unique JSON name
--        mix  : four GETs of the path, then one POST (the soak)
--   CAP       : requests per thread after which the thread stops (a safety bound; a run that reaches it is
--               flagged "capped" since wrk then still divides by the whole duration)
-- done() prints one machine-readable line: "BENCH key=value ...", latencies in milliseconds.

local threads = {}
local counter = 0
local mode = "get"
local cap = 0
local get_request

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_no", #threads)
end

function init(args)
   mode = args[1] or "get"
   cap = tonumber(args[2] or "0") or 0
   get_request = wrk.format("GET", wrk.path)
end

local function post_request()
   -- Unique per thread and request, well under the 50-character limit.
   local body = string.format('{"name":"bench %d-%d"}', thread_no, counter)
   return wrk.format("POST", "/api/names", { ["Content-Type"] = "application/json" }, body)
end

function request()
   counter = counter + 1
   if cap > 0 and counter >= cap then
      wrk.thread:stop()
   end
   if mode == "post" or (mode == "mix" and counter % 5 == 0) then
      return post_request()
   end
   return get_request
end

function done(summary, latency, requests)
   local e = summary.errors
   -- Each thread counts in its own Lua state; here only the total is known.
   local capped = cap > 0 and summary.requests >= cap * #threads
   io.write(string.format(
      "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f "
         .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d capped=%s\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout, tostring(capped)))
end
