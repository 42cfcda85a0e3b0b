// Random Fern programs for the differential test and `npm run fuzz -- --fern`: terminating by construction (loops
// count a fresh variable over a small range, `for` loops may break or continue; functions only call functions
// defined before them, closures only call nothing, so no recursion), using ints (decimal and hex), floats, bools,
// nil, strings, arrays (literals, push/pop), maps, closures over counters, top-level variables used in
// functions, calls, if/else, while, for, break/continue, compound assignment, short-circuit logic and printing
// several values, with some runtime errors possible (type errors, division by zero, out-of-range indices, missing
// map keys used as numbers), which must then be the same error in both modes.
import { Rng } from "../bytecode/random.ts";

const assignable = (v: string) => !/^[ci]\d/.test(v);

/** Source text of a random terminating Fern program, the same for the same seed. */
export function randomFern(seed: number): string {
  return new FernGenerator(new Rng(seed)).program();
}

/** One program's generator: the random stream, the lines written so far, a counter for fresh names and the
 *  functions defined so far (the only ones an expression may call). Every step draws from `rng` in a fixed order,
 *  so a seed gives one program. */
class FernGenerator {
  private readonly lines: string[] = [];
  private fresh = 0;
  private readonly fns: { name: string; arity: number }[] = [];
  constructor(private readonly rng: Rng) {}

  /** A global counter, up to three functions, then the main block; each function is generated before main. */
  program(): string {
    const { rng, lines } = this;
    lines.push("let g = 0;");
    const nfns = rng.below(4);
    const fnLines: string[] = [];
    const mainLines = lines.splice(0);
    for (let i = 0; i < nfns; i++) {
      const arity = rng.below(7); // 0-6: Fern passes four arguments as Wasm parameters and the rest in the frame
      const params = Array.from({ length: arity }, (_, k) => `p${k}`);
      lines.push(`fn f${i}(${params.join(", ")}) {`);
      this.block(params, 3, "  ", true, false);
      lines.push(`  return ${this.expr(params, 2)};`, "}");
      this.fns.push({ name: `f${i}`, arity });
    }
    fnLines.push(...lines.splice(0));
    this.block([], 8, "", false, false);
    lines.push("print(g);");
    return [...mainLines, ...fnLines, ...lines].join("\n") + "\n";
  }

  private atom(vars: string[]): string {
    const { rng } = this;
    const r = rng.below(30);
    if (r < 6) return String(rng.below(20));
    if (r < 9) return `${rng.below(10)}.${rng.below(10)}`;
    if (r < 10) return rng.pick(["true", "false", "nil"]);
    if (r < 11) return String(rng.below(3) === 0 ? 9223372036854775807n : BigInt(rng.below(1000)));
    if (r < 12) return rng.pick(["0x1f", "-9223372036854775808", "0xffffffffffffffff"]);
    return vars.length ? rng.pick(vars) : String(rng.below(9));
  }

  private expr(vars: string[], depth: number): string {
    const { rng, fns } = this;
    if (depth <= 0) return this.atom(vars);
    const sub = () => this.expr(vars, depth - 1);
    switch (rng.below(10)) {
      case 0:
      case 1:
        return `${sub()} ${rng.pick(["+", "-", "*", "+", "-", "/", "%"])} ${sub()}`;
      case 2:
        return `(${sub()} ${rng.pick(["<", "<=", ">", ">=", "==", "!="])} ${sub()})`;
      case 3:
        return `(${sub()} ${rng.pick(["&&", "||"])} ${sub()})`;
      case 4:
        return `${rng.pick(["-", "!"])}${this.atom(vars)}`;
      case 5: {
        if (!fns.length) return this.atom(vars);
        const f = rng.pick(fns);
        return `${f.name}(${Array.from({ length: f.arity }, sub).join(", ")})`;
      }
      // Strings, arrays and maps inside expressions that give numbers or bools, so arithmetic around them mostly works.
      case 6:
        return `len(${rng.pick([`str(${sub()})`, `[${sub()}, ${this.atom(vars)}]`, `"s" + type(${this.atom(vars)})`])})`;
      case 7:
        return `(${rng.pick(['"a"', '"bc"', '""', '"x\\ty"'])} ${rng.pick(["<", "==", "!=", ">="])} str(${sub()}))`;
      case 8:
        return `{"k": ${this.atom(vars)}, ${rng.below(3)}: ${this.atom(vars)}}[${rng.pick(['"k"', "1", "2"])}]`;
      default:
        return this.atom(vars);
    }
  }

