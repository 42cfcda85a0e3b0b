// Pass: redundant block-parameter removal (the "trivial phi" of Braun et al. 2013, §3.2, on block parameters). A
// parameter of a non-entry block is redundant when every incoming edge passes either one and the same value V or
// the parameter itself (a loop carrying it around unchanged): it is replaced by V everywhere and deleted with its
// arguments. Removing one can make others redundant (a chain of loops): a worklist re-checks the blocks the
// replaced parameter was passed to, so each block is checked a small number of times. V dominates the block: every edge that passes V comes from a block V's definition dominates.
// The specializer needs this most: it carries every live interpreter value and every weval register into every
// specialized block as a parameter, and almost all of them arrive unchanged.
// Requires: valid SSA. Guarantees: valid SSA with no redundant parameter and no use of an alias.
import { targetAt, targetCount, type BlockId, type FunctionBody, type ValueId } from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { dropParams, IncomingEdges } from "./edges.ts";

/** Returns the number of parameters removed. `order`: the reachable blocks in reverse postorder, and `into` the
 *  edges into them, when the caller has them. */
export function removeRedundantParams(
  f: FunctionBody,
  order: BlockId[] = f.reversePostorder(),
  into = new IncomingEdges(f, order),
): number {
  // Blocks each value is passed to as a branch argument (linked lists in flat arrays: there is one entry per
  // argument, and a Map of arrays here cost more than the rest of the pass): a replaced parameter's are re-checked.
  // When a parameter is replaced, its list joins its replacement's: a block that received the parameter receives
  // the replacement now, and must be re-checked if the replacement is replaced in turn.
  const firstPass = new Int32Array(f.values.length).fill(-1);
  const lastPass = new Int32Array(f.values.length).fill(-1);
  const passBlock: BlockId[] = [];
  const passNext: number[] = [];
  // Target blocks in the order their first edge appears (as the lists were always built, so the worklist below
  // re-checks blocks in the same order).
  const listed = new Uint8Array(f.blocks.length);
  for (const src of order) {
    const term = f.blocks[src].term;
    for (let j = 0, n = targetCount(term); j < n; j++) {
      const b = targetAt(term, j).block;
      if (listed[b]) continue;
      listed[b] = 1;
      for (let k = into.first[b]; k < into.first[b + 1]; k++) {
        for (const a of into.edges[k].args) {
          passBlock.push(b);
          passNext.push(firstPass[a]);
          if (firstPass[a] < 0) lastPass[a] = passBlock.length - 1;
          firstPass[a] = passBlock.length - 1;
        }
      }
    }
  }
  const joinLists = (from: ValueId, to: ValueId) => {
    if (firstPass[from] < 0) return;
    if (firstPass[to] < 0) firstPass[to] = firstPass[from];
    else passNext[lastPass[to]] = firstPass[from];
    lastPass[to] = lastPass[from];
  };
  const queued = new Uint8Array(f.blocks.length);
  const work: BlockId[] = [];
  const enqueue = (b: BlockId) => {
    if (b !== f.entry && !queued[b]) {
      queued[b] = 1;
      work.push(b);
    }
  };
  for (let k = order.length - 1; k >= 0; k--) enqueue(order[k]); // popped in reverse postorder
  let removed = 0;
  while (work.length) {
    const b = work.pop()!;
    queued[b] = 0;
    const params = f.blocks[b].params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (f.values[p].kind !== "param") continue; // already replaced
      let same: ValueId | undefined;
      let redundant = true;
      for (let k = into.first[b]; k < into.first[b + 1]; k++) {
        const a = f.resolve(into.edges[k].args[i]);
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
      for (let k = firstPass[p]; k >= 0; k = passNext[k]) enqueue(passBlock[k]);
      joinLists(p, same);
    }
  }
  if (removed === 0) return 0;
  for (const b of order) {
    const params = f.blocks[b].params;
    if (params.every((p) => f.values[p].kind === "param")) continue;
    dropParams(
      f,
      b,
      params.map((p) => f.values[p].kind === "param"),
      into,
    );
  }
  propagateCopies(f, order);
  return removed;
}
