// Pass: end a block right after each call to `weval.specialize.value`, continuing in a new block. Requires SSA
// input (run before max-SSA); keeps it valid. The specializer forks at block ends (one successor copy per value),
// so the value a block is specialized on must be decided where the block ends.
import type { FunctionBody } from "../ssa/ir.ts";

export function splitAfterCalls(f: FunctionBody, funcIndices: Set<number>): number {
  let splits = 0;
  for (let b = 0; b < f.blocks.length; b++) {
    const block = f.blocks[b];
    const at = block.insts.findIndex((v) => {
      const d = f.values[v];
      return d.kind === "op" && d.op.name === "call" && funcIndices.has(d.op.index!);
    });
    if (at < 0 || (at === block.insts.length - 1 && block.term.kind === "br" && block.term.target.args.length === 0))
      continue;
    const rest = f.addBlock();
    f.blocks[rest].insts = block.insts.slice(at + 1);
    f.blocks[rest].term = block.term;
    block.insts = block.insts.slice(0, at + 1);
    block.term = { kind: "br", target: { block: rest, args: [] } };
    splits++; // the new block is visited later in this loop, so a second call in it is split too
  }
  f.recomputePreds();
  return splits;
}
