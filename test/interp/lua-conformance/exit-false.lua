-- os.exit(false): exit code 1, the state not closed (no finalizer runs)
setmetatable({}, {__gc = function() print("never: os.exit without close") end})
print("x")
os.exit(false)
