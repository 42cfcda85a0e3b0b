// The backend's plan for one function's Wasm locals: which values become expressions inside their single user
// (tree building), which have no local at all (constants, re-materialized at every use; unused results, dropped),
// and which local every other value lives in (register allocation by liveness).
//
//   Trees: a single-result operator used exactly once, by a later instruction of the same block, is emitted inside
//   that instruction instead of through a local — if it is pure, or if nothing between it and the root of the tree
//   it ends up in has an effect (so effects keep their order). Trees are at most MAX_TREE_DEPTH deep (no recursion
//   on input size in the emitter). Terminators and branch arguments read locals.
//   Liveness: classic backward dataflow over the blocks; a value read inside a tree is read where the tree's root is.
//   Allocation: greedy, in dominator-tree preorder, per Wasm type. In SSA every value's definition dominates its uses,
//   so when a block is reached every value live into it already has a local; parameters get locals distinct from
//   everything live into the block (they are written on the incoming edges), instructions reuse the locals of
//   values whose last use has passed. The number of locals is the function's register pressure, not its size.
//   For the backend's own layout (structure.ts) the plan also does what binaryen's simplify-locals did after it, so
//   that pass need not run there (optimize.ts): trees in a block's terminator (its condition, index or returned
//   values), reads of globals moving past effects that write none, a value read more than once computed at its
//   first read inside a `local.tee`, and a branch argument read nowhere else given its parameter's local when that
//   one is free (the edge's copy disappears); the emitter then orders each parallel copy instead of sending it
//   through temporaries.
// Uses through aliases count as uses of the aliased value.
// Cost: linear in the function's size plus the total size of the live sets. Per-value facts live in typed arrays
// indexed by value id, per-block scratch in typed arrays reused from block to block (no Map, set or array per
// block), liveness is found per value by walking back from its reads to its definition (the live sets in flat
// arrays, one slice per block), and allocation hands out free locals from a cursor over each type's locals that
// skips the ones live into the block, instead of copying the free list per block (which made it O(blocks × locals)).
import { effectsOf } from "./effects.ts";
import { type BlockId, type FunctionBody, type Terminator, type ValueId } from "./ir.ts";
import type { ValType } from "./types.ts";
import { DominatorTree } from "./dominators.ts";

export const MAX_TREE_DEPTH = 24;

/** A set of value ids, one flag per value (the plan's answers, read per value by the emitter). */
export class ValueFlags {
  constructor(private readonly flags: Uint8Array) {}

  has(v: ValueId): boolean {
    return this.flags[v] === 1;
  }

  get size(): number {
    let n = 0;
    for (const x of this.flags) n += x;
    return n;
  }
}

/** Each value's local (-1 in the array: none). */
export class ValueLocals {
  constructor(private readonly locals: Int32Array) {}

  has(v: ValueId): boolean {
    return this.locals[v] >= 0;
  }

  get(v: ValueId): number | undefined {
    const l = this.locals[v];
    return l === undefined || l < 0 ? undefined : l;
  }
}

export interface LocalPlan {
  /** Values emitted inside their user's expression. */
  inline: ValueFlags;
  /** Values with a result that nothing reads: emitted as `drop`. */
  dropped: ValueFlags;
  /** The local of every other value (constants have none). Function parameters are locals 0..n-1. */
  localOf: ValueLocals;
  /** Types of the locals after the function's parameters, in order. */
  localTypes: (ValType | ValType[])[];
  /** Values computed at their first read, as a `local.tee` there (planned only when asked: see planLocals). */
  tees: TeePoints;
  /** Whether the plan was asked to do simplify-locals' part (planLocals): the emitter then orders parallel copies
   *  rather than sending them all through temporaries. */
  simplify: boolean;
}

/** Where each teed value is computed: operand `arg` of instruction `user` (its first read), or of its own block's
 *  terminator (user TERMINATOR; terminatorOperands' order). A terminator is named by its block: other blocks'
 *  terminators read the value too, from its local (TERMINATOR alone named them all, and each computed it again). */
export class TeePoints {
  constructor(
    private readonly user: Int32Array,
    private readonly arg: Uint8Array,
    /** A value's block, for the values teed into a terminator. */
    private readonly block: Int32Array,
  ) {}

  has(v: ValueId): boolean {
    return this.user[v] !== -1;
  }

  /** Whether operand `k` of instruction `user` is where `v` is computed. */
  at(v: ValueId, user: ValueId, k: number): boolean {
    return this.user[v] === user && this.arg[v] === k;
  }

  /** Whether operand `k` of block `b`'s terminator (terminatorOperands' order) is where `v` is computed. */
  atTerminator(v: ValueId, b: BlockId, k: number): boolean {
    return this.user[v] === TERMINATOR && this.block[v] === b && this.arg[v] === k;
  }
}

/** The plan for `f`, whose reachable blocks in reverse postorder are `order` (f.reversePostorder()); `dom`, their
 *  dominator tree, when the caller has it. `simplify`: do what binaryen's simplify-locals would do after — trees in
 *  terminators too (terminatorOperands), reads of globals passing other effects (Mover), and a value read more than
 *  once computed at its first read, inside a `local.tee` (planTees) — so the backend's own layout needs no
 *  simplify-locals (see optimize.ts). */
