-- coroutines: wrap, yield across pcall, status, close, isyieldable, running, errors
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", 99
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co))
print(coroutine.resume(co))
-- wrap
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end return "end" end)
print(gen(), gen(), gen(), gen())
print(pcall(gen))
-- wrap error propagates with position
local bad = coroutine.wrap(function() error("wrapped error") end)
print(pcall(bad))
local bad2 = coroutine.wrap(function() error({}) end)
print(select('#', pcall(bad2)), type(select(2, pcall(coroutine.wrap(function() error({}) end)))))
-- yield across pcall
local co2 = coroutine.create(function()
  local ok, v = pcall(function()
    local x = coroutine.yield("inside pcall")
    error("after yield: " .. x)
  end)
  print("pcall returned", ok, v)
  local ok2, v2 = pcall(coroutine.yield, "yield as the pcall'd function")
  print("second", ok2, v2)
  return "finished"
end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, "resumed"))
print(coroutine.resume(co2, "again"))
print(coroutine.status(co2))
-- yield across xpcall with a handler
local co3 = coroutine.wrap(function()
  return xpcall(function() coroutine.yield(1); error("e3") end, function(m) return "H:" .. m end)
end)
print(co3())
print(co3())
-- yield across metamethods
local mt = {__add = function(a, b) return coroutine.yield("in __add") end,
            __index = function(t, k) return coroutine.yield("in __index " .. k) end,
            __lt = function(a, b) return coroutine.yield("in __lt") end,
            __concat = function(a, b) return coroutine.yield("in __concat") end,
            __eq = function(a, b) return coroutine.yield("in __eq") end}
local co4 = coroutine.wrap(function()
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  print("sum", a + b)
  print("idx", a.foo)
  print("lt", a < b)
  print("cat", a .. "s")
  print("eq", a == b)
  return "co4 done"
end)
print(co4()) print(co4(5)) print(co4(6)) print(co4(true)) print(co4("c")) print(co4(false))
-- yield across table.sort comparator is not allowed
local co5 = coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)
print(coroutine.resume(co5))
-- yield from main
print(pcall(coroutine.yield, 1))
-- isyieldable, running
print(coroutine.isyieldable())
local main, ismain = coroutine.running()
print(type(main), ismain)
coroutine.wrap(function() print(coroutine.isyieldable(), select(2, coroutine.running())) end)()
-- resume dead, resume self, resume non-suspended
print(coroutine.resume(co))
local co6
co6 = coroutine.create(function() print(coroutine.resume(co6)) print(coroutine.status(co6)) end)
coroutine.resume(co6)
-- close
local co7 = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co7)
print(coroutine.close(co7), coroutine.status(co7))
local co8 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function(o, e) print("closing x", e) end})
  coroutine.yield()
end)
coroutine.resume(co8)
print(coroutine.close(co8), coroutine.status(co8))
local co9 = coroutine.create(function() error("dead with error") end)
print(coroutine.resume(co9))
print(coroutine.close(co9))
local co10 = coroutine.create(function()
  local x <close> = setmetatable({}, {__close = function() error("close error") end})
  coroutine.yield()
end)
coroutine.resume(co10)
print(coroutine.close(co10))
print(pcall(coroutine.close, coroutine.running()))
-- deep chain of coroutines
local function chain(n)
  if n == 0 then return coroutine.yield("bottom") end
  local c = coroutine.wrap(function() return chain(n - 1) end)
  return c()
end
local deep = coroutine.wrap(function() return chain(50) end)
print(deep())
-- generators: permutations
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local count = 0
for p in coroutine.wrap(function() permgen({1, 2, 3, 4}) end) do count = count + 1 if count <= 3 then print(table.concat(p, ",")) end end
print("perms", count)
-- many coroutines alive
local cos = {}
for i = 1, 200 do cos[i] = coroutine.create(function(x) local y = coroutine.yield(x * 2) return x + y end) end
local s = 0
for i = 1, 200 do local _, v = coroutine.resume(cos[i], i) s = s + v end
for i = 1, 200 do local _, v = coroutine.resume(cos[i], 1) s = s + v end
print("sum", s)
-- error inside nested coroutine surfaces through resume
local outer = coroutine.create(function()
  local inner = coroutine.create(function() local t = nil; return t.x end)
  print("inner", coroutine.resume(inner))
  error("outer fails")
end)
print(coroutine.resume(outer))
print(coroutine.wrap(function(...) return select('#', ...), ... end)(nil, nil, 3))
