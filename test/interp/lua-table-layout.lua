-- Tables grown key by key print their keys in traversal order (next's order is the hash part's layout, the string
-- hash seed fixed in this build): the specialized copy's new keys (lvm.c's wsetempty, wnewnode, wrehash) must place
-- every key where luaH_newkey would, rehashes included. Stock, interpreted and wevaled must print the same.
local function keys(t)
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = tostring(k) .. "=" .. tostring(v) end
  return table.concat(out, " ")
end

-- constant keys (SETFIELD), from no hash part, through every rehash, with collisions on the way
local function fields()
  local t = {}
  t.a = 1; t.b = 2; t.c = 3; t.d = 4; t.e = 5; t.f = 6; t.g = 7; t.h = 8; t.i = 9; t.j = 10
  t.k = 11; t.l = 12; t.m = 13; t.n = 14; t.o = 15; t.p = 16; t.q = 17; t.r = 18; t.s = 19
  return t
end
print(keys(fields()))
-- computed keys (SETTABLE), a constructor's start, deletions and reinsertions
local function computed(n, start)
  local t = start
  for i = 1, n do t["key" .. i] = i end
  for i = 1, n, 3 do t["key" .. i] = nil end
  for i = n + 1, n + n // 2 do t["key" .. i] = i end
  for i = 1, n, 6 do t["key" .. i] = -i end
  return t
end
for _, n in ipairs({ 1, 2, 3, 5, 8, 13, 40 }) do
  print(n, keys(computed(n, {})))
  print(n, keys(computed(n, { x = 0, y = 0 })))
end
-- objects grown past their constructor's size (oop.lua's p.z = z)
local function point(x, y) return { x = x, y = y } end
for i = 1, 3 do
  local p = point(i, -i)
  p.z = i * 10
  p.w = i * 100
  print(keys(p))
end
-- mixed keys: integer, float, boolean and table keys in the hash part (the library's rehash), then strings
local function mixed()
  local t = { 1, 2 }
  t[10] = "ten"; t.s = "s"; t[2.5] = "float"; t[true] = "true"
  t.u = "u"; t.v = "v"; t.w = "w"
  local u = {}
  u.a = 1; u[100] = 2; u.b = 3; u.c = 4; u.d = 5
  return #t, u.a, u[100], u.d
end
print(mixed())
-- a metatable gaining keys: its metamethod cache cleared
local mt = {}
local obj = setmetatable({}, mt)
print(obj.missing)
mt.pad1 = 1; mt.pad2 = 2; mt.pad3 = 3
mt.__index = function (_, k) return "idx " .. k end
print(obj.missing)
mt.__newindex = function (t, k, v) rawset(t, k, v .. "!") end
obj.q = "v"; print(rawget(obj, "q"))
-- old tables (generational mode) gaining keys that hold new objects: the barriers
collectgarbage("generational")
local old = {}
old.seed = {}
for i = 1, 3 do collectgarbage() end
for i = 1, 20 do old["k" .. i] = { i } end
collectgarbage(); collectgarbage()
local sum = 0
for k, v in pairs(old) do if k ~= "seed" then sum = sum + v[1] end end
print(sum, keys(old):gsub("table: 0x%x+", "T"))
collectgarbage("incremental")
-- next over a table while its values are set (no new keys)
local t = fields()
for k in pairs(t) do t[k] = 0 end
print(keys(t))
