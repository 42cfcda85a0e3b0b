// Pass: store-to-load forwarding over the function's CFG, for interpreters whose registers live in linear memory
// (Lua's `base[i]`): a load reads the value the last store (or load) on every path put in its bytes, so it becomes
// that value, and the tag checks it fed become constants that fold (this pass folds them and the branches on them).
//   before:  i32.store8 offset=8 v1, (const 3) ; ... ; v9 = i32.load8_u offset=8 v1 ; v10 = i32.ne v9, (const 3)
//   after:   i32.store8 offset=8 v1, (const 3) ; ...            (v9 is 3, v10 is 0, the branch on v10 is a br)
// Memory slots are keyed by (root, d): the address with `i32.add x, const` chains stripped (root x, or one root for
// constant addresses; each round first merges equal pure operators, ./common-ops.ts, so that two unboxings of one
// register are one root) and d = constants + the memarg offset, modulo 2^32 — every access that does not trap reads or
// writes exactly (root + d) mod 2^32. A load takes a slot's value; when its own offset is larger than the offset of
// the access that established it, its effective address is the same only if it does not trap (its split may wrap
// differently), so it also stays in place, its result unused, as the bounds check it was.
// A store kills the slots of its root whose bytes may overlap (modulo 2^32) and every slot of any other root (no
// alias proof) but those a guard on the paths to it proves apart (./guard-facts.ts), those of another alias class
// than its own and, when its root starts an object of a region class, those at other bytes of a root that starts
// one of the same class (weval.assume.alias.class/region, FunctionBody.aliasClasses/aliasRegions); calls (but
// direct calls of functions the caller knows never write memory: ../memory-writers.ts), call_indirect and
// memory.grow/fill/copy/init kill everything. At a join, a slot is known
// when every predecessor knows it or can load it without trapping (it accessed those bytes through a split that
// makes the same address: memory never shrinks), and one knows it, all with one width and type — or with an integer
// and a float type that fill the width (i64/f64, i32/f32: the same bits; the slot is the integer, a float
// predecessor's value reinterpreted; Lua's FORLOOP stores its control registers as integers on one path and as
// floats on the other, which rejoin): the value arrives as a new block parameter, and
// the predecessors that only can load it get that load at their end (slow paths after a call, loop preheaders) —
// unless the load that wants it runs behind a conditional branch after the join (a hook check's reload): then it
// stays a load, so that no path runs a load it did not run before.
// Loops are solved to the greatest fixpoint (a slot no path through the loop touches stays known, loaded once
// before the loop). A slot's root must strictly dominate the block, so a value computed afresh on each iteration
// never keys a stale slot. Narrow loads of wider or narrow stores get the low bytes (wrapped, masked or
// sign-extended), floats of integer stores of the same width are reinterpreted. Parameters are made only where a
// load needs them. After each round, constants propagate (./constants.ts: operators whose operands became constants
// fold, branches on constants become jumps, optimistically through loops), dead blocks go and redundant parameters
// go; up to three rounds. The states are dense (./store-forwarding-state.ts: slots interned to integers, typed
// arrays): the lattice is the map-based one it replaced, solved in the same order, so the output is the same.
// Requires: valid SSA. Guarantees: valid SSA, the same results, memory and traps as before (a replaced load would
// not have trapped).
import { effectsOf } from "../ssa/effects.ts";
import { fold } from "../ssa/fold.ts";
import {
  declareAliasClass,
  defUses,
  targetsOf,
  terminatorUses,
  type BlockId,
  type FunctionBody,
  type Operator,
  type ValueId,
} from "../ssa/ir.ts";
import type { Const, ValType } from "../ssa/types.ts";
import { DominatorTree } from "../ssa/dominators.ts";
import { OPS_BY_NAME } from "../ssa/wasm-ops.ts";
import { commonPureOps } from "./common-ops.ts";
import { foldNonZeroBranches, propagateConstants } from "./constants.ts";
import { guardFacts, guardSeparates, type GuardFact } from "./guard-facts.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";
import { foldDominatedConditions } from "./dominating-conditions.ts";
import { removeDeadValues } from "./dead-values.ts";
import { removeRedundantParams } from "./redundant-params.ts";
import {
  CONST_ROOT,
  EXT_CODE,
  EXTS,
  Slots,
  TYPE_CODE,
  TYPES,
  Work,
  overlaps,
  sameBits,
  SIZE,
  type Ext,
  type Packed,
} from "./store-forwarding-state.ts";

