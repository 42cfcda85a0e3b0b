// Random Fern programs for the differential test and `npm run fuzz -- --fern`: terminating by construction (loops
// count a fresh variable over a small range, `for` loops may break or continue; functions only call functions
// defined before them, closures only call nothing, so no recursion), using ints (decimal and hex), floats, bools,
// nil, strings, arrays (literals, push/pop), maps, closures over counters, top-level variables used in
// functions, calls, if/else, while, for, break/continue, compound assignment, short-circuit logic and printing
// several values, with some runtime errors possible (type errors, division by zero, out-of-range indices, missing
// map keys used as numbers), which must then be the same error in both modes.
import { Rng } from "../bytecode/random.ts";

const assignable = (v: string) => !/^[ci]\d/.test(v);

export function randomFern(seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  let fresh = 0;
  const fns: { name: string; arity: number }[] = [];
  const atom = (vars: string[]): string => {
    const r = rng.below(30);
    if (r < 6) return String(rng.below(20));
    if (r < 9) return `${rng.below(10)}.${rng.below(10)}`;
    if (r < 10) return rng.pick(["true", "false", "nil"]);
    if (r < 11) return String(rng.below(3) === 0 ? 9223372036854775807n : BigInt(rng.below(1000)));
    if (r < 12) return rng.pick(["0x1f", "-9223372036854775808", "0xffffffffffffffff"]);
    return vars.length ? rng.pick(vars) : String(rng.below(9));
  };
  const expr = (vars: string[], depth: number): string => {
    if (depth <= 0) return atom(vars);
    switch (rng.below(10)) {
      case 0:
      case 1:
        return `${expr(vars, depth - 1)} ${rng.pick(["+", "-", "*", "+", "-", "/", "%"])} ${expr(vars, depth - 1)}`;
      case 2:
        return `(${expr(vars, depth - 1)} ${rng.pick(["<", "<=", ">", ">=", "==", "!="])} ${expr(vars, depth - 1)})`;
      case 3:
        return `(${expr(vars, depth - 1)} ${rng.pick(["&&", "||"])} ${expr(vars, depth - 1)})`;
      case 4:
        return `${rng.pick(["-", "!"])}${atom(vars)}`;
      case 5: {
        if (!fns.length) return atom(vars);
        const f = rng.pick(fns);
        return `${f.name}(${Array.from({ length: f.arity }, () => expr(vars, depth - 1)).join(", ")})`;
      }
      // Strings, arrays and maps inside expressions that give numbers or bools, so arithmetic around them mostly works.
      case 6:
        return `len(${rng.pick([`str(${expr(vars, depth - 1)})`, `[${expr(vars, depth - 1)}, ${atom(vars)}]`, `"s" + type(${atom(vars)})`])})`;
      case 7:
        return `(${rng.pick(['"a"', '"bc"', '""', '"x\\ty"'])} ${rng.pick(["<", "==", "!=", ">="])} str(${expr(vars, depth - 1)}))`;
      case 8:
        return `{"k": ${atom(vars)}, ${rng.below(3)}: ${atom(vars)}}[${rng.pick(['"k"', "1", "2"])}]`;
      default:
        return atom(vars);
    }
  };
  const block = (vars: string[], budget: number, indent: string, inFn: boolean, inLoop: boolean): void => {
    const local = [...vars];
    for (let k = 0; k < budget; k++) {
      switch (rng.below(inFn ? 13 : 12)) {
        case 0:
        case 1: {
          const v = `v${fresh++}`;
          lines.push(`${indent}let ${v} = ${expr(local, 2)};`);
          local.push(v);
          break;
        }
        case 2:
          // Loop counters (c…, i…) are never assigned, so every loop ends.
          if (local.some(assignable))
            lines.push(
              `${indent}${rng.pick(local.filter(assignable))} ${rng.pick(["=", "+=", "-=", "*="])} ${expr(local, 2)};`,
            );
          break;
        case 3:
          lines.push(
            `${indent}print(${Array.from({ length: 1 + rng.below(3) }, () => (rng.below(4) ? expr(local, 2) : `"s" + str(${expr(local, 1)})`)).join(", ")});`,
          );
          break;
        case 4:
          lines.push(`${indent}if (${expr(local, 1)}) {`);
          block(local, 2, indent + "  ", inFn, inLoop);
          lines.push(`${indent}} else {`);
          block(local, 1, indent + "  ", inFn, inLoop);
          lines.push(`${indent}}`);
          break;
        case 5: {
          const c = `c${fresh++}`;
          lines.push(`${indent}let ${c} = ${1 + rng.below(6)};`, `${indent}while (${c} > 0) {`);
          lines.push(`${indent}  ${c} = ${c} - 1;`);
          block([...local, c], 2, indent + "  ", inFn, true);
          lines.push(`${indent}}`);
          break;
        }
        case 6: {
          const i = `i${fresh++}`;
          lines.push(`${indent}for (let ${i} = 0; ${i} < ${1 + rng.below(5)}; ${i} += 1) {`);
          block([...local, i], 2, indent + "  ", inFn, true);
          lines.push(`${indent}}`);
          break;
        }
        case 7: {
          const a = `a${fresh++}`;
          const n = 1 + rng.below(4);
          lines.push(
            `${indent}let ${a} = ${rng.below(2) ? `array(${n})` : `[${Array.from({ length: n }, () => atom(local)).join(", ")}]`};`,
          );
          lines.push(
            `${indent}${a}[${rng.below(n + 1)}] = ${expr(local, 1)};`,
            `${indent}push(${a}, ${atom(local)});`,
            `${indent}print(${a}, pop(${a}), len(${a}));`,
          );
          break;
        }
        case 8: {
          const m = `m${fresh++}`;
          lines.push(
            `${indent}let ${m} = {${rng.below(2) ? `"x": ${atom(local)}` : ""}};`,
            `${indent}${m}[${atom(local)}] = ${expr(local, 1)};`,
            `${indent}print(${m}, len(${m}), ${m}["x"]);`,
          );
          break;
        }
        case 9: {
          // A closure over a counter it updates, called a few times (named k…: f… are the functions, and a name
          // both a function and a top-level variable is a compile error).
          const n = `n${fresh++}`;
          const f = `k${fresh++}`;
          lines.push(
            `${indent}let ${n} = ${rng.below(10)};`,
            `${indent}let ${f} = fn(d) { ${n} = ${n} + d; return ${n}; };`,
          );
          lines.push(`${indent}print(${f}(1), ${f}(${atom(local)}), ${n});`);
          local.push(n);
          break;
        }
        case 10:
          if (inLoop) lines.push(`${indent}if (${expr(local, 1)}) { ${rng.pick(["break", "continue"])}; }`);
          break;
        case 11:
          lines.push(`${indent}g = g + 1;`);
          break;
        default:
          lines.push(`${indent}return ${expr(local, 2)};`);
      }
    }
  };
  lines.push("let g = 0;");
  const nfns = rng.below(4);
  const fnLines: string[] = [];
  const mainLines = lines.splice(0);
  for (let i = 0; i < nfns; i++) {
    const arity = rng.below(7); // 0-6: Fern passes four arguments as Wasm parameters and the rest in the frame
    const params = Array.from({ length: arity }, (_, k) => `p${k}`);
    lines.push(`fn f${i}(${params.join(", ")}) {`);
    block(params, 3, "  ", true, false);
    lines.push(`  return ${expr(params, 2)};`, "}");
    fns.push({ name: `f${i}`, arity });
  }
  fnLines.push(...lines.splice(0));
  block([], 8, "", false, false);
  lines.push("print(g);");
  return [...mainLines, ...fnLines, ...lines].join("\n") + "\n";
}
