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

/** Returns the number of operators made aliases. `order`: the reachable blocks in reverse postorder, and `dom`
 *  their dominator tree, when the caller has them. */
export function commonPureOps(f: FunctionBody, order: BlockId[] = f.reversePostorder(), dom?: DominatorTree): number {
  if (order.length === 0) return 0;
  dom ??= new DominatorTree(f, order);
  // One map for the walk; each block undoes its additions when its subtree is done.
  const seen = new Map<string, ValueId>();
  let merged = 0;
  const stack: { b: BlockId; added?: string[] }[] = [{ b: order[0] }];
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
      const key = `${d.op.name} ${d.args.map((a) => f.resolve(a)).join(" ")}`;
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