export function planLocals(
  f: FunctionBody,
  order: BlockId[],
  entryParamsAreFunctionParams: boolean,
  dom: DominatorTree = new DominatorTree(f, order),
  simplify = false,
): LocalPlan {
  const uses = countUses(f, order);
  const trees = planTrees(f, order, uses, simplify);
  const reads = collectReads(f, order, trees);
  const live = liveness(f, order, reads);
  return allocate(f, order, entryParamsAreFunctionParams, dom, trees, reads, live);
}

/** Reads of each value (through aliases) by the reachable blocks' instructions and terminators. */
function countUses(f: FunctionBody, order: BlockId[]): Uint32Array {
  const uses = new Uint32Array(f.values.length);
  const read = (v: ValueId) => void uses[v]++;
  for (const b of order) {
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind === "op") for (const a of d.args) uses[f.resolve(a)]++;
      else if (d.kind === "pick") uses[f.resolve(d.value)]++;
    }
    terminatorReads(f, f.blocks[b].term, read);
  }
  return uses;
}

interface Trees {
  /** 1 for a value emitted inside its user's expression. */
  inline: Uint8Array;
  /** 1 for a value whose result nothing reads. */
  dropped: Uint8Array;
  /** Where in its block each instruction is read from: the position of the root of its tree. */
  rootPos: Int32Array;
  /** 1 for a value that needs a local: see needsLocal. */
  needsLocal: Uint8Array;
  /** A teed value's first reader (-1: not teed; TERMINATOR: its block's terminator), and which of its operands
   *  that is (terminatorOperands' order). */
  teeUser: Int32Array;
  teeArg: Uint8Array;
  /** The block of each value teed into its block's terminator. */
  teeBlock: Int32Array;
  /** Reads of each value (countUses), and whether the plan does simplify-locals' part (planLocals). */
  uses: Uint32Array;
  simplify: boolean;
}

const isSingle = (f: FunctionBody, v: ValueId) => {
  const d = f.values[v];
  return d.kind === "op" && d.types.length === 1;
};
const isConst = (f: FunctionBody, v: ValueId) => {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const";
};

/** Typed arrays reused from block to block, grown as needed: slot k holds one at least `length` long (contents
 *  left from earlier blocks: the caller writes before it reads). */
class Scratch {
  private readonly arrays: Int32Array[] = [];

  get(k: number, length: number): Int32Array {
    if (!this.arrays[k] || this.arrays[k].length < length)
      this.arrays[k] = new Int32Array(Math.max(length, 2 * (this.arrays[k]?.length ?? 32)));
    return this.arrays[k];
  }
}

/** How an instruction may move past others, most permissive first: pure; reads a global and nothing else
 *  (global.get); any other effect that writes no global and calls nothing (loads, stores, traps); the rest. */
const enum Motion {
  Pure = 0,
  ReadsGlobal = 1,
  Other = 2,
  WritesGlobal = 3,
}

function motionOf(f: FunctionBody, v: ValueId): Motion {
  const d = f.values[v];
  if (d.kind !== "op") return Motion.WritesGlobal;
  const e = effectsOf(d.op);
  if (e.pure) return Motion.Pure;
  if (d.op.name === "global.get") return Motion.ReadsGlobal;
  return e.writesGlobal || e.calls ? Motion.WritesGlobal : Motion.Other;
}

/** Whether code can be evaluated later than where it is, past the instructions between, in one block: counts of
 *  the block's instructions before each position, by motion. `commute` (the backend's own layout): two reads of
 *  globals, or a read of globals and an effect that writes none, pass each other; else only pure code moves. */
class Mover {
  private impure: Int32Array;
  private reads: Int32Array;
  private writes: Int32Array;
  /** Each instruction's motion, by position. */
  readonly motion: Int32Array;

  constructor(
    f: FunctionBody,
    insts: ValueId[],
    scratch: Scratch,
    private readonly commute: boolean,
  ) {
    const n = insts.length;
    this.impure = scratch.get(0, n + 1);
    this.reads = scratch.get(8, n + 1);
    this.writes = scratch.get(9, n + 1);
    this.motion = scratch.get(10, n);
    this.impure[0] = this.reads[0] = this.writes[0] = 0;
    for (let i = 0; i < n; i++) {
      const m = motionOf(f, insts[i]);
      this.motion[i] = m;
      this.impure[i + 1] = this.impure[i] + (m !== Motion.Pure ? 1 : 0);
      this.reads[i + 1] = this.reads[i] + (m === Motion.ReadsGlobal ? 1 : 0);
      this.writes[i + 1] = this.writes[i] + (m === Motion.WritesGlobal ? 1 : 0);
    }
  }

  /** Whether code of motion `m` at position i can be evaluated just before position r (r > i). */
  canMove(m: Motion, i: number, r: number): boolean {
    if (m === Motion.Pure) return true;
    const impure = this.impure[r] - this.impure[i + 1];
    if (!this.commute || impure === 0) return impure === 0;
    if (m === Motion.ReadsGlobal) return this.writes[r] - this.writes[i + 1] === 0;
    return m === Motion.Other && impure === this.reads[r] - this.reads[i + 1];
  }
}

