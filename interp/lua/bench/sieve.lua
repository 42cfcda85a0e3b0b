-- tables as arrays: the sieve of Eratosthenes, several times
local function sieve(n)
  local composite, count = {}, 0
  for i = 2, n do composite[i] = false end
  for i = 2, n do
    if not composite[i] then
      count = count + 1
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return count
end
local c
for _ = 1, 5 do c = sieve(300000) end
print(c)
