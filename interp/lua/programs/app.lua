-- A realistic ~300-line program (the build-time yardstick of issue 23: `futamura build interp/lua/programs/app.lua --no-cache`): a JSON codec, a class system, an event queue on coroutines, a text report, numeric work.
local json = {}

local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }

local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k <= 0 or math.type(k) ~= "integer" then return false end
    n = math.max(n, k)
  end
  return n == #t
end

function json.encode(v, indent, depth)
  depth = depth or 0
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode " .. tostring(v)) end
    if math.type(v) == "integer" then return tostring(v) end
    return string.format("%.14g", v)
  elseif t == "string" then return encode_string(v)
  elseif t == "table" then
    local parts = {}
    if is_array(v) then
      for i = 1, #v do parts[i] = json.encode(v[i], indent, depth + 1) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for i, k in ipairs(keys) do
      parts[i] = encode_string(k) .. ":" .. json.encode(v[k] == nil and v[tonumber(k)] or v[k], indent, depth + 1)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  error("cannot encode a " .. t)
end

local Parser = {}
Parser.__index = Parser

function Parser.new(text) return setmetatable({ text = text, pos = 1 }, Parser) end

function Parser:skip()
  self.pos = self.text:find("[^ \t\r\n]", self.pos) or #self.text + 1
end

function Parser:fail(what)
  error(string.format("json: %s at position %d", what, self.pos), 0)
end

function Parser:value()
  self:skip()
  local c = self.text:sub(self.pos, self.pos)
  if c == "{" then return self:object()
  elseif c == "[" then return self:array()
  elseif c == '"' then return self:string()
  elseif c == "t" and self.text:sub(self.pos, self.pos + 3) == "true" then self.pos = self.pos + 4 return true
  elseif c == "f" and self.text:sub(self.pos, self.pos + 4) == "false" then self.pos = self.pos + 5 return false
  elseif c == "n" and self.text:sub(self.pos, self.pos + 3) == "null" then self.pos = self.pos + 4 return nil
  end
  local num = self.text:match("^-?%d+%.?%d*[eE]?[-+]?%d*", self.pos)
  if not num or num == "" then self:fail("unexpected '" .. c .. "'") end
  self.pos = self.pos + #num
  return math.tointeger(tonumber(num)) or tonumber(num)
end

