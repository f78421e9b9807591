-- io and os under the host: temp files, reading formats, seek, lines, rename/remove,
-- environment, time arithmetic (never the wall clock's value), popen, exit codes.

local name = os.tmpname()
print("tmpname is a string", type(name), #name > 0)

local f = assert(io.open(name, "w"))
print("io.type", io.type(f), io.type(io.stdout), io.type(42))
f:setvbuf("full", 1024)
f:write("first line\n", 42, " ", 3.5, "\n", "no newline at end")
print("seek end", f:seek("end"))
f:close()
print("closed", io.type(f), pcall(f.write, f, "x"))

f = assert(io.open(name, "r"))
print("read l", f:read("l"))
print("read n n", f:read("n", "n"))
print("read L", f:read("L"))
print("read a", f:read("a"))
print("read at eof", f:read("l"), f:read("a"), f:read(0))
print("seek set", f:seek("set", 6), f:read(4))
print("seek cur", f:seek("cur"), f:seek("cur", -4), f:read("l"))
f:close()

local lines = {}
for l in io.lines(name) do lines[#lines + 1] = l end
print("io.lines", #lines, lines[3])
for a, b in io.lines(name, 5, "l") do print("lines with formats", a, b) break end

f = assert(io.open(name, "a+"))
f:write("\nappended")
f:seek("set")
print("a+ reads from start", f:read("l"))
f:close()

f = assert(io.open(name, "rb"))
local bytes = f:read("a")
f:close()
print("size", #bytes)

local renamed = name .. ".renamed"
print("rename", os.rename(name, renamed))
print("open old name", io.open(name) == nil)
print("remove", os.remove(renamed))
local ok, msg, code = os.remove(renamed)
print("remove again", ok, msg ~= nil, code)
print("open missing", select("#", io.open("/nonexistent/dir/file")), select(3, io.open("/nonexistent/dir/file")))
print("bad mode", pcall(io.open, name, "rw+x"))

-- Temp file objects.
local t = io.tmpfile()
t:write("scratch")
t:seek("set")
print("tmpfile", t:read("a"))
t:close()

-- Environment.
print("getenv PATH is a string", type(os.getenv("PATH")))
print("getenv missing", os.getenv("SMSH_SEMANTICS_SURELY_UNSET_VARIABLE"))

-- Time arithmetic from fixed dates (UTC via "!").
local t0 = os.time({ year = 2026, month = 11, day = 29, hour = 12, min = 0, sec = 0, isdst = false })
local t1 = os.time({ year = 2026, month = 12, day = 31 + 1, hour = 12, min = 0, sec = 0, isdst = false })
print("days between", os.difftime(t1, t0) / 86400)
print("normalised date", os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%A %B %j", 86400 * 59))
local d = os.date("!*t", 1700000000)
print("date table", d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print("round trip", os.date("!%Y-%m-%dT%H:%M:%SZ", 1764417001))
print("time is an integer", math.type(os.time()), math.type(os.clock()))
print("bad date format", pcall(os.date, "%Ez"))
print("time field missing", pcall(os.time, { year = 2026 }))

-- popen and exit status of a child.
local p = io.popen("echo from child; exit 3")
print("popen", p:read("l"))
print("popen close", p:close())
print("execute", os.execute("exit 4"))
print("execute shell available", os.execute())

-- io.write returns the file, for chaining; output is line-buffered consistently.
io.write("chained ", "write", "\n"):write("second\n")
io.stdout:write("stdout handle\n")
