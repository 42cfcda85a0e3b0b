-- library functions over the edges: warn (off until "@on"), an error in __gc as a warning, nested pcall, Lua and C
-- stack overflows, %q of control bytes
-- warnings (off until "@on", on standard error as "Lua warning: "), errors in finalizers as warnings, deep nesting
warn("not shown: warnings start off")
warn("@on")
warn("shown ", "in ", "pieces")
warn("@off")
warn("hidden again")
warn("@on")
setmetatable({}, {__gc = function() error("error in __gc") end})
collectgarbage()
print(pcall(warn))
print(pcall(warn, {}))
local function nest(n) if n == 0 then return error("bottom") end return pcall(nest, n - 1) end
local r = table.pack(nest(150))
print(r.n, r[1], r[150], r[151], r[r.n])
local depth = 0
local function rec(a) depth = depth + 1 return rec(a) + 1 end
local ok, e = pcall(rec, 1)
print(ok, e, depth > 1000)
local cdepth = 0
local function crec() cdepth = cdepth + 1 local co = coroutine.wrap(crec) return co() end
local ok2, e2 = pcall(crec)
print(ok2, #e2 > 1000, e2:sub(-40), cdepth > 10)
local ok3, e3 = pcall(string.rep, "x", -1)
print(ok3, e3 == "")
local t = setmetatable({}, {__index = function(t, k) return t[k + 1] end})
local ok4, e4 = pcall(function() return t[1] end)
print(ok4, e4)
print(select('#', table.unpack({}, 1, 200)))
print(pcall(table.unpack, {}, 1, 1e6))
print(string.format("%q", "\1\2\0031\r\n\t\\\"x\127\200\255"))
print(("x"):rep(3, ("ab"):rep(2)), #string.rep("abc", 1000, ","))
print(tostring(print):match("^builtin") or tostring(print):match("^function"))
