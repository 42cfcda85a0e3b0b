-- at the end of a script lua.c reports nothing more and closes the state: finalizers of what is still alive run
print(collectgarbage("incremental"))
print(collectgarbage("generational"))
setmetatable({}, {__gc = function() print("finalizer at exit") end})
_G.keep = setmetatable({}, {__gc = function() print("kept object finalized at exit") end})
print("end of script")
