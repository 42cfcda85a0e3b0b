// Random Lua programs for the differential fuzz (`npm run fuzz -- --lua`) and test/interp/lua-random.test.ts:
// terminating by construction (loops over small ranges or fresh counters, a function calls only the functions
// before it, coroutines resumed a bounded number of times), typed so that most code runs past its first lines
// (numbers, strings, tables and an object with a metatable each in their own locals), with a few ill-typed operands
// on purpose so that runtime errors happen and must be the same error in both modes. Every function is called
// under pcall with several arguments and its results printed by `show`, which never prints an address.
import { Rng } from "../../bytecode/random.ts";

/** Source text of a random terminating Lua program, the same for the same seed. */
export function randomLua(seed: number, functions = 8): string {
  return new LuaGenerator(new Rng(seed)).program(functions);
}

const PRELUDE = `local function show(v)
  local t = type(v)
  if t == "number" then return math.type(v) .. " " .. tostring(v)
  elseif t == "string" then return string.format("%q", v)
  elseif t == "table" then return "table " .. rawlen(v)
  elseif t == "nil" or t == "boolean" then return tostring(v)
  else return t end
end
local function report(name, ...)
  local out = {}
  for i = 1, select("#", ...) do out[i] = show((select(i, ...))) end
  print(name, table.concat(out, " "))
end
local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return setmetatable({ x = a.x + (type(b) == "table" and b.x or b) }, Vec) end
Vec.__eq = function(a, b) return a.x == b.x end
Vec.__lt = function(a, b) return a.x < b.x end
Vec.__len = function(a) return a.x end
Vec.__call = function(self, d) self.x = self.x + d; return self.x end
function Vec.new(x) return setmetatable({ x = x }, Vec) end
function Vec:get() return self.x end
function Vec:bump(d) self.x = self.x * 2 + d; return self end
`;

const INT_LITERALS = ["0", "1", "2", "3", "7", "10", "-1", "-5", "255", "1000", "math.maxinteger", "math.mininteger"];
const FLOAT_LITERALS = ["0.5", "1.0", "-2.25", "3.75", "1e300", "-0.0", "2^53", "1/0"];
const STRING_LITERALS = ['"a"', '"lua"', '"10"', '"3.5"', '"hello world"', '""', '"x,y,z"'];
const ARITH = ["+", "-", "*", "/", "//", "%", "^"];
const BITS = ["&", "|", "~", "<<", ">>"];
const COMPARE = ["<", "<=", ">", ">=", "==", "~="];

/** One program's generator: the random stream, the lines so far, fresh names, and the scope's typed locals. */
class LuaGenerator {
  private readonly lines: string[] = [];
  private fresh = 1; // s0, t0 and o0 are the prologue's: a statement's locals never shadow them
  private nums: string[] = [];
  private strs: string[] = [];
  private tabs: string[] = [];
  private depth = 0;
  private readonly fns: string[] = [];
  /** What the current function may call: nothing for the first three, those three afterwards (so a call chain is
   *  at most two deep and the work stays small however loops nest). */
  private callable: string[] = [];
  constructor(private readonly rng: Rng) {}

  program(functions: number): string {
    this.lines.push(PRELUDE);
    for (let i = 0; i < functions; i++) this.fn(`f${i}`);
    for (const f of this.fns)
      for (const args of [this.numbers(), this.numbers(), this.args()])
        this.lines.push(`report("${f}", pcall(${f}, ${args}))`);
    return this.lines.join("\n") + "\n";
  }

  /** Three numbers for a top-level call. */
  private numbers(): string {
    return [this.numLiteral(), this.numLiteral(), this.numLiteral()].join(", ");
  }

  /** Arguments for a top-level call: numbers mostly, sometimes a string or nil. */
  private args(): string {
    const one = () => (this.rng.below(8) === 0 ? this.rng.pick([...STRING_LITERALS, "nil"]) : this.numLiteral());
    return [one(), one(), one()].join(", ");
  }

  private fn(name: string): void {
    const vararg = this.rng.below(3) === 0;
    this.lines.push(`local function ${name}(a, b, c${vararg ? ", ..." : ""})`);
    [this.nums, this.strs, this.tabs] = [["a", "b", "c"], [], []];
    this.callable = this.fns.slice(0, 3).filter(() => this.fns.length >= 3);
    this.depth = 1;
    this.emit(`local s0 = tostring(a) .. "|"`);
    this.emit(`local t0 = { 1, 2, 3, k = 4 }`);
    this.emit(`local o0 = Vec.new(1)`);
    this.strs.push("s0");
    this.tabs.push("t0");
    if (vararg) this.emit(`local n${this.fresh++} = select("#", ...) + #{ ... }`, "num");
    this.block(4 + this.rng.below(6));
    this.emit(`return ${this.num(2)}, ${this.str(1)}, o0:get(), #t0`);
    this.lines.push("end");
    this.fns.push(name);
  }

