-- The second part of patterns-constant.lua (each file's constant patterns within the 96 requests a chunk gets):
-- gmatch, gsub, patterns through variables and made at run time.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local subject = "Hello, World! abc123 x=10, y=-20 [a](b) {c{d}e} foo.bar %20 caf\xe9 \0z end"

show(string.match("abcabc", "(a)(b)(c)%1%2%3"), string.match("xyyx", "(.)(.)%2%1"))
show(string.match("hello", "()ll()"))
show(string.match("THE (quick) fox", "%((%a+)%)"))
show(string.match("a$b", "a$b"), string.match("a.b", "a%.b"), string.match("axb", "a%.b"))
for w in string.gmatch(subject, "%a+%d*") do io.write(w, ";") end print()
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, ":", v, " ") end print()
for p in string.gmatch("abc", "()") do io.write(p, " ") end print()
for a in string.gmatch("^a^b", "^.") do io.write(a, " ") end print()
show(string.gsub("hello world", "o", "0"))
show(string.gsub("hello world", "(%w+) (%w+)", "%2 %1"))
show(string.gsub("abc", "x*", "-"))
show(string.gsub("  trim me  ", "^%s+", ""))
show(string.gsub("one two three", "%f[%a]%a", string.upper))
show(string.gsub("$name is $age", "%$(%w+)", {name = "Bob", age = 42}))
show(string.gsub("abc", "%w", "%0%0", 2))
show(string.gsub("abc", "()b", "%1"))
-- replacement strings (gsub's add_s, specialized on a constant one): %%, %0, captures, positions, errors
show(string.gsub("hello world", "(o)", "[%%%1%0]"), ("abc"):gsub("%w", "<%1>"), ("abc"):gsub("()b()", "%2%1"))
show(("x=1, y=22"):gsub("(%w+)=(%w+)", "%2%%=%1%%"), ("abc"):gsub("%w", "%%"))
show(pcall(function () return ("abc"):gsub("(b)", "x%2y") end))
show(pcall(function () return ("abc"):gsub("%w", "%") end))
show(pcall(function () return ("abc"):gsub("(b", "%1") end))
show(pcall(function () return ("abc"):gsub("%w", "a%qb") end))

-- a pattern through a variable (the same string as a constant at a call: specialized), and one passed to another
-- function
show(("5-6"):match("(%d+)%-(%d+)"), string.find("x 7", "%d+"))
local pat = "(%d+)%-(%d+)"
local function between(s, p) return s:match(p) end
show(between("range 10-20", pat), ("1-2 3-4"):gsub(pat, "%2-%1"))

-- patterns made at run time (the same text as a constant: the same string, interned; or not a constant)
local built = "%" .. "d" .. "+"
show(string.find("abc 42", built), string.find("abc 42", ("%a"):rep(2)))
