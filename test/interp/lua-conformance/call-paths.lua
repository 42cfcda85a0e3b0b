-- The fast call between specialized bodies (lvm.c, wcall) and what it leaves out: L->top for a fixed-parameter
-- callee, L->hookmask (a body runs only while hooks are off), the callee's CallInfo read back (its entry values are
-- arguments). Each case here takes one of its other paths, which must behave as stock Lua's.

-- missing arguments: fixed parameters, a vararg callee (it counts its arguments by L->top), results asked for
local function two(a, b) return a, b end
local function va(a, ...) return a, select("#", ...), ... end
local function f3(a, b, c) return c, b, a end
print(two(1))
print(two())
print(va())
print(va(1, 2, nil))
local x, y, z = f3(1, 2)
print(x, y, z)
local function r0() end
local function r1() return 7 end
local p, q = r0()
local a, b, c = r1()
print(p, q, a, b, c, #{ r1(), r1() })

-- hooks turned on inside a callee: its caller (a specialized body) goes on in the generic copy
local events = {}
local function hooked()
  debug.sethook(function(ev) events[#events + 1] = ev end, "cr")
  return 1
end
local function outer() local v = hooked() + 1; return v end
print(outer())
debug.sethook()
print(#events > 0, events[1], events[2])

-- a hook set on a suspended coroutine: its frames resume under it
local co = coroutine.create(function(n)
  local s = 0
  for i = 1, n do s = s + two(i, 0); coroutine.yield(s) end
  return s
end)
print(coroutine.resume(co, 3))
local calls = 0
debug.sethook(co, function() calls = calls + 1 end, "c")
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(calls > 0)

-- yields through nested specialized calls, values passed both ways
local function inner(v) return coroutine.yield(v) + 1 end
local function mid(v) return inner(v) * 2 end
local gen = coroutine.wrap(function() local r = mid(1); r = r + mid(r); return r end)
print(gen(), gen(10), gen(20))

-- errors through specialized calls: each frame's line (the caller's savedpc) in messages and tracebacks
local function bad(n) if n == 0 then error("deep", 2) end local r = bad(n - 1); return r end
print(pcall(bad, 3))
local function lvl(n) if n == 0 then local t = nil; return t.x end local r = lvl(n - 1); return r end
print(pcall(lvl, 4))
print(select(2, xpcall(lvl, function(m) return (debug.traceback(m, 1):gsub("\n[^\n]*%[C%][^\n]*", "")) end, 2)))

-- the stack growing during calls (frames of many registers, deeper than the main thread's first stack), and
-- collections in callees holding their arguments only in registers
local function wide(n, t)
  local a1, a2, a3, a4, a5, a6, a7, a8, a9, a10 = n, n, n, n, n, n, n, n, n, n
  local b1, b2, b3, b4, b5, b6, b7, b8, b9, b10 = t, t, t, t, t, t, t, t, t, t
  if n == 0 then collectgarbage(); return #b10 end
  local r = wide(n - 1, { n, a1 + a10 })
  return r + #b1 + a5 - n
end
print(wide(900, {}))
local function churn(n, s) if n == 0 then return s end local u = { s, tostring(n) }; return churn(n - 1, u[2]) end
print(churn(20000, ""))
local function keep(n, acc)
  if n == 0 then return acc end
  local t = { n = n }
  collectgarbage("step")
  local r = keep(n - 1, acc + t.n)
  return r
end
print(keep(2000, 0))
