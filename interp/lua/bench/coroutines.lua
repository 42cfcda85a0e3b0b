-- coroutines: a generator pipeline (produce, filter, consume)
local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function filter(p, g) return coroutine.wrap(function() for v in g do if p(v) then coroutine.yield(v) end end end) end
local s = 0
for v in filter(function(x) return x % 3 == 0 end, gen(300000)) do s = s + v end
print(s)
