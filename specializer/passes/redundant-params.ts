// Pass: redundant block-parameter removal (the "trivial phi" of Braun et al. 2013, §3.2, on block parameters). A
// parameter of a non-entry block is redundant when every incoming edge passes either one and the same value V or
// the parameter itself (a loop carrying it around unchanged): it is replaced by V everywhere and deleted with its
// arguments. Removing one can make others redundant (a chain of loops), so the check repeats until nothing
// changes. V dominates the block: every edge that passes V comes from a block V's definition dominates.
// The specializer needs this most: it carries every live interpreter value and every weval register into every
// specialized block as a parameter, and almost all of them arrive unchanged.
// Requires: valid SSA. Guarantees: valid SSA with no redundant parameter and no use of an alias.
// Relies on ../ssa/ir.ts, edges.ts and copy-propagation.ts.
import type { FunctionBody, ValueId } from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { dropParams, incomingEdges } from "./edges.ts";

/** Returns the number of parameters removed. */
export function removeRedundantParams(f: FunctionBody): number {
  const order = f.reversePostorder();
  const into = incomingEdges(f, order);
  let removed = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of order) {
      if (b === f.entry) continue;
      const edges = into.get(b) ?? [];
      const params = f.blocks[b].params;
      for (let i = 0; i < params.length; i++) {
        const p = params[i];
        if (f.resolve(p) !== p) continue; // already replaced
        let same: ValueId | undefined;
        let redundant = true;
        for (const e of edges) {
          const a = f.resolve(e.args[i]);
          if (a === p || a === same) continue;
          if (same !== undefined) {
            redundant = false;
            break;
          }
          same = a;
        }
        if (!redundant || same === undefined) continue;
        f.values[p] = { kind: "alias", to: same, type: f.typeOf(p) };
        removed++;
        changed = true;
      }
    }
  }
  if (removed === 0) return 0;
  for (const b of order) {
    const params = f.blocks[b].params;
    const keep = params.map((p) => f.values[p].kind === "param");
    if (keep.includes(false)) dropParams(f, b, keep, into.get(b) ?? []);
  }
  propagateCopies(f);
  return removed;
}