  /** Writes a line at the current indentation; a `local nK`/`sK`/`tK` line adds its name to the typed pool. */
  private emit(line: string, kind?: "num" | "str" | "tab"): void {
    this.lines.push("  ".repeat(this.depth) + line);
    const name = /^local (\w+)/.exec(line)?.[1];
    if (name && kind === "num") this.nums.push(name);
    if (name && kind === "str") this.strs.push(name);
    if (name && kind === "tab") this.tabs.push(name);
  }

  /** `n` statements in a nested scope: locals declared inside are dropped at its end. */
  private block(n: number): void {
    const saved = [this.nums.length, this.strs.length, this.tabs.length];
    for (let i = 0; i < n; i++) this.statement();
    this.nums.length = saved[0]!;
    this.strs.length = saved[1]!;
    this.tabs.length = saved[2]!;
  }

  private nested(open: string, n: number, close = "end"): void {
    this.emit(open);
    this.depth++;
    this.block(n);
    this.depth--;
    this.emit(close);
  }

  /** One statement, by kind (a dispatch over the kinds of statement, compound ones only while nesting is shallow). */
  private statement(): void {
    const { rng } = this;
    const shallow = this.depth < 4;
    const k = rng.below(shallow ? 16 : 6);
    const id = this.fresh++;
    switch (k) {
      case 0:
        return this.emit(`local n${id} = ${this.num(3)}`, "num");
      case 1:
        return this.emit(`${rng.pick(this.nums)} = ${this.num(3)}`);
      case 2:
        return this.emit(`local s${id} = ${this.str(2)}`, "str");
      case 3:
        return this.emit(`${rng.pick(this.tabs)}[${this.key()}] = ${rng.below(4) ? this.num(2) : this.str(1)}`);
      case 4:
        return this.emit(`o0 = o0 ${rng.pick(["+", "+"])} ${rng.below(2) ? this.num(1) : "o0"}`);
      case 5:
        return this.emit(`${rng.pick(this.nums)} = o0(${this.num(1)}) + (o0 < Vec.new(${this.num(1)}) and 1 or 0)`);
      case 6:
        return this.nested(`if ${this.cond()} then`, 2, rng.below(2) ? "end" : `else ${this.simple()} end`);
      case 7:
        return this.numericFor(id);
      case 8:
        return this.whileLoop(id);
      case 9:
        this.emit(`local t${id} = { ${this.num(1)}, ${this.str(1)}, n = ${this.num(1)} }`); // not stored into below
        return this.nested(`for key, v in pairs(t${id}) do`, 1);
      case 10:
        return this.closure(id);
      case 11:
        return this.protected(id);
      case 12:
        return this.coroutine(id);
      case 13:
        return this.emit(`${rng.pick(this.nums)} = ${this.call()}`);
      case 14:
        return this.emit(`o0:bump(${this.num(1)})`);
      default:
        return this.emit(
          `${rng.pick(this.nums)} = (math.tointeger(${rng.pick(this.nums)}) or 1) ${rng.pick(BITS)} ${this.intish()}`,
        );
    }
  }

  private simple(): string {
    return `${this.rng.pick(this.nums)} = ${this.num(1)}`;
  }

  private numericFor(id: number): void {
    const { rng } = this;
    const head = rng.pick([
      `for i${id} = 1, ${1 + rng.below(6)} do`,
      `for i${id} = ${rng.below(5)}, 0, -1 do`,
      `for i${id} = 0.5, ${rng.below(4)}, 0.5 do`,
      `for i${id} = math.maxinteger - ${rng.below(3)}, math.maxinteger do`,
      `for i${id} = 1, #t0 do`,
    ]);
    this.nums.push(`i${id}`);
    const exit = rng.below(3) === 0 ? "break" : `goto c${id}`;
    this.emit(head);
    this.depth++;
    this.emit(`if ${this.cond()} then ${exit} end`);
    this.nested("do", 1 + rng.below(3)); // its locals end before the label: a goto may not jump into their scope
    if (exit !== "break") this.emit(`::c${id}::`);
    this.depth--;
    this.emit("end");
    this.nums.splice(this.nums.indexOf(`i${id}`), 1);
  }

  private whileLoop(id: number): void {
    this.emit(`local w${id} = 0`);
    if (this.rng.below(2)) this.nested(`while w${id} < ${1 + this.rng.below(5)} do w${id} = w${id} + 1`, 2);
    else this.nested(`repeat w${id} = w${id} + 1`, 2, `until w${id} >= ${1 + this.rng.below(5)}`);
  }

  private closure(id: number): void {
    const up = this.rng.pick(this.nums);
    this.emit(`local g${id} = function(x) ${up} = ${up} + x; return ${up} * 2 end`);
    this.emit(`${this.rng.pick(this.nums)} = g${id}(${this.num(1)}) + g${id}(1)`);
  }

