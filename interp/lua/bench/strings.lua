-- strings and patterns: gsub, gmatch, find, format, concat
local words = {}
for i = 1, 2000 do words[#words + 1] = string.format("word%d-%s", i, string.rep("x", i % 7)) end
local text = table.concat(words, " ")
local total = 0
for _ = 1, 30 do
  local n = 0
  for w in text:gmatch("%a+%d+") do n = n + #w end
  local replaced, count = text:gsub("(%d+)%-(x*)", "%2:%1")
  total = total + n + count + #replaced
  local at = 1
  while true do
    local s, e = text:find("word1%d%d", at)
    if not s then break end
    total = total + 1
    at = e + 1
  end
end
print(total)
