-- goto, load with env, string.dump + load, os.time/date, varargs, closures, integer keys, select('#'), _ENV
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
do
  local k = 0
  ::top::
  k = k + 1
  if k < 5 then goto top end
  print("k", k)
end
-- load with env
local env = {print = print, x = 42}
local f = load("x = x + 1; return x", "chunk", "t", env)
print(f(), env.x, x)
print(load("return ...", "varargs")(1, 2, 3))
local parts = {"return ", "1 ", "+ 2"}
local i = 0
print(load(function() i = i + 1 return parts[i] end)())
print(pcall(load, "return 1", "x", "b"))
print(load("return 1", "x", "b"))
print(load(function() return {} end))
-- string.dump + load
local function adder(a) return function(b) return a + b end end
local dumped = string.dump(function(a, b) local t = {} for i = a, b do t[#t + 1] = i * i end return table.concat(t, ",") end)
print(type(dumped), load(dumped, "dumped", "b")(1, 5))
print(load(dumped, "dumped", "t"))
local stripped = string.dump(function() return "stripped" end, true)
print(load(stripped)())
print(pcall(string.dump, print))
local withup = string.dump(adder(1))
local g = load(withup)
print(pcall(g, 1))
-- dumped code with error keeps line info (not stripped)
local errf = load(string.dump(load("local a = 1\nerror('dumped error')", "=dumpsrc")))
print(pcall(errf))
-- _ENV
do
  local _ENV = {print = print}
  y = 10
  print(y, _ENV.y)
end
print(y)
local function sandbox() local _ENV = setmetatable({}, {__index = _G}) z = 1 return z, _G.z end
print(sandbox())
-- os.time/date
local t = os.time({year = 2020, month = 2, day = 29, hour = 12, min = 30, sec = 15})
print(type(t), os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%c", 86400 * 365))
print(os.date("!%A %B %d %j %p %y %a %b %%", 1700000000))
local d = os.date("!*t", 1700000000)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.wday, d.yday, d.isdst)
print(os.date("*t", t).year, os.date("%Y-%m-%d", t), os.time({year = 2020, month = 1, day = 1, hour = 0}) - os.time({year = 2019, month = 12, day = 31, hour = 0}))
print(os.time({year = 2021, month = 13, day = 1, hour = 0}) == os.time({year = 2022, month = 1, day = 1, hour = 0}))
print(pcall(os.date, "%Ez", 0))
print(pcall(os.date, "%Q", 0))
print(pcall(os.time, {year = 2020}))
print(os.date("!%H", 3600 * 5), os.date("!%x %X %D %e %I %M %S %u %w", 1234567890))
print(type(os.clock()), type(os.time()), os.difftime(10, 5), os.getenv("FUTAMURA_SURELY_UNSET_VAR"))
local tt = os.date("*t") print(type(tt.year), type(tt.isdst))
-- varargs
local function va(...)
  local a, b = ...
  return select('#', ...), a, b, ...
end
print(va())
print(va(nil))
print(va(1, nil, nil))
print((va(1, 2, 3)))
local function pass(...) return ... end
print(pass(1, nil, 3), select('#', pass(nil, nil)))
print(table.pack(pass()).n)
-- closures
local counters = {}
for i = 1, 3 do counters[i] = function() i = i + 10 return i end end
print(counters[1](), counters[1](), counters[2](), counters[3]())
local function mk() local n = 0 return function() n = n + 1 return n end, function() return n end end
local inc, get = mk() inc() inc() print(get())
-- upvalues shared in loops with while/repeat
local fs = {}
local j = 0
while j < 3 do j = j + 1 local jj = j fs[j] = function() return jj end end
print(fs[1](), fs[2](), fs[3]())
repeat local r = 5 until r == 5
-- integer-keyed float normalization and string keys
local keys = {} keys[2^53] = "f" print(keys[math.tointeger(2^53)])
-- multiple assignment evaluation order
local q = {1, 2, 3}
local idx = 1
idx, q[idx] = idx + 1, 20
print(idx, q[1], q[2])
local aa, bb, cc = (function() return 1, 2 end)()
print(aa, bb, cc)
-- string coercion in concat of floats and integers
print(1 .. "", 1.0 .. "", -0.0 .. "", 1e100 .. "")
-- long strings and escapes
print([[
line1
line2]], [==[a]]b]==], "\x41\65\u{48}\z
      continued", '\'')
print(#[[

x]])
-- integer for loop with large steps
for i = 1, 10, 4 do io.write(i, " ") end print()
for i = 10, 1, -4 do io.write(i, " ") end print()
print(math.type(2^31 // 1), 5 // 2 * 2.0)
print(next({}), type(next), rawequal("a", "a"))
print(string.format("%s", 1e15), 2^63 == math.maxinteger + 1.0, math.maxinteger + 0.0 == 2^63)