function Parser:string()
  local out, i = {}, self.pos + 1
  while true do
    local c = self.text:sub(i, i)
    if c == "" then self:fail("unterminated string") end
    if c == '"' then break end
    if c == "\\" then
      local e = self.text:sub(i + 1, i + 1)
      local map = { n = "\n", t = "\t", r = "\r", b = "\b", f = "\f", ['"'] = '"', ["\\"] = "\\", ["/"] = "/" }
      if e == "u" then
        out[#out + 1] = utf8.char(tonumber(self.text:sub(i + 2, i + 5), 16))
        i = i + 6
      else
        out[#out + 1] = map[e] or self:fail("bad escape")
        i = i + 2
      end
    else
      out[#out + 1] = c
      i = i + 1
    end
  end
  self.pos = i + 1
  return table.concat(out)
end

function Parser:array()
  local result = {}
  self.pos = self.pos + 1
  self:skip()
  if self.text:sub(self.pos, self.pos) == "]" then self.pos = self.pos + 1 return result end
  while true do
    result[#result + 1] = self:value()
    self:skip()
    local c = self.text:sub(self.pos, self.pos)
    self.pos = self.pos + 1
    if c == "]" then return result end
    if c ~= "," then self:fail("expected ',' or ']'") end
  end
end

function Parser:object()
  local result = {}
  self.pos = self.pos + 1
  self:skip()
  if self.text:sub(self.pos, self.pos) == "}" then self.pos = self.pos + 1 return result end
  while true do
    self:skip()
    local key = self:string()
    self:skip()
    if self.text:sub(self.pos, self.pos) ~= ":" then self:fail("expected ':'") end
    self.pos = self.pos + 1
    result[key] = self:value()
    self:skip()
    local c = self.text:sub(self.pos, self.pos)
    self.pos = self.pos + 1
    if c == "}" then return result end
    if c ~= "," then self:fail("expected ',' or '}'") end
  end
end

function json.decode(text)
  local p = Parser.new(text)
  local v = p:value()
  p:skip()
  if p.pos <= #text then p:fail("trailing garbage") end
  return v
end

-- A class system with inheritance and tostring.
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, { __index = parent }) end
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  return c
end

local Account = class()
function Account:init(owner, balance) self.owner, self.balance, self.log = owner, balance or 0, {} end
function Account:deposit(n)
  if n <= 0 then error({ code = "EAMOUNT", amount = n }) end
  self.balance = self.balance + n
  self.log[#self.log + 1] = "+" .. n
end
function Account:withdraw(n)
  if n > self.balance then error(string.format("%s: insufficient funds (%d < %d)", self.owner, self.balance, n)) end
  self.balance = self.balance - n
  self.log[#self.log + 1] = "-" .. n
end
Account.__tostring = function(a) return string.format("Account(%s, %d)", a.owner, a.balance) end

local Savings = class(Account)
Savings.__tostring = Account.__tostring
function Savings:init(owner, balance, rate)
  Account.init(self, owner, balance)
  self.rate = rate
end
function Savings:accrue(months)
  for _ = 1, months do self.balance = self.balance + self.balance * self.rate // 100 end
end

-- An event queue driven by coroutines.
local Queue = class()
function Queue:init() self.first, self.last, self.items = 1, 0, {} end
function Queue:push(v) self.last = self.last + 1 self.items[self.last] = v end
function Queue:pop()
  if self.first > self.last then return nil end
  local v = self.items[self.first]
  self.items[self.first] = nil
  self.first = self.first + 1
  return v
end
function Queue:empty() return self.first > self.last end

local function scheduler(tasks)
  local q = Queue.new()
  for _, t in ipairs(tasks) do q:push(coroutine.create(t)) end
  local steps = 0
  while not q:empty() do
    local co = q:pop()
    local ok, err = coroutine.resume(co, steps)
    steps = steps + 1
    if not ok then print("task failed: " .. tostring(err)) end
    if coroutine.status(co) ~= "dead" then q:push(co) end
  end
  return steps
end

-- Text processing: word frequencies and a formatted report.
local text = [[
It was the best of times, it was the worst of times, it was the age of wisdom,
it was the age of foolishness, it was the epoch of belief, it was the epoch of
incredulity, it was the season of Light, it was the season of Darkness.
]]

local function word_counts(s)
  local counts = {}
  for word in s:lower():gmatch("%a+") do counts[word] = (counts[word] or 0) + 1 end
  local list = {}
  for w, n in pairs(counts) do list[#list + 1] = { word = w, n = n } end
  table.sort(list, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.word < b.word end)
  return list
end

local function report(list, top)
  local lines = {}
  for i = 1, math.min(top, #list) do
    lines[#lines + 1] = string.format("%2d. %-12s %3d %s", i, list[i].word, list[i].n, ("*"):rep(list[i].n))
  end
  return table.concat(lines, "\n")
end

-- Main
local doc = {
  name = "futamura", version = 3, tags = { "wasm", "lua", "weval" }, ratio = 1.84,
  nested = { ok = true, list = { 1, 2, { deep = "yes\n\"quoted\"" } } },
}
local encoded = json.encode(doc)
print(encoded)
local decoded = json.decode(encoded)
print(decoded.name, decoded.version, decoded.ratio, #decoded.tags, decoded.nested.list[3].deep)
print(json.encode(json.decode('  {"a": [1, 2.5, -3e2, "x\\u0041y"], "b": {}, "c": [], "d": null} ')))
for _, bad in ipairs({ "[1, 2", '{"a" 1}', "@", '"abc' }) do
  print(pcall(json.decode, bad))
end

local acct = Account.new("ada", 100)
acct:deposit(50)
print(tostring(acct), table.concat(acct.log, " "))
local ok, e = pcall(acct.withdraw, acct, 1000)
print(ok, e)
ok, e = pcall(acct.deposit, acct, -5)
print(ok, type(e), e.code, e.amount)
local sav = Savings.new("bob", 1000, 5)
sav:accrue(12)
print(tostring(sav), sav.rate, getmetatable(sav) == Savings)

local log = {}
local steps = scheduler({
  function(s) for i = 1, 3 do log[#log + 1] = "a" .. i .. "@" .. s s = coroutine.yield() end end,
  function(s) for i = 1, 2 do log[#log + 1] = "b" .. i .. "@" .. s s = coroutine.yield() end error("boom") end,
  function(s) log[#log + 1] = "c@" .. s end,
})
print(steps, table.concat(log, " "))

print(report(word_counts(text), 6))

-- A little numeric work: primes, fibonacci memo, matrix product.
local function primes(n)
  local sieve, out = {}, {}
  for i = 2, n do
    if not sieve[i] then
      out[#out + 1] = i
      for j = i * i, n, i do sieve[j] = true end
    end
  end
  return out
end
local ps = primes(10000)
print(#ps, ps[#ps])

local memo = {}
local function fib(n)
  if n < 2 then return n end
  if memo[n] then return memo[n] end
  local v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(80))

local function matmul(a, b)
  local n, m, p = #a, #b, #b[1]
  local c = {}
  for i = 1, n do
    local row = {}
    for j = 1, p do
      local s = 0
      for k = 1, m do s = s + a[i][k] * b[k][j] end
      row[j] = s
    end
    c[i] = row
  end
  return c
end
local A = {}
for i = 1, 30 do A[i] = {} for j = 1, 30 do A[i][j] = (i * j) % 7 - 3 end end
local C = matmul(matmul(A, A), A)
local trace = 0
for i = 1, 30 do trace = trace + C[i][i] end
print(trace, C[3][7])

local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%S+") do words[#words + 1] = w:upper():reverse() end
print(table.concat(words, "|"), select("#", table.unpack(words)))
print(string.format("%5.2f %x %q %s", math.pi, 255, "a\nb", utf8.char(955, 8364)))
local t0 = os.clock()
print(type(t0), os.time{year = 2020, month = 1, day = 1, hour = 12} > 0)
