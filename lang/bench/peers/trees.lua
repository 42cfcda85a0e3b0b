local function make(depth)
  if depth > 0 then return { make(depth - 1), make(depth - 1) } end
  return {}
end
local function check(node)
  if node[1] == nil then return 1 end
  return 1 + check(node[1]) + check(node[2])
end
local minDepth, maxDepth = 4, 10
print(check(make(maxDepth + 1)))
local longLived = make(maxDepth)
for depth = minDepth, maxDepth, 2 do
  local iterations = 1 << (maxDepth - depth + minDepth)
  local total = 0
  for _ = 1, iterations do total = total + check(make(depth)) end
  print(total)
end
print(check(longLived))
