-- a runtime error at top level: the message with file:line and variable name, the traceback
local function f() local x = nil; return x + 1 end
local function g() return f() end
g()
