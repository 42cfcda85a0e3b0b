-- Calls that pass on all of a call's results (f(g(x)): B = 0, C = 0), as the specialized copy makes them: a Lua
-- callee called directly with its arguments counted up to the top (lvm.c's wcall), C functions' results moved once
-- (wcallC, wtailcallC's LUA_MULTRET case), and what stays on the stock path: more than 255 arguments, C functions that
-- leave a to-be-closed slot (luaL_Buffer's box), hooks, errors and yields in between.
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(t.n, table.concat(t, " | ")) end
local function none() end
local function one(x) return x end
local function three(a) return a, a + 1, a + 2 end
local function many(n) local t = {} for i = 1, n do t[i] = i end return table.unpack(t) end
local function count(...) return select("#", ...) end
local function fixed(a, b, c) return a, b, c end
local function sum(...) local s = 0 for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end return s end

show(fixed(none()))
show(fixed(one(1)))
show(fixed(three(1)))
show(fixed(0, three(10)))
show(count(none()), count(one(nil)), count(three(1)), count(many(254)), count(many(255)), count(many(300)))
show(sum(many(100)), sum(many(254)), sum(many(255)), sum(many(256)), sum(many(1000)))
show(fixed(fixed(fixed(three(5)))))
show(sum(fixed(three(2))), #{ three(7) }, #{ many(300) })

-- C functions' results, all of them, plain and tail-called
local function bytes(s) return string.byte(s, 1, -1) end
local function tailsel(...) return select(...) end
local function tailunpack(t, i, j) return table.unpack(t, i, j) end
local function tailconcat(t) return table.concat(t, ",") end
local function tailrep(s, n) return string.rep(s, n) end
show(bytes("hello"))
show(count(bytes("")), count(bytes("abc")))
show(tailsel(2, "a", "b", "c"))
show(tailsel("#", 1, 2, 3))
show(count(tailsel(1)), count(tailunpack({}, 1, 0)), count(tailunpack({ 1, 2 }, 1, 5)))
show(sum(tailunpack(many and { many(300) } or {}, 1, 300)))
local big = {} for i = 1, 3000 do big[i] = i % 10 end
local s = tailconcat(big)  -- a buffer larger than LUAL_BUFFERSIZE: a to-be-closed box
show(#s, s:sub(1, 9), #tailrep("ab", 5000), count(tailrep("x", 10000)))
show(#select(1, tailconcat(big)), count(tailconcat(big), tailconcat({})))
show(pcall(tailsel, 0, "x"))
show(pcall(function (...) return select(...) end, -5, "x"))
show(pcall(sum, tailsel(1, 1, {}, 3)))

-- yields and hooks between
local co = coroutine.wrap(function (...)
  local a = { coroutine.yield(three(1)) }
  show(table.unpack(a))
  return sum(coroutine.yield(many(5)))
end)
show(co())
show(co(7, 8, 9))
show(co(many(20)))
local calls = 0
debug.sethook(function () calls = calls + 1 end, "c")
show(fixed(three(3)), sum(many(10)))
debug.sethook()
print(calls > 0)
-- a moved stack: results that need more room than the frame has
local function deep(n) if n == 0 then return many(5000) end return deep(n - 1) end
show(count(deep(3)), sum(deep(2)))
show(count(table.unpack(big)), sum(table.unpack(big, 1, 2000)))
