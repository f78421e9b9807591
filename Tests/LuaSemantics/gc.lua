-- Garbage collection under the host: __gc finalizers (order, resurrection, errors in them),
-- weak tables (keys, values, ephemerons), collectgarbage options, and to-be-closed values.

local order = {}
do
  for i = 1, 5 do setmetatable({}, { __gc = function() order[#order + 1] = i end }) end
end
collectgarbage()
collectgarbage()
print("finalizers ran in reverse order", table.concat(order, " "))

-- Resurrection: a finalizer stores its object; the object stays usable.
local saved
do
  setmetatable({ name = "phoenix" }, { __gc = function(o) saved = o end })
end
collectgarbage()
print("resurrected", saved and saved.name)

-- A failing finalizer produces a warning, not an error (warnings are off by default).
do setmetatable({}, { __gc = function() error("finalizer failed") end }) end
print("collect with failing finalizer", pcall(collectgarbage))

-- Weak values: collected; strong references survive.
local cache = setmetatable({}, { __mode = "v" })
local keep = {}
for i = 1, 100 do
  local v = { i }
  cache[i] = v
  if i % 10 == 0 then keep[#keep + 1] = v end
end
collectgarbage()
local n = 0
for _ in pairs(cache) do n = n + 1 end
print("weak values left", n)

-- Weak keys and ephemerons: the value refers to its own key.
local eph = setmetatable({}, { __mode = "k" })
local anchor = {}
for i = 1, 50 do
  local k = {}
  eph[k] = { back = k, i = i }
end
eph[anchor] = { back = anchor }
collectgarbage()
n = 0
for _ in pairs(eph) do n = n + 1 end
print("ephemerons left", n)

-- Strings and numbers are never weak entries.
local strong = setmetatable({ "a", 1, true }, { __mode = "kv" })
collectgarbage()
print("non-collectable values stay", #strong)

-- collectgarbage's options.
print("count is a number", math.type(collectgarbage("count")))
print("isrunning", collectgarbage("isrunning"))
collectgarbage("stop")
print("stopped", collectgarbage("isrunning"))
collectgarbage("restart")
print("restarted", collectgarbage("isrunning"))
print("to generational from", collectgarbage("generational"))
print("to incremental from", collectgarbage("incremental"))
print("step returns boolean", type(collectgarbage("step", 0)))

-- Garbage churn: memory returns close to where it started.
collectgarbage()
local before = collectgarbage("count")
for _ = 1, 20 do
  local t = {}
  for i = 1, 10000 do t[i] = { i, tostring(i) } end
end
collectgarbage()
collectgarbage()
print("churn freed", collectgarbage("count") - before < 256)

-- Finalizers run at close: this one prints when the state closes, after the last line.
setmetatable({}, { __gc = function() print("finalizer at exit") end })
print("end of script")
