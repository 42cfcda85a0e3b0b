// Pass: copy (alias) propagation. Every use of an alias — a value defined as "the same as another value", which
// the cleanup passes make when they delete a parameter or merge a block (and the IR parser reads) — is
// replaced by the value it stands for, and aliases leave the instruction lists. Requires: valid SSA. Guarantees:
// valid SSA in which no instruction, terminator or branch argument refers to an alias.
import type { BlockId, FunctionBody } from "../ssa/ir.ts";
import { resolveAliasUses } from "./edges.ts";

/** Returns the number of alias instructions removed. `order`: the reachable blocks in reverse postorder, when the
 *  caller has them. */
export function propagateCopies(f: FunctionBody, order: BlockId[] = f.reversePostorder()): number {
  let removed = 0;
  // A new list only for a block that holds an alias (most hold none: no array per block per call).
  for (const b of resolveAliasUses(f, order)) {
    const block = f.blocks[b];
    const before = block.insts.length;
    block.insts = block.insts.filter((v) => f.values[v].kind !== "alias");
    removed += before - block.insts.length;
  }
  return removed;
}
