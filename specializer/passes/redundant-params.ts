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
  // Built at the first replacement (from the edges' arguments, which the loop below does not change): cleanup's
  // second round usually replaces none, and building it walks every branch argument.
  let passes: PassedTo | undefined;
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
      const same = onlyValue(f, into, b, i, p);
      if (same === undefined) continue;
      passes ??= new PassedTo(f, order, into);
      f.values[p] = { kind: "alias", to: same, type: f.typeOf(p) };
      removed++;
      passes.forEachBlock(p, enqueue);
      passes.join(p, same);
    }
  }
  if (removed === 0) return 0;
  dropReplaced(f, order, into);
  return removed;
}

/** The one value other than `p` itself that every edge into `b` passes as its parameter `i` (`p`), if there is
 *  one: then `p` is redundant. */
function onlyValue(f: FunctionBody, into: IncomingEdges, b: BlockId, i: number, p: ValueId): ValueId | undefined {
  let same: ValueId | undefined;
  for (let k = into.first[b]; k < into.first[b + 1]; k++) {
    const a = f.resolve(into.edges[k].args[i]);
    if (a === p || a === same) continue;
    if (same !== undefined) return undefined;
    same = a;
  }
  return same;
}

/** The replaced parameters deleted with their arguments, and their uses pointed at what replaced them. */
function dropReplaced(f: FunctionBody, order: BlockId[], into: IncomingEdges): void {
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
}

/**
 * The blocks each value is passed to as a branch argument, as linked lists in flat arrays (there is one entry per
 * argument, and a Map of arrays here cost more than the rest of the pass): a replaced parameter's blocks are
 * re-checked. When a parameter is replaced, its list joins its replacement's: a block that received the parameter
 * receives the replacement now, and must be re-checked if the replacement is replaced in turn.
 */
class PassedTo {
  private readonly first: Int32Array;
  private readonly last: Int32Array;
  /** Per entry: the block, and the next entry of the same value's list (-1: none); sized to the arguments (JS
   *  arrays grown push by push to millions of entries on Fern's 10,000-statement function cost a tenth of the pass). */
  private readonly block: Int32Array;
  private readonly next: Int32Array;
  private size = 0;

  constructor(f: FunctionBody, order: BlockId[], into: IncomingEdges) {
    this.first = new Int32Array(f.values.length).fill(-1);
    this.last = new Int32Array(f.values.length).fill(-1);
    let args = 0;
    for (const t of into.edges) args += t.args.length;
    this.block = new Int32Array(args);
    this.next = new Int32Array(args);
    // Target blocks in the order their first edge appears (as the lists were always built, so the worklist
    // re-checks blocks in the same order).
    const listed = new Uint8Array(f.blocks.length);
    for (const src of order) {
      const term = f.blocks[src].term;
      for (let j = 0, n = targetCount(term); j < n; j++) {
        const b = targetAt(term, j).block;
        if (listed[b]) continue;
        listed[b] = 1;
        for (let k = into.first[b]; k < into.first[b + 1]; k++) for (const a of into.edges[k].args) this.add(a, b);
      }
    }
  }

  private add(value: ValueId, b: BlockId): void {
    const at = this.size++;
    this.block[at] = b;
    this.next[at] = this.first[value];
    if (this.first[value] < 0) this.last[value] = at;
    this.first[value] = at;
  }

  forEachBlock(value: ValueId, f: (b: BlockId) => void): void {
    for (let k = this.first[value]; k >= 0; k = this.next[k]) f(this.block[k]);
  }

  /** `from`'s blocks become `to`'s too (after `to`'s own). */
  join(from: ValueId, to: ValueId): void {
    if (this.first[from] < 0) return;
    if (this.first[to] < 0) this.first[to] = this.first[from];
    else this.next[this.last[to]] = this.first[from];
    this.last[to] = this.last[from];
  }
}
