-- Binding fuzz: calls every sms.* function with thousands of random argument shapes under
-- `smsh run --sandbox` and checks that
--   * every call returns, or raises an error that is a string naming the function or an sms
--     error value with code and message (never a crash, never some other error); a local sms
--     error (no HTTP status) names the function too;
--   * RSS stays flat (after a warm-up of a tenth of the calls: first vs last quarter of the
--     samples, each after a full collection, within 20%);
--   * the simulator's books balance: credit at the end == credit at the start - credits of
--     the accepted sends + refunds of the cancelled ones, and the same figure summed from
--     sms.messages().
-- Usage: smsh run --sandbox Tests/Fuzz/bindings.lua [calls] [seed]
-- Prints one line "bindings: ..." with the figures; exits 1 when a check fails.

local calls = tonumber(arg and arg[1]) or 20000
local seed = tonumber(arg and arg[2]) or 1
math.randomseed(seed)
local R = math.random

local functions = {
  "send", "preview", "cancel", "messages", "message", "recipients", "credit", "senders",
  "each_recipient", "wait", "retry", "normalize", "parts", "now", "sleep", "budget",
  "csv", "numbers", "campaign", "wait_all", "report",
}
-- A small file for the readers.
local datafile = os.tmpname()
do
  local f = assert(io.open(datafile, "w"))
  f:write("phone,name\r\n0812345678,Ann\r\n\"081-234-5679\",\"B, \"\"Bo\"\"\"\r\n12ab,C\r\n")
  f:close()
end
-- The task functions run Lua callbacks, not API calls: Tests/SMSLuaTests/TaskBindingsTests.
local not_fuzzed = { spawn = true, join = true, map = true }
for name, v in pairs(sms) do
  if type(v) == "function" and not not_fuzzed[name] then
    local known = false
    for _, f in ipairs(functions) do known = known or f == name end
    assert(known, "bindings.lua does not fuzz sms." .. name .. ": add it")
  end
end

-- ---- value generators ----

local uuids = {}          -- uuids the simulator gave us (so cancel/message/... hit real messages)
local function some_uuid()
  if #uuids > 0 and R() < 0.4 then return uuids[#uuids] end   -- the newest: cancels can succeed
  if #uuids > 0 and R() < 0.7 then return uuids[R(#uuids)] end
  return ({ "", "nope", "00000000-0000-0000-0000-000000000000", "../credit", "\0", string.rep("u", 5000) })[R(6)]
end

local function throwing_metatable(t)
  local function boom(what) return function() error("metamethod " .. what .. " raised", 0) end end
  return setmetatable(t or {}, {
    __index = boom("__index"), __newindex = boom("__newindex"), __len = boom("__len"),
    __pairs = boom("__pairs"), __tostring = boom("__tostring"), __eq = boom("__eq"),
    __name = R() < 0.5 and "Weird" or nil,
  })
end

local function binary(n)
  local b = {}
  for i = 1, n do b[i] = string.char(R(0, 255)) end
  return table.concat(b)
end

