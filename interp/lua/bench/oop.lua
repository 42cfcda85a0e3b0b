-- OOP with metatables: classes, inheritance, method calls, __index chains
local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:add(o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:norm2() return self.x * self.x + self.y * self.y end
local Point3 = setmetatable({}, { __index = Point })
Point3.__index = Point3
function Point3.new(x, y, z) local p = Point.new(x, y); p.z = z; return setmetatable(p, Point3) end
function Point3:norm2() return Point.norm2(self) + self.z * self.z end
local acc = Point.new(0, 0)
local s = 0
for i = 1, 80000 do
  acc = acc:add(Point.new(1, 2))
  s = s + Point3.new(i % 3, 1, 2):norm2()
end
print(acc.x, acc.y, s)
