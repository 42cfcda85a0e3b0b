-- Tables the specialized code allocates and grows itself (lvm.c's wnewtable, wmalloc and wgrowarray: a fresh table,
-- its parts from the allocator's free lists, a constructor's array grown for a last item that is a call or a vararg),
-- and loops whose back edges no longer reload the trap (wsignaltrap): hooks set in the middle of a loop.
local function two(x) return x, x + 1 end
local function none() end
local function many(n) local t = {} for i = 1, n do t[i] = i end return table.unpack(t) end
local function tree(d) if d == 0 then return {} end return { tree(d - 1), tree(d - 1) } end
local function count(t) if not t[1] then return 1 end return 1 + count(t[1]) + count(t[2]) end
local function show(t)
  local s, sum = {}, 0
  for i = 1, #t do s[i] = tostring(t[i]); sum = sum + (tonumber(t[i]) or 0) end
  if #t > 8 then return #t .. ":" .. s[1] .. ".." .. s[#t] .. " sum " .. sum end
  return #t .. ":" .. table.concat(s, ",")
end

-- a constructor's last item: one result, several, none, many (a batch of SETLIST), after fixed items and fields
print(show({ two(1) }), show({ 0, two(5) }), show({ none() }), show({ 9, none() }), show({ many(3) }))
print(show({ many(60) }), show({ 1, 2, 3, many(100) }), #{ many(300) })
local mixed = { n = 1, two(7) }
print(mixed.n, show(mixed), mixed[3])
local function pack(...) return { ... } end
local function packn(...) return { n = select("#", ...), ... } end
print(show(pack()), show(pack(1)), show(pack(1, 2, 3)), packn(1, nil, 3).n, show(pack(many(70))))

-- fresh tables grown afterwards: the array part, the hash part, both; next and # on empty ones
local function fresh() return {} end
local a, h, b = fresh(), fresh(), fresh()
print(next(a), #a, rawlen(a), a[1], a.x)
for i = 1, 20 do a[i] = i * i end
for i = 1, 20 do h["k" .. i] = i end
for i = 1, 10 do b[i] = i; b["f" .. i] = -i end
local hk = 0
for _, v in pairs(h) do hk = hk + v end
print(show(a), hk, #b, b.f10)
table.insert(fresh(), 1)
local grown = { two(1) }
grown[3], grown[4], grown.x = 3, 4, "x"
table.insert(grown, 5)
print(show(grown), grown.x, table.remove(grown), show(grown))

-- many fresh tables: the collector frees them and their blocks come back (finalizers, weak tables, counts)
print(count(tree(10)), count(tree(12)))
local finalized = 0
for i = 1, 2000 do
  local t = setmetatable({ i }, { __gc = function() finalized = finalized + 1 end })
  t = nil
end
collectgarbage()
collectgarbage()
print("finalized", finalized)
local weak = setmetatable({}, { __mode = "k" })
for i = 1, 100 do weak[{ i }] = i end
local kept = { two(1) }
weak[kept] = "kept"
collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
print("weak", left, weak[kept])
collectgarbage("generational")
local live = {}
for i = 1, 5000 do
  local t = { two(i) }
  if i % 100 == 0 then live[#live + 1] = t end
end
collectgarbage("incremental")
print(#live, live[50][1], live[50][2], collectgarbage("count") > 0)

-- a fresh table as a metatable (its flags cache absent metamethods)
local mt = fresh()
local obj = setmetatable(fresh(), mt)
print(obj.missing)
mt.__index = function(_, k) return "via " .. k end
print(obj.missing)

-- hooks set in the middle of loops (a for loop and a while loop), and a count hook
local lines = 0
local function hook() lines = lines + 1 end
for i = 1, 10 do
  if i == 5 then debug.sethook(hook, "l") end
  local x = i * 2
end
debug.sethook()
print("for lines", lines)
lines = 0
local i = 0
while i < 10 do
  i = i + 1
  if i == 5 then debug.sethook(hook, "l") end
end
debug.sethook()
print("while lines", lines)
local counted = 0
local function counthook() counted = counted + 1 end
local j, k = 0, 0
while j < 1000 do
  j = j + 1
  if j == 500 then debug.sethook(counthook, "", 100) end
  if j % 2 == 0 then k = k + 1 end
end
debug.sethook()
print("count hook", counted > 0, k)
