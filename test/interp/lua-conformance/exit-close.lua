-- os.exit(code, true) closes the state first (finalizers run), and output without a newline is flushed
setmetatable({}, {__gc = function() print("gc on os.exit(true, true)") end})
io.write("no newline")
os.exit(3, true)
