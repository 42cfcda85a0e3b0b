-- Penlight (Debian's lua-penlight): the modules that need no C library (lfs) — List, tablex, stringx, class,
-- pretty, OrderedMap, Set, seq, func, template, lexer, text, utils.
local List = require("pl.List")
local tablex = require("pl.tablex")
local stringx = require("pl.stringx")
local class = require("pl.class")
local pretty = require("pl.pretty")
local OrderedMap = require("pl.OrderedMap")
local Set = require("pl.Set")
local seq = require("pl.seq")
local template = require("pl.template")
local lexer = require("pl.lexer")
local utils = require("pl.utils")

local l = List({ 5, 3, 8, 1 }):sort()
print(l, l:map(function(x) return x * 10 end), l:filter(function(x) return x > 2 end):reduce("+"))
print(List.range(1, 10):slice(2, 4), List({ "a", "b" }):join("-"), l:index(8))
print(pretty.write(tablex.deepcopy({ a = { 1, 2 }, b = "c" }), ""), tablex.size({ x = 1, y = 2 }))
print(tablex.deepcompare({ 1, { 2 } }, { 1, { 2 } }), pretty.write(tablex.keys({ q = 1 })), pretty.write(tablex.zip({ 1, 2 }, { "a", "b" }), ""))
print(stringx.split("a,b,,c", ","), stringx.strip("  x  "), stringx.startswith("hello", "he"), ("%s|%s"):format(stringx.partition("k=v=w", "=")))
print(stringx.title("the quick fox"), stringx.shorten("abcdefghij", 6), stringx.count("banana", "an"))

local Animal = class()
function Animal:_init(name) self.name = name end
function Animal:__tostring() return "Animal(" .. self.name .. ")" end
function Animal:speak() return "..." end
local Dog = class(Animal)
function Dog:speak() return "woof" end
local d = Dog("rex")
print(tostring(d), d:speak(), d:is_a(Animal), Dog:class_of(d), Animal.speak(d))

local om = OrderedMap()
om:set("z", 1) om:set("a", 2) om:set("m", 3)
print(pretty.write(om:keys(), ""), om:values())
local s1, s2 = Set({ 1, 2, 3 }), Set({ 2, 3, 4 })
print(Set.values(s1 * s2), Set.len(s1 + s2), s1 == Set({ 3, 2, 1 }))
print(seq.sum(seq.range(1, 100)), seq.copy(seq.map(function(x) return x * x end, seq.list({ 1, 2, 3 }))))
print(template.substitute("Hello $(name), # for i = 1, 3 do\n$(i) # end\n", { name = "world", _escape = "#", ipairs = ipairs }))
local tokens = {}
for t, v in lexer.lua("local x = 42 + y -- comment\nprint('s')") do tokens[#tokens + 1] = t .. ":" .. tostring(v) end
print(table.concat(tokens, " "))
print(pcall(utils.assert_arg, 1, "x", "number"))
print(#utils.split("a b  c"), select("#", utils.splitv("1 2 3")), utils.quote_arg({ "a b", "c" }))
