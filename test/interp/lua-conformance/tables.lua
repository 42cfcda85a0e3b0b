-- tables: move, sort with comparator (and its errors), insert/remove/unpack/pack, select, next, # with holes
local t = {5, 2, 8, 1, 9, 3}
table.sort(t) print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end) print(table.concat(t, " "))
print(pcall(table.sort, {3, 1, "x"}))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp error") end))
print(pcall(table.sort, {3, 2, 1}, function(a, b) error({}) end))
local ok, e = pcall(table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, function(a, b) return true end)
print(ok, e)
local words = {"banana", "Apple", "cherry", "apple"}
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local recs = {}
for i = 1, 50 do recs[i] = {k = (i * 37) % 11, i = i} end
table.sort(recs, function(a, b) if a.k ~= b.k then return a.k < b.k end return a.i < b.i end)
local out = {} for i = 1, 10 do out[i] = recs[i].k .. ":" .. recs[i].i end print(table.concat(out, " "))
-- move
local a = {1, 2, 3, 4, 5}
print(table.concat(table.move(a, 2, 4, 1), " "))
print(table.concat(table.move({1, 2, 3}, 1, 3, 3), " "))
print(table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), " "))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(#table.move({1, 2, 3}, 1, 0, 5))
-- insert/remove
local r = {1, 2, 3}
table.insert(r, 4) table.insert(r, 1, 0)
print(table.concat(r, " "), table.remove(r), table.remove(r, 1), table.concat(r, " "))
print(table.remove({}), #r, table.remove(r, #r + 1), pcall(table.remove, r, 7))
-- pack/unpack/select
local p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
print(table.unpack({1, 2, 3}), table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))
print(select('#'), select('#', nil), select('#', nil, nil), select('#', 1, nil))
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"), select(-3, "a", "b", "c"))
print(pcall(select, 0, 1), pcall(select, -5, 1))
print(select(5, 1, 2))
-- # and border
local h = {} h[1] = 1 h[2] = 2 h[4] = 4
print(#h == 2 or #h == 4, #{1, 2, nil}, #{nil, nil, 3} == 3 or #{nil, nil, 3} == 0)
-- next / pairs order over an array part, integer keys normalized
local m = {} m[1.0] = "one" m[2] = "two"
print(m[1], math.type(next(m)))
local keys = {} for k in pairs({10, 20, 30}) do keys[#keys + 1] = k end print(table.concat(keys, ","))
-- deterministic iteration over string keys (same seed in both modes); sort for comparison with native
local s = {alpha = 1, beta = 2, gamma = 3, delta = 4}
local ks = {} for k in pairs(s) do ks[#ks + 1] = k end table.sort(ks) print(table.concat(ks, ","))
-- table.concat errors and numbers
print(table.concat({1, 2, 3}), pcall(table.concat, {1, nil, 3}, ",", 1, 3))
-- large tables
local big = {} for i = 1, 10000 do big[i] = i * i end
local sum = 0 for i, v in ipairs(big) do sum = sum + v end print(sum, #big)
for i = 1, 5000 do big[i] = nil end
local c = 0 for _ in pairs(big) do c = c + 1 end print(c)
-- table constructors with varargs and trailing calls
local function three() return 1, 2, 3 end
print(#{three()}, #{three(), three()}, #{(three())}, #{three(), nil})
-- length of strings with __len ignored for strings
print(#"abc", #{n = 1})
-- nested tables and references
local nested = {a = {b = {c = {d = "deep"}}}}
print(nested.a.b.c.d, nested["a"]["b"].c["d"])
-- table.unpack with large range errors
print(pcall(table.unpack, {}, 1, 1e8))
-- ipairs stops at nil, respects __index
local ip = setmetatable({1, 2}, {__index = function(t, i) if i <= 4 then return i * 10 end end})
for i, v in ipairs(ip) do io.write(i, "=", v, " ") end print()
