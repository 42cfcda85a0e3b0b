// Pass: store-to-load forwarding over the function's CFG, for interpreters whose registers live in linear memory
// (Lua's `base[i]`): a load reads the value the last store (or load) on every path put in its bytes, so it becomes
// that value, and the tag checks it fed become constants that fold (this pass folds them and the branches on them).
//   before:  i32.store8 offset=8 v1, (const 3) ; ... ; v9 = i32.load8_u offset=8 v1 ; v10 = i32.ne v9, (const 3)
//   after:   i32.store8 offset=8 v1, (const 3) ; ...            (v9 is 3, v10 is 0, the branch on v10 is a br)
// Memory slots are keyed by (root, d): the address with `i32.add x, const` chains stripped (root x, or one root for
// constant addresses) and d = constants + the memarg offset, modulo 2^32 — every access that does not trap reads or
// writes exactly (root + d) mod 2^32. A load takes a slot's value; when its own offset is larger than the offset of
// the access that established it, its effective address is the same only if it does not trap (its split may wrap
// differently), so it also stays in place, its result unused, as the bounds check it was.
// A store kills the slots of its root whose bytes may overlap (modulo 2^32) and every slot of any other root (no
// alias proof) but those a guard on the paths to it proves apart (./guard-facts.ts); calls (but direct calls of functions the caller knows never write memory: ../memory-writers.ts),
// call_indirect and memory.grow/fill/copy/init kill everything. At a join, a slot is known
// when every predecessor knows it or can load it without trapping (it accessed those bytes through a split that
// makes the same address: memory never shrinks), and one knows it: the value arrives as a new block parameter, and
// the predecessors that only can load it get that load at their end (slow paths after a call, loop preheaders) —
// unless the load that wants it runs behind a conditional branch after the join (a hook check's reload): then it
// stays a load, so that no path runs a load it did not run before.
// Loops are solved to the greatest fixpoint (a slot no path through the loop touches stays known, loaded once
// before the loop). A slot's root must strictly dominate the block, so a value computed afresh on each iteration
// never keys a stale slot. Narrow loads of wider or narrow stores get the low bytes (wrapped, masked or
// sign-extended), floats of integer stores of the same width are reinterpreted. Parameters are made only where a
// load needs them. After each round, constants propagate (./constants.ts: operators whose operands became constants
// fold, branches on constants become jumps, optimistically through loops), dead blocks go and redundant parameters
// go; up to three rounds.
// Requires: valid SSA. Guarantees: valid SSA, the same results, memory and traps as before (a replaced load would
// not have trapped).
import { effectsOf } from "../ssa/effects.ts";
import { fold } from "../ssa/fold.ts";
import {
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
import { propagateConstants } from "./constants.ts";
import { guardFacts, guardSeparates, type GuardFact } from "./guard-facts.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";
import { removeDeadValues } from "./dead-values.ts";
import { removeRedundantParams } from "./redundant-params.ts";

const CONST_ROOT = -1;
const TWO32 = 4294967296;
const ROUNDS = 3;
/** Fixpoint iterations before giving up on a function (the lattice only shrinks; this is a guard). */
const MAX_ITERATIONS = 50;

/** What is known of a slot: its shape, and (in the rewrite) the value holding its bytes. */
interface Known {
  root: number;
  d: number;
  w: number;
  t: ValType;
  /** The memarg offset of the access that established it: loads with a larger offset may not use it. */
  o: number;
  value?: ValueId;
  /** How the value's bits above w bytes look: zero-extended, sign-extended, anything, or w is the full type. */
  ext?: "u" | "s" | "raw" | "full";
}
/** A slot some access on every path reached without trapping, and the address split that did it. */
interface Valid {
  root: number;
  d: number;
  w: number;
  c: number;
  o: number;
}
interface State {
  known: Map<string, Known>;
  valid: Map<string, Valid>;
}
interface Access {
  root: number;
  c: number;
  o: number;
  d: number;
  w: number;
  key: string;
}

const SIZE: Record<ValType, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };

