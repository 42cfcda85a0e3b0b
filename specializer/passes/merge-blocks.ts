// Pass: jump threading through empty blocks, then merging of straight-line blocks.
//   Threading: an edge into a block that has no instructions and ends in `br C(args)` is sent straight to C, its
//   arguments substituted for the empty block's parameters (a value the empty block uses but does not define is
//   defined in a block that dominates it, hence dominates the edge's source too). Not when a parameter of the empty
//   block is used elsewhere (after redundant-parameter removal, the blocks it dominates may use it directly).
//   Chains are followed, cycles of empty blocks are left alone.
//   Branch folding: a `cond` or `br_table` that goes to the same place whichever way is a `br`.
//   Merging: a block whose only incoming edge is its predecessor's unconditional `br` is appended to that
//   predecessor; its parameters become aliases of the arguments, resolved at the end.
// The specializer needs this: it makes one block per (context, interpreter block), and most of them are a
// straight line from the previous bytecode instruction's copy into the next one's.
// Requires: valid SSA. Guarantees: valid SSA with no threadable edge, no mergeable pair and no alias use; blocks
// left unreachable are emptied and preds/succs recomputed.
import { targetsOf, terminatorUses, type BlockId, type FunctionBody, type Target } from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";

export interface MergeStats {
  threaded: number;
  merged: number;
}

export function mergeBlocks(f: FunctionBody): MergeStats {
  // Folding first makes forwarding blocks of conds whose arms agree; threading may make more such conds.
  foldSameTargetBranches(f);
  const stats = { threaded: threadJumps(f), merged: 0 };
  foldSameTargetBranches(f);
  const order = f.reversePostorder();
  const edgesInto = new Map<BlockId, number>();
  for (const b of order)
    for (const t of targetsOf(f.blocks[b].term)) edgesInto.set(t.block, (edgesInto.get(t.block) ?? 0) + 1);
  for (const p of order) {
    const pred = f.blocks[p];
    for (;;) {
      const t = pred.term;
      if (t.kind !== "br") break;
      const b = t.target.block;
      if (b === p || b === f.entry || edgesInto.get(b) !== 1) break;
      const block = f.blocks[b];
      block.params.forEach(
        (param, i) => (f.values[param] = { kind: "alias", to: t.target.args[i], type: f.typeOf(param) }),
      );
      for (const v of block.insts) pred.insts.push(v);
      pred.term = block.term;
      block.params = [];
      block.insts = [];
      block.term = { kind: "none" };
      stats.merged++;
    }
  }
  propagateCopies(f);
  removeDeadBlocks(f); // also recomputes preds and succs after all of the above
  return stats;
}

/** Values used anywhere but in the terminator of the block whose parameters they are. */
function escapingValues(f: FunctionBody): Uint8Array {
  const escapes = new Uint8Array(f.values.length);
  for (const b of f.reversePostorder()) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op") for (const a of d.args) escapes[a] = 1;
      else if (d.kind === "pick") escapes[d.value] = 1;
    }
    for (const v of terminatorUses(block.term)) {
      const d = f.values[v];
      if (d.kind !== "param" || d.block !== b) escapes[v] = 1;
    }
  }
  return escapes;
}

/** The block an empty forwarding block jumps to, or undefined when `b` is not one. A block whose parameters are
 *  used beyond its own branch (by the blocks it dominates) is not one: threading past it would lose them. */
function forwardOf(f: FunctionBody, b: BlockId, escapes: Uint8Array): Target | undefined {
  const block = f.blocks[b];
  if (b === f.entry || block.insts.length || block.term.kind !== "br" || block.term.target.block === b)
    return undefined;
  for (const p of block.params) if (escapes[p]) return undefined;
  return block.term.target;
}

/** Thread `t` once through the forwarding block it targets. */
function threadOnce(f: FunctionBody, t: Target, next: Target): void {
  const params = f.blocks[t.block].params;
  const index = new Map(params.map((p, i) => [p, i]));
  const args = t.args;
  t.args = next.args.map((a) => {
    const i = index.get(a);
    return i === undefined ? a : args[i];
  });
  t.block = next.block;
}

function threadJumps(f: FunctionBody): number {
  let threaded = 0;
  // Each forwarding block is settled once: its own target threaded to the end of its chain (memoized, so a long
  // chain costs its length, not its length squared). A cycle of forwarding blocks is left as it is.
  const UNSEEN = 0,
    ON_PATH = 1,
    SETTLED = 2,
    CYCLE = 3;
  const state = new Uint8Array(f.blocks.length);
  const escapes = escapingValues(f);
  const forward = (b: BlockId) => forwardOf(f, b, escapes);
  const settle = (b: BlockId): void => {
    const path: BlockId[] = [];
    let x = b;
    while (state[x] === UNSEEN && forward(x)) {
      state[x] = ON_PATH;
      path.push(x);
      x = forward(x)!.block;
    }
    const cyclic = state[x] === ON_PATH || state[x] === CYCLE;
    for (let i = path.length - 1; i >= 0; i--) {
      const y = path[i];
      state[y] = cyclic ? CYCLE : SETTLED;
      if (cyclic) continue;
      const t = (f.blocks[y].term as { target: Target }).target;
      const next = state[t.block] === SETTLED ? forward(t.block) : undefined;
      if (next) {
        threadOnce(f, t, next);
        threaded++;
      }
    }
  };
  for (const p of f.reversePostorder()) {
    for (const t of targetsOf(f.blocks[p].term)) {
      if (!forward(t.block)) continue;
      settle(t.block);
      const next = state[t.block] === SETTLED ? forward(t.block) : undefined;
      if (next && next.block !== t.block) {
        threadOnce(f, t, next);
        threaded++;
      }
    }
  }
  return threaded;
}

/** A `cond` or `table` whose every target is the same block with the same arguments is a `br`. */
function foldSameTargetBranches(f: FunctionBody): void {
  const same = (a: Target, b: Target) =>
    a.block === b.block &&
    a.args.length === b.args.length &&
    a.args.every((v, i) => f.resolve(v) === f.resolve(b.args[i]));
  for (const b of f.reversePostorder()) {
    const block = f.blocks[b];
    const targets = targetsOf(block.term);
    if ((block.term.kind === "cond" || block.term.kind === "table") && targets.every((t) => same(t, targets[0])))
      block.term = { kind: "br", target: targets[0] };
  }
}
