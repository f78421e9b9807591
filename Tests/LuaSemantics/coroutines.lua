-- Coroutines inside coroutines: wrap, yield across pcall, close with pending to-be-closed
-- variables, status, isyieldable, errors from inside.

local log = {}
local function say(...) print(...) end

-- 1. A generator of generators.
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local outer = coroutine.wrap(function()
  for i = 1, 3 do
    local inner = range(i)
    for v in inner do coroutine.yield(i * 10 + v) end
  end
end)
local seen = {}
for v in outer do seen[#seen + 1] = v end
say("nested wrap", table.concat(seen, " "))

-- 2. Yield across pcall (allowed in 5.4) and error after resuming.
local co = coroutine.create(function(a)
  local ok, err = pcall(function()
    local b = coroutine.yield(a + 1)
    local c = coroutine.yield(b * 2)
    error({ code = "E", value = c })
  end)
  coroutine.yield(ok, type(err), err.code, err.value)
  return "finished"
end)
say("resume 1", coroutine.resume(co, 1))
say("resume 2", coroutine.resume(co, 5))
say("resume 3", coroutine.resume(co, 7))
say("resume 4", coroutine.resume(co))
say("resume dead", coroutine.resume(co))
say("status", coroutine.status(co))

-- 3. Three levels deep, statuses seen from inside.
local a, b, c
c = coroutine.create(function()
  say("in c: a", coroutine.status(a), "b", coroutine.status(b), "c", coroutine.status(c))
  say("c yieldable", coroutine.isyieldable())
  coroutine.yield("from c")
end)
b = coroutine.create(function() say("b gets", coroutine.resume(c)); coroutine.yield("from b") end)
a = coroutine.create(function() say("a gets", coroutine.resume(b)); return "from a" end)
say("main gets", coroutine.resume(a))
say("main yieldable", coroutine.isyieldable())
local _, ismain = coroutine.running()
say("running is main", ismain)

-- 4. coroutine.close runs pending to-be-closed variables (in reverse order).
local closer = coroutine.create(function()
  local x <close> = setmetatable({}, { __close = function() say("closed x") end })
  local y <close> = setmetatable({}, { __close = function() say("closed y") end })
  coroutine.yield("suspended with two pending closes")
  say("never printed")
end)
say(coroutine.resume(closer))
say("close", coroutine.close(closer), coroutine.status(closer))

-- 5. close of a coroutine that died with an error returns false and the error.
local dead = coroutine.create(function() error("boom", 0) end)
say("dead resume", coroutine.resume(dead))
say("dead close", coroutine.close(dead))

-- 6. Errors from wrap propagate with position; resume of a running coroutine fails.
local w = coroutine.wrap(function() error("inside wrap") end)
local ok, err = pcall(w)
say("wrap error", ok, (err:gsub("^.-:(%d+): ", "line %1: ")))
local self
self = coroutine.create(function() return coroutine.resume(self) end)
say("resume running", coroutine.resume(self))

-- 7. Many coroutines alive at once, collected afterwards.
local list = {}
for i = 1, 2000 do
  list[i] = coroutine.wrap(function(x) while true do x = coroutine.yield(x + i) end end)
end
local total = 0
for round = 1, 3 do for i = 1, #list do total = total + list[i](round) end end
say("2000 coroutines", total)
list = nil
collectgarbage()

-- 8. Yield from inside a metamethod and from a for-iterator.
local mt = { __add = function(x, y) return coroutine.yield("adding") + 1 end }
local m = coroutine.wrap(function() return setmetatable({}, mt) + 1 end)
say("yield in __add", m(), m(41))
local it = coroutine.wrap(function()
  for k in function(_, last) last = (last or 0) + 1; if last <= 3 then coroutine.yield(last) return last end end do end
  return "iter done"
end)
say("yield in iterator", it(), it(), it(), it())
