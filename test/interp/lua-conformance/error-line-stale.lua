-- the line of an error raised where Lua 5.4.4 saves no pc (IDIV/MOD and their K forms by an integer zero: the last
-- saved pc's line), after a statement whose pc the specialized copy does not save (SELF's method from an __index
-- table, FORPREP over numbers); and errors that do save it (float division, concat, length, comparison, for)
local C = {}
C.__index = C
function C.new() return setmetatable({}, C) end
function C:bump(v) return v end
local function g() return 1 end
local function report(name, f, ...)
  print(name, pcall(f, ...))
end

local function method_idiv(a)
  local o = C.new()
  return o:bump(255 // a)
end
local function method_mod(a)
  local o = C.new()
  return o:bump(a % a)
end
local function method_idivk(a)
  local o = C.new()
  return o:bump(a // 0)
end
local function method_modk(a)
  local o = C.new()
  return o:bump(a % 0)
end
local function for_idiv(a)
  local x = g()
  for i = 1, 2 do
    x = x + i // a
  end
  return x
end
local function for_then_method(a)
  local x = g()
  for i = 1, 2 do x = x + i end
  local o = C.new()
  return o:bump(x % a)
end
local function plain_idiv(a)
  local x = g()
  local y = a + 1
  return x + y // a
end
local function div_float(a)
  local o = C.new()
  return o:bump(1 / a)
end
local function concat(a)
  local o = C.new()
  return o:bump("x" .. a)
end
local function len(a)
  local o = C.new()
  return o:bump(#a)
end
local function compare(a)
  local o = C.new()
  return o:bump(a < "x")
end
local function for_bad(a)
  local x = g()
  for i = 1, a do x = x + i end
  return x
end
local function for_zero_step(a)
  local x = g()
  for i = 1, 2, a do x = x + i end
  return x
end

report("method_idiv", method_idiv, 0)
report("method_mod", method_mod, 0)
report("method_idivk", method_idivk, 7)
report("method_modk", method_modk, 7)
report("for_idiv", for_idiv, 0)
report("for_then_method", for_then_method, 0)
report("plain_idiv", plain_idiv, 0)
report("div_float", div_float, 0)
report("concat", concat, nil)
report("len", len, 5)
report("compare", compare, 1)
report("for_bad", for_bad, "x")
report("for_zero_step", for_zero_step, 0)