const TWO32 = 4294967296;
const ROUNDS = 3;
/** Fixpoint iterations before giving up on a function (the lattice only shrinks; this is a guard). */
const MAX_ITERATIONS = 50;

/** What is known of a slot in the rewrite: its shape, and the value holding its bytes. */
interface Known {
  root: number;
  d: number;
  w: number;
  t: ValType;
  /** The memarg offset of the access that established it: loads with a larger offset may not use it. */
  o: number;
  value?: ValueId;
  /** How the value's bits above w bytes look: zero-extended, sign-extended, anything, or w is the full type. */
  ext?: Ext;
}
/** A load or store: its address split (root, add-constants c, memarg offset o, d = c + o), width and slot; a
 *  load's result type, or the type of the value a store stores. */
interface Access {
  /** The address operand, resolved, from which the split was made. */
  addr: ValueId;
  root: number;
  c: number;
  o: number;
  d: number;
  w: number;
  slot: number;
  load: boolean;
  t: ValType;
  signed: boolean;
}
/** What an instruction does to a state besides an access: nothing, or forget everything known. */
const NOTHING = 0;
const KILLS = 1;

/** Returns the number of loads replaced. `afterFirstRound`: a pass to run between the first round and the second
 *  (when the first replaced loads), e.g. redundant-store removal, which finds more once the first round has made
 *  the pointers into one object one root, and whose removals let the next rounds keep more. */
export function forwardStores(
  f: FunctionBody,
  callWrites?: CallWrites,
  afterFirstRound?: (f: FunctionBody, order: BlockId[]) => unknown,
): number {
  let total = 0;
  const inserted = new Set<ValueId>();
  const work = new Work();
  // One block order (and dominator tree) for the passes between two that change terminators: common-ops, copies,
  // the round and the round's own insertions change values and arguments only; constants and dominating
  // conditions fold branches, after which the order is computed again.
  let order = f.reversePostorder();
  // Branches the specializer left on a value that is never 0 (`op == EQ || …` with the first true) go first: the
  // paths they never take would otherwise join the ones they do, and forget what those know.
  if (foldNonZeroBranches(f, order)) order = f.reversePostorder();
  removeDeadBlocks(f, order); // exact preds, no unreachable predecessor (each round ends so too)
  // A register a loop (or a peeled first iteration, ./peel-loops.ts) passes on unchanged is the value from before
  // it, so that the first round already sees one root for it.
  removeRedundantParams(f, order);
  let dom = new DominatorTree(f, order);
  for (let round = 0; round < ROUNDS; round++) {
    if (commonPureOps(f, order, dom)) propagateCopies(f, order); // one root per address: see ./common-ops.ts
    const n = forwardRound(f, order, dom, inserted, work, callWrites);
    if (n === 0) break;
    total += n;
    propagateCopies(f, order);
    propagateConstants(f, order); // leaves exact preds (the round changed no terminator's targets: order holds)
    order = f.reversePostorder();
    removeDeadBlocks(f, order, true); // constant propagation left exact preds: recomputed only if it empties one
    if (round === 0 && afterFirstRound) afterFirstRound(f, order);
    // Before the checks below: a value forwarded into a parameter that every edge passes alike is that value.
    removeRedundantParams(f, order);
    dom = new DominatorTree(f, order);
    // Checks on one forwarded length (./dominating-conditions.ts); when it folds a branch, the order is made again.
    if (foldDominatedConditions(f, order, dom)) {
      order = f.reversePostorder();
      dom = new DominatorTree(f, order);
      removeDeadBlocks(f, order);
    }
  }
  // The loads this pass inserted cannot trap: those whose parameters died (or that feed nothing) go.
  if (inserted.size) removeDeadValues(f, inserted);
  work.release();
  return total;
}

