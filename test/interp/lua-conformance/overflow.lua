-- Stack overflow at Lua's own limit, never a trap of the Wasm engine: frames of one and of several slots, and
-- the C stack through a metamethod.
local function rec() return rec() + 1 end
print(pcall(rec))
local function rec2(n) return rec2(n + 1) + 1 end
print(pcall(rec2, 1))
local t = setmetatable({}, { __index = function(t, k) return t[k + 1] end })
print(pcall(function() return t[1] end))
local depth = 0
local function count() depth = depth + 1; return count() + 1 end
print(pcall(count), depth > 100000)
