-- OP_CONCAT: short strings and integers joined in one buffer (lvm.c's wconcat in the specialized copy), and what it
-- leaves to luaV_concat: floats, long strings and results, empty strings, metamethods, errors.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(table.concat(t, " | ")) end

local function ints()
  local out = {}
  for _, v in ipairs({0, 1, -1, 9, 10, -10, 99, 100, 4294967295, 4294967296, -4294967296, 123456789012,
                      math.maxinteger, math.mininteger, math.mininteger + 1}) do
    out[#out + 1] = "k" .. v .. "/" .. v
  end
  return table.concat(out, " ")
end
print(ints())

local function parts(a, b, c)
  return a .. "," .. b .. ";" .. c, b .. a, c .. c .. c
end
show(parts(1, "two", 3))
show(parts("", "", ""))
show(parts(-7, "", 0))

-- the short/long boundary: 40 bytes is short, 41 long
local function boundary(n)
  local s = string.rep("x", n)
  local r1 = s .. 7
  local r2 = 7 .. s
  local r3 = s .. "yz"
  return #r1, #r2, #r3, r1 == string.rep("x", n) .. "7", r3:sub(-3)
end
for _, n in ipairs({37, 38, 39, 40, 41, 60}) do show(boundary(n)) end

-- floats go to luaV_concat
local function floats(x) return "f" .. x, x .. "" end
for _, x in ipairs({1.5, 3.0, -0.0, 2^53, 1e100, 0.1, -1e-300, 1/0, -1/0}) do show(floats(x)) end

-- empty strings and one-sided results
local function empties(s, i) return "" .. i, i .. "", s .. "", "" .. s, "" .. "" end
show(empties("abc", 42))
show(empties("", -1))

-- interning: equal results are one string, usable as table keys
local function keys(n)
  local t, count = {}, 0
  for i = 1, n do
    local k = "key" .. (i % 97)
    if t[k] == nil then count = count + 1 end
    t[k] = (t[k] or 0) + i
  end
  return count, t.key0, t.key96, t["key" .. 5], rawequal("key" .. 5, "key5")
end
show(keys(10000))
collectgarbage()
show(keys(500))

-- metamethods and errors
local mt = {__concat = function(a, b)
  local x = type(a) == "table" and a.v or a
  local y = type(b) == "table" and b.v or b
  return "<" .. tostring(x) .. "+" .. tostring(y) .. ">"
end}
local function meta(o) return "a" .. o, o .. 1, 1 .. o .. "z", o .. o end
show(meta(setmetatable({v = "T"}, mt)))
local x
show(pcall(function() return "a" .. x end))
show(pcall(function() return "a" .. 1 .. true end))
show(pcall(function() local t = {} return 1 .. t end))
show(pcall(function() return "s" .. {} .. 2 end))

-- in a coroutine, and with a long string operand
local co = coroutine.wrap(function(n)
  for i = 1, n do coroutine.yield("c" .. i .. ":" .. string.rep("-", i)) end
end)
for _ = 1, 3 do print(co(3)) end
local long = string.rep("L", 50)
show(#("p" .. long .. 1), ("p" .. long .. 1):sub(-3), #(long .. long))

-- a number register is not changed by the concatenation
local function regs(a, b)
  local s = a .. b
  return s, math.type(a), math.type(b), a + b
end
show(regs(12, 34))
show(regs(1, 2.5))
