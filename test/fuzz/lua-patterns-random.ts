// Random Lua programs about string patterns (`npm run fuzz -- --lua-patterns`, test/interp/lua-patterns-random.test.ts):
// each pattern of test/fuzz/lua-pattern.ts is written as a literal constant at find/match/gmatch/gsub calls (what a
// wevaled Lua may specialize the matcher on), with init arguments in and out of range, plain find, gsub with string,
// table and function replacements and a count, on subjects made to match it and random ones (with "\0", long runs,
// ""), each call under pcall printing its results or its error; the same pattern also goes through a variable built
// at run time, and an equivalent one (boxed) is compared with it in the program. Some patterns are malformed on
// purpose: the error, its message and when it is raised must be the same in every mode. (The printing helper's gsub,
// which changes nothing on most subjects, some longer than LUAL_BUFFERSIZE, found a to-be-closed slot the wevaled
// Lua's C calls left open: test/interp/lua-conformance/tbc-gsub.lua.)
import { Rng } from "../../bytecode/random.ts";
import { luaString, malformed, randomPattern } from "./lua-pattern.ts";

/** Source text of a random pattern program, the same for the same seed (`patterns` of them: by default 4-12, or
 *  34-41 one time in six, over the 32 a wevaled Lua may specialize). */
export function randomLuaPatterns(seed: number, patterns?: number): string {
  return new PatternProgram(new Rng(seed)).program(patterns);
}

const PRELUDE = `local function show(v)
  local t = type(v)
  if t == "number" then return math.type(v) .. " " .. tostring(v)
  elseif t == "string" then -- bytes over 127 escaped too: the output is compared as text
    return (string.format("%q", v):gsub("[\\128-\\255]", function(c) return "\\\\" .. c:byte() end))
  elseif t == "nil" or t == "boolean" then return tostring(v)
  else return t end
end
local function R(name, ...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = show((select(i, ...))) end
  print(name, table.concat(out, " "))
end
local function GM(it)
  local out = {}
  for i = 1, 40 do
    local r = table.pack(it())
    if r[1] == nil then break end
    for k = 1, r.n do r[k] = show(r[k]) end
    out[#out + 1] = table.concat(r, ",", 1, r.n)
  end
  return table.concat(out, " ")
end
local function SAME(name, a, b)
  for i = 1, math.max(a.n, b.n) do
    if a[i] ~= b[i] then return print(name, "DIFF", show(a[i]), show(b[i])) end
  end
end
local function at(s, v) -- an init: a number, or "L<k>" for #s + k
  if type(v) == "string" then return #s + tonumber(v:sub(2)) end
  return v
end
local function RUN(s, p, op)
  local f, a, b = op[1], op[2], op[3]
  if f == "gmatch" then return pcall(function() return GM(string.gmatch(s, p, at(s, a))) end) end
  if f == "gsub" then return pcall(string.gsub, s, p, a, b) end
  return pcall(string[f], s, p, at(s, a), b)
end
local function CHECK(name, P, B, S, ops)
  for j = 1, #S do
    for k = 1, #ops do
      local r = table.pack(RUN(S[j], P, ops[k]))
      R(name .. ".c" .. k, j, table.unpack(r, 1, r.n))
      if B ~= P and ops[k][3] ~= true then SAME(name .. ".same" .. k, r, table.pack(RUN(S[j], B, ops[k]))) end
    end
  end
end
local REP = { a = "A", ["1"] = "one", [1] = 1, x = false, b = {}, ["("] = 2.5 }
`;

const INITS = ["1", "0", "-1", "-3", "2", "3", "#s", "#s + 1", "#s + 2", "50", "math.mininteger"];
const REPLACEMENTS = ['"%0"', '"<%1>"', '"%%"', '"%2%1"', '"%x"', '""', '"-"', '"%"', '"[%0|%1]"'];
const FUNCTIONS = [
  'function(...) return select("#", ...) end',
  "function(a) return a end",
  "function() return nil end",
  "function() return false end",
  "function() return {} end",
  "function(a, b) return tostring(b) end",
  'function() error("repl", 0) end',
];

/** One program's generator: the random stream, its lines and its patterns' texts (for nested matches). */
class PatternProgram {
  private readonly lines: string[] = [PRELUDE];
  private readonly texts: string[] = [];
  constructor(private readonly rng: Rng) {}

  program(patterns?: number): string {
    const { rng } = this;
    FUNCTIONS.forEach((f, k) => this.lines.push(`local F${k + 1} = ${f}`));
    const count = patterns ?? (rng.below(6) === 0 ? 34 + rng.below(8) : 4 + rng.below(9));
    for (let i = 0; i < count; i++) this.pattern(i);
    if (rng.below(3) === 0) this.tooComplex();
    return this.lines.join("\n") + "\n";
  }

  /** Pattern i: its subjects and calls, in a block of its own. */
  private pattern(i: number): void {
    const { rng } = this;
    const long = rng.below(12) === 0;
    const p = randomPattern(rng, long ? 12 + rng.below(8) : 1 + rng.below(5));
    const bad = rng.below(7) === 0;
    const text = bad ? malformed(rng, p.text) : p.text;
    const boxed = bad ? text : p.boxed;
    this.texts.push(text);
    const P = luaString(text);
    this.lines.push(`do -- pattern ${i}: ${JSON.stringify(text)}`);
    this.lines.push(`  local P = table.concat({ ${pieces(text)} })`);
    this.lines.push(`  local B = table.concat({ ${pieces(boxed)} })`);
    this.lines.push(`  local subjects = { ${this.subjects(p.sample, text).join(", ")} }`);
    this.lines.push(`  for j = 1, #subjects do`);
    this.lines.push(`    local s = subjects[j]`);
    const calls = this.calls(P);
    for (let c = 0; c < calls.length; c++) this.lines.push(`    R("p${i}.${c}", j, ${calls[c]})`);
    this.lines.push(`  end`);
    this.lines.push(`  CHECK("p${i}", P, B, subjects, { ${this.ops().join(", ")} })`);
    this.lines.push(`end`);
  }

