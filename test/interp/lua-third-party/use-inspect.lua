-- inspect.lua (Debian's lua-inspect): human-readable tables, cycles, metatables, options.
local inspect = require("inspect")
local t = { 1, 2, "three", a = { b = { c = { d = "deep" } } }, ["key with space"] = true, [5.5] = "float key" }
print(inspect(t))
local cyc = { name = "cycle" }
cyc.self = cyc
print(inspect(cyc))
print(inspect(setmetatable({ x = 1 }, { __index = { y = 2 }, __tostring = function() return "obj" end })))
print(inspect(t, { depth = 2 }))
print(inspect(t, { newline = " ", indent = "" }))
print(inspect({ f = print, co = coroutine.create(function() end) }, { process = function(item, path)
  if type(item) == "function" or type(item) == "thread" then return type(item) end
  return item
end }))
print(inspect("a\nstring\0with\1control"), inspect(1e300), inspect(-0.0), inspect(math.mininteger))
