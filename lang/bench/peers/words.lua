local syllables = { "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi" }
local seed = 7
local function next(n)
  seed = seed * 16807 % 2147483647
  return seed % n
end
local counts = {}
local distinct = 0
for _ = 1, 100000 do
  local parts = {}
  for k = 1, 1 + next(3) do parts[k] = syllables[next(#syllables) + 1] end
  local word = table.concat(parts)
  local c = counts[word]
  if c == nil then distinct = distinct + 1; c = 0 end
  counts[word] = c + 1
end
local best, bestCount, total = "", 0, 0
for w, c in pairs(counts) do
  total = total + #w
  if c > bestCount or (c == bestCount and w < best) then best, bestCount = w, c end
end
print(distinct)
print(best, bestCount)
print(total)
