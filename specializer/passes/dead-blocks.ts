// Pass: dead block elimination. Blocks no path from the entry reaches are emptied (no parameters, instructions or
// terminator), so nothing later sees them as predecessors, and preds/succs are recomputed. Block ids stay as they
// are (the IR's arenas are never renumbered). Requires: a function whose reachable blocks have terminators.
// Guarantees: only reachable blocks have content; preds and succs are exact.
import type { FunctionBody } from "../ssa/ir.ts";

/** Returns the number of blocks emptied. */
export function removeDeadBlocks(f: FunctionBody): number {
  const live = new Uint8Array(f.blocks.length);
  for (const b of f.reversePostorder()) live[b] = 1;
  let removed = 0;
  f.blocks.forEach((block, id) => {
    if (live[id] || (block.params.length === 0 && block.insts.length === 0 && block.term.kind === "none")) return;
    block.params = [];
    block.insts = [];
    block.term = { kind: "none" };
    removed++;
  });
  f.recomputePreds();
  return removed;
}
