-- A C function that leaves a to-be-closed slot (gsub's luaL_Buffer box: no replacement made on a subject longer than
-- LUAL_BUFFERSIZE) called from a specialized body for 0 or 1 result: the slot must be closed on return, or a later
-- buffer (table.concat's) closes the stale one. Found by `npm run fuzz -- --lua-patterns` (seeds 1030, 5019).
local function show(v)
  if type(v) == "string" then return (v:gsub("zz", "")) end
  return tostring(v)
end
local function R(name, ...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = show((select(i, ...))) end
  print(name, #table.concat(out, " "))
end
local s = string.rep("abc", 2000)
R("b", 1, true, s, 0)
for n = 1, 3 do
  local t = {}
  for i = 1, n do t[i] = (s:gsub("q", "")) end   -- one result, the box on the stack each time
  s:gsub("zz", "")                               -- no result asked
  print(n, #table.concat(t, ","), #(s .. s:gsub("x", "")))
end
