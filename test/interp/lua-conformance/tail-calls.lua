-- Tail calls the specialized code makes as direct tail calls of a guessed callee's body (lvm.c's wtailbody: a Wasm
-- return_call, no depth bound), where the guess holds and where it does not.
-- a million-step loop of tail calls: one function, two in turn, and one whose result is built on the way down
local function count(n) if n == 0 then return "counted" end return count(n - 1) end
print(count(1000000))
local ping, pong
function ping(n) if n == 0 then return "ping" end return pong(n - 1) end
function pong(n) if n == 0 then return "pong" end return ping(n - 1) end
print(ping(1000000), ping(1000001))
local function sum(n, acc) if n == 0 then return acc end return sum(n - 1, acc + n) end
print(sum(1000000, 0))
-- through unnamed functions (f(g(x)) passes what g returned), with a named callee no guess names
local function compose(f, g) return function(x) return f(g(x)) end end
local inc = compose(function(x) return x + 1 end, function(x) return x * 2 end)
local function twice(x) return x, x end
local pair = compose(function(a, b) return a + b end, twice)
print(inc(5), pair(7), compose(tostring, inc)(1), compose(select, twice)(2))
-- a tail-called callee given fewer and more arguments than it takes, and vararg ones
local function three(a, b, c) return tostring(a) .. tostring(b) .. tostring(c) end
local function calls3(x) return three(x) end
local function calls3more(x) return three(x, x, x, x) end
local function va(...) return select("#", ...), ... end
local function callsva(x) return va(x, nil) end
print(calls3(1), calls3more(2), callsva(3))
-- results asked for: none, one, all
local function one(x) return x end
local function tailone(x) return one(x) end
tailone(1)
local a, b = tailone(2)
print(a, b, (tailone(3)), select("#", tailone(4)))
-- an error in a tail-called callee: its line and the traceback's tail-call marker
local function bad(t) return t.x.y end
local function tailbad(t) return bad(t) end
print(pcall(tailbad, {}))
print(select(2, xpcall(tailbad, debug.traceback, {})))
-- a tail-called callee that yields, at the end of a chain of tail calls
local co = coroutine.wrap(function(n)
  local function step(i) coroutine.yield(i) return i * 10 end
  local function chain(i, k) if k == 0 then return step(i) end return chain(i, k - 1) end
  local s = 0
  for i = 1, n do s = s + chain(i, 100) end
  return s
end)
print(co(3), co(), co(), co())
-- a tail-called callee whose recursion moves the stack
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
local function taildeep(n) return deep(n) end
print(taildeep(50000))
-- a hook set in a tail-called callee: the rest runs under it
local lines = 0
local function sethook() debug.sethook(function() lines = lines + 1 end, "l") return 1 end
local function tailsethook() return sethook() end
local function afterhook()
  local x = tailsethook()
  x = x + 1
  debug.sethook()
  return x
end
print(afterhook(), lines > 0)
-- tail calls to C functions: one result, none, all, many (the stack grows), an error, a yield, a hook set
local function tailmeta(t) return setmetatable(t, { __index = { k = "inherited" } }) end
local function tailnone() return print() end
local function tailselect(...) return select(2, ...) end
local function tailunpack(t) return table.unpack(t) end
local big = {}
for i = 1, 5000 do big[i] = i end
print(tailmeta({}).k, select("#", tailnone()), tailselect("a", "b", "c"), select("#", tailunpack(big)))
local x, y = tailunpack({ 7 })
local z = tailunpack({})
print(x, y, z, (tailunpack({ 8, 9 })))
local function tailerror(v) return error(v) end
print(pcall(tailerror, "oops"), pcall(tailerror, { code = 1 }))
local function tailbadarg() return setmetatable(1, nil) end
print(pcall(tailbadarg))
print(select(2, xpcall(tailbadarg, debug.traceback)))
local function tailyield(v) return coroutine.yield(v) end
local cy = coroutine.wrap(function(a) local b = tailyield(a + 1) local c = tailyield(b * 2) return c end)
print(cy(1), cy(10), cy("end"))
local hooked = 0
local function tailsethook() return debug.sethook(function() hooked = hooked + 1 end, "l") end
local function afterhook2()
  tailsethook()
  local v = 1
  v = v + 1
  debug.sethook()
  return v
end
print(afterhook2(), hooked > 0)