/** What instruction v does to a state: its access, KILLS or NOTHING. */
function effectOf(f: FunctionBody, v: ValueId, env: Env): Access | number {
  const d = f.values[v];
  if (d.kind !== "op") return NOTHING;
  const info = d.op.memarg ? OPS_BY_NAME.get(d.op.name) : undefined;
  if (!info || (info.cls !== "load" && info.cls !== "store") || info.bytes === undefined)
    return killsAll(d.op, env.callWrites) ? KILLS : NOTHING;
  const addr = f.resolve(d.args[0]);
  const a = addressOf(f, addr, env.memo);
  const o = d.op.memarg!.offset;
  const dd = (a.c + o) % TWO32;
  const load = info.cls === "load";
  const t = load ? (info.results[0] as ValType) : f.typeOf(f.resolve(d.args[1]));
  const slot = env.slots.intern(a.root, dd);
  return { addr, root: a.root, c: a.c, o, d: dd, w: info.bytes, slot, load, t, signed: !!info.signed };
}

export function addressOf(
  f: FunctionBody,
  v: ValueId,
  memo: Map<ValueId, { root: number; c: number }>,
): { root: number; c: number } {
  const hit = memo.get(v);
  if (hit) return hit;
  const chain: { v: ValueId; c: number }[] = [];
  let x = v;
  let r: { root: number; c: number } | undefined;
  for (;;) {
    const known = memo.get(x);
    if (known) {
      r = known;
      break;
    }
    const d = f.values[x];
    const k =
      d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i32" ? d.op.value.bits >>> 0 : undefined;
    if (k !== undefined) {
      r = { root: CONST_ROOT, c: k };
      break;
    }
    if (d.kind === "op" && d.op.name === "i32.add") {
      const [p, q] = d.args.map((a) => f.resolve(a));
      const cq = constI32(f, q);
      const cp = constI32(f, p);
      if (cq !== undefined || cp !== undefined) {
        chain.push({ v: x, c: cq ?? cp! });
        x = cq !== undefined ? p : q;
        continue;
      }
    }
    r = { root: x, c: 0 };
    break;
  }
  memo.set(x, r);
  let c = r.c;
  for (let i = chain.length - 1; i >= 0; i--) {
    c = (c + chain[i].c) % TWO32;
    memo.set(chain[i].v, { root: r.root, c });
  }
  return memo.get(v)!;
}

function constI32(f: FunctionBody, v: ValueId): number | undefined {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i32" ? d.op.value.bits >>> 0 : undefined;
}

/** Whether a direct call to the function at this index may write memory (see ../memory-writers.ts). */
export type CallWrites = (funcIndex: number) => boolean;

/** What a round's transfers share: the address memo, which calls keep what is known, the slots and the working
 *  state; in the fixpoint, each instruction's effect (the IR does not change there; the rewrite's aliases do). */
interface Env {
  memo: Map<ValueId, { root: number; c: number }>;
  callWrites?: CallWrites;
  /** Values something uses: an unused load that could take a slot only as a bounds check stays as it is. */
  used: Uint8Array;
  slots: Slots;
  work: Work;
  effects: (Access | number | undefined)[];
  /** In the rewrite, where a replaced load may have become an access's address (see transfer). */
  rewriting: boolean;
  /** The guard facts on entry to each block (./guard-facts.ts). */
  guards: GuardFact[][];
  /** Slot -> the alias class the interpreter declared for its bytes (slotClasses). */
  classes?: Map<number, number>;
  /** Root -> the region class the interpreter declared it the start of an object of (FunctionBody.aliasRegions,
   *  resolved), -1 where declarations disagree. */
  regions?: Map<number, number>;
  /** Loads that took a slot's value in the block transferred last. */
  takes: number;
}

/** Whether `op` may write any memory other than as a store of known width does (a call, but a direct call of a
 *  function `callWrites` says never writes; call_indirect; memory.fill/copy/init). */
export function killsAll(op: Operator, callWrites?: CallWrites): boolean {
  if (op.name === "call" && callWrites && !callWrites(op.index!)) return false;
  const e = effectsOf(op);
  return e.calls || (e.writesMemory && OPS_BY_NAME.get(op.name)?.cls !== "store");
}

/** Can load `a` take a slot of width kw holding a kt? (One with a larger offset than the access that established
 *  it takes it too, but stays as a bounds check: see the rewrite.) */
function compatible(a: Access, kw: number, kt: ValType): boolean {
  if (a.w > kw) return false;
  const float = (x: ValType) => x === "f32" || x === "f64";
  if (float(a.t) || float(kt)) return a.w === kw && SIZE[a.t] === kw && SIZE[kt] === kw;
  return true;
}

