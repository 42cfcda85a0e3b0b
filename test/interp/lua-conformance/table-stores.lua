-- Table stores in hot loops, the registers used right after them (the specialized copy keeps them known across a
-- field store): fields of every type, new keys and rehashes mid-loop, deletions, __newindex/__index, globals,
-- integer keys with holes, negative and float keys, and errors on bad keys.
local function fields(n)
  local t = { x = 0, y = 0.5, s = "a", b = false }
  local acc, f = 0, 1.5
  for i = 1, n do
    t.x = t.x + i
    acc = acc + i * 2
    t.y = t.y * 1.0001 + f
    f = f + 0.25
    t.s = (i % 3 == 0) and ("s" .. i) or t.s
    t.b = not t.b
    acc = acc + (t.b and 1 or 0)
  end
  return t.x, string.format("%.6f", t.y), t.s, t.b, acc, f
end
print(fields(1000))

-- New keys every iteration: the table rehashes while the loop's locals stay live.
local function grow(n)
  local t, sum, last = {}, 0, nil
  for i = 1, n do
    local k = "k" .. i
    t[k] = i
    t.count = (t.count or 0) + 1
    sum = sum + i
    last = k
  end
  return t.count, sum, last, t.k17, t["k" .. n]
end
print(grow(500))

-- Deleting fields and writing them again.
local d = { a = 1, b = 2, c = 3 }
for i = 1, 10 do
  d.b = nil
  d.a = d.a + i
  d.b = i
end
print(d.a, d.b, d.c, d.z)

-- __newindex (a table and a function) and __index seen from a loop.
local log, store = {}, {}
local proxy = setmetatable({}, {
  __index = store,
  __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(store, k, v) end,
})
local via = setmetatable({}, { __newindex = store })
for i = 1, 3 do
  proxy.p = i
  via.q = i * 10
  proxy["r" .. i] = proxy.p + (store.q or 0)
end
print(table.concat(log, " "), rawget(proxy, "p"), store.p, store.q, rawget(via, "q"), proxy.r3)

-- Globals (SETTABUP) in a loop, read back.
G1, G2 = 0, ""
for i = 1, 20 do
  G1 = G1 + i
  if i % 5 == 0 then G2 = G2 .. i end
end
print(G1, G2)

-- Integer keys: holes, negative and float keys, the array part growing from the hash part.
local a = {}
for i = 10, 1, -1 do a[i] = i * i end
a[0], a[-1], a[2.0], a[1.5] = "zero", "neg", "two", "half"
local s = 0
for i = 1, 10 do s = s + (type(a[i]) == "number" and a[i] or 0) end
print(s, a[0], a[-1], a[2], a[1.5], a[2.0] == a[2])
local h = {}
h[1], h[2], h[4] = 1, 2, 4
h[3] = 3
print(#h, h[3], h[5])
for i = 1, 100 do h[i] = i end
for i = 1, 100, 2 do h[i] = nil end
local n, odd = 0, 0
for k, v in pairs(h) do n = n + 1; if k % 2 == 1 then odd = odd + 1 end end
print(n, odd, h[100], h[99])

-- Storing into fields while traversing with pairs (assigning existing keys is allowed).
local p = { a = 1, b = 2, c = 3, d = 4 }
local total = 0
for k, v in pairs(p) do p[k] = v * 10; total = total + v end
print(total, p.a + p.b + p.c + p.d)

-- Computed keys (GETTABLE/SETTABLE with a key in a register): short strings, long strings, an __index fallback, and
-- registers read after the lookups.
local base = setmetatable({}, { __index = function(_, k) return "dflt:" .. k end })
local longk = string.rep("long", 12)
base[longk] = 1
local hits, acc2 = 0, 0
for i = 1, 40 do
  local k = "c" .. (i % 7)
  local v = rawget(base, k)
  if v then hits = hits + 1; base[k] = v + i else base[k] = i end
  base[longk] = base[longk] + i
  acc2 = acc2 + base[k] + #tostring(base["missing" .. (i % 2)])
end
print(hits, acc2, base.c0, base.c6, base[longk], base.absent, base[string.rep("long", 12)])

-- Bad keys.
print(pcall(function() local t = {}; t[nil] = 1 end))
print(pcall(function() local t = {}; t[0 / 0] = 1 end))
print(pcall(function() local t; t.x = 1 end))
