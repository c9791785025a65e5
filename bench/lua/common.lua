-- Shared by every scenario: per-thread state, the token list, and a JSON summary at the end.
local common = {}

function common.read_lines(path)
    local lines = {}
    for line in io.lines(path) do
        if #line > 0 then lines[#lines + 1] = line end
    end
    return lines
end

-- Where this wrk's thread numbers start: with one wrk per instance (bench/run --instances), each
-- gets its own range, so the wrks walk the users from different points instead of in lockstep.
function common.thread_base()
    return tonumber(os.getenv("BENCH_THREAD_BASE") or "0")
end

-- wrk calls done() once, in the main thread: print one JSON line the driver picks up.
function common.done(summary, latency, requests)
    local non2xx = summary.errors.status
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format(
        'BENCH_JSON {"requests":%d,"duration_us":%d,"non_2xx":%d,"socket_errors":%d,' ..
        '"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f}\n',
        summary.requests, summary.duration, non2xx, errors,
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
        latency.max / 1000, latency.mean / 1000))
end

return common
