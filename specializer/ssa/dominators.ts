// Dominance over a function's reachable blocks: immediate dominators by Cooper, Harvey & Kennedy, "A Simple, Fast
// Dominance Algorithm" (2001), and the dominator tree with O(1) dominance queries by preorder intervals.
// Both walk the terminators' targets (as FunctionBody.reversePostorder does), not the stored preds and succs, so the
// verifier can use them on a function whose preds disagree with its terminators.
import { targetsOf, type BlockId, type FunctionBody } from "./ir.ts";

/** Each reachable block's immediate dominator (the entry's is itself), for the blocks of `order`, which is the
 *  function's reverse postorder. */
export function immediateDominators(f: FunctionBody, order: BlockId[] = f.reversePostorder()): Map<BlockId, BlockId> {
  // By position in reverse postorder, in typed arrays (no Map per lookup: the backend runs this on functions of
  // 100k blocks); -1 is "not yet known".
  const index = new Int32Array(f.blocks.length).fill(-1);
  order.forEach((b, i) => (index[b] = i));
  const predStart = new Int32Array(order.length + 1);
  for (const b of order)
    for (const t of targetsOf(f.blocks[b].term)) if (index[t.block] >= 0) predStart[index[t.block] + 1]++;
  for (let i = 0; i < order.length; i++) predStart[i + 1] += predStart[i];
  const preds = new Int32Array(predStart[order.length]);
  const fill = predStart.slice();
  order.forEach((b, i) => {
    for (const t of targetsOf(f.blocks[b].term)) if (index[t.block] >= 0) preds[fill[index[t.block]]++] = i;
  });
  const idom = new Int32Array(order.length).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a > b) a = idom[a];
      while (b > a) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < order.length; i++) {
      let d = -1;
      for (let k = predStart[i]; k < predStart[i + 1]; k++) {
        const p = preds[k];
        if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
      }
      if (d >= 0 && idom[i] !== d) {
        idom[i] = d;
        changed = true;
      }
    }
  }
  const out = new Map<BlockId, BlockId>();
  order.forEach((b, i) => idom[i] >= 0 && out.set(b, order[idom[i]]));
  return out;
}

/** The dominator tree of the blocks in `order` (reverse postorder): each block's children in `order`'s order, and
 *  dominance in O(1) from the preorder interval of each subtree. Blocks not in `order` dominate nothing and are
 *  dominated by nothing. */
export class DominatorTree {
  readonly idom: Map<BlockId, BlockId>;
  private readonly children = new Map<BlockId, BlockId[]>();
  /** Preorder number of each block (-1: not in `order`), and the largest preorder number in its subtree. */
  private readonly pre: Int32Array;
  private readonly last: Int32Array;

  constructor(f: FunctionBody, order: BlockId[] = f.reversePostorder()) {
    this.idom = immediateDominators(f, order);
    for (const b of order) {
      if (b === f.entry) continue;
      const d = this.idom.get(b)!;
      const list = this.children.get(d);
      if (list) list.push(b);
      else this.children.set(d, [b]);
    }
    this.pre = new Int32Array(f.blocks.length).fill(-1);
    this.last = new Int32Array(f.blocks.length).fill(-1);
    // An explicit stack (no recursion on the tree's depth); ~x marks the end of x's subtree.
    let clock = 0;
    const stack: BlockId[] = [f.entry];
    while (stack.length) {
      const x = stack.pop()!;
      if (x < 0) {
        this.last[~x] = clock - 1;
        continue;
      }
      this.pre[x] = clock++;
      stack.push(~x);
      for (const c of this.childrenOf(x)) stack.push(c);
    }
  }

  /** The blocks `b` immediately dominates, in reverse postorder. */
  childrenOf(b: BlockId): readonly BlockId[] {
    return this.children.get(b) ?? [];
  }

  /** Whether every path from the entry to `b` goes through `a` (so `a` dominates itself). */
  dominates(a: BlockId, b: BlockId): boolean {
    return this.pre[a] >= 0 && this.pre[b] >= 0 && this.pre[a] <= this.pre[b] && this.pre[b] <= this.last[a];
  }

  /** Whether `a` dominates `b` and is not `b`. */
  strictlyDominates(a: BlockId, b: BlockId): boolean {
    return a !== b && this.dominates(a, b);
  }
}
