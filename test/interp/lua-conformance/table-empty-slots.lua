-- Stores into empty table slots, which the specialized copy does inline (lvm.c's wsetempty): a growing array's next
-- element, nodes holding nil, new constant keys on a free main position, and every case that must still take
-- luaV_finishset: __newindex set after the table was used, a table used as a metatable (its metamethod cache), nil
-- values, dummy tables and taken main positions.
local function grow(n)
  local t = {}
  for i = 1, n do t[i] = false end
  for i = 1, n, 3 do t[i] = nil end
  for i = 1, n, 3 do t[i] = i end
  local c = 0
  for i = 1, n do if t[i] then c = c + 1 end end
  return #t, c, t[1], t[2], t[n]
end
print(grow(1000))

-- Constructors and new fields: free main positions, collisions, rehashes.
local function points(n)
  local sum = 0
  for i = 1, n do
    local p = { x = i, y = -i }
    p.z = i * 2
    p.w = nil
    p.name = "p" .. (i % 7)
    sum = sum + p.x + p.y + p.z + #p.name
  end
  return sum
end
print(points(500))

-- A key set to nil and set again: its node holds nil and takes the store.
local function reuse(n)
  local t = { a = 1, b = 2, c = 3 }
  local s = 0
  for i = 1, n do
    t.a = nil
    t.b = nil
    s = s + (t.a or 0) + (t.c or 0)
    t.a = i
    t.b = i + 1
    s = s + t.a + t.b
  end
  return s, t.a, t.b, t.c
end
print(reuse(300))

-- A table that becomes a metatable: its cached "no __index" must be forgotten when the field arrives.
local function metacache()
  local mt = {}
  local obj = setmetatable({}, mt)
  local before = obj.x
  mt.__index = { x = "from __index" }
  local after = obj.x
  local mt2 = {}
  local o2 = setmetatable({}, mt2)
  o2.a = 1
  mt2.__newindex = function(t, k, v) rawset(t, k, "via __newindex " .. tostring(v)) end
  o2.b = 2
  o2.a = 3
  return before, after, o2.a, o2.b
end
print(metacache())

-- __newindex on a table whose empty slots exist (array part and nil-valued nodes).
local function guarded(n)
  local log = {}
  local t = { 1, 2, 3, k = 1 }
  t[2] = nil
  t.k = nil
  setmetatable(t, { __newindex = function(tt, k, v) log[#log + 1] = tostring(k) .. "=" .. tostring(v) end })
  for i = 1, n do
    t[2] = i
    t.k = i
    t[3] = i
  end
  return #log, log[1], log[2], log[#log], t[2], t.k, t[3]
end
print(guarded(4))

-- Globals: new ones and ones set back to nil.
local function globals(n)
  for i = 1, n do
    NEWGLOBAL = i
    NEWGLOBAL = nil
    OTHERGLOBAL = (OTHERGLOBAL or 0) + i
  end
  return NEWGLOBAL, OTHERGLOBAL
end
print(globals(100))

-- Many tables alive while the collector runs (the barriers on a new key and value).
local function barriers(n)
  local keep = {}
  for i = 1, n do
    local t = {}
    t.v = { i }
    t.s = "s" .. i
    keep[#keep + 1] = t
    if i % 50 == 0 then collectgarbage("step") end
  end
  collectgarbage()
  local s = 0
  for i = 1, #keep do s = s + keep[i].v[1] + #keep[i].s end
  return s
end
print(barriers(2000))

-- Errors still raised: a nil and a NaN key.
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(function() local t = {} t[0 / 0] = 1 end))
