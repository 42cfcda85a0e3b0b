-- a syntax error: nothing runs, the message names file and line
print("never")
local x = = 2
