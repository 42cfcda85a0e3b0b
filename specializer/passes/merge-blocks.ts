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
// Requires: valid SSA with no alias use. Guarantees: the same, with no threadable edge and no mergeable pair; blocks
// left unreachable are emptied and preds/succs recomputed.
import {
  targetAt,
  targetCount,
  type BlockId,
  type FunctionBody,
  type Target,
  type Terminator,
  type ValueId,
} from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";

export interface MergeStats {
  threaded: number;
  merged: number;
  /** The reachable blocks in reverse postorder afterwards (for the passes that follow: passes/cleanup.ts). */
  order: BlockId[];
}

/** `order`: the reachable blocks in reverse postorder, when the caller has them. */
export function mergeBlocks(f: FunctionBody, order: BlockId[] = f.reversePostorder()): MergeStats {
  // Folding first makes forwarding blocks of conds whose arms agree; threading may make more such conds. Folding
  // keeps the order (a branch's second edge to a block is never a tree edge), threading does not: the blocks it
  // bypasses may become unreachable. Threading only redirects edges to blocks already reachable, so folding after
  // it may walk the old order (a block it folds that is no longer reachable is emptied below).
  let folded = foldSameTargetBranches(f, order);
  const threaded = threadJumps(f, order);
  folded += foldSameTargetBranches(f, order);
  if (threaded) order = f.reversePostorder();
  const isMerged = new Uint8Array(f.blocks.length);
  const { merged, aliased } = mergeStraightLines(f, order, isMerged);
  // A merged block was reached only from its predecessor's `br`, so it sat right after it in reverse postorder:
  // dropping it keeps the order of the rest.
  if (merged) order = order.filter((b) => !isMerged[b]);
  // The merged blocks' parameters are aliases now; no other alias is used (so none to propagate when they had none).
  if (aliased) propagateCopies(f, order);
  // Also recomputes preds and succs after all of the above (unless no terminator changed and no block was emptied).
  removeDeadBlocks(f, order, folded + threaded + merged === 0);
  return { threaded, merged, order };
}

/** Appends each block whose only incoming edge is its predecessor's `br` to that predecessor; returns how many, and
 *  how many parameters became aliases, and flags them in `isMerged`. */
function mergeStraightLines(
  f: FunctionBody,
  order: BlockId[],
  isMerged: Uint8Array,
): { merged: number; aliased: number } {
  const edgesInto = new Int32Array(f.blocks.length);
  for (const b of order) {
    const term = f.blocks[b].term;
    if (term.kind === "br") edgesInto[term.target.block]++;
    else for (let i = 0, n = targetCount(term); i < n; i++) edgesInto[targetAt(term, i).block]++;
  }
  let merged = 0;
  let aliased = 0;
  for (const p of order) {
    const pred = f.blocks[p];
    for (;;) {
      const t = pred.term;
      if (t.kind !== "br") break;
      const b = t.target.block;
      if (b === p || b === f.entry || edgesInto[b] !== 1) break;
      const block = f.blocks[b];
      block.params.forEach(
        (param, i) => (f.values[param] = { kind: "alias", to: t.target.args[i], type: f.typeOf(param) }),
      );
      aliased += block.params.length;
      for (const v of block.insts) pred.insts.push(v);
      pred.term = block.term;
      block.params = [];
      block.insts = [];
      block.term = NONE;
      isMerged[b] = 1;
      merged++;
    }
  }
  return { merged, aliased };
}

const NONE: Terminator = Object.freeze({ kind: "none" });
const NO_ESCAPES = new Uint8Array(0);

/** Values used anywhere but in the terminator of the block whose parameters they are. */
function escapingValues(f: FunctionBody, order: BlockId[]): Uint8Array {
  const escapes = new Uint8Array(f.values.length);
  const branchArg = (b: BlockId, v: ValueId) => {
    const d = f.values[v];
    if (d.kind !== "param" || d.block !== b) escapes[v] = 1;
  };
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op") for (const a of d.args) escapes[a] = 1;
      else if (d.kind === "pick") escapes[d.value] = 1;
    }
    const t = block.term;
    if (t.kind === "cond") branchArg(b, t.cond);
    else if (t.kind === "table") branchArg(b, t.index);
    else if (t.kind === "return") for (const v of t.values) branchArg(b, v);
    else if (t.kind === "return_call") for (const v of t.args) branchArg(b, v);
    if (t.kind === "br") for (const v of t.target.args) branchArg(b, v);
    else for (let i = 0, n = targetCount(t); i < n; i++) for (const v of targetAt(t, i).args) branchArg(b, v);
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

/** Thread `t` once through the forwarding block it targets. `slot` is all 0 on entry and on return: it maps a
 *  parameter of that block to its position plus one while the arguments are substituted. */
function threadOnce(f: FunctionBody, t: Target, next: Target, slot: Int32Array): void {
  const params = f.blocks[t.block].params;
  for (let i = 0; i < params.length; i++) if (slot[params[i]] === 0) slot[params[i]] = i + 1;
  const args = t.args;
  t.args = next.args.map((a) => (slot[a] === 0 ? a : args[slot[a] - 1]));
  for (const p of params) slot[p] = 0;
  t.block = next.block;
}

function threadJumps(f: FunctionBody, order: BlockId[]): number {
  let threaded = 0;
  // Each forwarding block is settled once: its own target threaded to the end of its chain (memoized, so a long
  // chain costs its length, not its length squared). A cycle of forwarding blocks is left as it is.
  const UNSEEN = 0,
    ON_PATH = 1,
    SETTLED = 2,
    CYCLE = 3;
  // Finding where parameters escape walks every use in the function: not when no block could forward.
  if (!order.some((b) => forwardOf(f, b, NO_ESCAPES))) return 0;
  const state = new Uint8Array(f.blocks.length);
  const escapes = escapingValues(f, order);
  const slot = new Int32Array(f.values.length);
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
        threadOnce(f, t, next, slot);
        threaded++;
      }
    }
  };
  for (const p of order) {
    const term = f.blocks[p].term;
    for (let i = 0, n = targetCount(term); i < n; i++) {
      const t = targetAt(term, i);
      if (!forward(t.block)) continue;
      settle(t.block);
      const next = state[t.block] === SETTLED ? forward(t.block) : undefined;
      if (next && next.block !== t.block) {
        threadOnce(f, t, next, slot);
        threaded++;
      }
    }
  }
  return threaded;
}

/** A `cond` or `table` whose every target is the same block with the same arguments is a `br`; returns how many. */
function foldSameTargetBranches(f: FunctionBody, order: BlockId[]): number {
  let folded = 0;
  const same = (a: Target, b: Target) => {
    if (a.block !== b.block || a.args.length !== b.args.length) return false;
    for (let i = 0; i < a.args.length; i++) if (f.resolve(a.args[i]) !== f.resolve(b.args[i])) return false;
    return true;
  };
  for (const b of order) {
    const block = f.blocks[b];
    const term = block.term;
    if (term.kind === "cond") {
      if (!same(term.else, term.then)) continue;
      block.term = { kind: "br", target: term.then };
      folded++;
    } else if (term.kind === "table") {
      const first = term.targets.length ? term.targets[0] : term.default;
      if (!term.targets.every((t) => same(t, first)) || !same(term.default, first)) continue;
      block.term = { kind: "br", target: first };
      folded++;
    }
  }
  return folded;
}
