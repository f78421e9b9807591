-- Numbers and strings: integer/float division and conversions, overflow wrap-around,
-- string.format edge cases, string.pack/unpack, utf8, goto.

-- Integer/float division and modulo.
print("7 // 2", 7 // 2, "7.0 // 2", 7.0 // 2, "-7 // 2", -7 // 2, "7 // -2.0", 7 // -2.0)
print("7 % -3", 7 % -3, "-7 % 3", -7 % 3, "5.5 % 2", 5.5 % 2, "-0.0 % 1", -0.0 % 1)
print("1 / 0", 1 / 0, "-1 / 0", -1 / 0, "0/0 ~= 0/0", (0 / 0) ~= (0 / 0))
print("1 // 0.0", 1 // 0.0, "1 % math.huge", 1 % math.huge, "-1 % math.huge", -1 % math.huge)
print("int div by zero", pcall(function() return 1 // 0 end))
print("int mod by zero", pcall(function() return 1 % 0 end))
print("mininteger // -1", math.mininteger // -1, "mininteger % -1", math.mininteger % -1)
print("3 / 2", 3 / 2, "4 / 2", 4 / 2, math.type(4 / 2))

-- Overflow wraps for integers, not for floats.
print("maxinteger + 1 == mininteger", math.maxinteger + 1 == math.mininteger)
print("maxinteger * 2", math.maxinteger * 2)
print("maxinteger + 1.0", math.maxinteger + 1.0)
print("float to int", math.tointeger(3.0), math.tointeger(3.5), math.tointeger(2^63), math.tointeger("8"))
print("string coercion", "10" + 5, "3.0" + 1, "0x10" * 1, math.type("10" + 5), "10" .. 5)
print("comparison int/float", 1 == 1.0, math.maxinteger < math.maxinteger + 0.0, 2^53 == 2^53 + 1)
print("floor/ceil", math.floor(-3.5), math.ceil(-3.5), math.floor(2^62) == 2^62, math.type(math.floor(1e100)))
print("tostring floats", 1e15, 1e16, 0.1, -0.0, 2^63, 1e300 * 1e10, 100 // 1.0)
print("tonumber", tonumber("0x1p4"), tonumber("  12  "), tonumber("1e"), tonumber("z", 36), tonumber("7fffffffffffffff", 16), tonumber(""))
print("integer strings", 9007199254740993, math.mininteger, -9223372036854775808, 0xffffffffffffffff)
print("shifts", 1 << 63, 1 << 64, -1 >> 1, 3 & 5, 3 | 5, 3 ~ 5, ~0)
print("ult", math.ult(1, -1), math.abs(math.mininteger), math.fmod(-7, 3), math.fmod(7, -3.0))

-- string.format edge cases.
print(string.format("%5.1f|%-5d|%05d|%+d|%x|%X|%o|%e|%g|%g", 3.14159, 42, 42, 42, 255, 255, 8, 12345.678, 1e20, 0.0001))
print(string.format("%q", "line\nnew \0 zero \"quote\" \\ \r \127 é"))
print(string.format("%q %q %q %q", 1 / 0, -1 / 0, 0 / 0 ~= 0 / 0, math.mininteger))
print(string.format("%q %q", 0.1, 2^63))
print(string.format("%s %s %s", nil, true, setmetatable({}, { __tostring = function() return "custom" end })))
print(string.format("%10.3s|%-10s|%.0s|", "abcdef", "left", "gone"))
print(string.format("%c%c%c", 76, 117, 97), string.format("%%"), string.format("%i", 3))
print(string.format("%.14g", 2^53), string.format("%.3f", 2.0005), string.format("%a", 1.0))
print("bad format", pcall(string.format, "%d", 3.5))
print("bad conversion", pcall(string.format, "%y", 1))
print("too long", pcall(string.format, "%100d", 1))

-- string.pack / unpack.
local packed = string.pack("<i4 >i4 =h B z s1 d n j", -2, 258, -1, 255, "zero-terminated", "len", 1.5, 2.25, math.mininteger)
print("pack size", #packed, string.packsize("<i4 >i4 =h B"))
print("unpack", string.unpack("<i4 >i4 =h B z s1 d n j", packed))
print("unsigned", string.unpack("<I2", "\255\255"), string.unpack("<i2", "\255\255"))
print("alignment", string.packsize("!8 i1 i8"), string.packsize("i1 i8"))
print("overflow", pcall(string.pack, "i1", 128), pcall(string.pack, "I1", -1))
print("short data", pcall(string.unpack, "i4", "abc"))
print("big ints", string.unpack("<i16", string.pack("<i16", -3)), string.unpack("<I16", string.pack("<i16", 7)))
print("bad int16", pcall(string.unpack, "<i16", string.rep("\255", 8) .. "\1" .. string.rep("\0", 7)))
print("fixed string", string.unpack("c5", "hello world"), string.pack("c5", "hi") == "hi\0\0\0")
print("position", string.unpack("B", "abc", 2), string.unpack("B", "abc", -1))

-- utf8.
local s = "aé€😀"
print("utf8.len", utf8.len(s), #s, utf8.char(72, 228, 8364, 128512))
for p, c in utf8.codes(s) do io.write(p, ":", c, " ") end
print()
print("utf8 invalid", utf8.len("\xff"), utf8.len("\xed\xa0\x80"), utf8.len("\xed\xa0\x80", 1, -1, true))
print("offset", utf8.offset(s, 3), utf8.offset(s, -1), utf8.codepoint(s, 1, -1))
print("charpattern", utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")

-- String library basics on binary data.
local bin = "a\0b\255"
print("binary", #bin, bin:byte(1, -1), ("%q"):format(bin), bin:rep(2, "\0"):len(), bin:upper():byte(3))
print("patterns", ("key=val; k2=v2"):gsub("(%w+)=(%w+)", "%2=%1"), ("abc"):find("b", 1, true), ("x"):rep(0))
print("frontier", ("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print("balanced", ("f(a(b)c) d"):match("%b()"))
print("gsub table/func", ("$a $b"):gsub("%$(%w)", { a = "1" }), ("abc"):gsub(".", function(c) if c == "b" then return false end return c:upper() end))
print("bad pattern", pcall(string.find, "x", "[a"), pcall(string.rep, "x", -1))

-- goto: continue, nested loops, backward jumps.
local out = {}
for i = 1, 10 do
  if i % 3 == 0 then goto continue end
  out[#out + 1] = i
  ::continue::
end
print("goto continue", table.concat(out, ","))
local i = 1
::top::
if i <= 3 then io.write("loop ", i, " "); i = i + 1; goto top end
print()
for a = 1, 3 do
  for b = 1, 3 do
    if a * b == 4 then goto done end
  end
end
::done::
print("goto out of nested loops")
print("goto into scope", load("goto l; local x; ::l:: print(x)"))
print("undefined label", load("goto nowhere"))

-- table functions at the edges.
local t = { 5, 2, 8, 1 }
table.sort(t, function(a, b) return a > b end)
print("sort desc", table.concat(t, " "), table.unpack({ 1, 2, 3 }, 2), select("#", table.unpack({}, 1, 3)))
print("move", table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), " "), table.concat(table.move({ 1, 2 }, 1, 2, 1, {}), " "))
print("insert bad pos", pcall(table.insert, { 1 }, 5, 2))
print("invalid sort", pcall(table.sort, { 3, 1, 2 }, function() return true end))
print("concat bad", pcall(table.concat, { 1, {}, 3 }))
print("pack n", table.pack(nil, nil).n, #table.pack(1, 2, 3))
