-- floats in tables: the n-body simulation (after the Computer Language Benchmarks Game)
local PI, DAYS = math.pi, 365.24
local SOLAR = 4 * PI * PI
local bodies = {
  { x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0, mass = SOLAR },
  { x = 4.84143144246472090e+00, y = -1.16032004402742839e+00, z = -1.03622044471123109e-01, vx = 1.66007664274403694e-03 * DAYS, vy = 7.69901118419740425e-03 * DAYS, vz = -6.90460016972063023e-05 * DAYS, mass = 9.54791938424326609e-04 * SOLAR },
  { x = 8.34336671824457987e+00, y = 4.12479856412430479e+00, z = -4.03523417114321381e-01, vx = -2.76742510726862411e-03 * DAYS, vy = 4.99852801234917238e-03 * DAYS, vz = 2.30417297573763929e-05 * DAYS, mass = 2.85885980666130812e-04 * SOLAR },
  { x = 1.28943695621391310e+01, y = -1.51111514016986312e+01, z = -2.23307578892655734e-01, vx = 2.96460137564761618e-03 * DAYS, vy = 2.37847173959480950e-03 * DAYS, vz = -2.96589568540237556e-05 * DAYS, mass = 4.36624404335156298e-05 * SOLAR },
  { x = 1.53796971148509165e+01, y = -2.59193146099879641e+01, z = 1.79258772950371181e-01, vx = 2.68067772490389322e-03 * DAYS, vy = 1.62824170038242295e-03 * DAYS, vz = -9.51592254519715870e-05 * DAYS, mass = 5.15138902046611451e-05 * SOLAR },
}
local function advance(dt)
  local n = #bodies
  for i = 1, n do
    local bi = bodies[i]
    for j = i + 1, n do
      local bj = bodies[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      bi.vx, bi.vy, bi.vz = bi.vx - dx * bj.mass * mag, bi.vy - dy * bj.mass * mag, bi.vz - dz * bj.mass * mag
      bj.vx, bj.vy, bj.vz = bj.vx + dx * bi.mass * mag, bj.vy + dy * bi.mass * mag, bj.vz + dz * bi.mass * mag
    end
  end
  for i = 1, n do
    local b = bodies[i]
    b.x, b.y, b.z = b.x + dt * b.vx, b.y + dt * b.vy, b.z + dt * b.vz
  end
end
local function energy()
  local e = 0
  for i = 1, #bodies do
    local b = bodies[i]
    e = e + 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
    for j = i + 1, #bodies do
      local o = bodies[j]
      local dx, dy, dz = b.x - o.x, b.y - o.y, b.z - o.z
      e = e - b.mass * o.mass / math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end
print(string.format("%.9f", energy()))
for _ = 1, 20000 do advance(0.01) end
print(string.format("%.9f", energy()))
