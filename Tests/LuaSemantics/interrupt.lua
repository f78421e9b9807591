-- Run by LuaSemanticsTests with SIGINT sent while the loop spins: the interrupt is an error
-- caught by pcall, and afterwards no hook is left installed and Lua runs at full speed.
local ready = assert(arg[1], "usage: interrupt.lua READY_FILE")
local ok, err = pcall(function()
  local f = assert(io.open(ready, "w"))
  f:write("spinning\n")
  f:close()
  while true do end
end)
print("caught", ok, tostring(err):match("interrupted!") ~= nil)
print("hook", debug.gethook())
local n = 0
for i = 1, 3000000 do n = n + i end
print("after", n)
