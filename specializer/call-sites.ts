// What a cleaned specialized body calls, and its size, found in one walk over its reachable blocks and kept per body:
// the request's stats (size, direct calls), the choice of leaves to inline and the binaryen groups' imports all ask,
// and each walk of Fern's one function of 10,000 statements (56k blocks scattered over a 300 MB heap) cost 35-60 ms
// of CPU (2026-12-07), four walks where one does. A body is not changed after cleanup, which the memo relies on.
import type { FunctionBody } from "./ssa/ir.ts";

export interface CallSites {
  /** Parameters and instructions in the reachable blocks (optimize.ts's functionSize). */
  size: number;
  /** Each function called (the specializer's index: the module's, then the specialized ones), with its number of
   *  call sites, in the order of first call in reverse postorder. */
  calls: ReadonlyMap<number, number>;
}

const memo = new WeakMap<FunctionBody, CallSites>();

/** `f`'s size and calls, walked once per body. */
export function callSites(f: FunctionBody): CallSites {
  let out = memo.get(f);
  if (out) return out;
  let size = 0;
  const calls = new Map<number, number>();
  for (const b of f.reversePostorder()) {
    const block = f.blocks[b];
    size += block.params.length + block.insts.length;
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op" && d.op.name === "call") calls.set(d.op.index!, (calls.get(d.op.index!) ?? 0) + 1);
    }
    const t = block.term; // a tail call is a call site too
    if (t.kind === "return_call" && t.op.name === "call") calls.set(t.op.index!, (calls.get(t.op.index!) ?? 0) + 1);
  }
  memo.set(f, (out = { size, calls }));
  return out;
}