  private protected(id: number): void {
    const thrown = this.rng.pick([`${this.num(1)}`, `"boom"`, `{ code = ${this.num(1)} }`, "nil"]);
    this.emit(`local ok${id}, e${id} = pcall(function()`);
    this.depth++;
    this.block(1 + this.rng.below(2));
    this.emit(`if ${this.cond()} then error(${thrown}) end`);
    this.emit(`return ${this.num(1)}`);
    this.depth--;
    this.emit("end)");
    this.emit(`${this.rng.pick(this.nums)} = ok${id} and 1 or (type(e${id}) == "string" and #e${id} or 0)`);
  }

  private coroutine(id: number): void {
    this.emit(`local co${id} = coroutine.wrap(function(x)`);
    this.emit(`  for j = 1, ${1 + this.rng.below(3)} do x = coroutine.yield(x + j) or 0 end`);
    this.emit(`  return -x`);
    this.emit(`end)`);
    for (let i = 0; i < 1 + this.rng.below(3); i++) this.emit(`${this.rng.pick(this.nums)} = co${id}(${this.num(1)})`);
  }

  private call(): string {
    if (this.callable.length === 0 || this.rng.below(3) === 0)
      return this.rng.pick([
        `math.floor(${this.num(1)})`,
        `math.max(${this.num(1)}, ${this.num(1)})`,
        `#${this.str(1)}`,
      ]);
    return `(${this.rng.pick(this.callable)}(${this.num(1)}, ${this.num(1)}, ${this.num(1)}))`;
  }

  private key(): string {
    return this.rng.pick(["1", "2", "3", "4", `#t0 + 1`, '"k"', '"name"', `math.floor(${this.num(1)}) % 8`]);
  }

  private numLiteral(): string {
    return this.rng.below(3) ? this.rng.pick(INT_LITERALS) : this.rng.pick(FLOAT_LITERALS);
  }

  /** An integer-valued expression for a bitwise operand (a float with no integer value raises, on purpose). */
  private intish(): string {
    return this.rng.below(30) ? this.rng.pick(INT_LITERALS.slice(0, 10)) : this.rng.pick(FLOAT_LITERALS);
  }

  /** A number-typed expression (sometimes ill-typed on purpose: a string or a table in arithmetic). */
  private num(depth: number): string {
    const { rng } = this;
    if (depth <= 0 || rng.below(3) === 0) {
      const r = rng.below(1000);
      if (r < 450) return rng.pick(this.nums);
      if (r < 800) return this.numLiteral();
      if (r < 880) return `#${rng.pick(this.tabs)}`;
      if (r < 950) return `(tonumber(${rng.pick(this.tabs)}[${this.key()}]) or 0)`;
      if (r < 999) return `o0.x`;
      return rng.pick(["s0", "t0", "nil"]); // a type error
    }
    switch (rng.below(6)) {
      case 0:
      case 1:
        return this.arith(depth);
      case 2:
        return `(${this.cond()} and ${this.num(depth - 1)} or ${this.num(depth - 1)})`;
      case 3:
        return `(- ${this.num(depth - 1)})`; // the space: `--` starts a comment
      case 4:
        return this.call();
      default:
        return `(math.tointeger(${this.num(depth - 1)}) or ${rng.pick(INT_LITERALS)})`;
    }
  }

  /** A binary arithmetic operation; an integer division or modulo mostly by a nonzero literal (by zero it raises). */
  private arith(depth: number): string {
    const op = this.rng.pick(ARITH);
    const divides = op === "//" || op === "%";
    const right = divides && this.rng.below(4) ? this.rng.pick(["3", "7", "-2", "0.5"]) : this.num(depth - 1);
    return `(${this.num(depth - 1)} ${op} ${right})`;
  }

  private str(depth: number): string {
    const { rng } = this;
    if (depth <= 0 || rng.below(2) === 0)
      return rng.below(2) && this.strs.length ? rng.pick(this.strs) : rng.pick(STRING_LITERALS);
    return rng.pick([
      `(${this.str(depth - 1)} .. ${rng.below(2) ? this.num(1) : this.str(depth - 1)})`,
      `string.rep(${this.str(depth - 1)}, ${rng.below(4)}, ",")`,
      `(${this.str(depth - 1)}):upper()`,
      `string.format("%d:%s", ${rng.pick(INT_LITERALS.slice(0, 8))}, ${this.str(depth - 1)})`,
      `(${this.str(depth - 1)}):sub(${rng.below(4)}, ${rng.below(6)})`,
      `tostring(${this.num(1)})`,
      `(${this.str(depth - 1)}):gsub("[aeiou]", "_")`,
    ]);
  }

  private cond(): string {
    const { rng } = this;
    switch (rng.below(4)) {
      case 0:
        return `(${this.str(1)}):find("${rng.pick(["a", "l", "1", "o"])}", 1, true) ~= nil`;
      case 1:
        return `not (${this.num(1)} ${rng.pick(COMPARE)} ${this.num(1)})`;
      default:
        return `${this.num(1)} ${rng.pick(COMPARE)} ${this.num(1)}`;
    }
  }
}
