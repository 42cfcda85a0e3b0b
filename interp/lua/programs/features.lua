-- Lua features through futamura, interpreted and wevaled alike: errors, pcall/xpcall, coroutines, deep recursion,
-- tail calls, closures, varargs, goto, integers and floats, metatables, the string, table, math and utf8 libraries.

-- errors and protected calls
print(pcall(error, "plain"))
print(select("#", pcall(error, { code = 7 })), type(select(2, pcall(error, { code = 7 }))))
print(select(2, pcall(error, setmetatable({}, { __tostring = function() return "custom" end }))) ~= nil)
print(pcall(function() local t = nil; return t.field end))
print(pcall(function() return 1 + {} end))
print(pcall(function() return #5 end))
print(pcall(function() error("with level 2", 2) end))
print(xpcall(function() error("to the handler") end, function(m) return "handled: " .. m end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
print(pcall(pcall, error, "nested"))
local ok, err = pcall(function() local x <close> = setmetatable({}, { __close = function() print("closed") end }); error("after close") end)
print(ok, err)
print(select("#", pcall(error)))

-- coroutines: resume/yield/wrap, yield across pcall, errors inside, status
local gen = coroutine.wrap(function(a)
  for i = 1, 3 do a = coroutine.yield(a * i) end
  return "end " .. a
end)
print(gen(2), gen(5), gen(7), gen(9))
local co = coroutine.create(function(x)
  local ok, v = pcall(function() return coroutine.yield(x + 1) * 2 end)
  print("inside", ok, v, coroutine.isyieldable(), coroutine.status(coroutine.running()))
  local ok2, e2 = pcall(function() coroutine.yield("again"); error("boom in coroutine") end)
  print("inside", ok2, e2)
  error({ msg = "table error" })
end)
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 21))
local okc, ec = coroutine.resume(co)
print(okc, type(ec), ec.msg, coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(coroutine.create(function() return coroutine.isyieldable() end)))
local function producer() return coroutine.wrap(function() for i = 1, 4 do coroutine.yield(i) end end) end
local sum = 0
for v in producer() do sum = sum + v end
print("sum", sum)
print(pcall(coroutine.wrap(function() error("wrapped error") end)))
print(coroutine.close(coroutine.create(function() end)))
-- yields that return through the frames (no C call in between) and ones that must unwind (a C call in between)
local function deep(n) if n == 0 then return coroutine.yield("bottom", n) end local r = deep(n - 1) return r + 1 end
local dco = coroutine.wrap(function(...) local x = deep(5); local a, b = coroutine.yield(x, ...); return "done", a, b end)
print(dco("arg"), dco(10), dco(1, 2))
local nested = coroutine.wrap(function()
  local inner = coroutine.wrap(function() for i = 1, 3 do coroutine.yield("in" .. i) end end)
  for i = 1, 3 do coroutine.yield(inner() .. "/out" .. i) end
end)
print(nested(), nested(), nested())
local meta = setmetatable({}, { __index = function(_, k) return coroutine.yield("index " .. k) end })
local mco = coroutine.wrap(function() local v = meta.key; for w in function() return coroutine.yield("iter") end do return v, w end end)
print(mco(), mco("got"), mco("w"))
print(pcall(coroutine.wrap(function() table.sort({ 3, 2, 1 }, function(a, b) coroutine.yield() return a < b end) end)))
local pco = coroutine.create(function() local ok, v = pcall(coroutine.yield, "p1"); coroutine.yield(ok, v); return select("#", coroutine.yield()) end)
print(coroutine.resume(pco)); print(coroutine.resume(pco, "v1")); print(coroutine.resume(pco)); print(coroutine.resume(pco, 1, 2, 3))
print(coroutine.status(pco), coroutine.resume(pco))

-- deep recursion and tail calls
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(100000))
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
print(count(1000000, 0))
local ok2, e2 = pcall(depth, 1e7)
print(ok2, e2)
local function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(100001))

-- closures and upvalues
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc(); inc()
print(get())
local fs = {}
for i = 1, 3 do fs[i] = function() return i * 10 end end
print(fs[1](), fs[2](), fs[3]())

-- varargs
local function va(...)
  local n = select("#", ...)
  return n, ..., table.pack(...).n
end
print(va())
print(va(1, nil, 3))
print(table.unpack({ 1, 2, 3 }, 2))
print((va(4, 5)))

-- goto
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ":", j, " ")
    ::continue::
  end
end
print()