/** Trees, decided from the end of each block backwards so each instruction's root is known when its operands are;
 *  then the depth cap, where each value is read, and which results are dropped. */
function planTrees(f: FunctionBody, order: BlockId[], uses: Uint32Array, simplify: boolean): Trees {
  const n = f.values.length;
  const teeUser = new Int32Array(n).fill(-1);
  const teeArg = new Uint8Array(n);
  const teeBlock = new Int32Array(n).fill(-1);
  const inline = new Uint8Array(n);
  const dropped = new Uint8Array(n);
  // An inlined value's user (the instruction whose expression holds it, or TERMINATOR).
  const userOf = new Int32Array(n).fill(-1);
  const rootPos = new Int32Array(n);
  const pos = new Int32Array(n).fill(-1); // an instruction's position in its block
  const depth = new Int32Array(n);
  const scratch = new Scratch();
  // Values that need a local: not in a tree, not a constant, not dropped, not an alias, with a result.
  const needsLocal = new Uint8Array(n);
  const mark = (v: ValueId) => {
    if (!inline[v] && !isConst(f, v) && !dropped[v] && f.values[v].kind !== "alias" && f.hasResult(v))
      needsLocal[v] = 1;
  };
  for (const b of order) {
    const insts = f.blocks[b].insts;
    for (let i = 0; i < insts.length; i++) pos[insts[i]] = i;
    const mover = new Mover(f, insts, scratch, simplify);
    const term = simplify ? terminatorOperands(f, f.blocks[b].term) : [];
    inlineOperands(f, insts, term, uses, pos, mover, scratch.get(1, insts.length), inline, userOf);
    capDepth(f, insts, term, inline, userOf, depth);
    // Each instruction's root: where its tree is evaluated (a teed one's, where its first reader's tree is).
    const setRoots = () => {
      for (let j = insts.length - 1; j >= 0; j--) {
        const v = insts[j];
        const u = inline[v] ? userOf[v] : teeUser[v];
        rootPos[v] = u === TERMINATOR ? insts.length : u >= 0 ? rootPos[u] : j;
      }
    };
    setRoots();
    if (simplify) {
      const t = { user: teeUser, arg: teeArg };
      planTees(f, insts, term, uses, { pos, mover, inline, userOf, depth, rootPos }, t, scratch);
      setRoots();
      for (const v of insts) if (teeUser[v] === TERMINATOR) teeBlock[v] = b;
    }
    for (const v of insts) if (isSingle(f, v) && uses[v] === 0 && !inline[v]) dropped[v] = 1;
    // The block's values are settled (trees never cross blocks): which need a local.
    for (const v of f.blocks[b].params) mark(v);
    for (const v of insts) mark(v);
  }
  return { inline, dropped, rootPos, needsLocal, teeUser, teeArg, teeBlock, uses, simplify };
}

/** One block's trees, as planTrees has them so far. */
interface BlockTrees {
  pos: Int32Array;
  mover: Mover;
  inline: Uint8Array;
  userOf: Int32Array;
  depth: Int32Array;
  rootPos: Int32Array;
}

/** One block's tees: a value that keeps a local (read more than once, or not inlinable) and whose first read, in
 *  evaluation order, is by a later instruction of the block or by its terminator is computed there, inside a
 *  `local.tee`, when moving its tree there keeps effects in order (the tree is pure, or nothing between has an
 *  effect), the tree holds no other tee (no nesting), and the depth stays within MAX_TREE_DEPTH. Saves a `local.get` per such value: on Fern's
 *  one function of 10,000 statements, most of what binaryen's simplify-locals gained. */
