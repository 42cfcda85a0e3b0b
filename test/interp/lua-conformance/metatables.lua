-- metatables: __index chains, __newindex, __call, comparisons, __concat, __close, __gc, __len, __tostring, __name
local Base = {} Base.__index = Base
function Base.new(x) return setmetatable({x = x}, Base) end
function Base:get() return self.x end
function Base:kind() return "base" end
local Mid = setmetatable({}, {__index = Base}) Mid.__index = Mid
function Mid:kind() return "mid" end
local Leaf = setmetatable({}, {__index = Mid}) Leaf.__index = Leaf
local l = setmetatable({x = 5}, Leaf)
print(l:get(), l:kind(), rawget(l, "get"), getmetatable(l) == Leaf)
-- __index function and depth
local depth = setmetatable({}, {__index = function(t, k) return k .. "!" end})
print(depth.foo, depth[1], rawget(depth, "foo"))
-- __newindex table and function
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a)
local log = {}
local p2 = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(t, k, v) end})
p2.x = 1 p2.x = 2 p2.y = 3
print(table.concat(log, " "), p2.x)
-- __call
local callable = setmetatable({}, {__call = function(self, a, b) return "called", a, b end})
print(callable(1, 2))
print(pcall(setmetatable({}, {__call = 5})))
-- comparisons
local V = {}
V.__eq = function(a, b) return a.v == b.v end
V.__lt = function(a, b) return a.v < b.v end
V.__le = function(a, b) return a.v <= b.v end
local function v(x) return setmetatable({v = x}, V) end
print(v(1) == v(1), v(1) ~= v(2), v(1) < v(2), v(2) <= v(2), v(3) > v(2), v(3) >= v(4))
print(v(1) == 1, rawequal(v(1), v(1)))
print(pcall(function() return v(1) < 1 end))
-- arithmetic
local A = {}
for _, op in ipairs({"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv", "band", "bor", "bxor", "shl", "shr", "bnot"}) do
  A["__" .. op] = function(a, b) return op end
end
local a = setmetatable({}, A)
print(a + 1, 1 - a, a * a, a / 2, a % 2, a ^ 2, -a, a // 2, a & 1, 1 | a, a ~ a, a << 1, a >> 1, ~a)
-- __concat
local C = setmetatable({}, {__concat = function(x, y)
  local function s(z) return type(z) == "table" and "C" or tostring(z) end
  return s(x) .. "+" .. s(y) end})
print(C .. "a", "a" .. C, 1 .. C, "a" .. "b" .. C)
-- __len, __tostring, __name
print(#setmetatable({}, {__len = function() return 42 end}))
print(tostring(setmetatable({}, {__tostring = function() return "I am T" end})))
print((tostring(setmetatable({}, {__name = "MyType"})):gsub("0x%x+", "ADDR")))
print(pcall(tostring, setmetatable({}, {__tostring = function() return 1 end})))
-- __metatable
local locked = setmetatable({}, {__metatable = "locked"})
print(getmetatable(locked), pcall(setmetatable, locked, {}))
print(getmetatable("abc").__index == string)
-- __pairs
local pp = setmetatable({}, {__pairs = function(t) return function(_, k) if not k then return 1, "one" end end, t, nil end})
for k, val in pairs(pp) do print("pairs", k, val) end
-- __close
do
  local a <close> = setmetatable({}, {__close = function(o, e) print("close a", e) end})
  local b <close> = setmetatable({}, {__close = function(o, e) print("close b", e) end})
  local c <close> = nil
  print("in block")
end
print(pcall(function()
  local x <close> = setmetatable({}, {__close = function(o, e) print("close on error:", e) end})
  error("err in block")
end))
print(pcall(function() local y <close> = {} end))
local function closer(n)
  for i = 1, n do
    local c <close> = setmetatable({}, {__close = function() io.write("c", i, " ") end})
    if i == 2 then break end
  end
  print()
  do
    local r <close> = setmetatable({}, {__close = function() print("closed before return") end})
    return "returned"
  end
end
print(closer(5))
-- tbc in generic for
local function iter()
  local closing = setmetatable({}, {__close = function() print("iterator closed") end})
  local i = 0
  return function() i = i + 1 if i <= 3 then return i end end, nil, nil, closing
end
for i in iter() do if i == 2 then break end end
-- __gc via collectgarbage
local gced = {}
do
  local t = setmetatable({}, {__gc = function(o) gced[#gced + 1] = "collected" end})
  t = nil
end
collectgarbage() collectgarbage()
print(#gced, gced[1])
local order = {}
for i = 1, 3 do setmetatable({}, {__gc = function() order[#order + 1] = i end}) end
collectgarbage()
print(table.concat(order, ","))
print(collectgarbage("count") > 0, collectgarbage("isrunning"), collectgarbage("step"), collectgarbage("incremental"))
print(collectgarbage("generational"), collectgarbage("incremental"))
-- weak tables
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
local keep = {} weak[keep] = 2
collectgarbage()
local n = 0 for _ in pairs(weak) do n = n + 1 end
print("weak", n)
-- __index on strings via string metatable
print(("abc"):upper(), ("x"):rep(3), #"hello")
-- rawlen, rawequal
print(rawlen({1, 2}), rawlen("abc"), pcall(rawlen, 5))
-- __unm and __len on userdata-like tables and inheritance of metamethods through __index: not inherited
local parent = {__add = function() return "p" end}
local child = setmetatable({}, {__index = parent})
print(pcall(function() return setmetatable({}, child) + 1 end))
-- __eq only when both tables
local E = {__eq = function() return true end}
print(setmetatable({}, E) == setmetatable({}, {}), setmetatable({}, E) == 1)
-- __index loop detection
local loop = setmetatable({}, {})
getmetatable(loop).__index = loop
print(pcall(function() return loop.x end))
