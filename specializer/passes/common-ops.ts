// Pass: common subexpressions of pure operators, by dominance: an operator (no effect, no trap) whose name and
// operands equal those of one in a dominating position becomes an alias of it. Store forwarding keys memory slots
// by the address's root value, so two `i32.wrap_i64 x` of the same Fern register (each array access unboxes its
// pointer afresh) must be one value before it can see that they address the same object.
//   before:  v3 = i32.wrap_i64 v1 ; v4 = i32.load offset=20 v3 ; ... ; v9 = i32.wrap_i64 v1 ; v10 = i32.load offset=20 v9
//   after:   v3 = i32.wrap_i64 v1 ; v4 = i32.load offset=20 v3 ; ... ; v9 = alias v3 ; v10 = i32.load offset=20 v9
// Constants are left alone (the passes that fold read them by value). Requires: valid SSA. Guarantees: valid SSA
// (the kept operator dominates every use of the alias), the same results.
import { effectsOf } from "../ssa/effects.ts";
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { DominatorTree } from "../ssa/dominators.ts";

/** Operator names by a small number, for the keys below (the same numbers for every function: only equality counts). */
const NAME_IDS = new Map<string, number>();
/** The keys below pack a name id and up to two value ids into one exact integer (under 2^53) when they fit. */
const NAME_LIMIT = 1 << 10;
const VALUE_LIMIT = (1 << 21) - 1; // one less than the field: VALUE_LIMIT itself marks a missing second operand

/** Returns the number of operators made aliases. `order`: the reachable blocks in reverse postorder, and `dom`
 *  their dominator tree, when the caller has them. */
export function commonPureOps(f: FunctionBody, order: BlockId[] = f.reversePostorder(), dom?: DominatorTree): number {
  if (order.length === 0) return 0;
  dom ??= new DominatorTree(f, order);
  // One map for the walk; each block undoes its additions when its subtree is done. A key is a number (name and at
  // most two operands, packed: most operators) or, when those do not fit, the name and operands as text; one
  // operator's key is always of the same kind, so two keys are equal exactly when the name and operands are.
  const seen = new Map<number | string, ValueId>();
  let merged = 0;
  const stack: { b: BlockId; added?: (number | string)[] }[] = [{ b: order[0] }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.added) {
      for (const key of top.added) seen.delete(key);
      stack.pop();
      continue;
    }
    top.added = [];
    for (const v of f.blocks[top.b].insts) {
      const d = f.values[v];
      if (d.kind !== "op" || d.args.length === 0 || d.types.length !== 1 || d.op.name === "const") continue;
      if (!effectsOf(d.op).pure) continue;
      const key = keyOf(f, d.op.name, d.args);
      const first = seen.get(key);
      if (first !== undefined) {
        f.values[v] = { kind: "alias", to: first, type: d.types[0] };
        merged++;
      } else {
        seen.set(key, v);
        top.added.push(key);
      }
    }
    for (const c of dom.childrenOf(top.b)) stack.push({ b: c });
  }
  return merged;
}

/** The key of an operator `name` on `args` (resolved): equal for equal names and operands, and only then. Built
 *  per instruction, so no array or string where a number does (the text keys were ~5% of specializing Fern's
 *  1,000 small functions). */
function keyOf(f: FunctionBody, name: string, args: ValueId[]): number | string {
  let id = NAME_IDS.get(name);
  if (id === undefined) NAME_IDS.set(name, (id = NAME_IDS.size));
  if (id < NAME_LIMIT && args.length <= 2) {
    const a = f.resolve(args[0]);
    const b = args.length === 2 ? f.resolve(args[1]) : VALUE_LIMIT;
    if (a < VALUE_LIMIT && (b < VALUE_LIMIT || args.length === 1)) return id + NAME_LIMIT * (a + (VALUE_LIMIT + 1) * b);
  }
  return `${name} ${args.map((x) => f.resolve(x)).join(" ")}`;
}
