-- C functions called from Lua functions (lvm.c's wcallC in the specialized copy: OP_CALL and OP_TFORCALL's
-- iterator): results wanted 0, 1, 2 and all, arguments counted by the previous call, errors, yields, a moved stack,
-- hooks switched on by the call, the C-call limit.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(t.n .. ": " .. table.concat(t, " | ")) end

local function results(t)
  local a = math.max(3, 9, 4)
  local b, c = math.modf(7.25)
  local d, e, f = string.byte("xyz", 1, -1)
  local g = select("#", table.unpack(t))
  local h = {table.unpack(t)}
  math.abs(-1)
  local none = print()  -- (prints an empty line)
  return a, b, c, d, e, f, g, #h, none, select(2, "a", "b", "c")
end
show(results({1, 2, nil, 4}))

local function varargs(...)
  return select("#", ...), math.max(...), string.char(string.byte("hello", 1, select("#", ...)))
end
show(varargs(1, 2, 3))

-- errors raised by C functions, caught and not
local function errs(x)
  local ok1, e1 = pcall(string.rep)
  local ok2, e2 = pcall(function() return ("x"):rep(x) end)
  local ok3, e3 = pcall(function() return math.floor({}) end)
  local ok4, e4 = pcall(error, "plain", 0)
  local ok5, e5 = pcall(function() error(setmetatable({}, {__tostring = function() return "obj" end})) end)
  return ok1, e1, ok2, e2, ok3, e3, ok4, e4, ok5, tostring(e5)
end
show(errs(-1))
show(errs("a"))

-- yields from C functions called by Lua: a generator, a yield across pcall, a wrap as an iterator
local function gen(n)
  return coroutine.wrap(function()
    for i = 1, n do coroutine.yield(i, i * i) end
    return "done"
  end)
end
local g = gen(3)
show(g()) show(g()) show(g()) show(g())
show(pcall(g))

local co = coroutine.create(function(a)
  local ok, v = pcall(function()
    local x = coroutine.yield(a + 1)
    local y = coroutine.yield(x * 2)
    error("inner " .. y)
  end)
  coroutine.yield(ok, v)
  return select("#", coroutine.yield())
end)
show(coroutine.resume(co, 1))
show(coroutine.resume(co, 10))
show(coroutine.resume(co, 5))
show(coroutine.resume(co))
show(coroutine.resume(co, 1, 2, 3))
show(coroutine.resume(co))
show(coroutine.status(co))

local sum = 0
for i, sq in gen(5) do if i == "done" then break end sum = sum + i + sq end
print("wrap iterator", sum)

-- C iterators: next, ipairs, gmatch (one and two values)
local function iterate(t, s)
  local n, keys = 0, 0
  for _, v in ipairs(t) do n = n + v end
  for k in next, {a = 1, b = 2, c = 3} do keys = keys + #k end
  local words = {}
  for w in s:gmatch("%a+") do words[#words + 1] = w end
  for k, v in s:gmatch("(%a+)=(%d+)") do words[#words + 1] = k .. v end
  return n, keys, table.concat(words, ",")
end
show(iterate({1, 2, 3, 4}, "x=1 yy=22 zzz"))

-- an iterator that yields (not a soft yield: OP_TFORCALL counts a C call)
local co2 = coroutine.wrap(function()
  local got = {}
  for v in coroutine.yield do got[#got + 1] = v; if #got == 3 then break end end
  return table.concat(got, "+")
end)
show(co2()) show(co2("a")) show(co2("b")) show(co2("c"))

-- a C function that moves the stack (many results), then the registers are used
local function big(n)
  local a, b = 1, 2
  local t = {table.unpack({}, 1, n)}
  local c = select("#", table.unpack({}, 1, n))
  return a + b, #t, c
end
show(big(10)) show(big(20000))

-- hooks switched on and off by C calls
local lines = 0
local function hooked()
  debug.sethook(function() lines = lines + 1 end, "l")
  local x = math.abs(-3)
  debug.sethook()
  return x, lines > 0
end
show(hooked())
local calls = {}
local function hookcalls()
  debug.sethook(function(ev) local i = debug.getinfo(2, "n"); calls[#calls + 1] = ev .. ":" .. tostring(i and i.name) end, "cr")
  local y = math.max(1, 2)
  debug.sethook()
  return y
end
show(hookcalls())
print(table.concat(calls, " "))

-- the C-call limit: nested resumes and C iterators
local function nest(n)
  if n == 0 then return 0 end
  return coroutine.wrap(function() return nest(n - 1) + 1 end)()
end
show(pcall(nest, 50))
local ok, e = pcall(nest, 300)
print(ok, e:match("C stack overflow$"), select(2, e:gsub("c%-calls%.lua:%d+: ", "")))  -- (where the limit fell)
local function deepiter(n)
  if n == 0 then return 0 end
  local s = 0
  for v in function(_, c) if c == nil then return deepiter(n - 1) + 1 end end do s = v end
  return s
end
show(pcall(deepiter, 20))
local ok2, e2 = pcall(deepiter, 250)
print(ok2, (tostring(e2):gsub("^.-:%d+: ", "")))

-- coroutine.wrap's function called from Lua (lcorolib.c's luaB_wauxwrap): arguments and results both ways, many of
-- them, errors of every kind, a dead coroutine, one that resumes itself, to-be-closed variables closed on an error
local function wraps()
  local function call(f, ...) local r = table.pack(f(...)) return table.unpack(r, 1, r.n) end  -- (not a tail call)
  local function call1(f, ...) local v = f(...) return v end
  local echo = coroutine.wrap(function(...)
    local args = table.pack(...)
    while true do args = table.pack(coroutine.yield(table.unpack(args, 1, args.n))) end
  end)
  show(echo()) show(echo(1)) show(echo(nil, 2, nil))
  local many = {}
  for i = 1, 60 do many[i] = i end
  local r = table.pack(call(echo, table.unpack(many)))
  print("many", r.n, r[1], r[60])
  local e1 = coroutine.wrap(function() error("boom") end)
  show(pcall(call, e1))
  show(pcall(call, e1))
  local e2 = coroutine.wrap(function() error({code = 7}) end)
  local ok, obj = pcall(call1, e2)
  print(ok, type(obj), obj.code)
  local e3 = coroutine.wrap(function() coroutine.yield(1); error("later", 2) end)
  show(e3()) show(pcall(call1, e3))
  local self
  self = coroutine.wrap(function() return self() end)
  show(pcall(call, self))
  local closed = {}
  local tbc = coroutine.wrap(function()
    local x <close> = setmetatable({}, {__close = function(_, err) closed[#closed + 1] = tostring(err) end})
    coroutine.yield("open")
    error("with tbc")
  end)
  show(tbc()) show(pcall(call, tbc))
  print("closed", table.concat(closed, ","))
  local outer = coroutine.wrap(function(n)
    local inner = coroutine.wrap(function(m) while true do m = coroutine.yield(m * 2) end end)
    while true do n = coroutine.yield(inner(n) + 1) end
  end)
  show(outer(1), outer(2), outer(3))
  local s = 0
  for v in coroutine.wrap(function() for i = 1, 1000 do coroutine.yield(i) end end) do s = s + v end
  print("sum", s)
end
wraps()
