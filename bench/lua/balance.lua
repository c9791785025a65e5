-- (a) GET balance, each request as the next of many users (a real JWT per user).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local tokens = common.read_lines(os.getenv("BENCH_TOKENS"))
local counter = 0
local started = 0

-- Each thread starts at its own point of the user list (thread:set makes "offset" a global there).
function setup(thread)
    started = started + 1
    thread:set("offset", (common.thread_base() + started) * 7919)
end

function request()
    counter = counter + 1
    local token = tokens[(((offset or 0) + counter) % #tokens) + 1]
    return wrk.format("GET", "/api/billing/credits", { ["Authorization"] = "Bearer " .. token })
end

done = common.done
