// Pass: copy (alias) propagation. Every use of an alias — a value defined as "the same as another value", which
// the cleanup passes make when they delete a parameter or merge a block (and the IR parser reads) — is
// replaced by the value it stands for, and aliases leave the instruction lists. Requires: valid SSA. Guarantees:
// valid SSA in which no instruction, terminator or branch argument refers to an alias.
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { rewriteUses } from "./edges.ts";

/** Returns the number of alias instructions removed. `order`: the reachable blocks in reverse postorder, when the
 *  caller has them. */
export function propagateCopies(f: FunctionBody, order: BlockId[] = f.reversePostorder()): number {
  rewriteUses(f, order, (v) => f.resolve(v));
  let removed = 0;
  for (const b of order) {
    const block = f.blocks[b];
    // A new list only for a block that holds an alias (most hold none: no array per block per call).
    if (!hasAlias(f, block.insts)) continue;
    const before = block.insts.length;
    block.insts = block.insts.filter((v) => f.values[v].kind !== "alias");
    removed += before - block.insts.length;
  }
  return removed;
}

function hasAlias(f: FunctionBody, insts: ValueId[]): boolean {
  for (const v of insts) if (f.values[v].kind === "alias") return true;
  return false;
}
