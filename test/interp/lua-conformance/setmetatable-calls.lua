-- setmetatable called from specialized code (lvm.c's wsetmetatable, from wcallC and wtailcallC): the metatable set, a
-- protected one refused, nil removing it, a finalizer registered, its errors, every number of results asked.
local mt = { __index = function(_, k) return "idx " .. k end }
local function make(t) return setmetatable(t, mt) end         -- tail call, one result
local function set(t, m) setmetatable(t, m) end                -- call, no result
local function keep(t, m) local r = setmetatable(t, m); return r end
local a = make({})
print(a.x, getmetatable(a) == mt, rawequal(make(a), a))
set(a, nil); print(getmetatable(a), a.x)
print(rawequal(keep(a, mt), a), a.y)
local r1, r2 = setmetatable({}, mt); print(type(r1), r2)      -- two results asked
print(select("#", setmetatable({}, mt)))                       -- all results
local function tailall(t) return setmetatable(t, mt) end      -- a tail call whose caller asks for all results
print(select("#", tailall({})), tailall({}).w, rawequal(tailall(a), a))
local function extra(t) return setmetatable(t, mt, "ignored") end
print(extra({}).z)

-- a protected metatable: changing it is an error, from a tail call and a call
local prot = setmetatable({}, { __metatable = "locked" })
print(getmetatable(prot))
print(pcall(make, prot))
print(pcall(set, prot, nil))
local hidden = setmetatable({}, { __metatable = false })
print(pcall(set, hidden, mt))

-- bad arguments
print(pcall(make, 1))
print(pcall(set, {}, 5))
print(pcall(function() return setmetatable({}) end))
print(pcall(function() return setmetatable() end))

-- finalizers: a metatable with __gc set through the fast path, then collected
local log = {}
local gcmt = { __gc = function(o) log[#log + 1] = o.name end }
local function obj(name) return setmetatable({ name = name }, gcmt) end
for i = 1, 5 do obj("o" .. i) end
local kept = obj("kept")
set({ name = "late" }, gcmt)
collectgarbage(); collectgarbage()
table.sort(log)
print(table.concat(log, " "), kept.name)

-- a metatable changed many times in a loop, in both collector modes (barriers)
for _, mode in ipairs({ "generational", "incremental" }) do
  collectgarbage(mode)
  local objs, s = {}, 0
  for i = 1, 3000 do
    local m = { __index = { v = i } }
    objs[i % 50 + 1] = make({})
    set(objs[i % 50 + 1], m)
    s = s + objs[i % 50 + 1].v
  end
  collectgarbage()
  print(mode, s)
end