  /** `budget` random statements; variables a statement declares are visible to the ones after it. Statement 12
   *  (`return`) is drawn only inside a function. */
  private block(vars: string[], budget: number, indent: string, inFn: boolean, inLoop: boolean): void {
    const { rng, lines } = this;
    const local = [...vars];
    const nested = (extra: string[], n: number, loop: boolean) =>
      this.block([...local, ...extra], n, indent + "  ", inFn, loop);
    for (let k = 0; k < budget; k++) {
      switch (rng.below(inFn ? 13 : 12)) {
        case 0:
        case 1: {
          const v = `v${this.fresh++}`;
          lines.push(`${indent}let ${v} = ${this.expr(local, 2)};`);
          local.push(v);
          break;
        }
        case 2:
          // Loop counters (c…, i…) are never assigned, so every loop ends.
          if (local.some(assignable))
            lines.push(
              `${indent}${rng.pick(local.filter(assignable))} ${rng.pick(["=", "+=", "-=", "*="])} ${this.expr(local, 2)};`,
            );
          break;
        case 3:
          this.print(local, indent);
          break;
        case 4:
          lines.push(`${indent}if (${this.expr(local, 1)}) {`);
          nested([], 2, inLoop);
          lines.push(`${indent}} else {`);
          nested([], 1, inLoop);
          lines.push(`${indent}}`);
          break;
        case 5: {
          const c = `c${this.fresh++}`;
          lines.push(`${indent}let ${c} = ${1 + rng.below(6)};`, `${indent}while (${c} > 0) {`);
          lines.push(`${indent}  ${c} = ${c} - 1;`);
          nested([c], 2, true);
          lines.push(`${indent}}`);
          break;
        }
        case 6: {
          const i = `i${this.fresh++}`;
          lines.push(`${indent}for (let ${i} = 0; ${i} < ${1 + rng.below(5)}; ${i} += 1) {`);
          nested([i], 2, true);
          lines.push(`${indent}}`);
          break;
        }
        case 7:
          this.arrayOps(local, indent);
          break;
        case 8:
          this.mapOps(local, indent);
          break;
        case 9:
          local.push(this.closure(local, indent));
          break;
        case 10:
          if (inLoop) lines.push(`${indent}if (${this.expr(local, 1)}) { ${rng.pick(["break", "continue"])}; }`);
          break;
        case 11:
          lines.push(`${indent}g = g + 1;`);
          break;
        default:
          lines.push(`${indent}return ${this.expr(local, 2)};`);
      }
    }
  }

  /** `print` of one to three values, some of them strings. */
  private print(local: string[], indent: string): void {
    const { rng } = this;
    const value = () => (rng.below(4) ? this.expr(local, 2) : `"s" + str(${this.expr(local, 1)})`);
    this.lines.push(`${indent}print(${Array.from({ length: 1 + rng.below(3) }, value).join(", ")});`);
  }

  /** A fresh array (a literal or `array(n)`), one element stored (possibly out of range), a push and a pop. */
  private arrayOps(local: string[], indent: string): void {
    const { rng, lines } = this;
    const a = `a${this.fresh++}`;
    const n = 1 + rng.below(4);
    lines.push(
      `${indent}let ${a} = ${rng.below(2) ? `array(${n})` : `[${Array.from({ length: n }, () => this.atom(local)).join(", ")}]`};`,
    );
    lines.push(
      `${indent}${a}[${rng.below(n + 1)}] = ${this.expr(local, 1)};`,
      `${indent}push(${a}, ${this.atom(local)});`,
      `${indent}print(${a}, pop(${a}), len(${a}));`,
    );
  }

  /** A fresh map, one entry stored under a random key, then its `"x"` entry read (maybe missing). */
  private mapOps(local: string[], indent: string): void {
    const { rng } = this;
    const m = `m${this.fresh++}`;
    this.lines.push(
      `${indent}let ${m} = {${rng.below(2) ? `"x": ${this.atom(local)}` : ""}};`,
      `${indent}${m}[${this.atom(local)}] = ${this.expr(local, 1)};`,
      `${indent}print(${m}, len(${m}), ${m}["x"]);`,
    );
  }

  /** A closure over a counter it updates, called a few times (named k…: f… are the functions, and a name both a
   *  function and a top-level variable is a compile error). Returns the counter, a new variable of the block. */
  private closure(local: string[], indent: string): string {
    const { rng, lines } = this;
    const n = `n${this.fresh++}`;
    const f = `k${this.fresh++}`;
    lines.push(`${indent}let ${n} = ${rng.below(10)};`, `${indent}let ${f} = fn(d) { ${n} = ${n} + d; return ${n}; };`);
    lines.push(`${indent}print(${f}(1), ${f}(${this.atom(local)}), ${n});`);
    return n;
  }
}
