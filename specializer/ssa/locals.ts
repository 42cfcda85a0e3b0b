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
// Uses through aliases count as uses of the aliased value.
// Cost: linear in the function's size plus the total size of the live sets. Per-value facts live in typed arrays
// indexed by value id (no Map or array per block), liveness is a worklist (a block is revisited only when a
// successor's live-in set grew), and allocation hands out free locals from a cursor over each type's locals that
// skips the ones live into the block, instead of copying the free list per block (which made it O(blocks × locals)).
import { effectsOf } from "./effects.ts";
import { targetsOf, terminatorUses, type BlockId, type FunctionBody, type Operator, type ValueId } from "./ir.ts";
import type { ValType } from "./types.ts";
import { immediateDominators } from "./dominators.ts";

export const MAX_TREE_DEPTH = 24;

export interface LocalPlan {
  /** Values emitted inside their user's expression. */
  inline: Set<ValueId>;
  /** Values with a result that nothing reads: emitted as `drop`. */
  dropped: Set<ValueId>;
  /** The local of every other value (constants have none). Function parameters are locals 0..n-1. */
  localOf: Map<ValueId, number>;
  /** Types of the locals after the function's parameters, in order. */
  localTypes: (ValType | ValType[])[];
}

/** The plan for `f`, whose reachable blocks in reverse postorder are `order` (f.reversePostorder()). */
export function planLocals(f: FunctionBody, order: BlockId[], entryParamsAreFunctionParams: boolean): LocalPlan {
  const uses = countUses(f, order);
  const trees = planTrees(f, order, uses);
  const reads = collectReads(f, order, trees);
  const live = liveness(f, order, reads);
  return allocate(f, order, entryParamsAreFunctionParams, trees, reads, live);
}

/** Reads of each value (through aliases) by the reachable blocks' instructions and terminators. */
function countUses(f: FunctionBody, order: BlockId[]): Uint32Array {
  const uses = new Uint32Array(f.values.length);
  for (const b of order) {
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind === "op") for (const a of d.args) uses[f.resolve(a)]++;
      else if (d.kind === "pick") uses[f.resolve(d.value)]++;
    }
    for (const v of terminatorReads(f, b)) uses[v]++;
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
}

const isSingle = (f: FunctionBody, v: ValueId) => {
  const d = f.values[v];
  return d.kind === "op" && d.types.length === 1;
};
const isConst = (f: FunctionBody, v: ValueId) => {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const";
};

/** Trees, decided from the end of each block backwards so each instruction's root is known when its operands are;
 *  then the depth cap, where each value is read, and which results are dropped. */
function planTrees(f: FunctionBody, order: BlockId[], uses: Uint32Array): Trees {
  const n = f.values.length;
  const inline = new Uint8Array(n);
  const dropped = new Uint8Array(n);
  const userOf = new Int32Array(n).fill(-1); // an inlined value's user (the instruction whose expression holds it)
  const rootPos = new Int32Array(n);
  const pos = new Int32Array(n).fill(-1); // an instruction's position in its block
  const depth = new Int32Array(n);
  for (const b of order) {
    const insts = f.blocks[b].insts;
    const at = (v: ValueId) => (pos[v] >= 0 && pos[v] < insts.length && insts[pos[v]] === v ? pos[v] : -1);
    insts.forEach((v, i) => (pos[v] = i));
    const impureBefore = new Uint32Array(insts.length + 1); // impure instructions among insts[0..i)
    insts.forEach((v, i) => {
      const d = f.values[v];
      impureBefore[i + 1] = impureBefore[i] + (d.kind === "op" && !effectsOf(d.op).pure ? 1 : 0);
    });
    const root = new Int32Array(insts.length);
    for (let j = insts.length - 1; j >= 0; j--) {
      const u = insts[j];
      root[j] = inline[u] ? root[pos[userOf[u]]] : j;
      const d = f.values[u];
      if (d.kind !== "op") continue;
      const r = root[j];
      for (const arg of d.args) {
        const a = f.resolve(arg);
        const i = at(a);
        if (i < 0 || i >= j || uses[a] !== 1 || !isSingle(f, a) || isConst(f, a) || inline[a]) continue;
        const ad = f.values[a] as { kind: "op"; op: Operator };
        if (!effectsOf(ad.op).pure && impureBefore[r] - impureBefore[i + 1] !== 0) continue;
        inline[a] = 1;
        userOf[a] = u;
      }
    }
    // Depth cap, forward: an instruction whose trees would be too deep keeps its operands in locals.
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
    for (let j = insts.length - 1; j >= 0; j--) {
      const v = insts[j];
      rootPos[v] = inline[v] ? rootPos[userOf[v]] : j;
    }
    for (const v of insts) if (isSingle(f, v) && uses[v] === 0 && !inline[v]) dropped[v] = 1;
  }
  // Values that need a local: not in a tree, not a constant, not dropped, not an alias, with a result.
  const needsLocal = new Uint8Array(n);
  const mark = (v: ValueId) => {
    if (!inline[v] && !isConst(f, v) && !dropped[v] && f.values[v].kind !== "alias" && f.typesOf(v).length > 0)
      needsLocal[v] = 1;
  };
  for (const b of order) {
    f.blocks[b].params.forEach(mark);
    f.blocks[b].insts.forEach(mark);
  }
  return { inline, dropped, rootPos, needsLocal };
}

