-- argparse (Debian's lua-argparse): a parser with options, flags, commands, its help and its errors.
local argparse = require("argparse")
local parser = argparse("tool", "A tool that does things."):epilog("See the docs."):require_command(false)
parser:argument("input", "Input file.")
parser:option("-o --output", "Output file.", "a.out")
parser:option("-I --include", "Include locations."):count("*")
parser:flag("-v --verbose", "Sets verbosity level."):count("0-2"):target("verbosity")
local run = parser:command("run r", "Run it.")
run:option("--times", "How many."):convert(tonumber):default("1")
print(parser:get_help())
local function show(args)
  local keys = {}
  for k in pairs(args) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do
    local v = args[k]
    print(k, type(v) == "table" and table.concat(v, ",") or tostring(v))
  end
end
show(parser:parse({ "in.txt", "-vv", "-I", "a", "-Ib", "--output=x.o" }))
show(parser:parse({ "in.txt", "run", "--times", "3" }))
print(parser:pparse({ "in.txt", "--nope" }))
print(parser:pparse({}))
print(parser:pparse({ "in.txt", "run", "--times" }))
print(run:get_usage())
print(pcall(parser.parse, parser, { "in.txt", "--output" }))
