-- Classes through metatables, as the specialized copy runs them: setmetatable called and tail-called from a Lua
-- function (lvm.c's wsetmetatable: two tables, a metatable without __metatable), what it leaves to the library
-- (protected metatables, nil, wrong types, other argument counts), __gc and __mode set by it; method lookups through
-- __index tables and functions, inheritance chains changed mid-loop, keys added after a miss, rawget/rawset, tables
-- rehashed, __newindex; strings made by concatenation interned (lvm.c's wintern) across collections.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " | ")) end

-- setmetatable's cases
local function tail(t, mt) return setmetatable(t, mt) end
local function call(t, mt) local r = setmetatable(t, mt); return r end
local function two(t, mt) local a, b = setmetatable(t, mt); return a, b end
local function none(t, mt) setmetatable(t, mt) end
local mt1, mt2 = { name = "mt1" }, { name = "mt2" }
local t = {}
show(tail(t, mt1) == t, getmetatable(t).name)
show(call(t, mt2) == t, getmetatable(t).name)
show(two(t, mt1) == t, select("#", two(t, mt1)), getmetatable(t).name)
none(t, mt2); show(getmetatable(t).name)
show(pcall(tail, t, nil)); show(getmetatable(t))
show(pcall(tail, 1, mt1))
show(pcall(tail, t, 1))
show(pcall(tail, t, "x"))
show(pcall(function () return setmetatable(t) end))
show(pcall(function () return setmetatable() end))
show(select("#", setmetatable(t, mt1, "extra")), getmetatable(t).name)
show(pcall(function (...) return setmetatable(...) end, t, mt2, 3, 4))

-- protected metatables: any value but nil protects; the field looked up raw, through a chain of colliding keys
local prot = { __metatable = "locked" }
for c = string.byte("a"), string.byte("z") do prot[string.char(c) .. "field"] = c end
local p = tail({}, prot)
show(getmetatable(p), pcall(tail, p, mt1))
show(pcall(call, p, nil))
prot.__metatable = false
show(getmetatable(p), pcall(tail, p, mt1))
prot.__metatable = nil
show(tail(p, mt1) == p, getmetatable(p).name)
local idx = setmetatable({}, { __index = function (_, k) return k == "__metatable" and "via __index" or nil end })
local viaindex = setmetatable({}, idx)
show(getmetatable(viaindex) == idx, pcall(tail, viaindex, mt2))
local mtprot = setmetatable({}, { __metatable = "mt's own" })
local q = tail({}, mtprot)
show(getmetatable(q) == mtprot, tail(q, mt1) == q)
rawset(mt1, "__metatable", "late")
show(pcall(tail, q, mt2))
show(pcall(call, q, mt2))
rawset(mt1, "__metatable", nil)
show(tail(q, mt2) == q, getmetatable(q).name)

-- __gc and __mode through the inline setmetatable
local log = {}
local gcmt = { __gc = function (o) log[#log + 1] = o.id end }
local function make(id) return tail({ id = id }, gcmt) end
for i = 1, 5 do make(i) end
collectgarbage(); collectgarbage()
table.sort(log); show(table.unpack(log))
local late = {}
local obj = tail({ id = "late" }, late)
late.__gc = function (o) log[#log + 1] = o.id end  -- after setmetatable: not marked for finalization
obj = nil; collectgarbage(); collectgarbage()
show(#log, log[#log])
local cachedmt = {}
local _ = tail({}, cachedmt)
cachedmt.__gc = function (o) log[#log + 1] = "cached " .. o.id end
local o2 = tail({ id = "x" }, cachedmt)  -- __gc present now: marked
o2 = nil; collectgarbage(); collectgarbage()
show(#log, log[#log])
local weak = tail({}, { __mode = "k" })
for i = 1, 10 do weak[{}] = i end
weak[t] = "kept"
collectgarbage(); collectgarbage()
local n = 0; for _ in pairs(weak) do n = n + 1 end
show(n, weak[t])

-- classes: methods through __index tables, chains, changes mid-loop
local Base = {}; Base.__index = Base
function Base.new(x) return setmetatable({ x = x }, Base) end
function Base:get() return self.x end
function Base:kind() return "base" end
local Mid = setmetatable({}, { __index = Base }); Mid.__index = Mid
function Mid.new(x) local o = Base.new(x); return setmetatable(o, Mid) end
function Mid:kind() return "mid" end
local Leaf = setmetatable({}, { __index = Mid }); Leaf.__index = Leaf
function Leaf.new(x) local o = Mid.new(x); o.extra = x * 2; return setmetatable(o, Leaf) end
local out = {}
for i = 1, 12 do
  local o = (i % 3 == 0 and Leaf or i % 3 == 1 and Mid or Base).new(i)
  if i == 5 then function Leaf:kind() return "leaf" end end
  if i == 7 then Mid.kind = nil end
  if i == 9 then rawset(Base, "get", function (self) return -self.x end) end
  if i == 10 then getmetatable(Mid).__index = function (_, k) return function () return "fn " .. k end end end
  if i == 11 then o.kind = function () return "own" end end
  out[#out + 1] = o:kind() .. ":" .. tostring(o:get()) .. ":" .. tostring(rawget(o, "kind") ~= nil)
end
print(table.concat(out, " "))
-- keys added after a miss, tables rehashed under a method's lookup
local C = {}; C.__index = C
local inst = setmetatable({}, C)
local seen = {}
for i = 1, 40 do
  seen[#seen + 1] = tostring(inst.m and inst:m())
  if i == 3 then function C:m() return "c" end end
  if i % 5 == 0 then C["pad" .. i] = i end  -- the class's hash part grows
  if i == 20 then inst.m = function () return "own" end end
  if i == 30 then inst.m = nil end
  if i == 35 then rawset(inst, "m", nil); C.m = nil end
end
print(table.concat(seen, ","))
-- __newindex tables and functions with setmetatable in between
local store = {}
local ni = setmetatable({}, { __newindex = store })
for i = 1, 4 do ni["k" .. i] = i end
show(rawget(ni, "k1"), store.k4)
setmetatable(ni, { __newindex = function (t, k, v) rawset(t, k, v * 10) end })
ni.k5 = 5; show(rawget(ni, "k5"))
setmetatable(ni, nil); ni.k6 = 6; show(rawget(ni, "k6"))

-- concatenated keys interned across collections (dead strings resurrected or made again)
local h = {}
for round = 1, 3 do
  for i = 1, 300 do
    local k = "key" .. (i % 50) .. "_" .. round
    h[k] = (h[k] or 0) + 1
  end
  collectgarbage("step", 10)
end
for i = 1, 200 do local _ = "tmp" .. i end
collectgarbage()
for i = 1, 200 do local s = "tmp" .. i; h[s] = #s end
local cnt, sum = 0, 0
for k, v in pairs(h) do cnt = cnt + 1; sum = sum + v end
show(cnt, sum, h["key7_2"], h["tmp150"], rawequal("key" .. 3 .. "_" .. 1, "key3_1"))
