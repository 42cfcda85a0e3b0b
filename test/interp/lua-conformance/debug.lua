-- the debug library: getinfo, getlocal, traceback (of a coroutine too), upvalues, line, count and call hooks
local function f(a, b)
  local info = debug.getinfo(1, "nSlu")
  print(info.short_src, info.currentline, info.what, info.name, info.namewhat, info.nups, info.nparams, info.isvararg, info.linedefined, info.lastlinedefined)
  print(debug.getlocal(1, 1), debug.getlocal(1, 2), debug.getlocal(1, 3))
  return debug.traceback("tb", 1)
end
print(f(1, 2))
print(debug.traceback())
print(debug.traceback("msg", 2))
print(debug.traceback(42))
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.traceback(co))
print(debug.traceback(co, "comsg"))
local up = 5
local function h() return up end
print(debug.getupvalue(h, 1), debug.setupvalue(h, 1, 6), h())
print(debug.getinfo(print).what, debug.getinfo(print).short_src, debug.getinfo(1, "l").currentline)
local lines = {}
debug.sethook(function(ev, line) lines[#lines + 1] = line end, "l")
local x = 1
x = x + 1
debug.sethook()
print(table.concat(lines, ","))
local count = 0
debug.sethook(function() count = count + 1 end, "", 100)
for i = 1, 10000 do x = x + i end
debug.sethook()
print(count > 50, count)
local calls = {}
debug.sethook(function(ev) local i = debug.getinfo(2, "n") calls[#calls + 1] = ev .. ":" .. tostring(i and i.name) end, "cr")
local function callee() return 1 end
callee()
debug.sethook()
print(table.concat(calls, " "))
print(debug.gethook())
print(pcall(debug.getlocal, 100, 1))
print(debug.getinfo(100))
local mt = {} debug.setmetatable(10, mt) print(getmetatable(1) == mt) debug.setmetatable(10, nil)
print(debug.getregistry ~= nil, type(debug.getregistry()))
print(select('#', debug.getinfo(f, "L").activelines))
local t = {} for k in pairs(debug.getinfo(f, "L").activelines) do t[#t + 1] = k end table.sort(t) print(table.concat(t, ","))
print(debug.upvalueid(h, 1) ~= nil, pcall(debug.upvaluejoin, h, 1, f, 1))
