-- dkjson (Debian's lua-dkjson, fetched by scripts/setup-system.sh): encode, decode, errors, options.
local json = require("dkjson")
local doc = { name = "futamura", list = { 1, 2.5, -3, "x\n\"y\"" }, nested = { ok = true, none = json.null }, empty = {} }
local text = json.encode(doc, { indent = true, keyorder = { "name", "list", "nested", "empty", "ok", "none" } })
print(text)
local back, pos, err = json.decode(text)
print(back.name, back.list[2], back.list[4], back.nested.ok, back.nested.none == json.null, pos, err)
print(json.encode({ 1, 2, 3, [10] = 4 }))
print(json.decode("[1, 2, {\"a\": [true, false, null]}]")[3].a[2])
print(select("#", json.decode("{\"a\": 1,}")), (json.decode("{\"a\": 1,}") or {}).a)
print(json.decode("[1, 2"))
print(pcall(json.encode, { f = print }))
local big = {}
for i = 1, 200 do big[i] = { id = i, tag = ("t%03d"):format(i), even = i % 2 == 0 } end
local s = json.encode(big)
print(#s, #json.decode(s), json.decode(s)[137].tag)
print(json.encode("\u{1F600} \0 \127", { exception = json.encodeexception }))
print(json.quotestring("tab\there"))
