-- A runtime error at top level ends the script: the message with its file:line, a traceback, exit code 1.
local function check(x) if type(x) ~= "number" then error("expected a number, got " .. type(x)) end return x end
print(check(41) + 1)
local t = setmetatable({}, { __index = function(_, k) return check(k) end })
print(t[1])
print(t.name)
