-- os.clock() counts CPU time from the start of this run (futamura run --aot of a module built earlier included).
print("clock from the run: " .. tostring(os.clock() < 1))
