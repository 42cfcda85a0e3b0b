-- A minimal busted-style runner (describe/it/setup/teardown/before_each/after_each/pending/finally) over luassert
-- (Debian's lua-luassert), written here to run Debian Lua libraries' spec files without busted (whose C modules WASI
-- cannot load): scripts/lua-third-party-suites.ts bundles it with a library and its specs. Standalone, the spec files
-- come from the SPECS environment variable (';' between them).
package.preload.luacov = function() return true end
local assert = require("luassert")
local spy, stub, mock = require("luassert.spy"), require("luassert.stub"), require("luassert.mock")
local match = require("luassert.match")
local stack = { { name = "", before = {}, after = {}, setup = {}, teardown = {} } }
local passed, failed, pend = 0, 0, 0
local finallies
local function path()
  local t = {}
  for i = 2, #stack do t[#t + 1] = stack[i].name end
  return table.concat(t, " ")
end
local env = setmetatable({}, { __index = _G })
function env.describe(name, fn)
  local block = { name = name, before = {}, after = {}, setup = {}, teardown = {} }
  stack[#stack + 1] = block
  local ok, err = pcall(fn)
  for _, f in ipairs(block.teardown) do f() end
  stack[#stack] = nil
  if not ok then failed = failed + 1; print("ERROR in describe " .. path() .. " " .. name .. ": " .. tostring(err)) end
end
env.context = env.describe
function env.setup(fn) fn() end
env.lazy_setup, env.strict_setup = env.setup, env.setup
function env.teardown(fn) table.insert(stack[#stack].teardown, fn) end
env.lazy_teardown, env.strict_teardown = env.teardown, env.teardown
function env.before_each(fn) table.insert(stack[#stack].before, fn) end
function env.after_each(fn) table.insert(stack[#stack].after, fn) end
function env.pending(name) pend = pend + 1; print("PENDING " .. path() .. " " .. tostring(name)) end
function env.finally(fn) table.insert(finallies, fn) end
function env.it(name, fn)
  if not fn then return env.pending(name) end
  finallies = {}
  local ok, err = pcall(function()
    for i = 1, #stack do for _, f in ipairs(stack[i].before) do f() end end
    fn()
  end)
  for _, f in ipairs(finallies) do f() end
  for i = #stack, 1, -1 do for _, f in ipairs(stack[i].after) do f() end end
  if ok then passed = passed + 1; print("ok " .. path() .. " " .. name)
  else failed = failed + 1; print("FAIL " .. path() .. " " .. name .. ": " .. tostring(err)) end
end
env.spec, env.test = env.it, env.it
env.assert, env.spy, env.stub, env.mock, env.match = assert, spy, stub, mock, match
for spec in (os.getenv("SPECS") or ""):gmatch("[^;]+") do
  local chunk = assert(loadfile(spec, "t", env))
  local ok, err = pcall(chunk)
  if not ok then failed = failed + 1; print("ERROR loading " .. spec .. ": " .. tostring(err)) end
end
print(("%d passed, %d failed, %d pending"):format(passed, failed, pend))
os.exit(failed == 0 and 0 or 1)