function planTees(
  f: FunctionBody,
  insts: ValueId[],
  term: ValueId[],
  uses: Uint32Array,
  t: BlockTrees,
  out: { user: Int32Array; arg: Uint8Array },
  scratch: Scratch,
): void {
  const { pos, mover, inline, userOf, depth, rootPos } = t;
  const n = insts.length;
  // Per position: the first read (reader and operand) of the value there, its tree's motion (the least permissive
  // of its instructions'), the depth of each instruction below its root (1 at the root), and whether a tee lands
  // in the tree rooted there.
  const firstUser = scratch.get(3, n).fill(-1, 0, n);
  const firstArg = scratch.get(4, n);
  const treeMotion = scratch.get(5, n);
  const level = scratch.get(6, n);
  const teeInTree = scratch.get(7, n + 1).fill(0, 0, n + 1); // n: the terminator's
  const here = (a: ValueId) => {
    const p = pos[a];
    return p >= 0 && p < n && insts[p] === a ? p : -1;
  };
  for (let j = 0; j < n; j++) {
    const d = f.values[insts[j]];
    let m = mover.motion[j];
    if (d.kind === "op")
      for (const x of d.args) {
        const a = f.resolve(x);
        if (inline[a] && userOf[a] === insts[j]) m = Math.max(m, treeMotion[here(a)]);
      }
    treeMotion[j] = m;
  }
  for (let j = n - 1; j >= 0; j--) {
    const u = inline[insts[j]] ? userOf[insts[j]] : -1;
    level[j] = u === TERMINATOR ? 2 : u >= 0 ? level[pos[u]] + 1 : 1;
  }
  // First reads, in evaluation order: the trees' roots in order, each tree's operands depth first.
  const visit = (u: ValueId) => {
    const d = f.values[u];
    if (d.kind !== "op") return;
    d.args.forEach((x, k) => {
      const a = f.resolve(x);
      if (inline[a] && userOf[a] === u) return visit(a);
      const i = here(a);
      if (i >= 0 && firstUser[i] < 0) {
        firstUser[i] = u;
        firstArg[i] = k;
      }
    });
  };
  for (let j = 0; j < n; j++) if (!inline[insts[j]]) visit(insts[j]);
  term.forEach((a, k) => {
    if (inline[a] && userOf[a] === TERMINATOR) return visit(a);
    const i = here(a);
    if (i >= 0 && firstUser[i] < 0) {
      firstUser[i] = TERMINATOR;
      firstArg[i] = k;
    }
  });
  for (let i = 0; i < n; i++) {
    const v = insts[i];
    const u = firstUser[i];
    if (u === -1 || inline[v] || teeInTree[i] || !isSingle(f, v) || isConst(f, v) || uses[v] === 0) continue;
    if (firstArg[i] > 255) continue;
    // Into the terminator's trees too: they are evaluated before any edge's copies (terminatorOperands), so the
    // copies that read v read the local the tee set.
    const r = u === TERMINATOR ? n : rootPos[u];
    if (!mover.canMove(treeMotion[i] as Motion, i, r)) continue;
    if ((u === TERMINATOR ? 0 : level[pos[u]]) + 1 + depth[v] > MAX_TREE_DEPTH) continue;
    out.user[v] = u;
    out.arg[v] = firstArg[i];
    teeInTree[r] = 1;
  }
}

/** The user of a value inlined or teed into its block's terminator (see terminatorOperands). */
export const TERMINATOR = -2;

/** The operands of a terminator that can hold a tree, in the order they are evaluated: a condition, a br_table's
 *  index, returned values, a tail call's arguments. The one statement of a terminator's evaluation order, for the
 *  plan and the emitter (backend.ts emits them from this list): after the block's instructions, in this order,
 *  before any edge's parallel copy — the copies run inside the `if` this condition opens or after it, at the
 *  targets of the br_table this index selects (structure.ts, and the Relooper likewise). Branch arguments read
 *  locals. */
export function terminatorOperands(f: FunctionBody, term: Terminator): ValueId[] {
  if (term.kind === "cond") return [f.resolve(term.cond)];
  if (term.kind === "table") return [f.resolve(term.index)];
  if (term.kind === "return") return term.values.map((v) => f.resolve(v));
  if (term.kind === "return_call") return term.args.map((v) => f.resolve(v));
  return [];
}

/** One block's trees, from its end backwards: an operand defined earlier in the block, used once, single-result and
 *  not a constant goes inside its user when it can move there (Mover). `term`: the terminator's operands that may
 *  hold trees (none unless asked). `root`: scratch of the block's length (the position of each instruction's root). */
function inlineOperands(
  f: FunctionBody,
  insts: ValueId[],
  term: ValueId[],
  uses: Uint32Array,
  pos: Int32Array,
  mover: Mover,
  root: Int32Array,
  inline: Uint8Array,
  userOf: Int32Array,
): void {
  const n = insts.length;
  const tryInline = (a: ValueId, u: ValueId, j: number, r: number) => {
    const p = pos[a];
    const i = p >= 0 && p < n && insts[p] === a ? p : -1; // a's position, if it is in this block
    if (i < 0 || i >= j || uses[a] !== 1 || !isSingle(f, a) || isConst(f, a) || inline[a]) return;
    if (!mover.canMove(mover.motion[i], i, r)) return;
    inline[a] = 1;
    userOf[a] = u;
  };
  for (const a of term) tryInline(a, TERMINATOR, n, n);
  for (let j = n - 1; j >= 0; j--) {
    const u = insts[j];
    root[j] = !inline[u] ? j : userOf[u] === TERMINATOR ? n : root[pos[userOf[u]]];
    const d = f.values[u];
    if (d.kind !== "op") continue;
    for (const arg of d.args) tryInline(f.resolve(arg), u, j, root[j]);
  }
}

/** Depth cap, forward: an instruction (or the terminator, `term` its operands) whose trees would be too deep keeps
 *  its operands in locals. */
