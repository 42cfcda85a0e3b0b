-- floats: the Mandelbrot set, counted
local function mandel(w)
  local count = 0
  for y = 0, w - 1 do
    local ci = 2.0 * y / w - 1.0
    for x = 0, w - 1 do
      local cr = 2.0 * x / w - 1.5
      local zr, zi, i = 0.0, 0.0, 0
      while i < 50 and zr * zr + zi * zi < 4.0 do
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        i = i + 1
      end
      if i == 50 then count = count + 1 end
    end
  end
  return count
end
print(mandel(250))