  /** Subjects: made to match (bare or inside other text, sometimes cut), random ones, "", long runs. */
  private subjects(sample: () => string, text: string): string[] {
    const { rng } = this;
    // Long runs only for a pattern with few repetitions: with more, backtracking can take minutes (polynomial in the
    // subject's length, of a degree their count), natively too.
    const heavy = (text.match(/[*+-]/g) ?? []).length > 2;
    const reps = (n: number) => (heavy ? 2 + rng.below(6) : n);
    const junk = () => Array.from({ length: rng.below(4) }, () => rng.pick([..."ab 1(x)\x00.%"])).join("");
    const out = [luaString(sample()), luaString(junk() + sample() + junk())];
    const extra = rng.below(6);
    if (extra === 0) out.push('""');
    else if (extra === 1) out.push(`string.rep(${luaString(sample() || "a")}, ${reps(50 + rng.below(200))})`);
    else if (extra === 2) out.push(`string.rep("a", ${reps(100 + rng.below(200))}) .. "\\0b"`);
    else if (extra === 3)
      out.push(luaString(String(rng.below(100000)))); // digits
    else out.push(luaString(sample().slice(0, -1) + junk()));
    return out;
  }

  /** The calls on `s` with the constant pattern P (a Lua literal), some through the variable P instead: pcall
   *  expressions, most calling the library function directly (a closure is a function the build specializes too). */
  private calls(P: string): string[] {
    const { rng } = this;
    const init = () => rng.pick(INITS);
    const method = (call: string) =>
      rng.below(4) ? `pcall(s.${call.replace("(", ", s, ")}` : `pcall(function() return s:${call} end)`;
    const menu = [
      () => `pcall(string.find, s, ${P})`,
      () => method(`find(${P}, ${init()})`),
      () => `pcall(string.find, s, ${P}, ${init()}, true)`,
      () => `pcall(string.match, s, ${P})`,
      () => method(`match(${P}, ${init()})`),
      () => `pcall(GM, string.gmatch(s, ${P}))`,
      () => `pcall(GM, s:gmatch(${P}, ${init()}))`,
      () => `pcall(string.gsub, s, ${P}, ${rng.pick(REPLACEMENTS)})`,
      () => method(`gsub(${P}, ${rng.pick(REPLACEMENTS)}, ${rng.below(4)})`),
      () => `pcall(string.gsub, s, ${P}, REP)`,
      () => method(`gsub(${P}, ${this.replacer()}${rng.below(3) ? "" : `, ${rng.below(3)}`})`),
      () => `pcall(string.find, s, P, ${init()})`,
      () => `pcall(GM, string.gmatch(s, P))`,
      () => `pcall(string.gsub, s, P, ${rng.pick(REPLACEMENTS)})`,
    ];
    return Array.from({ length: 1 + rng.below(2) }, () => rng.pick(menu)());
  }

  /** A function replacement: one of FUNCTIONS, or one doing a nested gsub with an earlier pattern constant. */
  private replacer(): string {
    if (this.texts.length < 2 || this.rng.below(3)) return `F${1 + this.rng.below(FUNCTIONS.length)}`;
    const q = luaString(this.rng.pick(this.texts.slice(0, -1)));
    return `function(a) local ok, r = pcall(string.gsub, tostring(a), ${q}, "[%0]") return ok and r or "!" end`;
  }

  /** Calls run by CHECK on the pattern through P (and its boxed form B): { name, init or replacement, plain or n }. */
  private ops(): string[] {
    const { rng } = this;
    const init = () => rng.pick(["1", "0", "-1", "-3", "2", "3", '"L0"', '"L1"', '"L2"', "50", "math.mininteger"]);
    const menu = [
      () => `{ "find", ${init()} }`,
      () => `{ "find", ${init()}, true }`,
      () => `{ "match", ${init()} }`,
      () => `{ "gmatch", ${init()} }`,
      () => `{ "gsub", ${rng.pick(REPLACEMENTS)}${rng.below(2) ? "" : `, ${rng.below(4)}`} }`,
      () => `{ "gsub", REP }`,
      () => `{ "gsub", ${this.replacer()}${rng.below(3) ? "" : `, ${rng.below(3)}`} }`,
    ];
    return Array.from({ length: 4 + rng.below(8) }, () => rng.pick(menu)());
  }

  /** A pattern deeper than the matcher's recursion bound (generic: longer than any constant pattern). */
  private tooComplex(): void {
    const n = 150 + this.rng.below(100);
    this.lines.push(`R("deep", pcall(string.find, string.rep("a", ${n}), string.rep("a?", ${n})))`);
  }
}

/** `text` as the pieces of a runtime concatenation (so the variable is no constant of the program). */
function pieces(text: string): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 2) out.push(luaString(text.slice(i, i + 2)));
  return out.length ? out.join(", ") : '""';
}
