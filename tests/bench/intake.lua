-- wrk script of the intake benchmark (tests/bench/intake.py), one thread per connection, so each
-- connection is one juror's tablet: its own session cookie (full path) or juror header (bare app), its own
-- candidates and the versions it last saw, and a fresh idempotency key on every request.
--
-- INTAKE_DATA names a Lua file written by intake.py for this phase:
--   return {mode = "full" | "bare", nonce = <32-bit int>, round = <id>, crit = {innovation=, pitch=, impact=, theme=},
--           jurors = {{cookie = "...", person = <id>, candidates = {...}, versions = {...}}, ...}}
-- `done` prints one JSON line: totals, statuses, and the latency distribution (microseconds, weight).

local data = dofile(os.getenv("INTAKE_DATA"))
local created = 0

function setup(thread)
    created = created + 1
    thread:set("index", created)
end

function init(args)
    juror = data.jurors[index]
    turn = 0
    versions = {}
    for i, c in ipairs(juror.candidates) do
        versions[c] = juror.versions[i] or 0
    end
    ok, conflict, other = 0, 0, 0
    headers = {
        ["Content-Type"] = "application/json",
        ["Cookie"] = juror.cookie,
        ["X-Juror"] = tostring(juror.person),
    }
    prefix = data.mode == "full" and "/api/jure/feuilles/" or "/bare/"
end

function request()
    current = juror.candidates[(turn % #juror.candidates) + 1]
    turn = turn + 1
    local n = turn
    local key = string.format("%08x-%04x-4000-8000-%012x", data.nonce, index, n)
    local crit = data.crit
    local body = string.format(
        '{"version":%d,"idempotency_key":"%s","values":{"%d":%s,"%d":%d,"%d":%d,"%d":1},'
            .. '"comments":{"%d":"Présentation claire, essai %d"},"comment":"Dossier solide.","status":"%s"}',
        versions[current], key,
        crit.innovation, tostring((n % 21) / 2), crit.pitch, n % 41, crit.impact, n % 21, crit.theme,
        crit.pitch, n, (n % 2 == 1) and "submitted" or "draft")
    return wrk.format("PUT", prefix .. data.round .. "/" .. current, headers, body)
end

function response(status, hdrs, body)
    if status == 200 or status == 201 then
        ok = ok + 1
        local v = body:match('"version":(%d+)')
        if v then versions[current] = tonumber(v) end
    elseif status == 409 then
        conflict = conflict + 1
        local v = body:match('"current":{.-"version":(%d+)')
        if v then versions[current] = tonumber(v) end
    else
        other = other + 1
    end
end

local threads = {}
local original_setup = setup
function setup(thread)
    original_setup(thread)
    table.insert(threads, thread)
end

function done(summary, latency, requests)
    local sum_ok, sum_conflict, sum_other = 0, 0, 0
    for _, t in ipairs(threads) do
        sum_ok = sum_ok + t:get("ok")
        sum_conflict = sum_conflict + t:get("conflict")
        sum_other = sum_other + t:get("other")
    end
    -- wrk keeps an exact histogram but shows it only through percentiles: the distribution as 290
    -- quantiles with their mass (0.5 % each up to 95 %, 0.05 % each above), merged over phases by intake.py.
    local parts = {}
    local function point(q, mass)
        parts[#parts + 1] = string.format('["%d",%.4f]', latency:percentile(q), mass * summary.requests / 100)
    end
    for k = 0, 189 do point(0.25 + 0.5 * k, 0.5) end
    for k = 0, 99 do point(95.025 + 0.05 * k, 0.05) end
    local e = summary.errors
    io.write(string.format(
        '{"requests":%d,"duration_us":%d,"ok":%d,"conflict":%d,"other":%d,'
            .. '"socket_errors":%d,"timeouts":%d,"quantiles":[%s]}\n',
        summary.requests, summary.duration, sum_ok, sum_conflict, sum_other,
        e.connect + e.read + e.write, e.timeout, table.concat(parts, ",")))
end
