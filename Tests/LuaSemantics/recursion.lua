-- Deep recursion near the limits: Lua-stack overflow ("stack overflow") and C-stack overflow
-- ("C stack overflow" / "error in error handling") must be ordinary errors caught by pcall,
-- with the host running Lua on a thread with a full-size C stack.

local function depth_of(f)
  local ok, err = pcall(f)
  return ok, (tostring(err):gsub("^.-:%d+: ", ""))
end

-- 1. Lua recursion without tail calls until the Lua stack is exhausted.
local max = 0
local function down(n) max = n; return 1 + down(n + 1) end
local ok, msg = depth_of(function() return down(1) end)
print("lua recursion", ok, msg:match("stack overflow") ~= nil, max > 100000)

-- 2. The same again: the state recovered.
max = 0
ok, msg = depth_of(function() return down(1) end)
print("again", ok, msg:match("stack overflow") ~= nil, max > 100000)

-- 3. Tail calls never overflow.
local function tail(n) if n == 0 then return "done" end return tail(n - 1) end
print("tail calls", tail(1000000))

-- 4. C-stack recursion through metamethods (each __index call is a C boundary).
local t = setmetatable({}, {})
getmetatable(t).__index = function(_, k) return t[k .. "x"] end
ok, msg = pcall(function() return t.a end)
print("metamethod recursion", ok, msg:match("stack overflow") ~= nil)

-- 5. C-stack recursion through nested pcall and string.gsub callbacks.
local function nest(n) return pcall(nest, n + 1) end
print("nested pcall", (nest(1)))
local function g(s) return (s:gsub(".", function(c) return g(c) end)) end
ok, msg = pcall(g, "ab")
print("gsub recursion", ok, msg:match("overflow") ~= nil)

-- 6. Deep nesting in the parser.
ok, msg = load("return " .. string.rep("(", 1000) .. "1" .. string.rep(")", 1000))
print("parser nesting", ok, msg and (msg:match("overflow") or msg:match("levels")) ~= nil)

-- 7. Recursion inside a coroutine overflows that coroutine only.
local co = coroutine.create(function() return down(1) end)
ok, msg = coroutine.resume(co)
print("coroutine recursion", ok, tostring(msg):match("stack overflow") ~= nil, coroutine.status(co))

-- 8. A deep but legal recursion returns the right value.
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print("sum 10000", sum(10000))

-- 9. string.rep to the memory limit is an error, not a crash.
ok, msg = pcall(string.rep, "x", math.maxinteger)
print("huge rep", ok, msg:match("too large") ~= nil or msg:match("memory") ~= nil)
