-- reading standard input (stdin.input) in every format: numbers (hex, exponents), lines with and without their end,
-- counts, io.lines, the end of input
-- reading standard input in every format
print(io.read("n"))
print(io.read("n", "n"))
print(io.read("l"))
print(io.read("L"))
print(io.read(5))
print(io.read("n"))
print(io.read("l"))
for line in io.lines() do io.write("[", line, "]") end print()
print(io.read("a") == "", io.read("l"), io.read(0))