/** Returns the number of loads replaced. */
export function forwardStores(f: FunctionBody, callWrites?: CallWrites): number {
  let total = 0;
  const inserted = new Set<ValueId>();
  for (let round = 0; round < ROUNDS; round++) {
    const n = forwardRound(f, inserted, callWrites);
    if (n === 0) break;
    total += n;
    propagateCopies(f);
    propagateConstants(f);
    removeDeadBlocks(f);
    removeRedundantParams(f);
  }
  // The loads this pass inserted cannot trap: those whose parameters died (or that feed nothing) go.
  if (inserted.size) removeDeadValues(f, inserted);
  return total;
}

/** The address of a load or store: its root, add-constants and memarg offset. */
function accessOf(
  f: FunctionBody,
  v: ValueId,
  addrMemo: Map<ValueId, { root: number; c: number }>,
): Access | undefined {
  const d = f.values[v];
  if (d.kind !== "op" || !d.op.memarg) return undefined;
  const info = OPS_BY_NAME.get(d.op.name);
  if (!info || (info.cls !== "load" && info.cls !== "store") || info.bytes === undefined) return undefined;
  const a = addressOf(f, f.resolve(d.args[0]), addrMemo);
  const o = d.op.memarg.offset;
  const dd = (a.c + o) % TWO32;
  return { root: a.root, c: a.c, o, d: dd, w: info.bytes, key: `${a.root}@${dd}` };
}

