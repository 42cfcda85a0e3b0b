-- the environment a script finds: package paths, arg, the standard libraries' names (5.3 compatibility as stock Lua
-- is built), math.random's sequence for a seed, __le from __lt
print(package.path)
print((package.cpath:gsub("/usr/lib/[^/;]+/lua/", "/usr/lib/MULTIARCH/lua/"))) -- the platform's multiarch name differs
print(package.config)
local ok, e = pcall(require, "no.such.module")
print(ok, (e:gsub("/usr/lib/[^/;]+/lua/", "/usr/lib/MULTIARCH/lua/")))
print(arg[0], arg[-1]:match("^lua"), #arg, select('#', ...)) -- arg[-1] is the interpreter's name
print(_VERSION, type(_G), _G._G == _G, math.pi)
math.randomseed(42)
print(math.random(1, 100), math.random(1, 100), math.random())
math.randomseed(7, 3)
print(math.random(0), math.random(10))
print(pcall(math.random, 2, 1), pcall(math.random, 1, 2, 3))
print(type(package.searchers), #package.searchers, type(package.preload), type(package.searchpath))
print(package.searchpath("nothere", "./?.lua;./?/x.lua"))
print(next(package.loaded) ~= nil, package.loaded.string == string, package.loaded._G == _G)
local names = {} for k in pairs(package.loaded) do names[#names + 1] = k end table.sort(names) print(table.concat(names, " "))
local g = {} for k in pairs(_G) do g[#g + 1] = k end table.sort(g) print(table.concat(g, " "))
for _, lib in ipairs({"string", "table", "math", "io", "os", "coroutine", "utf8", "debug"}) do
  local ks = {} for k in pairs(_G[lib]) do ks[#ks + 1] = k end table.sort(ks) print(lib, table.concat(ks, " "))
end
local L = {__lt = function(a, b) return a.v < b.v end}
local a, b = setmetatable({v = 1}, L), setmetatable({v = 2}, L)
print(pcall(function() return a <= b, b <= a end))
print(math.pow(2, 10), math.log10(1000), math.ldexp(1, 4), math.frexp(8), math.cosh(0), math.atan2 and math.atan2(1, 1) == math.atan(1, 1))
