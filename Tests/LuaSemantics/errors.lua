-- Errors as values: tables with fields and __tostring, levels, xpcall with debug.traceback
-- (only the lines about this file are printed: the frames below the main chunk are the
-- host's), nested handlers, errors in handlers, error(nil), non-string messages.

local function here(s) return (tostring(s):gsub("^[^\n]-errors%.lua:(%d+):", "errors.lua:%1:")) end

-- 1. A table error keeps its identity and fields through pcall and xpcall.
local E = setmetatable({ code = "QUOTA", n = 3 }, { __tostring = function(e) return "E(" .. e.code .. ")" end })
local ok, err = pcall(error, E)
print("table error", ok, err == E, err.code, err.n, tostring(err))
ok, err = xpcall(function() error(E) end, function(e) return { wrapped = e } end)
print("handler result", ok, err.wrapped == E)

-- 2. A traceback handler: message plus the frames of this file.
local function level3() error("deep failure") end
local function level2() level3() end
local function level1() level2() end
ok, err = xpcall(level1, debug.traceback)
print("traceback ok", ok)
for line in err:gmatch("[^\n]+") do
  if line:find("errors.lua", 1, true) or line == "stack traceback:" then print("  " .. here(line:gsub("^%s+", ""))) end
end

-- 3. debug.traceback of a table error returns the table itself, of a string adds frames.
print("traceback(table) is the table", debug.traceback(E) == E)
print("traceback(msg, level)", (debug.traceback("msg", 1):match("^msg\nstack traceback:\n")) ~= nil)

-- 4. Error levels: level 2 blames the caller.
local function check(x) if type(x) ~= "number" then error("expected a number", 2) end end
local function caller() check("no") end
ok, err = pcall(caller)
print("level 2", here(err))
ok, err = pcall(error, "no position", 0)
print("level 0", err)

-- 5. Errors that are not strings or tables.
print("error(nil)", pcall(error))
print("error(42)", pcall(error, 42))
print("error(false)", pcall(error, false))
ok, err = pcall(error, setmetatable({}, { __tostring = function() return "custom" end }))
print("tostring of error object", tostring(err))

-- 6. An error inside the message handler.
ok, err = xpcall(function() error("first") end, function() error("second") end)
print("error in handler", ok, type(err))

-- 7. Runtime errors name variables.
ok, err = pcall(function() local t = nil; return t.x end)
print("index nil", here(err))
ok, err = pcall(function() return 1 + {} end)
print("arith table", here(err))
ok, err = pcall(function() return #5 end)
print("length number", here(err))
ok, err = pcall(function() undefined_global() end)
print("call nil global", here(err))
ok, err = pcall(string.rep)
print("bad argument", err)
ok, err = pcall(function() return ("x"):bad() end)
print("method", here(err))
ok, err = pcall(function() return 1 < "2" end)
print("compare", here(err))
ok, err = pcall(function() return math.maxinteger // 0 end)
print("integer divide by zero", here(err))

-- 8. Nested pcall/xpcall keep their own results; error objects cross coroutine boundaries.
print("nested", pcall(pcall, error, "inner"))
local co = coroutine.create(function() error(E) end)
local okc, e2 = coroutine.resume(co)
print("coroutine error object", okc, e2 == E)
print("traceback of coroutine", (debug.traceback(co):match("^stack traceback:")) ~= nil)

-- 9. to-be-closed variables see the error, and the error still propagates.
ok, err = pcall(function()
  local r <close> = setmetatable({}, { __close = function(_, e) print("  closing with", here(e)) end })
  error("while holding r")
end)
print("after close", ok, here(err))

-- 10. Syntax errors from load are values.
print("syntax", load("x = = 1", "=chunk"))
print("syntax eof", load("for i = 1, 2 do", "=chunk"))