/** One block's transfer on env.work (in place); `onLoad` replaces a load in the rewrite, or declines (false: the
 *  load stays and establishes the slot, as a load no slot was known for). */
function transfer(f: FunctionBody, b: BlockId, env: Env, onLoad?: (v: ValueId, a: Access) => boolean): void {
  const { work, used, effects } = env;
  for (const v of f.blocks[b].insts) {
    let e = effects[v];
    // The fixpoint's effect holds in the rewrite too but where a load it replaced was the address (the operator and
    // the address memo do not change; the values it appends are past the fixpoint's and computed afresh).
    if (e === undefined || (env.rewriting && typeof e !== "number" && f.resolve(e.addr) !== e.addr)) {
      e = effectOf(f, v, env);
      if (!env.rewriting) effects[v] = e;
    }
    if (typeof e === "number") {
      if (e === KILLS) work.clearKnown();
      continue;
    }
    const s = e.slot;
    if (!work.hasValid(s) || work.vW[s] < e.w || (work.vW[s] === e.w && e.o < work.vO[s]))
      work.setValid(s, e.w, e.c, e.o);
    if (e.load) {
      if (
        work.hasKnown(s) &&
        compatible(e, work.kW[s], TYPES[work.kT[s]]) &&
        (e.o <= work.kO[s] || used[v]) &&
        (!onLoad || onLoad(v, e))
      ) {
        env.takes++;
        continue;
      }
      const ext = e.w === SIZE[e.t] ? "full" : e.signed ? "s" : "u";
      work.setKnown(s, e.w, TYPE_CODE[e.t], e.o, v, EXT_CODE[ext]);
    } else {
      work.killForStore(e.root, e.d, e.w, apartFrom(env, b, e));
      const x = onLoad ? f.resolve((f.values[v] as { args: ValueId[] }).args[1]) : -1;
      work.setKnown(s, e.w, TYPE_CODE[e.t], e.o, x, EXT_CODE[e.w === SIZE[e.t] ? "full" : "raw"]);
    }
  }
}

/** A slot of class `c` (undefined: none declared; -1: declarations disagree) is another class than `cls`'s. */
const otherClass = (c: number | undefined, cls: number): boolean => c !== undefined && c >= 0 && c !== cls;

/** Which known slots of other roots than store `e`'s (in block b) keep their value across it: those a guard on the
 *  paths to b proves apart, those of another alias class, and — when e's root starts an object of a region class
 *  (weval.assume.alias.region) — those whose root starts another object of that class at bytes disjoint from e's
 *  (the two objects are one, and the offsets differ, or they are two, which never overlap). Undefined: none. */
function apartFrom(env: Env, b: BlockId, e: Access): ((slot: number) => boolean) | undefined {
  const { slots, work, classes, regions } = env;
  const facts = env.guards[b];
  const byGuard = facts?.length
    ? (k: number) => guardSeparates(facts, e.root, e.d, e.w, slots.root[k], slots.d[k], work.kW[k])
    : undefined;
  const cls = classes?.get(e.slot) ?? -1;
  const region = regions?.get(e.root) ?? -1;
  if (cls < 0 && region < 0) return byGuard;
  return (k) =>
    (byGuard?.(k) ?? false) ||
    (cls >= 0 && otherClass(classes!.get(k), cls)) ||
    (region >= 0 && regions!.get(slots.root[k]) === region && !overlaps(slots.d[k], work.kW[k], e.d, e.w));
}

/** The alias class of each slot that an access through a declared pointer reaches (weval.assume.alias.class: the
 *  bytes at p plus the access's offset are of p's class), -1 where two declarations disagree; undefined when the
 *  interpreter declared none. A store of one class leaves the slots of another known. */
function slotClasses(f: FunctionBody, order: BlockId[], env: Env): Map<number, number> | undefined {
  if (!f.aliasClasses?.size) return undefined;
  const declared = new Map<ValueId, number>();
  for (const [v, c] of f.aliasClasses) declareAliasClass(declared, f.resolve(v), c);
  const classes = new Map<number, number>();
  for (const b of order)
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      const cls = d.kind === "op" && d.op.memarg ? declared.get(f.resolve(d.args[0])) : undefined;
      if (cls === undefined) continue;
      const e = effectOf(f, v, env);
      if (typeof e !== "number") declareAliasClass(classes, e.slot, cls);
    }
  return classes;
}

