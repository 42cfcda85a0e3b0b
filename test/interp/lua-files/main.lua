-- Files and environment from a Lua script (test/interp/lua.test.ts): paths relative to the working directory, as
-- `lua` takes them; this folder is granted for reading, OUT_DIR (an environment variable) for writing.
local dir = arg[0]:match("(.*/)") or "./"
print(dofile(dir .. "helper.lua").greet("dofile"))
print(loadfile(dir .. "helper.lua")().greet("loadfile"))
package.path = dir .. "lib/?.lua;" .. package.path
print(require("mod").value, package.loaded.mod == require("mod"))
for line in io.lines(dir .. "data.txt") do io.write("[", line, "]") end
print()
local f = assert(io.open(dir .. "data.txt", "rb"))
print(f:seek("end"), f:seek("set", 5), f:read(4), f:seek("cur"))
f:close()
print(io.open(dir .. "missing.txt"))
print(pcall(dofile, dir .. "missing.lua"))
print(io.open(dir .. "new.txt", "w"))
local out = os.getenv("OUT_DIR")
local name = out .. "/written.txt"
local w = assert(io.open(name, "w"))
w:write("one\n", 2, "\n")
w:close()
local a = assert(io.open(name, "a"))
a:write("three\n")
a:close()
print(io.open(name):read("a"))
print(os.rename(name, out .. "/renamed.txt"), os.remove(out .. "/renamed.txt"), io.open(out .. "/renamed.txt"))
print(os.getenv("FUTAMURA_TEST_VAR"), os.getenv("FUTAMURA_NOT_SET"))
print(pcall(io.popen, "ls"))
print(os.execute())
