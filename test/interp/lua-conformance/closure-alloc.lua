-- Closures the specialized code allocates itself (lvm.c's wpushclosure and wfindupval: the closure and its new upvalues
-- from the allocator's free lists, the open upvalues searched and linked as luaF_findupval does), and the frees the
-- runtime does inline (lmem.c: luaM_free_ and luaM_malloc_ on the free lists): loop variables captured per iteration,
-- shared upvalues, upvalues closed on break, goto, return and error, to-be-closed variables, closures collected.

-- closures in loops capture each iteration's variables; two closures of one iteration share them
local getters, setters = {}, {}
for i = 1, 5 do
  local j = i * 10
  getters[i] = function() return i, j end
  setters[i] = function(v) j = v end
end
setters[2](99)
for i = 1, 5 do print("loop", getters[i]()) end

-- while and repeat loops, a variable declared before the loop shared by all
local shared, fs = 0, {}
local k = 0
while k < 4 do
  k = k + 1
  local own = k
  fs[k] = function(d) shared = shared + d; own = own + d; return shared, own end
end
print(fs[1](1)); print(fs[2](10)); print(fs[1](100)); print(fs[4](1000))
local r = {}
repeat local n = #r + 1; r[n] = function() return n end until n == 3
print(r[1](), r[2](), r[3]())

-- upvalues of several levels (instack and the enclosing function's), many upvalues, nested deeply
local function outer(a)
  local b = a + 1
  return function(c)
    local d = c * 2
    return function(e) a = a + 1; return a, b, c, d, e end
  end
end
local mid = outer(1)
local f1, f2 = mid(5), mid(6)
print(f1(7)); print(f2(8)); print(f1(9))
local function wide()
  local v1, v2, v3, v4, v5, v6, v7, v8, v9, v10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
  local eight = function() return v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 end
  local ten = function() v10 = v10 + 1; return v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 end
  local nine = function() return v9 + v1 + v10 + v3 + v8 + v2 + v7 + v4 + v6 end
  return eight(), ten(), nine(), ten()
end
print(wide())

-- the open upvalues' list in any order of levels: closures over later locals first, then earlier ones
local function order()
  local a, b, c = "a", "b", "c"
  local fc = function() return c end
  local fa = function() return a end
  local fb = function() return b end
  local fab = function() a, b = b, a; return a .. b end
  c = "C"
  return fa, fb, fc, fab
end
local fa, fb, fc, fab = order()
print(fa(), fb(), fc(), fab(), fa(), fb())

-- closed on break, goto, return, error
local kept = {}
for i = 1, 10 do
  local x = i
  kept[#kept + 1] = function() x = x + 100; return x end
  if i == 3 then break end
end
print(kept[1](), kept[2](), kept[3](), kept[3]())
do
  local i = 1
  ::top::
  local y = i
  kept[i] = function() return y end
  i = i + 1
  if i <= 3 then goto top end
end
print(kept[1](), kept[2](), kept[3]())
local function ret(n) local z = n; return function() z = z * 2; return z end end
local g = ret(3); print(g(), g(), ret(5)())
local caught
local ok, err = pcall(function()
  local w = "before"
  caught = function() return w end
  w = "after"
  error("boom")
end)
print(ok, err, caught())

-- to-be-closed variables with closures over them and beside them
do
  local log = {}
  local function closer(name) return setmetatable({}, { __close = function() log[#log + 1] = name end }) end
  local fs2 = {}
  for i = 1, 3 do
    local t <close> = closer("t" .. i)
    local v = i
    fs2[i] = function() return v, t ~= nil end
  end
  print(table.concat(log, " "), fs2[1](), fs2[3]())
  local ok2, e2 = pcall(function()
    local c <close> = closer("err")
    local q = 1
    local h = function() q = q + 1; return q end
    h()
    error("tbc " .. h())
  end)
  print(ok2, e2, table.concat(log, " "))
end

-- collection: closures in weak tables, finalizers on tables their upvalues hold, generational and incremental modes
local function churn(mode)
  collectgarbage(mode)
  local weak = setmetatable({}, { __mode = "v" })
  local finalized = 0
  for i = 1, 2000 do
    local obj = setmetatable({ i }, { __gc = function() finalized = finalized + 1 end })
    local f = function() return obj[1] end
    if i % 500 == 0 then weak[#weak + 1] = f end
  end
  local keep = {}
  for i = 1, 2000 do local v = i; keep[i] = function() return v end end
  collectgarbage(); collectgarbage()
  local sum = 0
  for i = 1, #keep do sum = sum + keep[i]() end
  local live = 0
  for _, f in pairs(weak) do live = live + 1; assert(f() > 0) end
  print(mode, finalized, sum, live)
end
churn("generational")
churn("incremental")

-- coroutines: closures over a coroutine's locals (another thread's open upvalues)
local co = coroutine.wrap(function(a)
  local fs3 = {}
  for i = 1, 3 do local v = a + i; fs3[i] = function() v = v + 1; return v end end
  local b = coroutine.yield(fs3[1]() + fs3[2]())
  return fs3[3]() + b
end)
print(co(10), co(100))

-- many closures made and dropped: the free lists reused
local total = 0
for i = 1, 20000 do
  local a, b = i, i + 1
  local f = function(x) return a + b + x end
  total = total + f(1)
end
print(total, collectgarbage("count") < 10000)