interface Val {
  value: ValueId;
  ext: Ext;
}

/** One round: the fixpoint, then the rewrite. Returns the number of loads replaced. */
function forwardRound(
  f: FunctionBody,
  order: BlockId[],
  dom: DominatorTree,
  inserted: Set<ValueId>,
  work: Work,
  callWrites?: CallWrites,
): number {
  const defBlock = new Int32Array(f.values.length).fill(-1);
  for (const b of order) {
    for (const p of f.blocks[b].params) defBlock[p] = b;
    for (const v of f.blocks[b].insts) defBlock[v] = b;
  }
  const used = new Uint8Array(f.values.length);
  for (const b of order) {
    for (const v of f.blocks[b].insts) for (const u of defUses(f.values[v])) used[f.resolve(u)] = 1;
    for (const u of terminatorUses(f.blocks[b].term)) used[f.resolve(u)] = 1;
  }
  const slots = new Slots(defBlock);
  work.begin(slots, dom);
  const memo = new Map<ValueId, { root: number; c: number }>();
  const guards = guardFacts(f, order, dom, (v) => addressOf(f, v, memo));
  // Dense from the start (a list of holes, not []): written by value and block id out of order, an empty array would
  // turn sparse (a dictionary) and make every later access a hash lookup.
  const env: Env = {
    memo,
    callWrites,
    used,
    slots,
    work,
    effects: new Array(f.values.length),
    rewriting: false,
    guards,
    takes: 0,
  };
  env.classes = slotClasses(f, order, env);
  if (f.aliasRegions?.size) {
    env.regions = new Map();
    for (const [v, c] of f.aliasRegions) declareAliasClass(env.regions, f.resolve(v), c);
  }
  const outs: (Packed | undefined)[] = new Array(f.blocks.length);
  const ins: Packed[] = [];
  // The state at b's entry from its predecessors' exits computed so far (none at the entry), into env.work.
  const joinAt = (b: BlockId): void => {
    ins.length = 0;
    if (b !== f.entry) for (const p of f.blocks[b].preds) if (outs[p] !== undefined) ins.push(outs[p]!);
    work.join(ins, b);
  };
  // Sweeps in reverse postorder until no exit state changes, as round-robin iteration does, but a block none of
  // whose predecessors' exits changed since it last ran is skipped: it would compute the exit it has (a transfer
  // reads only its entry state, which the join makes from those exits). So the sweeps, and the states, are the
  // round-robin's. Each block also remembers whether, on its last run (with the final states), a load found a
  // slot it can take: a round where none did replaces nothing, and skips the rewrite.
  const dirty = new Uint8Array(f.blocks.length);
  for (const b of order) dirty[b] = 1;
  const takes = new Uint8Array(f.blocks.length);
  let converged = false;
  for (let it = 0; it < MAX_ITERATIONS && !converged; it++) {
    converged = true;
    let last = -1; // the block whose exit state the work holds
    for (const b of order) {
      if (!dirty[b]) continue;
      dirty[b] = 0;
      const preds = f.blocks[b].preds;
      if (b !== f.entry && preds.length === 1 && preds[0] === last) work.narrow(b);
      else joinAt(b);
      env.takes = 0;
      transfer(f, b, env);
      takes[b] = env.takes > 0 ? 1 : 0;
      last = b;
      if (outs[b] !== undefined && env.work.equals(outs[b]!)) continue;
      converged = false;
      outs[b] = env.work.pack();
      for (const s of f.blocks[b].succs) dirty[s] = 1;
    }
  }
  if (!converged || !takes.includes(1)) return 0;
  env.rewriting = true;
  return new Rewrite(f, env, outs, inserted).run(order, joinAt);
}

/** A block's state at its end in the rewrite: packed, with the values of the known slots that had one ([slot,
 *  value, Ext code] triples); what it knows as a map (values filled on demand) is made when first asked for. */
interface End {
  at: Packed;
  vals: number[];
  known?: Map<number, Known>;
}

/** Replaces the loads the fixpoint's states allow, making parameters and preheader/slow-path loads on demand. */
class Rewrite {
  private readonly ends: End[];
  private readonly entryMemo = new Map<number, Val>();
  /** The parameters made, in order: their block, slot and shape. */
  private readonly pending: { b: BlockId; slot: number; shape: Known }[] = [];