function capDepth(
  f: FunctionBody,
  insts: ValueId[],
  term: ValueId[],
  inline: Uint8Array,
  userOf: Int32Array,
  depth: Int32Array,
) {
  for (const v of insts) {
    const d = f.values[v];
    if (d.kind !== "op") continue;
    let dv = 1;
    for (const x of d.args) {
      const a = f.resolve(x);
      if (inline[a] && userOf[a] === v) dv = Math.max(dv, 1 + depth[a]);
    }
    if (dv > MAX_TREE_DEPTH) {
      for (const x of d.args) {
        const a = f.resolve(x);
        if (inline[a] && userOf[a] === v) inline[a] = 0;
      }
      dv = 1;
    }
    depth[v] = dv;
  }
  for (const a of term) if (inline[a] && userOf[a] === TERMINATOR && depth[a] + 1 > MAX_TREE_DEPTH) inline[a] = 0;
}

/** Reads of local-held values per block, in order: value `vals[k]` read at position `at[k]` (the terminator at
 *  insts.length), for k in [start[i], start[i + 1]) for the block order[i]. */
interface Reads {
  vals: Int32Array;
  at: Int32Array;
  start: Int32Array;
}

function collectReads(f: FunctionBody, order: BlockId[], trees: Trees): Reads {
  const { inline, rootPos, needsLocal } = trees;
  // (value, position) pairs in growing typed arrays: a read per operand, millions on Fern's 10,000-statement function.
  const pairs = new PairList();
  const start = new Int32Array(order.length + 1);
  // A value read inside a tree is read where the tree's root is.
  const operand = (x: ValueId, where: number) => {
    const a = f.resolve(x);
    if (inline[a]) visit(a, where);
    else if (needsLocal[a]) pairs.push(a, where);
  };
  const visit = (v: ValueId, where: number) => {
    const d = f.values[v];
    if (d.kind === "op") for (const x of d.args) operand(x, where);
    else if (d.kind === "pick") operand(d.value, where);
  };
  let termAt = 0;
  const termRead = (v: ValueId) => {
    if (inline[v]) visit(v, termAt);
    else if (needsLocal[v]) pairs.push(v, termAt);
  };
  for (let i = 0; i < order.length; i++) {
    start[i] = pairs.length;
    const block = f.blocks[order[i]];
    for (const v of block.insts) if (!inline[v]) visit(v, rootPos[v]);
    termAt = block.insts.length;
    terminatorReads(f, block.term, termRead);
  }
  start[order.length] = pairs.length;
  return { vals: pairs.firsts(), at: pairs.seconds(), start };
}

/** The values live into and out of each block order[i]: inVals[inStart[i] .. inStart[i + 1]), likewise out (each
 *  value once per block, in no particular order: the allocation asks only whether a value is in a set). Live-out
 *  sets hold only the values the block reads or defines: the allocation asks about no others. */
interface Liveness {
  inStart: Int32Array;
  inVals: Int32Array;
  outStart: Int32Array;
  outVals: Int32Array;
}

/** Liveness per value, by walking back from each block that reads it (not where it is defined) through the
 *  predecessors until its definition: a value is live into every block on the way and out of every predecessor.
 *  The same sets as the classic backward dataflow, in time proportional to their total size. */
function liveness(f: FunctionBody, order: BlockId[], reads: Reads): Liveness {
  const n = order.length;
  const defIndex = new Int32Array(f.values.length).fill(-1); // the position in `order` of each value's block
  order.forEach((b, i) => {
    for (const v of f.blocks[b].params) defIndex[v] = i;
    for (const v of f.blocks[b].insts) defIndex[v] = i;
  });
  const preds = predecessors(f, order);
  const inPairs = new PairList();
  const outPairs = new PairList();
  const inMark = new Int32Array(n).fill(-1); // the last value found live into each block
  const outMark = new Int32Array(n).fill(-1); // ... and out of it
  const readMark = new Int32Array(n).fill(-1); // the last value read in each block
  const stack = new Int32Array(n);
  // Each value's reads (the blocks), as linked lists in flat arrays: a value is walked back from all of them at
  // once, so the marks above hold for one value at a time.
  const firstRead = new Int32Array(f.values.length).fill(-1);
  const nextRead = new Int32Array(reads.vals.length);
  const readBlock = new Int32Array(reads.vals.length);
  for (let i = 0; i < n; i++) {
    for (let k = reads.start[i]; k < reads.start[i + 1]; k++) {
      readBlock[k] = i;
      nextRead[k] = firstRead[reads.vals[k]];
      firstRead[reads.vals[k]] = k;
    }
  }
  for (let v = 0; v < f.values.length; v++) {
    if (firstRead[v] < 0) continue;
    let top = 0;
    for (let k = firstRead[v]; k >= 0; k = nextRead[k]) readMark[readBlock[k]] = v;
    for (let k = firstRead[v]; k >= 0; k = nextRead[k]) {
      const i = readBlock[k];
      if (defIndex[v] === i || inMark[i] === v) continue;
      inMark[i] = v;
      inPairs.push(i, v);
      stack[top++] = i;
    }
    while (top > 0) {
      const x = stack[--top];
      for (let e = preds.start[x]; e < preds.start[x + 1]; e++) {
        const p = preds.list[e];
        if (outMark[p] === v) continue;
        outMark[p] = v;
        if (defIndex[v] === p || readMark[p] === v) outPairs.push(p, v);
        if (defIndex[v] === p || inMark[p] === v) continue;
        inMark[p] = v;
        inPairs.push(p, v);
        stack[top++] = p;
      }
    }
  }
  const ins = inPairs.byFirst(n);
  const outs = outPairs.byFirst(n);
  return { inStart: ins.start, inVals: ins.list, outStart: outs.start, outVals: outs.list };
}