local function number_string()
  local forms = { "0812345678", "081-234-5678", "+66 89 876 5432", "66912345678", "0612345678",
                  "0512345678", "12ab", "", "+", "0812345678\0", "๐๘๑๒๓๔๕๖๗๘" }
  if R() < 0.5 then return string.format("08%08d", R(0, 99999999)) end
  return forms[R(#forms)]
end

local scalar_makers = {
  function() return nil end,
  function() return R() < 0.5 end,
  function() return R(-5, 5) end,
  function() return math.maxinteger end,
  function() return math.mininteger end,
  function() return 0 / 0 end,
  function() return 1 / 0 end,
  function() return -1 / 0 end,
  function() return -0.0 end,
  function() return R() * 1e6 end,
  function() return 1e308 end,
  function() return 2 ^ 63 end,
  function() return "" end,
  function() return "SMSHDEMO" end,
  function() return number_string() end,
  function() return binary(R(0, 40)) end,
  function() return "\xff\xfe\xfd" end,
  function() return string.rep("x", R(1000, 200000)) end,
  function() return "สวัสดี" .. string.rep("ก", R(0, 200)) end,
  function() return print end,
  function() return coroutine.create(function() end) end,
  function() return io.stdout end,
  function() return some_uuid() end,
}

local random_value

local function random_table(depth)
  local kind = R(1, 9)
  if kind == 1 then                       -- array of random values, sometimes huge
    local t, n = {}, (R() < 0.05) and R(10000, 100000) or R(0, 8)
    for i = 1, n do t[i] = (n > 100) and number_string() or random_value(depth + 1) end
    return t
  elseif kind == 2 then                   -- cycle
    local t = { a = 1 }
    t.self = t
    t[1] = t
    return t
  elseif kind == 3 then                   -- deep nesting
    local t = {}
    for _ = 1, R(50, 300) do t = { t } end
    return t
  elseif kind == 4 then                   -- throwing metatable
    return throwing_metatable({ sender = "SMSHDEMO", content = "Hi" })
  elseif kind == 5 then                   -- random keys of every type
    local t = {}
    for _ = 1, R(0, 6) do
      local k = random_value(depth + 1)
      if k ~= nil and k == k then t[k] = random_value(depth + 1) end
    end
    return t
  elseif kind == 6 then                   -- sparse array
    return { [1] = "0812345678", [3] = "0898765432", [1e3] = true }
  else                                    -- plausible fields with random values
    local fields = { "sender", "content", "templateId", "variables", "msisdns", "contactGroupId",
                     "scheduledTime", "dryRun", "dedupe", "once", "status", "page", "limit", "after",
                     "timeout", "interval", "extra" }
    local t = {}
    for _ = 1, R(1, 6) do t[fields[R(#fields)]] = random_value(depth + 1) end
    return t
  end
end

function random_value(depth)
  depth = depth or 0
  if depth < 3 and R() < 0.3 then return random_table(depth) end
  return scalar_makers[R(#scalar_makers)]()
end

-- Arguments that look right, so that some calls succeed and move the simulator's state.
local function plausible_send()
  local t = { sender = R() < 0.9 and "SMSHDEMO" or "NOPE" }
  if R() < 0.8 then
    t.content = R() < 0.5 and "Hello" or string.rep("สวัสดี", R(1, 30))
  else
    t.templateId = R(0, 3)
    t.variables = { name = "Toon", code = tostring(R(1, 99)) }
  end
  if R() < 0.7 then
    t.msisdns = {}
    for i = 1, R(1, 5) do t.msisdns[i] = number_string() end
  else
    t.contactGroupId = R(0, 2)
  end
  if R() < 0.3 then t.scheduledTime = sms.now() + R(-100, 3 * 86400) end
  if R() < 0.1 then t.dryRun = true end
  if R() < 0.1 then t.once = "fuzz-" .. R(1, 20) end
  if R() < 0.1 then t[R(#functions)] = random_value(2) end
  return t
end

local function plausible_args(name)
  if name == "send" or name == "preview" then return { plausible_send() }, 1 end
  if name == "cancel" or name == "message" or name == "retry" then return { some_uuid() }, 1 end
  if name == "recipients" then
    return { some_uuid(), { status = ({ "failed", "success", "pending", "bogus" })[R(4)], after = R(0, 3), limit = R(1, 50) } }, 2
  end
  if name == "each_recipient" then return { some_uuid(), { status = { "failed", "timeout" } } }, 2 end
  if name == "wait" then return { some_uuid(), { timeout = ({ 0, 1, 60 })[R(3)], interval = ({ 0.5, 5, 15 })[R(3)] } }, 2 end
  if name == "messages" then return { { status = ({ "scheduled", "sent", "cancelled" })[R(3)], limit = R(1, 100) } }, 1 end
  if name == "sleep" then return { R(0, 30) }, 1 end
  if name == "budget" then return { 1e9 }, 1 end
  if name == "normalize" or name == "parts" then return { number_string() }, 1 end
  if name == "csv" then return { ({ datafile, "/nonexistent.csv", "" })[R(3)] }, 1 end
  if name == "numbers" then return { datafile, R() < 0.7 and { column = ({ "phone", "name", "nope" })[R(3)] } or nil }, 2 end
  if name == "report" then return { R() < 0.5 and some_uuid() or { some_uuid(), some_uuid() } }, 1 end
  if name == "wait_all" then return { { some_uuid(), some_uuid() }, { timeout = ({ 0, 1, 60 })[R(3)], interval = ({ 0.5, 5, 15 })[R(3)] } }, 2 end
  if name == "campaign" then
    local rows = {}
    for i = 1, R(1, 4) do rows[i] = { phone = number_string(), name = ({ "Ann", "Bo", "" })[R(3)] } end
    -- A key of its own every time: the result's credits are then all new sends (the books).
    return { { key = "fuzz-campaign-" .. i_call .. "-" .. R(1, 1e9), sender = "SMSHDEMO", rows = rows,
               content = "Hi {{name}}", rate = R() < 0.5 and 5 or nil } }, 1
  end
  return {}, 0
end

-- wait polls until the deadline: keep random timeouts/intervals from turning it into
-- millions of polls (the fuzz is about argument shapes, not patience).
local function tame_wait(args)
  if type(args[2]) == "table" and getmetatable(args[2]) == nil then
    local o = args[2]
    if type(o.interval) == "number" and o.interval == o.interval and o.interval < 0.5 then o.interval = 0.5 end
    if type(o.timeout) == "number" and o.timeout == o.timeout and o.timeout > 120 then o.timeout = 120 end
  end
end

-- ---- bookkeeping ----

local function rss_kb()
  local f = io.open("/proc/self/status")
  if not f then return 0 end
  local s = f:read("a")
  f:close()
  return tonumber(s:match("VmRSS:%s*(%d+)")) or 0
end

i_call = 0
local start_balance = sms.credit().balance
local charged, refunded = 0, 0
local errors = { sms = 0, string = 0 }
local codes = {}
local bad = {}
local ok_calls = 0
local rss = {}

local function note_result(name, r)
  if type(r) ~= "table" then return end
  if name == "campaign" and r.resumed == 0 and not r.dryRun then
    charged = charged + (r.credits or 0)
    for _, u in ipairs(r.uuids or {}) do uuids[#uuids + 1] = u end
  elseif (name == "send" or name == "retry") and r.uuid and not r.replayed then
    charged = charged + (r.credits or 0)
    uuids[#uuids + 1] = r.uuid
  elseif name == "cancel" and r.refunded then
    refunded = refunded + r.refunded
  end
end

local function classify(name, err)
  if type(err) == "table" and type(err.code) == "string" and type(err.message) == "string" then
    errors.sms = errors.sms + 1
    codes[err.code] = (codes[err.code] or 0) + 1
    if err.message:find("sms." .. name, 1, true) then
      errors.named = (errors.named or 0) + 1
    elseif err.status == nil and not err.message:find("sms.", 1, true) then
      -- A local error (not the provider's answer) must name an sms function (sms.retry's
      -- budget error names the sms.send it makes).
      if #bad < 10 then bad[#bad + 1] = ("sms.%s raised %s without naming the function"):format(name, tostring(err)) end
      errors.other = (errors.other or 0) + 1
    end
  elseif type(err) == "string" and err:find("sms." .. name, 1, true) then
    errors.string = errors.string + 1
  else
    if #bad < 10 then bad[#bad + 1] = ("sms.%s raised %s: %s"):format(name, type(err), tostring(err)) end
    errors.other = (errors.other or 0) + 1
  end
end

for i = 1, calls do
  i_call = i
  local name = functions[R(#functions)]
  local args, n
  if R() < 0.35 then
    args, n = plausible_args(name)
  else
    n = R(0, 4)
    args = {}
    for k = 1, n do args[k] = random_value(0) end
  end
  if name == "wait" or name == "wait_all" then tame_wait(args) end
  if name == "sleep" and type(args[1]) == "number" and args[1] > 3600 then args[1] = 3600 end
  local ok, r = pcall(sms[name], table.unpack(args, 1, n))
  if ok then
    ok_calls = ok_calls + 1
    note_result(name, r)
    if name == "each_recipient" and type(r) == "function" then
      for _ = 1, R(0, 5) do
        local ok2, row = pcall(r)
        if not ok2 then classify(name, row) break end
        if row == nil then break end
      end
    end
  else
    classify(name, r)
  end
  -- RSS is sampled after a warm-up of a tenth of the calls (heap arenas, caches, the
  -- simulator's first messages), 100 samples in all.
  if i > calls // 10 and i % math.max(1, calls // 110) == 0 then
    collectgarbage("collect")
    rss[#rss + 1] = rss_kb()
  end
end

-- The books: our own sum, and the simulator's message list.
local end_balance = sms.credit().balance
local listed, page = 0, 1
while true do
  local list = sms.messages { page = page, limit = 100 }
  for _, m in ipairs(list.data) do
    if m.status ~= "cancelled" then listed = listed + (m.credits or 0) end
  end
  if page * 100 >= list.total then break end
  page = page + 1
end

local function avg(from, to)
  local s, n = 0, 0
  for k = from, to do s, n = s + rss[k], n + 1 end
  return n > 0 and s / n or 0
end
local q = math.max(1, #rss // 4)
local first, last = avg(1, q), avg(#rss - q + 1, #rss)
local growth = first > 0 and (last - first) / first or 0

local code_list = {}
for c, k in pairs(codes) do code_list[#code_list + 1] = c .. "=" .. k end
table.sort(code_list)

local failures = {}
if (errors.other or 0) > 0 then failures[#failures + 1] = (errors.other) .. " errors of the wrong kind" end
if math.abs(end_balance - (start_balance - charged + refunded)) > 1e-6 then
  failures[#failures + 1] = ("credit %g ~= %g - %g + %g"):format(end_balance, start_balance, charged, refunded)
end
if math.abs(end_balance - (start_balance - listed)) > 1e-6 then
  failures[#failures + 1] = ("credit %g ~= %g - %g (sum over sms.messages)"):format(end_balance, start_balance, listed)
end
-- The sandbox never fails in flight, so no `once` send can be uncertain.
if codes.JOURNAL_UNCERTAIN then failures[#failures + 1] = codes.JOURNAL_UNCERTAIN .. " JOURNAL_UNCERTAIN without any uncertain send" end
if growth > 0.20 then failures[#failures + 1] = ("RSS grew %.0f%%"):format(growth * 100) end

for _, b in ipairs(bad) do io.stderr:write("bindings: ", b, "\n") end
print(("bindings: %d calls (seed %d), %d returned, %d sms errors (%d naming the function), %d string errors naming the function, %d other; "
  .. "accepted sends %d charging %g credits, refunds %g, credit %g -> %g; RSS first quarter %.0f kB, last quarter %.0f kB (%+.1f%%); codes: %s%s")
  :format(calls, seed, ok_calls, errors.sms, errors.named or 0, errors.string, errors.other or 0, #uuids, charged, refunded,
    start_balance, end_balance, first, last, growth * 100, table.concat(code_list, " "),
    #failures > 0 and ("; FAILED: " .. table.concat(failures, "; ")) or ""))
if #failures > 0 then os.exit(1) end