  constructor(
    private readonly f: FunctionBody,
    private readonly env: Env,
    private readonly outs: (Packed | undefined)[],
    private readonly inserted: Set<ValueId>,
  ) {
    this.ends = new Array(f.blocks.length);
  }

  run(order: BlockId[], joinAt: (b: BlockId) => void): number {
    const { f, env } = this;
    const work = env.work;
    let replaced = 0;
    // The block transferred last when the work holds its exit as the fixpoint has it (no load there declined: a
    // declined load establishes its slot, which the fixpoint's state has as taken), so that a block whose one
    // predecessor it is narrows it instead of joining (as the fixpoint does).
    let last = -1;
    for (const b of order) {
      const preds = f.blocks[b].preds;
      if (b !== f.entry && preds.length === 1 && preds[0] === last) work.narrow(b);
      else joinAt(b);
      let before: Map<ValueId, ValueId[]> | undefined;
      let declined = false;
      transfer(f, b, env, (v, a) => {
        const pre = this.replaceLoad(b, v, a);
        if (!pre) return !(declined = true);
        (before ??= new Map()).set(v, pre);
        replaced++;
        return true;
      });
      last = declined ? -1 : b;
      const vals: number[] = [];
      for (let i = 0; i < work.kN; i++) {
        const s = work.kList[i];
        if (work.kVal[s] >= 0) vals.push(s, work.kVal[s], work.kExt[s]);
      }
      this.ends[b] = { at: work.pack(), vals };
      if (before) f.blocks[b].insts = f.blocks[b].insts.flatMap((v) => [...(before!.get(v) ?? []), v]);
    }
    this.fillParams();
    return replaced;
  }

  /** What block p knows at its end, by slot (made on first use, then kept up to date). */
  private knownAt(p: BlockId): Map<number, Known> {
    const end = this.ends[p];
    if (end.known) return end.known;
    const known = new Map<number, Known>();
    const { slots, work } = this.env;
    const a = work.arena;
    for (let i = 0, j = end.at + 2; i < a[end.at]; i++, j += 4) {
      const s = a[j];
      known.set(s, { root: slots.root[s], d: slots.d[s], w: a[j + 1], t: TYPES[a[j + 2]], o: a[j + 3] });
    }
    for (let i = 0; i < end.vals.length; i += 3) {
      const k = known.get(end.vals[i])!;
      k.value = end.vals[i + 1];
      k.ext = EXTS[end.vals[i + 2]];
    }
    return (end.known = known);
  }

  private shapeAt(s: number): Known {
    const { work, slots } = this.env;
    return { root: slots.root[s], d: slots.d[s], w: work.kW[s], t: TYPES[work.kT[s]], o: work.kO[s] };
  }

  /** Load v of slot a.slot (known in env.work) becomes its value: the instructions to put before it, or undefined
   *  when it declines (see getAtEntry). */
  private replaceLoad(b: BlockId, v: ValueId, a: Access): ValueId[] | undefined {
    const { f } = this;
    const work = this.env.work;
    const s = a.slot;
    const k = this.shapeAt(s);
    if (work.kVal[s] < 0) {
      const r = this.getAtEntry(b, s, k, true);
      if (!r) return undefined;
      work.kVal[s] = r.value;
      work.kExt[s] = EXT_CODE[r.ext];
    }
    const pre: ValueId[] = [];
    // A larger memarg offset than the access that established the slot: the same bytes unless this load traps
    // (its address split wraps differently), so a copy of it stays, unused, to trap where it trapped.
    const d = f.values[v] as { op: Operator; args: ValueId[]; types: ValType[] };
    if (a.o > k.o) pre.push(f.addOp(d.op, [...d.args], [...d.types]));
    const to = convert(f, pre, { value: work.kVal[s], ext: EXTS[work.kExt[s]]! }, k, d.op.name);
    f.values[v] = { kind: "alias", to, type: f.typeOf(v) };
    return pre;
  }

