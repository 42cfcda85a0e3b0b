// Pass: dead value elimination, across blocks. A value is live when something observable needs it: an instruction
// with an effect (a store, a call, a trap, a global write: see ../ssa/effects.ts), a terminator's condition, index
// or returned values — and, transitively, the operands of a live value and, for a live block parameter, the
// argument every incoming edge passes to it. Everything else goes: pure instructions nobody uses, and block
// parameters nobody uses together with their arguments (which may in turn die). The entry block's parameters are
// the function's and stay. Requires: valid SSA. Guarantees: valid SSA whose every value is live.
import { effectsOf } from "../ssa/effects.ts";
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { dropParams, IncomingEdges } from "./edges.ts";

/** Returns the number of instructions and parameters removed. `cannotTrap`: loads a pass proved in bounds (they go
 *  when unused, like pure instructions). `order`: the reachable blocks in reverse postorder, and `into` the edges into
 *  them, when the caller has them. */
export function removeDeadValues(
  f: FunctionBody,
  cannotTrap?: ReadonlySet<ValueId>,
  order: BlockId[] = f.reversePostorder(),
  into = new IncomingEdges(f, order),
): number {
  const live = new Uint8Array(f.values.length);
  const work: ValueId[] = [];
  const mark = (v: ValueId) => {
    if (!live[v]) {
      live[v] = 1;
      work.push(v);
    }
  };
  for (const p of f.blocks[f.entry].params) mark(p);
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op" && !effectsOf(d.op).pure && !cannotTrap?.has(v)) mark(v);
    }
    const t = block.term;
    // Branch arguments are not uses by themselves: they live when the parameter they feed does.
    if (t.kind === "cond") mark(t.cond);
    else if (t.kind === "table") mark(t.index);
    else if (t.kind === "return") t.values.forEach(mark);
    else if (t.kind === "return_call") t.args.forEach(mark);
  }
  while (work.length) {
    const v = work.pop()!;
    const d = f.values[v];
    if (d.kind === "op") d.args.forEach(mark);
    else if (d.kind === "pick") mark(d.value);
    else if (d.kind === "alias") mark(d.to);
    else if (d.kind === "param")
      for (let k = into.first[d.block]; k < into.first[d.block + 1]; k++) mark(into.edges[k].args[d.index]);
  }
  return sweep(f, order, live, into);
}

/** Remove the values `live` does not mark; new lists only for the blocks that lose some (most lose none). */
function sweep(f: FunctionBody, order: BlockId[], live: Uint8Array, into: IncomingEdges): number {
  let removed = 0;
  for (const b of order) {
    const block = f.blocks[b];
    if (!allLive(block.insts, live)) {
      const before = block.insts.length;
      block.insts = block.insts.filter((v) => live[v]);
      removed += before - block.insts.length;
    }
    if (b === f.entry || allLive(block.params, live)) continue;
    const keep = block.params.map((p) => live[p] === 1);
    removed += keep.filter((k) => !k).length;
    dropParams(f, b, keep, into);
  }
  return removed;
}

function allLive(values: ValueId[], live: Uint8Array): boolean {
  for (const v of values) if (!live[v]) return false;
  return true;
}
