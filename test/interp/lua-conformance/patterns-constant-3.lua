-- The third part of patterns-constant.lua (each file's constant patterns within the 96 requests a chunk gets):
-- anchors and sets, and the errors, in the matcher and around it.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local subject = "Hello, World! abc123 x=10, y=-20 [a](b) {c{d}e} foo.bar %20 caf\xe9 \0z end"

show(string.match(subject, "(h?)(e?)llo"))
show(string.match("aaa", "^(a-)a$"), string.match("aaa", "^(a*)a$"))
show(string.match(" [x] ]]", "[]]+"), string.match("a-b-c", "[a-]+"), string.match("--a", "[%-]+"))
show(string.match("x%y", "[a-%%]+"), string.match("1.5e10", "^[+-]?%d+%.?%d*[eE]?[+-]?%d*$"))

-- errors, in the matcher and around it
local function err(f, ...) show(pcall(f, ...)) end
err(string.find, "abc", "(a)%2")
err(string.match, "abc", "a)")
err(string.match, "abc", "(a")
err(string.find, "abc", "[a")
err(string.find, "abc", "a%")
err(string.find, "abc", "%b(")
err(string.find, "abc", "%fa")
err(string.gsub, "abc", "(b)", "%2")
err(string.gsub, "abc", "b", "%x")
err(string.find, string.rep("a", 300), string.rep("a?", 250) .. "b")
err(string.match, "x", "((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))")

-- plain find with a pattern's special characters, and init past the end
show(string.find("a+b", "a+b", 1, true), string.find("aab", "a+b", 1, true), string.find("abc", "%a", 10))
show(string.find("abc", "c", -1), string.match("abc", "^%a", 2), string.find("", "^$"))

-- a gmatch iterator keeps its depth count across calls: each caught error leaves it lower by the calls that were
-- active ('match' restores it only on return), until "pattern too complex"; then it goes on below zero
local it = string.gmatch("aaaa", "(a)%2")
local last, count = nil, 0
for _ = 1, 80 do
  local _, e = pcall(it)
  if e ~= last then
    if last then print(count, last) end
    last, count = e, 0
  end
  count = count + 1
end
print(count, last)
