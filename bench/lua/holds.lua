-- (f) hold then capture, as the metering gateway calls them: each hold's id comes back in its 201
-- and the thread's next request captures half of it. Half the requests are holds, half captures;
-- every one has a fresh idempotency key. A call (hold + capture) is two requests.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local users = common.read_lines(os.getenv("BENCH_USERS"))
local meter = os.getenv("BENCH_METER_TOKEN")
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local started = 0
local counter = 0
local placed = {}

-- thread:set makes "id" a global in that thread's own Lua state.
function setup(thread)
    started = started + 1
    thread:set("id", common.thread_base() + started)
end

local function post(path, body)
    counter = counter + 1
    return wrk.format("POST", path, {
        ["Authorization"] = "Bearer " .. meter,
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = run_id .. "-" .. id .. "-" .. counter,
    }, body)
end

function request()
    local hold = table.remove(placed)
    if hold then
        return post("/api/billing/credits/holds/" .. hold .. "/capture", '{"amount_usdc":"0.0000001"}')
    end
    local user = users[(((id or 0) * 104729 + counter) % #users) + 1]
    return post("/api/billing/credits/holds",
        '{"user_id":"' .. user .. '","amount_usdc":"0.0000002","reference":"bench","expires_in_seconds":60}')
end

function response(status, headers, body)
    if status == 201 then
        local hold = body:match('"status":"active"') and body:match('"id":"([%x%-]+)"')
        if hold then
            placed[#placed + 1] = hold
        end
    end
end

done = common.done
