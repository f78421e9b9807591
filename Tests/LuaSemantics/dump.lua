-- string.dump / load round trips: binary chunks with and without debug info, upvalues,
-- modes, environments, and text chunks from readers.

local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local function pure(a, b) return a * b + 1, ("%d-%d"):format(a, b) end

local bin = string.dump(pure)
print("binary signature", bin:sub(1, 4) == "\27Lua")
local f = load(bin, "pure", "b")
print("round trip", f(6, 7))
print("stripped", load(string.dump(pure, true), "pure", "b")(2, 3))

-- Debug info survives unless stripped.
local info = debug.getinfo(load(string.dump(pure), "=pure", "b"), "S")
print("source kept", info.short_src, info.linedefined)
local sinfo = debug.getinfo(load(string.dump(pure, true), "=pure", "b"), "S")
print("stripped source", sinfo.short_src)

-- Upvalues come back as fresh nil upvalues (the first is _ENV when loaded).
local counter = 0
local function bump() counter = counter + 1; return counter end
local loaded = load(string.dump(bump), "bump", "b")
local uname, uvalue = debug.getupvalue(loaded, 1)
print("upvalue name", uname, type(uvalue))
debug.setupvalue(loaded, 1, 41)
print("upvalue set", loaded())

-- A dumped recursive function refers to itself through an upvalue.
local lf = load(string.dump(fact), "fact", "b")
debug.setupvalue(lf, 1, lf)
print("recursive via upvalue", lf(10))

-- Modes: text refused as binary and binary refused as text.
print("text as b", load("return 1", "t1", "b"))
print("binary as t", load(bin, "b1", "t"))

-- Corrupted binary chunks are errors.
print("truncated", load(bin:sub(1, #bin // 2), "cut", "b"))
print("bad header", load("\27Lua\0\0\0\0", "hdr", "b"))

-- Environments: load with an explicit env, and dump of a chunk that uses globals.
local env = { x = 5 }
print("custom env", load("return x * 2", "env", "t", env)())
local g = load(string.dump(load("return y")), "g", "b", { y = "from env" })
print("dumped global access", g())

-- load with a reader function delivering pieces (including empty strings mid-way? no: "" ends).
local pieces = { "return ", "1 ", "+ ", "2" }
local i = 0
print("reader", load(function() i = i + 1; return pieces[i] end)())
local parts = {}
for k = 1, #bin, 7 do parts[#parts + 1] = bin:sub(k, k + 6) end
i = 0
print("binary reader", load(function() i = i + 1; return parts[i] end, "pieces", "b")(3, 4))

-- A big function survives too.
local src = { "local t = {}" }
for k = 1, 2000 do src[#src + 1] = ("t[%d] = %d * 2"):format(k, k) end
src[#src + 1] = "local s = 0 for _, v in ipairs(t) do s = s + v end return s"
local big = load(table.concat(src, "\n"))
print("big function", big(), load(string.dump(big))())
