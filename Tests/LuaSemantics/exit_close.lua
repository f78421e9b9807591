-- os.exit with close = true closes the state: pending finalizers and to-be-closed values run.
-- The exit code is 7 under both.
local keep = setmetatable({}, { __gc = function() print("finalizer ran") end })
io.stdout:setvbuf("full")
io.write("buffered output is flushed\n")
os.exit(7, true)
