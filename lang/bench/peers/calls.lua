local function step(acc, i, k) return acc + i * k end
local acc = 0
for i = 0, 999999 do acc = step(acc, i, 3) end
print(acc)