/** Reads of local-held values per block, in order: value `vals[k]` read at position `at[k]` (the terminator at
 *  insts.length), for k in [start[i], start[i + 1]) for the block order[i]. */
interface Reads {
  vals: number[];
  at: number[];
  start: Int32Array;
}

function collectReads(f: FunctionBody, order: BlockId[], trees: Trees): Reads {
  const { inline, rootPos, needsLocal } = trees;
  const vals: number[] = [];
  const at: number[] = [];
  const start = new Int32Array(order.length + 1);
  // A value read inside a tree is read where the tree's root is.
  const visit = (v: ValueId, where: number) => {
    const d = f.values[v];
    const operands = d.kind === "op" ? d.args : d.kind === "pick" ? [d.value] : [];
    for (const operand of operands) {
      const a = f.resolve(operand);
      if (inline[a]) visit(a, where);
      else if (needsLocal[a]) {
        vals.push(a);
        at.push(where);
      }
    }
  };
  order.forEach((b, i) => {
    start[i] = vals.length;
    const block = f.blocks[b];
    for (const v of block.insts) if (!inline[v]) visit(v, rootPos[v]);
    for (const v of terminatorReads(f, b)) {
      if (!needsLocal[v]) continue;
      vals.push(v);
      at.push(block.insts.length);
    }
  });
  start[order.length] = vals.length;
  return { vals, at, start };
}

interface Liveness {
  liveIn: Set<ValueId>[];
  liveOut: Set<ValueId>[];
}

/** Classic backward dataflow, by index in `order`, with a worklist: a block is visited again only when the live-in
 *  set of one of its successors grew. */
function liveness(f: FunctionBody, order: BlockId[], reads: Reads): Liveness {
  const index = new Int32Array(f.blocks.length).fill(-1);
  order.forEach((b, i) => (index[b] = i));
  const defIndex = new Int32Array(f.values.length).fill(-1); // the position in `order` of each value's block
  order.forEach((b, i) => {
    for (const v of f.blocks[b].params) defIndex[v] = i;
    for (const v of f.blocks[b].insts) defIndex[v] = i;
  });
  const succs: number[][] = order.map((b) =>
    targetsOf(f.blocks[b].term)
      .map((t) => index[t.block])
      .filter((k) => k >= 0),
  );
  const preds: number[][] = order.map(() => []);
  succs.forEach((list, i) => list.forEach((k) => preds[k].push(i)));
  const liveIn = order.map((_, i) => {
    const g = new Set<ValueId>();
    for (let k = reads.start[i]; k < reads.start[i + 1]; k++) if (defIndex[reads.vals[k]] !== i) g.add(reads.vals[k]);
    return g;
  });
  const liveOut: Set<ValueId>[] = new Array(order.length);
  const queued = new Uint8Array(order.length).fill(1);
  const queue: number[] = [];
  for (let k = order.length - 1; k >= 0; k--) queue.push(k);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head];
    queued[i] = 0;
    const out = new Set<ValueId>();
    for (const s of succs[i]) for (const v of liveIn[s]) out.add(v);
    liveOut[i] = out;
    const live = liveIn[i];
    let grew = false;
    for (const v of out) {
      if (defIndex[v] !== i && !live.has(v)) {
        live.add(v);
        grew = true;
      }
    }
    if (grew)
      for (const p of preds[i])
        if (!queued[p]) {
          queued[p] = 1;
          queue.push(p);
        }
  }
  return { liveIn, liveOut };
}

/** Greedy allocation in dominator-tree preorder, per Wasm type (see the header). */
function allocate(
  f: FunctionBody,
  order: BlockId[],
  entryParamsAreFunctionParams: boolean,
  trees: Trees,
  reads: Reads,
  live: Liveness,
): LocalPlan {
  const localOf = new Map<ValueId, number>();
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
  if (entryParamsAreFunctionParams) f.blocks[f.entry].params.forEach((p, i) => localOf.set(p, i));
  const index = new Map(order.map((b, i) => [b, i]));
  const idom = immediateDominators(f, order);
  const children = new Map<BlockId, BlockId[]>();
  for (const b of order) {
    if (b === f.entry) continue;
    const d = idom.get(b)!;
    const list = children.get(d) ?? [];
    list.push(b);
    children.set(d, list);
  }
  const lastRead = new Int32Array(f.values.length).fill(-1);
  const stack: BlockId[] = [f.entry];
  while (stack.length) {
    const b = stack.pop()!;
    for (const c of children.get(b) ?? []) stack.push(c);
    const i = index.get(b)!;
    const free = new FreeLocals(byType, localTypes, base, live.liveIn[i], localOf, newLocal);
    allocateBlock(
      f,
      b,
      i,
      entryParamsAreFunctionParams,
      trees,
      reads,
      live.liveOut[i],
      lastRead,
      localOf,
      free,
      newLocal,
    );
  }
  const inline = new Set<ValueId>();
  const dropped = new Set<ValueId>();
  trees.inline.forEach((x, v) => x && inline.add(v));
  trees.dropped.forEach((x, v) => x && dropped.add(v));
  return { inline, dropped, localOf, localTypes };
}

