local inside = 0
for y = 0, 199 do
  for x = 0, 199 do
    local cr = x * 3.0 / 200 - 2.0
    local ci = y * 2.0 / 200 - 1.0
    local zr, zi, k = 0.0, 0.0, 0
    while k < 100 and zr * zr + zi * zi <= 4.0 do
      local t = zr * zr - zi * zi + cr
      zi = 2.0 * zr * zi + ci
      zr = t
      k = k + 1
    end
    if k == 100 then inside = inside + 1 end
  end
end
print(inside)
