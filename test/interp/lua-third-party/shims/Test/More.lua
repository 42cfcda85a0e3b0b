-- A minimal Test.More (TAP output), written here to run lua-MessagePack's tests (scripts/lua-third-party-suites.ts):
-- plan, ok, is, isnt, like, is_deeply, eq_array, error_like, lives_ok, type_ok, skip, skip_all, diag, done_testing.
local n, failed = 0, 0
local function result(pass, name, extra)
  n = n + 1
  if not pass then failed = failed + 1 end
  print((pass and "ok " or "not ok ") .. n .. (name and (" - " .. tostring(name)) or ""))
  if not pass and extra then print("# " .. extra) end
  return pass
end
function plan(p) if type(p) == "number" then print("1.." .. p) elseif type(p) == "table" and p.skip_all then print("1..0 # SKIP " .. p.skip_all) os.exit(0) end end
function done_testing() print("1.." .. n) end
function skip_all(reason) print("1..0 # SKIP " .. tostring(reason)) os.exit(0) end
function skip(reason, count) for _ = 1, count or 1 do n = n + 1 print("ok " .. n .. " # skip " .. tostring(reason)) end end
function diag(msg) print("# " .. tostring(msg)) end
function ok(v, name) return result(not not v, name) end
function is(got, want, name) return result(got == want, name, "got: " .. tostring(got) .. " expected: " .. tostring(want)) end
function isnt(got, want, name) return result(got ~= want, name) end
function like(got, pat, name) return result(type(got) == "string" and got:match(pat) ~= nil, name, "got: " .. tostring(got) .. " pattern: " .. pat) end
function type_ok(v, t, name) return result(type(v) == t, name, "type " .. type(v)) end
local function deep(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return a ~= a and b ~= b end
  for k, v in pairs(a) do if not deep(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
function is_deeply(got, want, name) return result(deep(got, want), name) end
function eq_array(got, want, name)
  local same = #got == #want
  for i = 1, #want do same = same and got[i] == want[i] end
  return result(same, name)
end
function error_like(f, args, pat, name)
  if type(args) ~= "table" then f, args, pat, name = f, {}, args, pat end
  local okc, err = pcall(f, table.unpack(args))
  return result(not okc and tostring(err):match(pat) ~= nil, name, "error: " .. tostring(err) .. " pattern: " .. tostring(pat))
end
function lives_ok(f, args, name)
  if type(args) ~= "table" then name, args = args, {} end
  local okc, err = pcall(f, table.unpack(args))
  return result(okc, name, tostring(err))
end
return { failed = function() return failed end }
