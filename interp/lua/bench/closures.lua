-- closures and upvalues: counters, composition, higher-order functions
local function counter() local n = 0; return function(d) n = n + d; return n end end
local function compose(f, g) return function(x) return f(g(x)) end end
local function map(t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local inc = compose(function(x) return x + 1 end, function(x) return x * 2 end)
local c = counter()
local t = {}
for i = 1, 100 do t[i] = i end
local s = 0
for _ = 1, 10000 do
  local r = map(t, inc)
  s = s + r[100] + c(1)
end
print(s)
