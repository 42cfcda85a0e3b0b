-- Tables built by constructors and given new fields, as the specialized code stores them (lvm.c's wnewparts and
-- wnewkey: a fresh table's parts at their constant sizes, a new key into its free main position).
local function point(x, y) return { x = x, y = y } end
local function arr(a, b, c) return { a, b, c } end
local function both(a, b) return { a, b, n = 2, tag = "both" } end
local p, q = point(1, 2), point(3, nil)
print(p.x, p.y, q.x, q.y, next(q) ~= nil, #arr(4, 5, 6), #arr(7, nil, nil), both(1, 2).tag, #both(1, 2))
-- new fields: colliding keys, a nil value (not stored), a full hash part (it grows), many fields
local t = point(1, 2)
t.z = 3
t.w = nil
t.a, t.b, t.c, t.d, t.e = 1, 2, 3, 4, 5
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "), t.w, rawget(t, "w"))
-- a key set to nil and then set again, and a key of a table with a __newindex (a table and a function)
t.z = nil
t.z = 30
local log = {}
local proxied = setmetatable({}, { __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. tostring(v) end })
proxied.a = 1
proxied.b = 2
local store = {}
local forwarded = setmetatable({}, { __newindex = store })
forwarded.k = "v"
print(t.z, table.concat(log, ","), rawget(proxied, "a"), rawget(forwarded, "k"), store.k)
-- a metatable given a metamethod after a lookup cached its absence
local mt = {}
local obj = setmetatable({}, mt)
print(obj.missing)
mt.__index = function(_, k) return "via " .. k end
print(obj.missing)
local mt2 = {}
local obj2 = setmetatable({}, mt2)
obj2.first = 1
mt2.__newindex = function(_, k) log[#log + 1] = "new " .. k end
obj2.second = 2
print(rawget(obj2, "second"), log[#log])
-- old tables (after full collections) given new fields, and fields holding fresh tables
collectgarbage()
collectgarbage()
local old = point(0, 0)
collectgarbage("generational")
collectgarbage()
collectgarbage()
for i = 1, 200 do
  old["k" .. (i % 7)] = { i }
  local fresh = point(i, -i)
  fresh.child = { fresh.x }
  old.last = fresh
end
collectgarbage()
print(old.k3[1], old.last.child[1], old.last.y)
collectgarbage("incremental")
-- many tables, so that collections run while constructors fill them
local sum = 0
for i = 1, 20000 do
  local v = { x = i, y = i + 1 }
  v.z = v.x + v.y
  local a = { v, v.z }
  sum = sum + a[1].z + a[2] + #a
end
print(sum)