-- integers and floats
print(7 // 2, 7 % 3, -7 // 2, -7 % 3, 7 / 2, 2 ^ 53, 1e15, 1e16, 0.1 + 0.2)
print(math.maxinteger + 1 == math.mininteger, math.maxinteger // -1, 3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 62, 1 >> 1)
print(math.type(1), math.type(1.0), math.type("1"), 1 == 1.0, math.tointeger(3.0), 3 // 0.0, -3 % math.huge)
print(pcall(function() return 1 // 0 end))
print(string.format("%.14g %d %5.1f %x %q", math.pi, 42, 2.25, 255, 1 / 3))
print(tostring(1e100), tostring(-0.0), 2 ^ 63 == math.maxinteger + 1.0, "10" + 5, "3" * "4", 10 .. 20)
print(math.floor(-3.5), math.ceil(-3.5), math.abs(math.mininteger), math.fmod(-7, 3), math.ult(1, -1))

-- metatables
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({ x = a.x + b.x }, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__tostring = function(v) return "V(" .. v.x .. ")" end
V.__len = function(v) return v.x end
V.__call = function(v, y) return v.x * y end
V.__concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end
V.__unm = function(a) return setmetatable({ x = -a.x }, V) end
function V.new(x) return setmetatable({ x = x }, V) end
function V:double() return V.new(self.x * 2) end
local a, b = V.new(1), V.new(2)
print(tostring(a + b), a == V.new(1), a < b, a <= b, #b, b(21), a .. b, tostring(-a), tostring(b:double()))
local proxy = setmetatable({}, { __index = function(_, k) return k .. "!" end, __newindex = function(t, k, v) rawset(t, k, v * 2) end })
proxy.y = 21
print(proxy.x, proxy.y, rawget(proxy, "x"))
local weak = setmetatable({}, { __mode = "k" })
print(getmetatable("abc").__index == string, next({}))

-- strings
local s = "The quick brown fox"
print(s:upper(), s:len(), s:sub(5, 9), s:sub(-3), s:byte(1), string.char(72, 105))
print(s:find("quick"), s:find("o", 1, true), s:match("(%a+) (%a+)$"), s:gsub("%w+", "<%0>"))
print(("x = 1, y = 22"):gsub("(%w+) = (%w+)", "%2 = %1"))
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do io.write(k, "->", v, " ") end
print()
print(string.format("[%10s][%-10s][%5d][%-5d][%05.1f]", "hi", "hi", 42, 42, 3.14159))
print(("abc"):rep(3, ","), ("hello"):reverse(), string.format("%s %s", nil, true), #string.rep("a", 1000))
print(string.pack and #string.pack("i4", 7), string.unpack("i4", string.pack("i4", -2)))
print(tostring(nil), tonumber("0x10"), tonumber("10", 2), tonumber("  12  "), tonumber("z", 36), tonumber("1e2"))
print(("%d items"):format(3), ("a,b,,c"):find(",,"), ("key=val"):match("^(%w+)=(%w*)$"))
print(utf8.char(72, 228, 8364), utf8.len("häé"), #"ä")

-- tables
local t = { 5, 2, 8, 1, 9 }
table.sort(t)
print(table.concat(t, " "), #t, select("#", table.unpack(t)))
table.sort(t, function(x, y) return x > y end)
table.insert(t, 1, 0)
table.insert(t, 7)
print(table.concat(t, ","), table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.concat(table.move({ 1, 2, 3 }, 1, 3, 2), ","))
local keys = {}
for k in pairs({ a = 1, b = 2, c = 3 }) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys))
for i, v in ipairs({ "x", "y", nil, "z" }) do io.write(i, v, " ") end
print()

-- load, string.dump, the environment
print(load("return 2 + 3")(), load("syntax error here"))
local f = load(string.dump(function(x) return x * 7 end))
print(f(6))
local env = { print = print }
load("x = 5; print(x)", "chunk", "t", env)()
print(x, env.x)
print(pcall(load("error('in loaded code')", "=loaded")))
print(#arg >= 0, type(os.time()), type(os.clock()), type(os.getenv), type(os.date("%Y")))
print(io.write("io.write returns the file: ") == io.stdout, io.stdout ~= nil)
print(collectgarbage("count") > 0, collectgarbage() == 0)
print(string.format("%g", 2^0.5), math.sqrt(16), math.max(3, 9, 2), math.min(1.5, -2))
print(select(-1, 1, 2, 3), rawequal(t, t), rawlen({ 1, 2 }), type(print), tostring(print):match("^builtin") or "function")

-- a runtime error at top level ends the script
local function check(x) if type(x) ~= "number" then error("expected a number, got " .. type(x)) end return x end
print(check(41) + 1)
local t = setmetatable({}, { __index = function(_, k) return check(k) end })
print(t[1])
print(t.name)
