-- The matcher specialized on constant patterns (lstrlib.c's wmatch_spec, lua-weval.patch): every pattern below is
-- a constant passed to find, match, gmatch or gsub (within the bounds: 32 patterns, 96 requests), so the wevaled run
-- matches with specialized code and the interpreted one with 'match'; the results, captures and errors must be
-- lua5.4's. patterns-constant-2.lua and -3.lua have the rest.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local subject = "Hello, World! abc123 x=10, y=-20 [a](b) {c{d}e} foo.bar %20 caf\xe9 \0z end"

-- find, match, gmatch and gsub over classes, sets, quantifiers and anchors
show(string.find(subject, "%a+"))
show(string.find(subject, "%d+", 20))
show(string.find(subject, "^Hello"))
show(string.find(subject, "^World"))
show(string.find(subject, "end$"))
show(string.find(subject, "z end$", -5))
show(string.match(subject, "(%a+), (%a+)!"))
show(string.match(subject, "x=(%-?%d+), y=(%-?%d+)"))
show(string.match(subject, "()%[(.-)%]()"))
show(string.match(subject, "%b()"), string.match(subject, "%b{}"))
show(string.match(subject, "%f[%w]%w+%f[%W]", 30))
show(string.match(subject, "[%a_][%w_]*%.[%a_]+"))
show(string.match(subject, "[^%s]+$"))
show(string.match(subject, "[\128-\255]+"), string.match(subject, "%z(.)"))
show(string.match(subject, "a?b?c?1"))
show(string.match(subject, "l+o"), string.match(subject, "l-o"), string.match(subject, "Wx*o"))