  /** The value of slot s at b0's entry. With `forLoad`, a load that runs only on some paths from the join whose
   *  parameter would carry the value (it is behind a conditional branch after the join) declines (undefined) when a
   *  predecessor of the join would have to load the slot at its end: that load would run on every path, the hot
   *  ones too (a hook check's reload). */
  private getAtEntry(b0: BlockId, s: number, shape: Known, forLoad = false): Val | undefined {
    const { f, entryMemo } = this;
    const nb = f.blocks.length;
    const chain: BlockId[] = [];
    let b = b0;
    let r: Val;
    let conditional = false;
    for (;;) {
      const m = entryMemo.get(s * nb + b);
      if (m) {
        r = m;
        break;
      }
      const preds = f.blocks[b].preds;
      if (preds.length !== 1) {
        if (forLoad && conditional && preds.some((p) => !this.env.work.knows(this.outs[p], s))) return undefined;
        r = { value: f.addBlockParam(b, shape.t), ext: shape.w === SIZE[shape.t] ? "full" : "raw" };
        entryMemo.set(s * nb + b, r);
        this.pending.push({ b, slot: s, shape });
        break;
      }
      chain.push(b);
      const k = this.knownAt(preds[0]).get(s);
      const has = k?.value !== undefined ? this.valueAs(preds[0], k, shape) : undefined;
      if (has) {
        r = has;
        break;
      }
      if (!k || k.value !== undefined) {
        r = this.loadAtEnd(preds[0], s, shape);
        break;
      }
      if (f.blocks[preds[0]].term.kind !== "br") conditional = true;
      b = preds[0];
    }
    for (const c of chain) entryMemo.set(s * nb + c, r);
    return r;
  }

  /** The value of slot s at p's end, as `shape` (a parameter's) wants it. When p knows the slot but not its value (no
   *  access in p), the value comes from p's entry in p's own shape (the entry memo holds each block's own, which a
   *  join may have made an integer where p knows a float: sameBits), then converted. */
  private getAtEnd(p: BlockId, s: number, shape: Known): Val {
    const k = this.knownAt(p).get(s);
    if (k && k.value === undefined) {
      const r = this.getAtEntry(p, s, { ...k })!;
      k.value = r.value;
      k.ext = r.ext;
    }
    return (k && this.valueAs(p, k, shape)) ?? this.loadAtEnd(p, s, shape);
  }

  /** Known value k (at block p's end) as a value of the shape a parameter wants: itself, or — when the join took
   *  the slot as an integer of the width a float fills (sameBits) — it reinterpreted, appended to p (memoized there).
   *  Undefined when the shapes differ otherwise (see sameShape). */
  private valueAs(p: BlockId, k: Known, shape: Known): Val | undefined {
    if (sameShape(k, shape)) return { value: k.value!, ext: k.ext! };
    if (k.w !== shape.w || !sameBits(k.w, TYPE_CODE[k.t], TYPE_CODE[shape.t])) return undefined;
    const insts = this.f.blocks[p].insts;
    const d = this.f.values[k.value!];
    // A value that is itself a reinterpretation of one of the wanted type: that one.
    const value =
      d.kind === "op" && d.op.name === reinterpretName(k.t) && this.f.typeOf(this.f.resolve(d.args[0])) === shape.t
        ? this.f.resolve(d.args[0])
        : emit(this.f, insts, reinterpretName(shape.t), [k.value!], shape.t);
    Object.assign(k, { t: shape.t, value, ext: "full" });
    return { value, ext: "full" };
  }

  /** Passes each made parameter its value at the end of each predecessor, in the order the parameters were made
   *  (each block's in the order of its parameter list); `pending` grows while this runs (a value there may need a
   *  parameter of its own). */
  private fillParams(): void {
    const { f, pending } = this;
    for (let i = 0; i < pending.length; i++) {
      const { b, slot, shape } = pending[i];
      for (const p of f.blocks[b].preds) {
        for (const t of targetsOf(f.blocks[p].term))
          if (t.block === b) t.args.push(this.getAtEnd(p, slot, shape).value);
      }
    }
  }

