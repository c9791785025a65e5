-- (b) deductions over many users, (c) on one hot user (BENCH_HOT_USER set), and with
-- BENCH_READ_PERCENT, (d) a read/deduction mix. Every deduction has a fresh idempotency key.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local tokens = common.read_lines(os.getenv("BENCH_TOKENS"))
local users = common.read_lines(os.getenv("BENCH_USERS"))
local meter = os.getenv("BENCH_METER_TOKEN")
local hot = os.getenv("BENCH_HOT_USER")
local read_percent = tonumber(os.getenv("BENCH_READ_PERCENT") or "0")
local run_id = os.getenv("BENCH_RUN_ID") or tostring(os.time())
local started = 0
local counter = 0

-- thread:set makes "id" a global in that thread's own Lua state.
function setup(thread)
    started = started + 1
    thread:set("id", common.thread_base() + started)
end

function init(args)
    math.randomseed((id or 0) * 7919 + os.time())
end

function request()
    counter = counter + 1
    local i = (((id or 0) * 104729 + counter) % #users) + 1
    if read_percent > 0 and math.random(100) <= read_percent then
        return wrk.format("GET", "/api/billing/credits", { ["Authorization"] = "Bearer " .. tokens[i] })
    end
    local user = hot or users[i]
    local body = '{"user_id":"' .. user .. '","amount_usdc":"0.0000001","reference":"bench"}'
    return wrk.format("POST", "/api/billing/credits/deductions", {
        ["Authorization"] = "Bearer " .. meter,
        ["Content-Type"] = "application/json",
        ["Idempotency-Key"] = run_id .. "-" .. id .. "-" .. counter,
    }, body)
end

done = common.done
