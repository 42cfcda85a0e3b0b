local total = 0
for i = 0, 2999 do
  for j = 0, 2999 do total = total + i * j // 1000 + 1 end
end
print(total)