  /** A load of slot s appended to block p, through the split its end state proves in bounds (recorded there). */
  private loadAtEnd(p: BlockId, s: number, shape: Known): Val {
    const { f, env } = this;
    const end = this.ends[p];
    const j = env.work.validAt(end.at, s);
    const a = env.work.arena;
    if (j < 0 || a[j + 1] < shape.w)
      throw new Error(`internal: store-forwarding: block${p} cannot load slot ${env.slots.name(s)}`);
    const c = a[j + 2];
    const root = env.slots.root[s];
    const insts = f.blocks[p].insts;
    const addr =
      root === CONST_ROOT
        ? constOf(f, insts, { type: "i32", bits: c })
        : c === 0
          ? root
          : emit(f, insts, "i32.add", [root, constOf(f, insts, { type: "i32", bits: c })], "i32");
    const op = { name: loadName(shape.t, shape.w), memarg: { offset: a[j + 3], align: 0 } };
    const value = f.addOp(op, [addr], [shape.t]);
    insts.push(value);
    this.inserted.add(value);
    const r: Val = { value, ext: shape.w === SIZE[shape.t] ? "full" : "u" };
    this.knownAt(p).set(s, { ...shape, value: r.value, ext: r.ext });
    return r;
  }
}

/** Whether a predecessor's value of a slot has the shape a parameter wants. Only a load that declined in the rewrite
 *  (replaceLoad) leaves another one: it establishes its slot with its own width and type, where the fixpoint took it
 *  as the slot's (an f64 load of an i64, a narrow load of a wide one); that predecessor loads the slot again instead
 *  (it accessed those bytes, and its stores are all in place). */
const sameShape = (k: Known, shape: Known): boolean => k.w === shape.w && k.t === shape.t;

/** The reinterpretation that makes a value of type `to` from the other type of its width. */
const reinterpretName = (to: ValType): string =>
  to === "f64"
    ? "f64.reinterpret_i64"
    : to === "f32"
      ? "f32.reinterpret_i32"
      : to === "i64"
        ? "i64.reinterpret_f64"
        : "i32.reinterpret_f32";

function loadName(t: ValType, w: number): string {
  if (w === SIZE[t]) return `${t}.load`;
  return `${t}.load${w * 8}_u`;
}

function constOf(f: FunctionBody, insts: ValueId[], c: Const): ValueId {
  const v = f.addOp({ name: "const", value: c }, [], [c.type]);
  insts.push(v);
  return v;
}

/** Append `name args` to insts, or its constant when the operands are constants. */
function emit(f: FunctionBody, insts: ValueId[], name: string, args: ValueId[], type: ValType): ValueId {
  const consts = args.map((a) => {
    const d = f.values[f.resolve(a)];
    return d.kind === "op" && d.op.name === "const" ? d.op.value : undefined;
  });
  if (consts.every((c) => c !== undefined)) {
    const c = fold(name, consts as Const[]);
    if (c) return constOf(f, insts, c);
  }
  const v = f.addOp({ name }, args, [type]);
  insts.push(v);
  return v;
}

/** The value a load `name` reads from a slot holding `src` (its low k.w bytes are the slot's). */
function convert(f: FunctionBody, insts: ValueId[], src: Val, k: Known, name: string): ValueId {
  const info = OPS_BY_NAME.get(name)!;
  const t = info.results[0] as ValType;
  const w = info.bytes!;
  let x = src.value;
  if (t === "f32" || t === "f64" || k.t === "f32" || k.t === "f64") {
    if (t === k.t) return x;
    return emit(f, insts, reinterpretName(t), [x], t);
  }
  let ext = src.ext;
  if (k.t === "i64" && t === "i32") {
    x = emit(f, insts, "i32.wrap_i64", [x], "i32");
    if (ext === "full") ext = "raw";
  } else if (k.t === "i32" && t === "i64") {
    x = emit(f, insts, "i64.extend_i32_u", [x], "i64");
    ext = ext === "full" ? "raw" : ext === "s" ? "raw" : ext;
  }
  if (w === SIZE[t]) return x;
  const want = info.signed ? "s" : "u";
  if (ext === want && k.w === w) return x;
  const bits = SIZE[t] * 8;
  const c = (n: number): ValueId =>
    constOf(f, insts, t === "i32" ? { type: "i32", bits: n >>> 0 } : { type: "i64", bits: BigInt(n) });
  if (want === "u")
    return emit(
      f,
      insts,
      `${t}.and`,
      [
        x,
        t === "i32" ? c(w === 1 ? 0xff : 0xffff) : constOf(f, insts, { type: "i64", bits: (1n << BigInt(w * 8)) - 1n }),
      ],
      t,
    );
  const sh = c(bits - w * 8);
  return emit(f, insts, `${t}.shr_s`, [emit(f, insts, `${t}.shl`, [x, sh], t), sh], t);
}
