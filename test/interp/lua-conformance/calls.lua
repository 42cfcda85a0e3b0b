-- Calls, returns and coroutines resumed mid-function: a specialized body starts again after a call (a yield, a moved
-- stack), so results, varargs, tail calls, errors, line numbers and tracebacks must be as stock Lua's there.

-- results: none, one, several, adjusted, multret into a call and a table
local function none() end
local function one(x) return x end
local function three(a, b, c) return c, b, a end
local function pass(...) return ... end
print(none(), one(1), three(1, 2, 3))
print((three(1, 2, 3)), select("#", none()), select("#", pass(nil, nil)))
local t = { three(4, 5, 6), three(7, 8, 9) }
print(#t, t[1], t[4], t[5])
print(pass(one(10), three(11, 12, 13)))
local function missing(a, b, c) return a, b, c end
print(missing(1), missing(1, 2, 3, 4))

-- tail calls: to Lua, to C, to a vararg function, through __call, a long chain
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
print(count(100000, 0))
local function tailc(s) return string.upper(s) end
print(tailc("tail"))
local function tailv(...) return pass(...) end
print(tailv(1, nil, 3))
local callable = setmetatable({}, { __call = function(self, a, b) return a + b end })
local function tailm(a) return callable(a, 1) end
print(tailm(41))

-- errors through calls: messages with lines, pcall results, error objects, a traceback
local function fails(x) if x > 2 then error("too big: " .. x) end return x end
local function calls(x) local y = fails(x) return y * 2 end
print(pcall(calls, 1))
print(pcall(calls, 3))
print(pcall(function() local a = nil; return a.b end))
print(select(2, xpcall(calls, function(m) return "handled: " .. m end, 5)))
print((debug.traceback("here", 1):gsub("\n.*", "")))

-- closures and upvalues: shared, closed in loops, updated from a coroutine
local function counter() local n = 0; return function(d) n = n + d; return n end end
local c1, c2 = counter(), counter()
print(c1(1), c1(2), c2(10), c1(3))
local fs = {}
for i = 1, 3 do fs[i] = function() return i * 10 end end
print(fs[1](), fs[2](), fs[3]())

-- coroutines resumed after calls in fixed-parameter functions: several resume points, values passed both ways
local function producer(n, step)
  local total = 0
  for i = 1, n do
    local got = coroutine.yield(i * step)
    total = total + (got or 0)
    if i % 2 == 0 then
      local a, b = coroutine.yield("even", i)
      total = total + (a or 0) + (b or 0)
    end
  end
  return "done", total
end
local co = coroutine.create(producer)
local out = {}
local ok, v, w = coroutine.resume(co, 4, 3)
while coroutine.status(co) ~= "dead" do
  out[#out + 1] = tostring(v) .. (w and ("/" .. tostring(w)) or "")
  ok, v, w = coroutine.resume(co, 1, 2)
end
print(table.concat(out, " "), ok, v, w)

-- a generator pipeline (wrap), a yield across pcall, an error after a resume with its line
local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function filter(p, g)
  return coroutine.wrap(function() for x in g do if p(x) then coroutine.yield(x) end end end)
end
local s = 0
for x in filter(function(x) return x % 3 == 0 end, gen(30)) do s = s + x end
print(s)
local function guarded(a)
  local ok2, r = pcall(function(b) local c = coroutine.yield(b + 1); return c * 2 end, a)
  local d = coroutine.yield(r)
  return ok2, d
end
local g = coroutine.wrap(guarded)
print(g(1), g(5), g("end"))
local function late(x)
  local y = coroutine.yield(x)
  local z = y + 1
  return z.field
end
local co2 = coroutine.create(late)
print(coroutine.resume(co2, 1))
print(coroutine.resume(co2, 2))
local co3 = coroutine.create(function(a)
  local b = coroutine.yield(a)
  local info = debug.getinfo(1, "l")
  return b, info.currentline
end)
print(coroutine.resume(co3, "first"))
print(coroutine.resume(co3, "second"))

-- recursion deep enough to move the stack while frames run (they go on after the move)
local function depth(n) if n == 0 then return 0 end local r = depth(n - 1) return r + 1 end
print(depth(20000), depth(30000))
local function sum(n) if n == 0 then return 0 end return n + sum(n - 1) end
print(sum(15000))

-- method calls (OP_SELF): from the object, from its class (__index table), two levels up, through an __index
-- function, on a string, a missing method's error, and a class whose __index changes between calls
local Base = {}
Base.__index = Base
function Base:name() return "base " .. self.id end
function Base:hello() return "hello from " .. self:name() end
local Derived = setmetatable({}, { __index = Base })
Derived.__index = Derived
function Derived:name() return "derived " .. self.id end
local b, d = setmetatable({ id = 1 }, Base), setmetatable({ id = 2 }, Derived)
d.own = function(self) return "own " .. self.id end
print(b:hello(), d:hello(), d:own())
local dyn = setmetatable({ id = 3 }, { __index = function(t, k) return function(self) return k .. self.id end end })
print(dyn:anything(), ("abc"):upper(), ("%d"):format(7))
print(pcall(function() return b:missing() end))
local C = { __index = { m = function() return "first" end } }
local obj = setmetatable({}, C)
local r1 = obj:m()
C.__index = { m = function() return "second" end }
print(r1, obj:m())