function addressOf(
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

/** Byte ranges [a, a+wa) and [b, b+wb) modulo 2^32 overlap. */
function overlaps(a: number, wa: number, b: number, wb: number): boolean {
  return (b - a + TWO32) % TWO32 < wa || (a - b + TWO32) % TWO32 < wb;
}

/** Whether a direct call to the function at this index may write memory (see ../memory-writers.ts). */
export type CallWrites = (funcIndex: number) => boolean;

/** What a round's transfers share: the address memo, and which calls keep what is known. */
interface Env {
  memo: Map<ValueId, { root: number; c: number }>;
  callWrites?: CallWrites;
  /** Values something uses: an unused load that could take a slot only as a bounds check stays as it is. */
  used: Uint8Array;
  /** The guard facts on entry to each block (./guard-facts.ts). */
  guards: GuardFact[][];
}

function killsAll(op: Operator, callWrites?: CallWrites): boolean {
  if (op.name === "call" && callWrites && !callWrites(op.index!)) return false;
  const e = effectsOf(op);
  return e.calls || (e.writesMemory && OPS_BY_NAME.get(op.name)?.cls !== "store");
}

/** Can a load of this name take this slot? (One with a larger offset than the access that established it takes it
 *  too, but stays as a bounds check: see the rewrite.) */
function compatible(name: string, k: Known): boolean {
  const info = OPS_BY_NAME.get(name)!;
  const t = info.results[0] as ValType;
  if (info.bytes! > k.w) return false;
  const float = (x: ValType) => x === "f32" || x === "f64";
  if (float(t) || float(k.t)) return info.bytes === k.w && SIZE[t] === k.w && SIZE[k.t] === k.w;
  return true;
}

/** The store's effect on a state: overlapping slots of its root and every other root's slots go (but those a guard
 *  fact proves apart). */
function killForStore(s: State, a: Access, facts: readonly GuardFact[]): void {
  for (const [key, k] of s.known)
    if (
      k.root === a.root
        ? overlaps(k.d, k.w, a.d, a.w)
        : !(facts.length && guardSeparates(facts, a.root, a.d, a.w, k.root, k.d, k.w))
    )
      s.known.delete(key);
}

/** One block's transfer on a state (in place); `onLoad` replaces a load in the rewrite, or declines (false: the load
 *  stays and establishes the slot, as a load no slot was known for). */
function transfer(
  f: FunctionBody,
  b: BlockId,
  s: State,
  env: Env,
  onLoad?: (v: ValueId, a: Access, k: Known) => boolean,
): void {
  const { memo, callWrites, used } = env;
  for (const v of f.blocks[b].insts) {
    const d = f.values[v];
    if (d.kind !== "op") continue;
    const a = accessOf(f, v, memo);
    if (a) {
      const info = OPS_BY_NAME.get(d.op.name)!;
      const old = s.valid.get(a.key);
      if (!old || old.w < a.w || (old.w === a.w && a.o < old.o))
        s.valid.set(a.key, { root: a.root, d: a.d, w: a.w, c: a.c, o: a.o });
      if (info.cls === "load") {
        const k = s.known.get(a.key);
        if (k && compatible(d.op.name, k) && (a.o <= k.o || used[v]) && (!onLoad || onLoad(v, a, k))) continue;
        const t = info.results[0] as ValType;
        s.known.set(a.key, {
          root: a.root,
          d: a.d,
          w: a.w,
          t,
          o: a.o,
          value: v,
          ext: a.w === SIZE[t] ? "full" : info.signed ? "s" : "u",
        });
      } else {
        killForStore(s, a, env.guards[b] ?? []);
        const t = f.typeOf(f.resolve(d.args[1]));
        s.known.set(a.key, {
          root: a.root,
          d: a.d,
          w: a.w,
          t,
          o: a.o,
          value: f.resolve(d.args[1]),
          ext: a.w === SIZE[t] ? "full" : "raw",
        });
      }
    } else if (killsAll(d.op, callWrites)) s.known.clear();
  }
}

/** The state at a block's entry from its predecessors' exits (those computed so far). */
function join(f: FunctionBody, b: BlockId, outs: (State | undefined)[], rootOk: (root: number) => boolean): State {
  const ins = f.blocks[b].preds.map((p) => outs[p]).filter((s): s is State => s !== undefined);
  const s: State = { known: new Map(), valid: new Map() };
  if (b === f.entry || ins.length === 0) return s;
  const rest = ins.slice(1);
  for (const [key, v0] of ins[0].valid) {
    if (!rootOk(v0.root)) continue;
    let v: Valid | undefined = v0;
    for (const other of rest) {
      const w = other.valid.get(key);
      if (!w) {
        v = undefined;
        break;
      }
      v = { ...(w.o < v.o ? w : v), w: Math.min(w.w, v.w) };
    }
    if (v) s.valid.set(key, v);
  }
  const keys = new Set<string>();
  for (const st of ins) for (const key of st.known.keys()) keys.add(key);
  for (const key of keys) {
    let shape: Known | undefined;
    let ok = true;
    for (const st of ins) {
      const k = st.known.get(key);
      if (k && (!shape || (k.w === shape.w && k.t === shape.t)))
        shape = shape ? { ...shape, o: Math.min(shape.o, k.o) } : { root: k.root, d: k.d, w: k.w, t: k.t, o: k.o };
      else if (k) ok = false;
    }
    if (!ok || !shape || !rootOk(shape.root)) continue;
    for (const st of ins) {
      if (st.known.has(key)) continue;
      const v = st.valid.get(key);
      if (!v || v.w < shape.w) ok = false;
      else shape.o = Math.min(shape.o, v.o);
    }
    if (ok) s.known.set(key, shape);
  }
  return s;
}

function sameState(a: State, b: State): boolean {
  if (a.known.size !== b.known.size || a.valid.size !== b.valid.size) return false;
  for (const [key, k] of a.known) {
    const o = b.known.get(key);
    if (!o || o.w !== k.w || o.t !== k.t || o.o !== k.o) return false;
  }
  for (const [key, v] of a.valid) {
    const o = b.valid.get(key);
    if (!o || o.w !== v.w || o.o !== v.o || o.c !== v.c) return false;
  }
  return true;
}

const shapeOnly = (s: State): State => ({
  known: new Map([...s.known].map(([key, k]) => [key, { root: k.root, d: k.d, w: k.w, t: k.t, o: k.o }])),
  valid: new Map(s.valid),
});

interface Val {
  value: ValueId;
  ext: "u" | "s" | "raw" | "full";
}

/** One round: the fixpoint, then the rewrite. Returns the number of loads replaced. */
function forwardRound(f: FunctionBody, inserted: Set<ValueId>, callWrites?: CallWrites): number {
  removeDeadBlocks(f); // exact preds, no unreachable predecessor
  const order = f.reversePostorder();
  const defBlock = new Int32Array(f.values.length).fill(-1);
  for (const b of order) {
    for (const p of f.blocks[b].params) defBlock[p] = b;
    for (const v of f.blocks[b].insts) defBlock[v] = b;
  }
  const dom = new DominatorTree(f, order);
  const used = new Uint8Array(f.values.length);
  for (const b of order) {
    for (const v of f.blocks[b].insts) for (const u of defUses(f.values[v])) used[f.resolve(u)] = 1;
    for (const u of terminatorUses(f.blocks[b].term)) used[f.resolve(u)] = 1;
  }
  const memo = new Map<ValueId, { root: number; c: number }>();
  const guards = guardFacts(f, order, dom, (v) => addressOf(f, v, memo));
  const env: Env = { memo, callWrites, used, guards };
  const outs: (State | undefined)[] = [];
  const rootOk = (b: BlockId) => (r: number) =>
    r === CONST_ROOT || (defBlock[r] >= 0 && dom.strictlyDominates(defBlock[r], b));
  let converged = false;
  for (let it = 0; it < MAX_ITERATIONS && !converged; it++) {
    converged = true;
    for (const b of order) {
      const s = join(f, b, outs, rootOk(b)); // fresh maps: the transfer may change them
      transfer(f, b, s, env);
      if (!outs[b] || !sameState(outs[b]!, s)) converged = false;
      outs[b] = s;
    }
  }
  if (!converged) return 0;
  const ins: State[] = [];
  for (const b of order) ins[b] = join(f, b, outs, rootOk(b));
  return rewrite(f, order, ins, outs, env, inserted);
}

/** Replace the loads the fixpoint's states allow, making parameters and preheader/slow-path loads on demand. */
function rewrite(
  f: FunctionBody,
  order: BlockId[],
  ins: State[],
  outs: (State | undefined)[],
  env: Env,
  inserted: Set<ValueId>,
): number {
  const ends: State[] = [];
  const entryMemo = new Map<string, Val>();
  const pending: { b: BlockId; key: string; shape: Known }[] = [];
  const extOf = (k: Known): Val["ext"] => (k.w === SIZE[k.t] ? "full" : "raw");
  const insertLoad = (p: BlockId, key: string, shape: Known): Val => loadAtEnd(f, ends[p], p, key, shape, inserted);
  // With `forLoad`, a load that runs only on some paths from the join whose parameter would carry the value (it is
  // behind a conditional branch after the join) declines (undefined) when a predecessor of the join would have to
  // load the slot at its end: that load would run on every path, the hot ones too (a hook check's reload).
  const getAtEntry = (b0: BlockId, key: string, shape: Known, forLoad = false): Val | undefined => {
    const chain: BlockId[] = [];
    let b = b0;
    let r: Val;
    let conditional = false;
    for (;;) {
      const m = entryMemo.get(`${b}:${key}`);
      if (m) {
        r = m;
        break;
      }
      const preds = f.blocks[b].preds;
      if (preds.length !== 1) {
        if (forLoad && conditional && preds.some((p) => !outs[p]?.known.has(key))) return undefined;
        r = { value: f.addBlockParam(b, shape.t), ext: extOf(shape) };
        entryMemo.set(`${b}:${key}`, r);
        pending.push({ b, key, shape });
        break;
      }
      chain.push(b);
      const k = ends[preds[0]].known.get(key);
      if (k?.value !== undefined) {
        r = { value: k.value, ext: k.ext! };
        break;
      }
      if (!k) {
        r = insertLoad(preds[0], key, shape);
        break;
      }
      if (f.blocks[preds[0]].term.kind !== "br") conditional = true;
      b = preds[0];
    }
    for (const c of chain) entryMemo.set(`${c}:${key}`, r);
    return r;
  };
  const getAtEnd = (p: BlockId, key: string, shape: Known): Val => {
    const k = ends[p].known.get(key);
    if (k?.value !== undefined) return { value: k.value, ext: k.ext! };
    if (!k) return insertLoad(p, key, shape);
    const r = getAtEntry(p, key, shape)!;
    k.value = r.value;
    k.ext = r.ext;
    return r;
  };
  let replaced = 0;
  for (const b of order) {
    const s = shapeOnly(ins[b]);
    const before = new Map<ValueId, ValueId[]>();
    transfer(f, b, s, env, (v, a, k) => {
      if (k.value === undefined) {
        const r = getAtEntry(b, `${k.root}@${k.d}`, k, true);
        if (!r) return false;
        k.value = r.value;
        k.ext = r.ext;
      }
      const pre: ValueId[] = [];
      // A larger memarg offset than the access that established the slot: the same bytes unless this load traps
      // (its address split wraps differently), so a copy of it stays, unused, to trap where it trapped.
      if (a.o > k.o) {
        const d = f.values[v] as { op: Operator; args: ValueId[]; types: ValType[] };
        pre.push(f.addOp(d.op, [...d.args], [...d.types]));
      }
      const to = convert(f, pre, { value: k.value!, ext: k.ext! }, k, (f.values[v] as { op: Operator }).op.name);
      before.set(v, pre);
      f.values[v] = { kind: "alias", to, type: f.typeOf(v) };
      replaced++;
      return true;
    });
    ends[b] = s;
    if (before.size) f.blocks[b].insts = f.blocks[b].insts.flatMap((v) => [...(before.get(v) ?? []), v]);
  }
  fillParams(f, pending, getAtEnd);
  return replaced;
}

/** Passes each made parameter its value at the end of each predecessor, in the order the parameters were made (each
 *  block's in the order of its parameter list); `pending` grows while this runs (a value there may need a parameter
 *  of its own). */
function fillParams(
  f: FunctionBody,
  pending: { b: BlockId; key: string; shape: Known }[],
  getAtEnd: (p: BlockId, key: string, shape: Known) => Val,
): void {
  for (let i = 0; i < pending.length; i++) {
    const { b, key, shape } = pending[i];
    for (const p of f.blocks[b].preds) {
      for (const t of targetsOf(f.blocks[p].term)) if (t.block === b) t.args.push(getAtEnd(p, key, shape).value);
    }
  }
}

/** A load of a slot appended to block p, through the split its end state proves in bounds (recorded there). */
function loadAtEnd(f: FunctionBody, end: State, p: BlockId, key: string, shape: Known, inserted: Set<ValueId>): Val {
  const v = end.valid.get(key);
  if (!v || v.w < shape.w) throw new Error(`internal: store-forwarding: block${p} cannot load slot ${key}`);
  const insts = f.blocks[p].insts;
  const addr =
    v.root === CONST_ROOT
      ? constOf(f, insts, { type: "i32", bits: v.c })
      : v.c === 0
        ? v.root
        : emit(f, insts, "i32.add", [v.root, constOf(f, insts, { type: "i32", bits: v.c })], "i32");
  const value = f.addOp({ name: loadName(shape.t, shape.w), memarg: { offset: v.o, align: 0 } }, [addr], [shape.t]);
  insts.push(value);
  inserted.add(value);
  const r: Val = { value, ext: shape.w === SIZE[shape.t] ? "full" : "u" };
  end.known.set(key, { ...shape, value: r.value, ext: r.ext });
  return r;
}

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
    return emit(
      f,
      insts,
      t === "f64"
        ? "f64.reinterpret_i64"
        : t === "f32"
          ? "f32.reinterpret_i32"
          : t === "i64"
            ? "i64.reinterpret_f64"
            : "i32.reinterpret_f32",
      [x],
      t,
    );
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
