-- An uncaught error after some output: stdout is flushed, the exit code is 1 under both.
-- (stderr differs on purpose: "lua5.4: " vs "smsh: " prefixes.)
io.write("partial line without newline, ")
print("then a full line")
local t = setmetatable({}, { __gc = function() print("finalizer runs at close") end })
error({ code = "UNCAUGHT" })
