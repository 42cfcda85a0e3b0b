-- Calls the specialized code guesses the callee of (lvm.c's wguesses: by name, else the unnamed functions of the
-- call's arity, else the caller itself), where the guess holds and where it does not.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
-- a global reassigned after the call site was guessed
function g(x) return x + 1 end
local function callg(x) return g(x) end
print(callg(1))
g = function(x) return x * 10 end
print(callg(2))
local saved = fib
fib = function(n) return -n end
print(saved(10), fib(10))
-- two classes with one method name, and a method from another class
local Sq = {}; Sq.__index = Sq
function Sq.new(s) return setmetatable({ s = s }, Sq) end
function Sq:area() return self.s * self.s end
local Ci = {}; Ci.__index = Ci
function Ci.new(r) return setmetatable({ r = r }, Ci) end
function Ci:area() return 3 * self.r * self.r end
local total = 0
for _, s in ipairs({ Sq.new(2), Ci.new(1), Sq.new(3) }) do total = total + s:area() end
print(total, Sq.area({ s = 5 }))
-- unnamed functions of one arity, through parameters and upvalues, and one of another arity
local function compose(f, h) return function(x) return f(h(x)) end end
local inc = compose(function(x) return x + 1 end, function(x) return x * 2 end)
local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
print(table.concat(map({ 1, 2, 3 }, inc), " "), table.concat(map({ 4, 5 }, function(x, y) return tostring(y) .. x end), " "))
-- a guessed callee given fewer and more arguments than it takes, and a vararg one
local function three(a, b, c) return tostring(a) .. tostring(b) .. tostring(c) end
print(three(1), three(1, 2, 3, 4))
local function va(...) return select("#", ...), ... end
print(va(), va(1, nil, 3))
-- an error in a guessed callee: its line, and its callers' in the traceback
local function bad(t) return t.x.y end
local function callsbad() local v = bad({}) return v end
print(pcall(callsbad))
print(select(2, xpcall(callsbad, debug.traceback)))
print(pcall(function() local n = 0 return 1 // n end))
-- mutual recursion deep enough to move the stack under guessed calls
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(100000), odd(7))
-- a guessed callee that yields
local co = coroutine.wrap(function(n)
  local function step(i) coroutine.yield(i) return i end
  for i = 1, n do step(i) end
  return "done"
end)
print(co(3), co(), co(), co())
-- a hook set in a guessed callee: the caller goes on under it
local lines = 0
local function sethook() debug.sethook(function() lines = lines + 1 end, "l") end
local function afterhook()
  sethook()
  local x = 1
  x = x + 1
  debug.sethook()
  return x
end
print(afterhook(), lines)