/** One block's allocation: parameters first, then each instruction after releasing the locals of the values whose
 *  last read it is (values live out of the block keep theirs). `lastRead` is all -1 on entry and on return. */
function allocateBlock(
  f: FunctionBody,
  b: BlockId,
  i: number,
  entryParamsAreFunctionParams: boolean,
  trees: Trees,
  reads: Reads,
  out: Set<ValueId>,
  lastRead: Int32Array,
  localOf: Map<ValueId, number>,
  free: FreeLocals,
  newLocal: (t: ValType[]) => number,
): void {
  const block = f.blocks[b];
  // Each value's last read in the block, and (stable, so in first-read order) the values whose last read is at j.
  const distinct: ValueId[] = [];
  for (let k = reads.start[i]; k < reads.start[i + 1]; k++) {
    const v = reads.vals[k];
    if (lastRead[v] < 0) distinct.push(v);
    lastRead[v] = Math.max(lastRead[v], reads.at[k]);
  }
  const dying = distinct.filter((v) => !out.has(v));
  const count = new Int32Array(block.insts.length + 2);
  for (const v of dying) count[lastRead[v] + 1]++;
  for (let j = 1; j < count.length; j++) count[j] += count[j - 1];
  const readsAt = new Int32Array(dying.length); // dying values sorted by last read; those of j in [count[j], count[j + 1])
  const fill = count.slice();
  for (const v of dying) readsAt[fill[lastRead[v]]++] = v;
  if (!(b === f.entry && entryParamsAreFunctionParams)) {
    for (const p of block.params) localOf.set(p, free.take(f.typeOf(p)));
  }
  for (const p of block.params) if (lastRead[p] < 0 && !out.has(p)) free.release(localOf.get(p)!);
  block.insts.forEach((v, j) => {
    for (let k = count[j]; k < count[j + 1]; k++) free.release(localOf.get(readsAt[k])!);
    if (!trees.needsLocal[v]) return;
    const types = f.typesOf(v);
    if (types.length !== 1) {
      localOf.set(v, newLocal(types));
      return;
    }
    const l = free.take(types[0]);
    localOf.set(v, l);
    if (lastRead[v] < 0 && !out.has(v)) free.release(l);
  });
  for (const v of distinct) lastRead[v] = -1;
}

/** The locals free in one block: those released in it (last released first), then the block's initially free ones
 *  — every local of the type that no value live into the block holds — from the highest-numbered down, then new
 *  ones. The same order as copying and filtering the type's list at the block's start, without the copy. */
class FreeLocals {
  private readonly released = new Map<ValType, number[]>();
  private readonly cursor = new Map<ValType, number>();
  private readonly occupied = new Set<number>();

  constructor(
    private readonly byType: Map<ValType, number[]>,
    private readonly localTypes: (ValType | ValType[])[],
    private readonly base: number,
    liveIn: Set<ValueId>,
    localOf: Map<ValueId, number>,
    private readonly newLocal: (t: ValType) => number,
  ) {
    for (const v of liveIn) {
      const l = localOf.get(v);
      if (l !== undefined) this.occupied.add(l);
    }
    for (const [t, list] of byType) this.cursor.set(t, list.length - 1);
  }

  take(t: ValType): number {
    const back = this.released.get(t);
    if (back?.length) return back.pop()!;
    const list = this.byType.get(t);
    let k = this.cursor.get(t) ?? -1;
    while (k >= 0 && this.occupied.has(list![k])) k--;
    this.cursor.set(t, k - 1);
    return k >= 0 ? list![k] : this.newLocal(t);
  }

  release(l: number): void {
    if (l < this.base) return;
    const t = this.localTypes[l - this.base];
    if (Array.isArray(t)) return;
    let list = this.released.get(t);
    if (!list) this.released.set(t, (list = []));
    list.push(l);
  }
}

/** Values a block's terminator reads (its condition, index or returned values, every branch argument), through
 *  aliases. */
function terminatorReads(f: FunctionBody, b: BlockId): ValueId[] {
  return terminatorUses(f.blocks[b].term).map((v) => f.resolve(v));
}
