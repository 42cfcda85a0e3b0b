-- allocation: binary trees built and checked (after the Computer Language Benchmarks Game)
local function make(d) if d == 0 then return {} end return { make(d - 1), make(d - 1) } end
local function check(t) if not t[1] then return 1 end return 1 + check(t[1]) + check(t[2]) end
local total = 0
for d = 4, 12, 2 do
  local iters = 1 << (12 - d + 2)
  for _ = 1, iters do total = total + check(make(d)) end
end
print(total)
