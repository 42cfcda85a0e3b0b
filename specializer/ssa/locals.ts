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
// Uses through aliases count as uses of the aliased value. Relies on ir.ts, effects.ts and verify.ts (dominators).
import { effectsOf } from "./effects.ts";
import { targetsOf, terminatorUses, type BlockId, type FunctionBody, type Operator, type ValueId } from "./ir.ts";
import type { ValType } from "./types.ts";
import { immediateDominators } from "./verify.ts";

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

export function planLocals(f: FunctionBody, order: BlockId[], entryParamsAreFunctionParams: boolean): LocalPlan {
  const uses = new Uint32Array(f.values.length);
  const single = (v: ValueId) => {
    const d = f.values[v];
    return d.kind === "op" && d.types.length === 1;
  };
  const isConst = (v: ValueId) => {
    const d = f.values[v];
    return d.kind === "op" && d.op.name === "const";
  };
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op") for (const a of d.args) uses[f.resolve(a)]++;
      else if (d.kind === "pick") uses[f.resolve(d.value)]++;
    }
    for (const v of terminatorReads(f, b)) uses[v]++;
  }

  // Trees, decided from the end of each block backwards so each instruction's root is known when its operands are.
  const inline = new Set<ValueId>();
  const dropped = new Set<ValueId>();
  /** An inlined value's user (the instruction whose expression holds it). */
  const userOf = new Map<ValueId, ValueId>();
  const rootPos = new Map<ValueId, number>();
  for (const b of order) {
    const insts = f.blocks[b].insts;
    const pos = new Map<ValueId, number>();
    insts.forEach((v, i) => pos.set(v, i));
    const impureBefore = new Uint32Array(insts.length + 1); // impure instructions among insts[0..i)
    insts.forEach((v, i) => {
      const d = f.values[v];
      impureBefore[i + 1] = impureBefore[i] + (d.kind === "op" && !effectsOf(d.op).pure ? 1 : 0);
    });
    const root = new Int32Array(insts.length);
    for (let j = insts.length - 1; j >= 0; j--) {
      const u = insts[j];
      root[j] = inline.has(u) ? root[pos.get(userOf.get(u)!)!] : j;
      const d = f.values[u];
      if (d.kind !== "op") continue;
      const r = root[j];
      for (const arg of d.args) {
        const a = f.resolve(arg);
        const i = pos.get(a);
        if (i === undefined || i >= j || uses[a] !== 1 || !single(a) || isConst(a) || inline.has(a)) continue;
        const ad = f.values[a] as { kind: "op"; op: Operator };
        const pure = effectsOf(ad.op).pure;
        if (!pure && impureBefore[r] - impureBefore[i + 1] !== 0) continue;
        inline.add(a);
        userOf.set(a, u);
      }
    }
    // Depth cap, forward: an instruction whose trees would be too deep keeps its operands in locals.
    const depth = new Map<ValueId, number>();
    for (const v of insts) {
      const d = f.values[v];
      if (d.kind !== "op") continue;
      let dv = 1;
      const args = d.args.map((a) => f.resolve(a));
      for (const a of args) if (inline.has(a) && userOf.get(a) === v) dv = Math.max(dv, 1 + depth.get(a)!);
      if (dv > MAX_TREE_DEPTH) {
        for (const a of args) if (inline.has(a) && userOf.get(a) === v) inline.delete(a);
        dv = 1;
      }
      depth.set(v, dv);
    }
    // Where each value is read: at the position of the root of the tree it is read in.
    for (let j = insts.length - 1; j >= 0; j--) {
      const v = insts[j];
      rootPos.set(v, inline.has(v) ? rootPos.get(userOf.get(v)!)! : j);
    }
    for (const v of insts) if (single(v) && uses[v] === 0 && !inline.has(v)) dropped.add(v);
  }

  // Values that need a local.
  const needsLocal = (v: ValueId) => !inline.has(v) && !isConst(v) && !dropped.has(v) && f.values[v].kind !== "alias" && f.typesOf(v).length > 0;
  /** Reads of local-held values per block: [value, position], the terminator at insts.length. */
  const readsIn = (b: BlockId): [ValueId, number][] => {
    const block = f.blocks[b];
    const reads: [ValueId, number][] = [];
    const visit = (v: ValueId, at: number) => {
      const d = f.values[v];
      const operands = d.kind === "op" ? d.args : d.kind === "pick" ? [d.value] : [];
      for (const operand of operands) {
        const a = f.resolve(operand);
        if (inline.has(a)) visit(a, at);
        else if (needsLocal(a)) reads.push([a, at]);
      }
    };
    block.insts.forEach((v) => {
      if (!inline.has(v)) visit(v, rootPos.get(v)!);
    });
    for (const v of terminatorReads(f, b)) if (needsLocal(v)) reads.push([v, block.insts.length]);
    return reads;
  };
  const reads = new Map<BlockId, [ValueId, number][]>();
  for (const b of order) reads.set(b, readsIn(b));

  // Liveness.
  const defsOf = (b: BlockId) => [...f.blocks[b].params, ...f.blocks[b].insts];
  const liveIn = new Map<BlockId, Set<ValueId>>();
  const gen = new Map<BlockId, Set<ValueId>>();
  const kill = new Map<BlockId, Set<ValueId>>();
  for (const b of order) {
    kill.set(b, new Set(defsOf(b)));
    const g = new Set<ValueId>();
    for (const [v] of reads.get(b)!) if (!kill.get(b)!.has(v)) g.add(v);
    gen.set(b, g);
    liveIn.set(b, new Set(g));
  }
  const liveOut = new Map<BlockId, Set<ValueId>>();
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = order.length - 1; k >= 0; k--) {
      const b = order[k];
      const out = new Set<ValueId>();
      for (const t of targetsOf(f.blocks[b].term)) for (const v of liveIn.get(t.block) ?? []) out.add(v);
      liveOut.set(b, out);
      const live = liveIn.get(b)!;
      const killed = kill.get(b)!;
      for (const v of out) {
        if (!killed.has(v) && !live.has(v)) {
          live.add(v);
          changed = true;
        }
      }
    }
  }

  // Allocation.
  const localOf = new Map<ValueId, number>();
  const localTypes: (ValType | ValType[])[] = [];
  const byType = new Map<string, number[]>();
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
  const typeOfLocal = (l: number): ValType => localTypes[l - base] as ValType;
  if (entryParamsAreFunctionParams) f.blocks[f.entry].params.forEach((p, i) => localOf.set(p, i));
  const idom = immediateDominators(f);
  const children = new Map<BlockId, BlockId[]>();
  for (const b of order) {
    if (b === f.entry) continue;
    const d = idom.get(b)!;
    const list = children.get(d) ?? [];
    list.push(b);
    children.set(d, list);
  }
  const stack: BlockId[] = [f.entry];
  while (stack.length) {
    const b = stack.pop()!;
    for (const c of children.get(b) ?? []) stack.push(c);
    const block = f.blocks[b];
    const occupied = new Set<number>();
    for (const v of liveIn.get(b)!) {
      const l = localOf.get(v);
      if (l !== undefined) occupied.add(l);
    }
    const free = new Map<ValType, number[]>();
    for (const [t, list] of byType) free.set(t as ValType, list.filter((l) => !occupied.has(l)));
    const take = (t: ValType): number => {
      const list = free.get(t);
      return list && list.length ? list.pop()! : newLocal(t);
    };
    const release = (l: number) => {
      if (l < base) return;
      const t = typeOfLocal(l);
      if (Array.isArray(t)) return;
      let list = free.get(t);
      if (!list) free.set(t, (list = []));
      list.push(l);
    };
    const out = liveOut.get(b)!;
    const lastRead = new Map<ValueId, number>();
    for (const [v, at] of reads.get(b)!) lastRead.set(v, Math.max(lastRead.get(v) ?? -1, at));
    const readsAt = new Map<number, ValueId[]>();
    for (const [v, at] of lastRead) {
      if (out.has(v)) continue;
      const list = readsAt.get(at) ?? [];
      list.push(v);
      readsAt.set(at, list);
    }
    if (!(b === f.entry && entryParamsAreFunctionParams)) {
      for (const p of block.params) localOf.set(p, take(f.typeOf(p)));
    }
    for (const p of block.params) if (!lastRead.has(p) && !out.has(p)) release(localOf.get(p)!);
    block.insts.forEach((v, j) => {
      for (const dead of readsAt.get(j) ?? []) release(localOf.get(dead)!);
      if (!needsLocal(v)) return;
      const types = f.typesOf(v);
      if (types.length !== 1) {
        localOf.set(v, newLocal(types));
        return;
      }
      const l = take(types[0]);
      localOf.set(v, l);
      if (!lastRead.has(v) && !out.has(v)) release(l);
    });
  }
  return { inline, dropped, localOf, localTypes };
}

/** Values a block's terminator reads (its condition, index or returned values, every branch argument), through
 *  aliases. */
function terminatorReads(f: FunctionBody, b: BlockId): ValueId[] {
  return terminatorUses(f.blocks[b].term).map((v) => f.resolve(v));
}
