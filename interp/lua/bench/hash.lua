-- tables as hashes: string keys built, counted and summed
local t = {}
for i = 1, 100000 do t["k" .. (i % 5000)] = (t["k" .. (i % 5000)] or 0) + i end
local n, sum = 0, 0
for k, v in pairs(t) do n = n + 1; sum = sum + v end
local h = {}
for i = 1, 150000 do h[i * 7 % 100003] = i end
local m = 0
for k in pairs(h) do m = m + 1 end
print(n, sum, m)
