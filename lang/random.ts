// Random Fern programs for the differential test: terminating by construction (loops count a fresh variable down
// from a small bound; functions only call functions defined before them, so no recursion), using ints, floats,
// bools, nil, arrays, calls, if/else, while, short-circuit logic and printing, with some runtime errors possible
// (type errors, division by zero, out-of-range indices), which must then be the same error in both modes.
import { Rng } from "../bytecode/random.ts";

export function randomFern(seed: number): string {
  const rng = new Rng(seed);
  const lines: string[] = [];
  let fresh = 0;
  const fns: { name: string; arity: number }[] = [];
  const atom = (vars: string[]): string => {
    switch (rng.below(8)) {
      case 0: return String(rng.below(20));
      case 1: return `${rng.below(10)}.${rng.below(10)}`;
      case 2: return rng.pick(["true", "false", "nil"]);
      case 3: return String(rng.below(3) === 0 ? 9223372036854775807n : BigInt(rng.below(1000)));
      default: return vars.length ? rng.pick(vars) : String(rng.below(9));
    }
  };
  const expr = (vars: string[], depth: number): string => {
    if (depth <= 0) return atom(vars);
    switch (rng.below(7)) {
      case 0: case 1: return `${expr(vars, depth - 1)} ${rng.pick(["+", "-", "*", "+", "-", "/", "%"])} ${expr(vars, depth - 1)}`;
      case 2: return `(${expr(vars, depth - 1)} ${rng.pick(["<", "<=", ">", ">=", "==", "!="])} ${expr(vars, depth - 1)})`;
      case 3: return `(${expr(vars, depth - 1)} ${rng.pick(["&&", "||"])} ${expr(vars, depth - 1)})`;
      case 4: return `${rng.pick(["-", "!"])}${atom(vars)}`;
      case 5: {
        if (!fns.length) return atom(vars);
        const f = rng.pick(fns);
        return `${f.name}(${Array.from({ length: f.arity }, () => expr(vars, depth - 1)).join(", ")})`;
      }
      default: return atom(vars);
    }
  };
  const block = (vars: string[], budget: number, indent: string, inFn: boolean): void => {
    const local = [...vars];
    for (let k = 0; k < budget; k++) {
      switch (rng.below(inFn ? 8 : 7)) {
        case 0: case 1: {
          const v = `v${fresh++}`;
          lines.push(`${indent}let ${v} = ${expr(local, 2)};`);
          local.push(v);
          break;
        }
        case 2:
          if (local.length) lines.push(`${indent}${rng.pick(local)} = ${expr(local, 2)};`);
          break;
        case 3:
          lines.push(`${indent}print(${expr(local, 2)});`);
          break;
        case 4:
          lines.push(`${indent}if (${expr(local, 1)}) {`);
          block(local, 2, indent + "  ", inFn);
          lines.push(`${indent}} else {`);
          block(local, 1, indent + "  ", inFn);
          lines.push(`${indent}}`);
          break;
        case 5: {
          const c = `c${fresh++}`;
          lines.push(`${indent}let ${c} = ${1 + rng.below(6)};`, `${indent}while (${c} > 0) {`);
          block([...local, c], 2, indent + "  ", inFn);
          lines.push(`${indent}  ${c} = ${c} - 1;`, `${indent}}`);
          break;
        }
        case 6: {
          const a = `a${fresh++}`;
          const n = 1 + rng.below(4);
          lines.push(`${indent}let ${a} = array(${n});`, `${indent}${a}[${rng.below(n + 1)}] = ${expr(local, 1)};`, `${indent}print(${a});`);
          break;
        }
        default:
          lines.push(`${indent}return ${expr(local, 2)};`);
      }
    }
  };
  const nfns = rng.below(4);
  for (let i = 0; i < nfns; i++) {
    const arity = rng.below(3);
    const params = Array.from({ length: arity }, (_, k) => `p${k}`);
    lines.push(`fn f${i}(${params.join(", ")}) {`);
    block(params, 3, "  ", true);
    lines.push(`  return ${expr(params, 2)};`, "}");
    fns.push({ name: `f${i}`, arity });
  }
  block([], 8, "", false);
  return lines.join("\n") + "\n";
}