/** Each block's predecessors among the reachable blocks, by position in `order`: list[start[i] .. start[i + 1]). */
function predecessors(f: FunctionBody, order: BlockId[]): { start: Int32Array; list: Int32Array } {
  const index = blockIndex(f, order);
  const pairs = new PairList();
  order.forEach((b, i) => {
    const term = f.blocks[b].term;
    forEachTarget(term, (s) => {
      if (index[s] >= 0) pairs.push(index[s], i);
    });
  });
  return pairs.byFirst(order.length);
}

/** Pairs of numbers in growing typed arrays, grouped by the first (a counting sort) at the end. */
class PairList {
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private n = 0;

  push(x: number, y: number): void {
    if (this.n === this.a.length) {
      const grow = (old: Int32Array) => {
        const t = new Int32Array(old.length * 2);
        t.set(old);
        return t;
      };
      this.a = grow(this.a);
      this.b = grow(this.b);
    }
    this.a[this.n] = x;
    this.b[this.n++] = y;
  }

  get length(): number {
    return this.n;
  }

  /** The pairs' firsts and seconds, in push order (views: push no more after). */
  firsts(): Int32Array {
    return this.a.subarray(0, this.n);
  }

  seconds(): Int32Array {
    return this.b.subarray(0, this.n);
  }

  /** The seconds of the pairs whose first is x, for x in [0, size): list[start[x] .. start[x + 1]), in push order. */
  byFirst(size: number): { start: Int32Array; list: Int32Array } {
    const start = new Int32Array(size + 1);
    for (let k = 0; k < this.n; k++) start[this.a[k] + 1]++;
    for (let x = 0; x < size; x++) start[x + 1] += start[x];
    const fill = start.slice(0, size);
    const list = new Int32Array(this.n);
    for (let k = 0; k < this.n; k++) list[fill[this.a[k]]++] = this.b[k];
    return { start, list };
  }
}

/** Each block's position in `order`, -1 for the blocks not in it. */
function blockIndex(f: FunctionBody, order: BlockId[]): Int32Array {
  const index = new Int32Array(f.blocks.length).fill(-1);
  order.forEach((b, i) => (index[b] = i));
  return index;
}

/** Greedy allocation in dominator-tree preorder, per Wasm type (see the header). */
function allocate(
  f: FunctionBody,
  order: BlockId[],
  entryParamsAreFunctionParams: boolean,
  dom: DominatorTree,
  trees: Trees,
  reads: Reads,
  live: Liveness,
): LocalPlan {
  const localOf = new Int32Array(f.values.length).fill(-1);
  const localTypes: (ValType | ValType[])[] = [];
  const byType = new Map<ValType, number[]>();
  const base = f.params.length;
  const newLocal = (t: ValType | ValType[]): number => {
    localTypes.push(t);
    const l = base + localTypes.length - 1;
    if (!Array.isArray(t)) {
      const list = byType.get(t) ?? [];
      list.push(l);
      byType.set(t, list);
    }
    return l;
  };
  if (entryParamsAreFunctionParams) f.blocks[f.entry].params.forEach((p, i) => (localOf[p] = i));
  const index = blockIndex(f, order);
  const partner = trees.simplify ? partners(f, order, trees) : undefined;
  const block = new BlockAllocation(f, entryParamsAreFunctionParams, trees, reads, localOf, newLocal, partner);
  // The simplifying plan reuses the function parameters' locals too, once their values are dead.
  const paramTypes = trees.simplify && entryParamsAreFunctionParams ? f.params : [];
  paramTypes.forEach((t, l) => byType.set(t, [...(byType.get(t) ?? []), l]));
  const free = new FreeLocals(byType, localTypes, base, newLocal, paramTypes);
  const stack: BlockId[] = [f.entry];
  while (stack.length) {
    const b = stack.pop()!;
    for (const c of dom.childrenOf(b)) stack.push(c);
    const i = index[b];
    free.reset(live.inVals.subarray(live.inStart[i], live.inStart[i + 1]), localOf);
    if (b === f.entry) for (let l = 0; l < paramTypes.length; l++) free.hold(l);
    block.allocate(b, i, live.outVals.subarray(live.outStart[i], live.outStart[i + 1]), free);
  }
  return {
    inline: new ValueFlags(trees.inline),
    dropped: new ValueFlags(trees.dropped),
    localOf: new ValueLocals(localOf),
    localTypes,
    tees: new TeePoints(trees.teeUser, trees.teeArg, trees.teeBlock),
    simplify: trees.simplify,
  };
}

/** Each branch argument read nowhere else (it needs a local and is read once)'s partner: the parameter it is
 *  copied into; and each parameter's, the first such argument (-1: none). Allocation gives a value its partner's
 *  local when that one has a local already and it is free: the edge's copy of it is then no copy at all. */
