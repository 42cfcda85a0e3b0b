// Which generic blocks are same-context joins, and the regions a block copy can run through in a straight line:
// computed once per generic function, before specialization, from its CFG and where it changes the context.
//
// A join is a block B (not the entry) whose every incoming edge is a forward edge from a block X that never
// changes the context (no push/update/pop.context, no specialize.value fork): the copy of B in context c is then
// only entered from copies of such X in c, which come before it in the worklist's order (context, then position
// in reverse postorder). So when B's copy is processed, its incoming edges are known, and it takes parameters only
// for the values that differ between them; a value every edge brings the same (the same IR value or constant) is
// used directly — it dominates the join. Most of an interpreter's blocks are such (the cases of its dispatch, the
// join after them, the arms of an opcode's branches); the ones left — loop headers, blocks after a context
// change — are weval's "cut" points, where every live value becomes a parameter.
//
// Regions (see specialize.ts, `straightInto`): a join with one predecessor block belongs to its predecessor's
// region; a join all of whose predecessors are in one region belongs to it too (the join after an interpreter's
// dispatch: every case is entered from the dispatch block alone). Every block of a region is entered only from the
// region, so its copy in a context is entered only from the copy of the region's root in that context.
import { targetsOf, type BlockId, type FunctionBody } from "../ssa/ir.ts";

export interface Regions {
  /** Per generic block: 1 when it is a same-context join. */
  joins: Uint8Array;
  /** Per generic block: the root of its region (itself when it is none's). */
  root: Int32Array;
}

/** The joins and regions of `f`, whose blocks in reverse postorder are `order` (positions `rpoIndex`); `changes(b)`
 *  says whether block b changes the context. */
export function findRegions(
  f: FunctionBody,
  order: BlockId[],
  rpoIndex: Int32Array,
  changes: (b: BlockId) => boolean,
): Regions {
  const entered = new Uint8Array(f.blocks.length);
  const cut = new Uint8Array(f.blocks.length); // entered by a back edge or from a block that changes the context
  const preds: BlockId[][] = f.blocks.map(() => []);
  for (const b of order) {
    const changing = changes(b);
    for (const t of targetsOf(f.blocks[b].term)) {
      preds[t.block].push(b);
      entered[t.block] = 1;
      if (changing || rpoIndex[t.block] <= rpoIndex[b]) cut[t.block] = 1;
    }
  }
  const joins = new Uint8Array(f.blocks.length);
  for (let b = 0; b < f.blocks.length; b++) joins[b] = entered[b] && !cut[b] && b !== f.entry ? 1 : 0;
  const root = new Int32Array(f.blocks.length);
  for (const b of order) {
    root[b] = b;
    if (!joins[b]) continue;
    let r = -1;
    for (const p of preds[b]) {
      const pr = root[p];
      if (r === -1) r = pr;
      else if (pr !== r) r = -2;
    }
    if (r >= 0) root[b] = r;
  }
  return { joins, root };
}
