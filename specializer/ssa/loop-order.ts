// A block order in which every loop is contiguous: its header, then its body, then what follows the loop. Plain
// reverse postorder is not: at a loop's exit branch, depth-first search may walk the whole rest of the program
// before it comes back for the loop's latch, which then lands at the very end. The backend cuts big functions
// into segments at points no edge jumps over (backend.ts, segmentsOf); with loops contiguous there are such points
// between any two top-level loops. Loops are natural loops (a back edge u→h in reverse postorder; the body is what
// reaches u without passing h), found by a backward walk per header; the search then visits, at each block, the
// successors that leave its loops first and the ones that stay in them last, so the latter come first in the order.
// Cost: the size of the loop bodies summed (the program times its loop nesting).
import { targetsOf, type BlockId, type FunctionBody } from "./ir.ts";

export function loopContiguousOrder(f: FunctionBody): BlockId[] {
  const rpo = f.reversePostorder();
  const pos = new Int32Array(f.blocks.length).fill(-1);
  rpo.forEach((b, i) => (pos[b] = i));
  const loops = naturalLoops(f, rpo, pos);
  const succsOf = (b: BlockId): BlockId[] => {
    const succs = [...new Set(targetsOf(f.blocks[b].term).map((t) => t.block))];
    if (succs.length < 2) return succs;
    // Leaving first, staying last, blocks that end the function (a return, a trap) very last: each lands right
    // after the block that branches to it.
    const rank = new Map(succs.map((s) => [s, targetsOf(f.blocks[s].term).length === 0 ? 1e9 : staysIn(loops, b, s)]));
    return succs.sort((x, y) => rank.get(x)! - rank.get(y)!);
  };
  return reversePostorderBy(f, succsOf);
}

/** The natural loops: each header's body, and each block's innermost loop (its header; for a header, the loop
 *  enclosing its own; -1 outside every loop). */
interface Loops {
  body: Map<BlockId, Set<BlockId>>;
  loopOf: Int32Array;
}

/** Each reachable block's predecessors (in reverse postorder, from the terminators), and each loop header's
 *  latches (the sources of its back edges). */
function predsAndLatches(f: FunctionBody, rpo: BlockId[], pos: Int32Array) {
  const preds = new Map<BlockId, BlockId[]>();
  const latches = new Map<BlockId, BlockId[]>();
  for (const b of rpo) {
    for (const t of targetsOf(f.blocks[b].term)) {
      const list = preds.get(t.block);
      if (list) list.push(b);
      else preds.set(t.block, [b]);
      if (pos[t.block] <= pos[b]) {
        const l = latches.get(t.block);
        if (l) l.push(b);
        else latches.set(t.block, [b]);
      }
    }
  }
  return { preds, latches };
}

/** Loop bodies by a backward walk from each header's latches, outermost headers first, so a block's innermost
 *  loop is the last header whose body takes it. */
function naturalLoops(f: FunctionBody, rpo: BlockId[], pos: Int32Array): Loops {
  const { preds, latches } = predsAndLatches(f, rpo, pos);
  const loopOf = new Int32Array(f.blocks.length).fill(-1);
  const body = new Map<BlockId, Set<BlockId>>();
  const headers = [...latches.keys()].sort((a, b) => pos[a] - pos[b]);
  for (const h of headers) {
    const members = new Set<BlockId>([h]);
    const work = latches.get(h)!.filter((u) => u !== h);
    for (const u of work) members.add(u);
    while (work.length) {
      const x = work.pop()!;
      for (const p of preds.get(x) ?? []) {
        if (!members.has(p) && pos[p] >= 0) {
          members.add(p);
          work.push(p);
        }
      }
    }
    body.set(h, members);
    for (const m of members) if (m !== h) loopOf[m] = h;
  }
  return { body, loopOf };
}

/** How many of b's loops (innermost outward) also hold s: higher means s stays deeper inside. */
function staysIn({ body, loopOf }: Loops, b: BlockId, s: BlockId): number {
  let depth = 0;
  const chain: BlockId[] = [];
  // A header's own entry in loopOf is its enclosing loop.
  for (let h = body.has(b) ? b : loopOf[b]; h >= 0; h = loopOf[h]) chain.push(h);
  for (let i = chain.length - 1; i >= 0; i--) {
    if (!body.get(chain[i])!.has(s)) break;
    depth++;
  }
  return depth;
}

/** Reverse postorder of a depth-first search from the entry that visits each block's successors in the order
 *  `succsOf` gives; an explicit stack, no recursion on the graph's depth. */
function reversePostorderBy(f: FunctionBody, succsOf: (b: BlockId) => BlockId[]): BlockId[] {
  const seen = new Uint8Array(f.blocks.length);
  const post: BlockId[] = [];
  const stack: BlockId[] = [f.entry];
  const next: number[] = [0];
  const lists: BlockId[][] = [succsOf(f.entry)];
  seen[f.entry] = 1;
  while (stack.length) {
    const top = stack.length - 1;
    const succs = lists[top];
    if (next[top] < succs.length) {
      const s = succs[next[top]++];
      if (!seen[s]) {
        seen[s] = 1;
        stack.push(s);
        next.push(0);
        lists.push(succsOf(s));
      }
    } else {
      post.push(stack.pop()!);
      next.pop();
      lists.pop();
    }
  }
  return post.reverse();
}