function partners(f: FunctionBody, order: BlockId[], trees: Trees): Int32Array {
  const partner = new Int32Array(f.values.length).fill(-1);
  for (const b of order)
    forEachTarget(f.blocks[b].term, (target, args) => {
      const params = f.blocks[target].params;
      args.forEach((x, k) => {
        const a = f.resolve(x);
        const p = params[k];
        if (!trees.needsLocal[a] || trees.uses[a] !== 1 || f.typeOf(a) !== f.typeOf(p)) return;
        partner[a] = p;
        if (partner[p] < 0) partner[p] = a;
      });
    });
  return partner;
}

/** One block's allocation at a time, with per-value marks and scratch kept from block to block. */
class BlockAllocation {
  /** Each value's last read in the current block (-1: none); all -1 between blocks. */
  private readonly lastRead: Int32Array;
  /** The block (position in order) whose live-out set holds each value, as last marked. */
  private readonly outOf: Int32Array;
  private readonly distinct: ValueId[] = [];
  private readonly scratch = new Scratch();

  constructor(
    private readonly f: FunctionBody,
    private readonly entryParamsAreFunctionParams: boolean,
    private readonly trees: Trees,
    private readonly reads: Reads,
    private readonly localOf: Int32Array,
    private readonly newLocal: (t: ValType[]) => number,
    private readonly partner?: Int32Array,
  ) {
    this.lastRead = new Int32Array(f.values.length).fill(-1);
    this.outOf = new Int32Array(f.values.length).fill(-1);
  }

  /** Parameters first, then each instruction after releasing the locals of the values whose last read it is
   *  (values live out of the block keep theirs). */
  allocate(b: BlockId, i: number, liveOut: Int32Array, free: FreeLocals): void {
    const { f, reads, lastRead, localOf, distinct } = this;
    const block = f.blocks[b];
    for (const v of liveOut) this.outOf[v] = i;
    const out = (v: ValueId) => this.outOf[v] === i;
    // Each value's last read in the block, and (stable, so in first-read order) the values whose last read is at j.
    distinct.length = 0;
    for (let k = reads.start[i]; k < reads.start[i + 1]; k++) {
      const v = reads.vals[k];
      if (lastRead[v] < 0) distinct.push(v);
      lastRead[v] = Math.max(lastRead[v], reads.at[k]);
    }
    const count = this.scratch.get(0, block.insts.length + 2);
    count.fill(0, 0, block.insts.length + 2);
    let dying = 0;
    for (const v of distinct) {
      if (out(v)) continue;
      count[lastRead[v] + 1]++;
      dying++;
    }
    for (let j = 1; j < block.insts.length + 2; j++) count[j] += count[j - 1];
    // Dying values sorted by last read; those of j in [count[j], count[j + 1]).
    const readsAt = this.scratch.get(1, dying);
    const fill = this.scratch.get(2, block.insts.length + 2);
    fill.set(count.subarray(0, block.insts.length + 2));
    for (const v of distinct) if (!out(v)) readsAt[fill[lastRead[v]]++] = v;
    if (!(b === f.entry && this.entryParamsAreFunctionParams)) {
      for (const p of block.params) localOf[p] = free.take(f.typeOf(p), this.hint(p));
    }
    for (const p of block.params) if (lastRead[p] < 0 && !out(p)) free.release(localOf[p]);
    const teed = this.teedByRoot(block.insts);
    let nextTee = 0;
    for (let j = 0; j < block.insts.length; j++) {
      const v = block.insts[j];
      // A teed value is written inside the tree at its root, which may read the values whose last read is there:
      // its local is taken before theirs are released.
      for (; nextTee < teed.length && this.trees.rootPos[teed[nextTee]] === j; nextTee++) {
        const t = teed[nextTee];
        localOf[t] = free.take(f.typeOf(t), this.hint(t));
      }
      for (let k = count[j]; k < count[j + 1]; k++) free.release(localOf[readsAt[k]]);
      if (!this.trees.needsLocal[v] || this.trees.teeUser[v] !== -1) continue;
      const d = f.values[v];
      if (d.kind === "op" && d.types.length !== 1) {
        localOf[v] = this.newLocal(d.types);
        continue;
      }
      const l = free.take(f.typeOf(v), this.hint(v));
      localOf[v] = l;
      if (lastRead[v] < 0 && !out(v)) free.release(l);
    }
    for (; nextTee < teed.length; nextTee++) {
      const t = teed[nextTee];
      localOf[t] = free.take(f.typeOf(t), this.hint(t));
    }
    for (const v of distinct) lastRead[v] = -1;
  }

  /** The local `v` would like: its partner's (see partners), -1 for none. */
  private hint(v: ValueId): number {
    const p = this.partner?.[v] ?? -1;
    return p >= 0 ? this.localOf[p] : -1;
  }

  /** The block's teed values, by the position of their root (where they are written). */
  private teedByRoot(insts: ValueId[]): ValueId[] {
    const { teeUser, rootPos } = this.trees;
    const teed = insts.filter((v) => teeUser[v] !== -1);
    return teed.length < 2 ? teed : teed.sort((a, b) => rootPos[a] - rootPos[b] || a - b);
  }
}

