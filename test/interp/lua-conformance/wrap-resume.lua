-- coroutine.wrap resumed after a plain yield (lua-weval.patch's luaD_wresume) and after every other kind of yield
local function show(...) print(select("#", ...), ...) end

-- a yield called by OP_CALL: 0, 1 and 3 results asked, 0, 1 and 3 arguments passed
local g = coroutine.wrap(function(a)
  print("start", a)
  coroutine.yield(1)
  local x = coroutine.yield(2)
  print("x", x)
  local p, q, r = coroutine.yield(3, 4, 5)
  print("pqr", p, q, r)
  local t = { coroutine.yield() }
  print("t", #t, t[1], t[3])
  return "done", a
end)
show(g("A"))
show(g("ignored", "too"))
show(g("X"))
show(g(7, 8, 9))
show(g(nil, nil, "three", "four"))
print(pcall(g))

-- a yield called by OP_TFORCALL (coroutine.yield as the iterator)
local it = coroutine.wrap(function()
  local n = 0
  for k, v in coroutine.yield, "s" do
    n = n + 1
    print("loop", n, k, v)
    if n == 3 then break end
  end
  return "it done"
end)
show(it())
show(it(1, "a"))
show(it(2, "b"))
show(it(3, "c"))

-- a yield in a metamethod (not a soft yield: luaD_call) and in a Lua function it calls
local mt = { __index = function(t, k) return coroutine.yield("index " .. k) end,
             __add = function(a, b) local r = coroutine.yield("add") return r * 2 end,
             __lt = function(a, b) return coroutine.yield("lt") end }
local m = coroutine.wrap(function()
  local o = setmetatable({}, mt)
  local v = o.foo
  print("got v", v)
  local s = o + 1
  print("got s", s)
  if o < o then print("less") else print("not less") end
  local function inner() return coroutine.yield("inner") + 1 end
  print("inner gave", inner())
  return "m done"
end)
show(m())
show(m("V"))
show(m(21))
show(m(true))
show(m(41))

-- a yield inside pcall inside the coroutine, and errors after a resume
local e = coroutine.wrap(function()
  local ok, err = pcall(function()
    local v = coroutine.yield("in pcall")
    error("raised " .. v)
  end)
  print("pcall", ok, err)
  local ok2, v2 = pcall(coroutine.yield, "yield as pcall's function")
  print("pcall2", ok2, v2)
  local w = coroutine.yield("before error")
  error({ code = w })
end)
show(e())
show(e("one"))
show(e("two"))
local ok, err = pcall(e, 42)
print(ok, type(err), err.code)
print(pcall(e))

-- nested generators, a generator passing values through
local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function filter(p, src)
  return coroutine.wrap(function() for v in src do if p(v) then coroutine.yield(v) end end end)
end
local sum = 0
for v in filter(function(x) return x % 3 == 0 end, gen(1000)) do sum = sum + v end
print("sum", sum)

-- a hook set inside a resumed coroutine, and a to-be-closed variable closed by an error after a resume
local hooked = coroutine.wrap(function()
  coroutine.yield("h1")
  local count = 0
  debug.sethook(function() count = count + 1 end, "l")
  local a = 1
  a = a + 1
  debug.sethook()
  coroutine.yield("h2", count > 0)
  return "h3"
end)
show(hooked())
show(hooked())
show(hooked())
local closer = coroutine.wrap(function()
  local x <close> = setmetatable({}, { __close = function(_, err) print("closed", err) end })
  coroutine.yield("open")
  error("boom", 0)
end)
show(closer())
print(pcall(closer))

-- where the C-call limit falls for wraps resumed after plain yields, nested
local depth = 0
local function nest()
  local co
  co = coroutine.wrap(function()
    coroutine.yield()
    depth = depth + 1
    local inner = nest()
    inner()
    return inner()
  end)
  co()
  return co
end
local ok3, err3 = pcall(function()
  local c = nest()
  return c()
end)
local _, levels = tostring(err3):gsub("wrap%-resume%.lua:%d+: ", "")
print("nested", ok3, depth, levels, (tostring(err3):gsub("^.*: ", "")))

-- coroutine.yield where it cannot yield softly: the main thread, a C boundary, a coroutine.resume inside a wrap
print(pcall(function() coroutine.yield(1) end))
print(pcall(function() local t = {} table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end))
local outer = coroutine.wrap(function()
  local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
  print("inner", coroutine.resume(co, 1))
  coroutine.yield("outer yields")
  print("inner", coroutine.resume(co, 20))
  print("inner", coroutine.resume(co))
  return "outer done"
end)
show(outer())
show(outer())
