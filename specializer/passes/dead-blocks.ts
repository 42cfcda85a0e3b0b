// Pass: dead block elimination. Blocks no path from the entry reaches are emptied (no parameters, instructions or
// terminator), so nothing later sees them as predecessors, and preds/succs are recomputed. Block ids stay as they
// are (the IR's arenas are never renumbered). Requires: a function whose reachable blocks have terminators.
// Guarantees: only reachable blocks have content; preds and succs are exact.
import type { BlockId, FunctionBody, Terminator } from "../ssa/ir.ts";

/** The terminator of every emptied block (shared: nothing writes into a `none`). */
const NONE: Terminator = Object.freeze({ kind: "none" });

/** Returns the number of blocks emptied. `order`: the reachable blocks (in reverse postorder), when the caller has
 *  them. `predsExact`: the caller knows preds and succs are exact (no terminator changed since they were): they are
 *  recomputed only if a block is emptied. */
export function removeDeadBlocks(f: FunctionBody, order: BlockId[] = f.reversePostorder(), predsExact = false): number {
  const live = new Uint8Array(f.blocks.length);
  for (const b of order) live[b] = 1;
  let removed = 0;
  for (let id = 0; id < f.blocks.length; id++) {
    const block = f.blocks[id];
    if (live[id] || (block.params.length === 0 && block.insts.length === 0 && block.term.kind === "none")) continue;
    block.params = [];
    block.insts = [];
    block.term = NONE;
    removed++;
  }
  if (removed > 0 || !predsExact) f.recomputePreds();
  return removed;
}