/** The locals free in one block: those released in it (last released first), then the block's initially free ones
 *  — every local of the type that no value live into the block holds — from the highest-numbered down, then new
 *  ones. The same order as copying and filtering the type's list at the block's start, without the copy. One
 *  object for the whole function, reset per block. */
class FreeLocals {
  private readonly released = new Map<ValType, number[]>();
  private readonly cursor = new Map<ValType, number>();
  /** The block (a count of resets) in which each local is held by a live-in value. */
  private occupiedIn = new Int32Array(64).fill(-1);
  private block = -1;

  constructor(
    private readonly byType: Map<ValType, number[]>,
    private readonly localTypes: (ValType | ValType[])[],
    private readonly base: number,
    private readonly newLocal: (t: ValType) => number,
    /** The function's parameters' types when their locals are reused once their values are dead (they are then
     *  at the head of byType's lists), else none. */
    private readonly paramTypes: ValType[] = [],
  ) {}

  /** Local l's type, undefined for a parameter's local that is not reused. */
  private typeOf(l: number): ValType | ValType[] | undefined {
    return l < this.base ? this.paramTypes[l] : this.localTypes[l - this.base];
  }

  /** Marks local l as held in this block (a function parameter's, in the entry block). */
  hold(l: number): void {
    if (l >= this.occupiedIn.length) this.grow(l);
    this.occupiedIn[l] = this.block;
  }

  reset(liveIn: Int32Array, localOf: Int32Array): void {
    this.block++;
    for (const v of liveIn) {
      const l = localOf[v];
      if (l < 0) continue;
      if (l >= this.occupiedIn.length) this.grow(l);
      this.occupiedIn[l] = this.block;
    }
    for (const list of this.released.values()) list.length = 0;
    for (const [t, list] of this.byType) this.cursor.set(t, list.length - 1);
  }

  /** A free local of type `t`: `hint` if it is one (see partners), else the last released, else the next. */
  take(t: ValType, hint = -1): number {
    const back = this.released.get(t);
    if (hint >= 0 && this.typeOf(hint) === t && this.takeHint(t, hint, back)) return hint;
    if (back?.length) return back.pop()!;
    const list = this.byType.get(t);
    let k = this.cursor.get(t) ?? -1;
    while (k >= 0 && this.occupied(list![k])) k--;
    this.cursor.set(t, k - 1);
    return k >= 0 ? list![k] : this.newLocal(t);
  }

  /** Takes local `l` of type `t` if it is free: released in this block (among the last few: a search bounded so
   *  that a block releasing many locals stays linear), or neither held by a live-in value nor handed out yet. */
  private takeHint(t: ValType, l: number, back: number[] | undefined): boolean {
    if (back)
      for (let k = back.length - 1; k >= Math.max(0, back.length - 16); k--)
        if (back[k] === l) {
          back.splice(k, 1);
          return true;
        }
    if (this.occupied(l)) return false;
    const list = this.byType.get(t)!;
    const k = this.cursor.get(t) ?? -1;
    if (k < 0 || l > list[k]) return false; // handed out from the cursor already (lists grow with the local)
    if (l >= this.occupiedIn.length) this.grow(l);
    this.occupiedIn[l] = this.block; // the cursor passes over it now
    return true;
  }

  release(l: number): void {
    const t = this.typeOf(l);
    if (t === undefined || Array.isArray(t)) return;
    let list = this.released.get(t);
    if (!list) this.released.set(t, (list = []));
    list.push(l);
  }

  private occupied(l: number): boolean {
    return l < this.occupiedIn.length && this.occupiedIn[l] === this.block;
  }

  private grow(l: number): void {
    const t = new Int32Array(Math.max(2 * this.occupiedIn.length, l + 1)).fill(-1);
    t.set(this.occupiedIn);
    this.occupiedIn = t;
  }
}

/** Calls `read` with each value a terminator reads, through aliases, in terminatorUses' order: its condition, index
 *  or returned values, then every branch argument. */
function terminatorReads(f: FunctionBody, term: Terminator, read: (v: ValueId) => void): void {
  if (term.kind === "cond") read(f.resolve(term.cond));
  else if (term.kind === "table") read(f.resolve(term.index));
  else if (term.kind === "return") for (const v of term.values) read(f.resolve(v));
  else if (term.kind === "return_call") for (const v of term.args) read(f.resolve(v));
  forEachTarget(term, (_, args) => {
    for (const a of args) read(f.resolve(a));
  });
}

/** Calls `visit` with each target of a terminator, in targetsOf's order (a br_table's default last). */
function forEachTarget(term: Terminator, visit: (block: BlockId, args: ValueId[]) => void): void {
  if (term.kind === "br") visit(term.target.block, term.target.args);
  else if (term.kind === "cond") {
    visit(term.then.block, term.then.args);
    visit(term.else.block, term.else.args);
  } else if (term.kind === "table") {
    for (const t of term.targets) visit(t.block, t.args);
    visit(term.default.block, term.default.args);
  }
}
