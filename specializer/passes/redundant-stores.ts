// Pass: redundant-store elimination — a store of a constant into bytes that already hold that constant on every path
// goes. An interpreter whose registers live in linear memory writes each register's type tag with every value (Lua's
// `setfltvalue`: the 8-byte value, then the tag byte); in a loop the tag never changes, yet every iteration stores it
// again (Lua's mandelbrot.lua: 24 stores and 3 loads per iteration of its inner loop after store forwarding).
//   before:  block1: i32.store8 offset=8 v1, (const 19) ; br block2   block2: ... i32.store8 offset=8 v1, (const 19)
//   after:   block1: i32.store8 offset=8 v1, (const 19) ; br block2   block2: ...   (the bytes hold 19 already)
// The analysis is store-forwarding.ts's, restricted to constants: memory slots keyed by (root, d) (the address with
// `i32.add x, const` chains stripped, d = constants + memarg offset, modulo 2^32), a forward must-analysis solved to
// the greatest fixpoint (loops included): a slot holds a constant at a block's entry when every predecessor's exit
// says so and its root strictly dominates the block (a root computed afresh in a loop keys a new slot each time). A
// store kills the overlapping slots of its root and every slot of other roots but those a guard proves apart
// (./guard-facts.ts); a store of a constant then records it, and so does a branch on an equality of a load with a
// constant, on its edge where they are equal (a type-tag check: the store of the tag just checked goes). Calls (but
// direct calls of functions that never write memory), call_indirect and memory.fill/copy/init clear everything.
// Removing a store of the value its bytes hold changes no memory, so every removal stays valid after the others; the
// store removed cannot trap, as an access through a split at most as wide in offset (memarg offset <= the recorded
// one: the same effective address) already succeeded there and memory never shrinks.
// Requires: valid SSA. Guarantees: valid SSA, the same memory, results and traps.
import { DominatorTree } from "../ssa/dominators.ts";
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { OPS_BY_NAME } from "../ssa/wasm-ops.ts";
import { guardFacts, guardSeparates, type GuardFact } from "./guard-facts.ts";
import { addressOf, killsAll, type CallWrites } from "./store-forwarding.ts";
import { CONST_ROOT, overlaps } from "./store-forwarding-state.ts";

const TWO32 = 4294967296;
/** Fixpoint iterations before giving up (the lattice only shrinks; this is a guard). */
const MAX_ITERATIONS = 50;

/** A slot's constant: its width, its low w bytes (as a bigint) and the memarg offset of the access that set it. */
interface Held {
  /** key(root, d), made once per store or fact (the states are keyed by it). */
  k: string;
  root: number;
  d: number;
  w: number;
  bytes: bigint;
  o: number;
}
/** What a block's instructions hold at a point: slot key -> constant. */
type State = Map<string, Held>;

/** A store: its slot, width, memarg offset and the constant it stores (undefined: not a constant). */
interface Store {
  /** key(root, d) when it stores a constant (only those are looked up); "" otherwise. */
  k: string;
  root: number;
  d: number;
  w: number;
  o: number;
  bytes?: bigint;
}

/** Returns the number of stores removed. */
export function removeRedundantStores(f: FunctionBody, order: BlockId[], callWrites?: CallWrites): number {
  const dom = new DominatorTree(f, order);
  const defBlock = new Map<ValueId, BlockId>();
  for (const b of order) {
    for (const p of f.blocks[b].params) defBlock.set(p, b);
    for (const v of f.blocks[b].insts) defBlock.set(v, b);
  }
  const memo = new Map<ValueId, { root: number; c: number }>();
  const addr = (v: ValueId) => addressOf(f, v, memo);
  const guards = guardFacts(f, order, dom, addr);
  const rootOk = (root: number, b: BlockId): boolean => {
    if (root === CONST_ROOT) return true;
    const d = defBlock.get(root);
    return d !== undefined && dom.strictlyDominates(d, b);
  };
  // Each instruction's effect on memory, found once: the branches' facts, every round of the fixpoint and the
  // removal read it.
  const { effects, seen } = scanEffects(f, order, addr, callWrites);
  const effect = (v: ValueId): Store | "kills" | undefined => effects.get(v);
  const facts = edgeFacts(f, order, addr, effect);
  // Only a slot that a constant store shares with another one, or with a branch's fact, can lose a store: the
  // others are not tracked (most functions have none, and then the pass ends here).
  for (const h of facts.values()) seen.set(h.k, (seen.get(h.k) ?? 0) + 1);
  const tracked = new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
  if (tracked.size === 0) return 0;
  const outs = new Map<BlockId, State>();
  const edgeOut = (p: BlockId, b: BlockId): State[] => {
    const out = outs.get(p);
    const fact = facts.get(edgeKey(p, b, f.blocks.length));
    if (!out || !fact || !tracked.has(fact.k)) return out ? [out] : [];
    const s: State = new Map(out); // a compare writes nothing: what else the state says stays true
    s.set(fact.k, fact);
    return [s];
  };
  const entryState = (b: BlockId): State => {
    const ins = b === f.entry ? [] : f.blocks[b].preds.flatMap((p) => edgeOut(p, b));
    return meet(ins, (h) => rootOk(h.root, b));
  };
  // Round-robin sweeps in reverse postorder, but a block none of whose predecessors' exits changed since it last ran
  // is skipped: it would compute the exit it has (its entry is made from those exits alone). The same sweeps and
  // states as visiting every block.
  const dirty = new Uint8Array(f.blocks.length);
  for (const b of order) dirty[b] = 1;
  let converged = false;
  for (let it = 0; it < MAX_ITERATIONS && !converged; it++) {
    converged = true;
    for (const b of order) {
      if (!dirty[b]) continue;
      dirty[b] = 0;
      const s = entryState(b);
      for (const v of f.blocks[b].insts) apply(s, effect(v), guards[b], tracked);
      if (!sameState(outs.get(b), s)) {
        outs.set(b, s);
        converged = false;
        for (const x of f.blocks[b].succs) dirty[x] = 1;
      }
    }
  }
  if (!converged) return 0;
  let removed = 0;
  for (const b of order) {
    const s = entryState(b);
    const keep: ValueId[] = [];
    for (const v of f.blocks[b].insts) {
      const e = effect(v);
      if (e !== undefined && e !== "kills" && e.bytes !== undefined) {
        const h = s.get(e.k);
        if (h && h.w === e.w && h.bytes === e.bytes && e.o <= h.o) {
          removed++;
          continue;
        }
      }
      apply(s, e, guards[b], tracked);
      keep.push(v);
    }
    f.blocks[b].insts = keep;
  }
  return removed;
}

const key = (root: number, d: number): string => `${root}@${d}`;

/** The instructions that have an effect on memory, with it (effectOf), and how many constant stores go to each slot. */
function scanEffects(
  f: FunctionBody,
  order: BlockId[],
  addr: (v: ValueId) => { root: number; c: number },
  callWrites?: CallWrites,
): { effects: Map<ValueId, Store | "kills">; seen: Map<string, number> } {
  const effects = new Map<ValueId, Store | "kills">();
  const seen = new Map<string, number>();
  for (const b of order)
    for (const v of f.blocks[b].insts) {
      const e = effectOf(f, v, addr, callWrites);
      if (e === undefined) continue;
      effects.set(v, e);
      if (e !== "kills" && e.bytes !== undefined) seen.set(e.k, (seen.get(e.k) ?? 0) + 1);
    }
  return { effects, seen };
}
/** The edge from -> to of a function of n blocks, as a number (no string per predecessor per entry state). */
const edgeKey = (from: BlockId, to: BlockId, n: number): number => from * n + to;

/** What the branches say about memory, per edge: on the edge a compare of a loaded integer with a constant takes only
 *  when they are equal (`br_if` out when a tag is not 2: the fall-through knows the tag is 2), the loaded bytes hold
 *  the constant — when the load is in the branching block with no store or call after it there. Lets a store of the
 *  tag just checked go (Fern's `b[3] -= …` checks b[3]'s float tag, then writes it again). */
function edgeFacts(
  f: FunctionBody,
  order: BlockId[],
  addr: (v: ValueId) => { root: number; c: number },
  effect: (v: ValueId) => Store | "kills" | undefined,
): Map<number, Held> {
  const facts = new Map<number, Held>();
  for (const p of order) {
    const t = f.blocks[p].term;
    if (t.kind !== "cond" || t.then.block === t.else.block) continue;
    const compare = comparedLoad(f, t.cond);
    if (!compare) continue;
    const insts = f.blocks[p].insts;
    const at = insts.indexOf(compare.load);
    if (at < 0 || insts.slice(at + 1).some((v) => effect(v) !== undefined)) continue;
    const d = f.values[compare.load] as Extract<(typeof f.values)[number], { kind: "op" }>;
    const w = OPS_BY_NAME.get(d.op.name)!.bytes!;
    if (compare.k >= 1n << BigInt(8 * w)) continue; // the bytes cannot hold it: the edge is never taken
    const a = addr(f.resolve(d.args[0]));
    const o = d.op.memarg!.offset;
    const dd = (a.c + o) % TWO32;
    const held = { k: key(a.root, dd), root: a.root, d: dd, w, bytes: compare.k, o };
    facts.set(edgeKey(p, compare.equalOnThen ? t.then.block : t.else.block, f.blocks.length), held);
  }
  return facts;
}

/** `cond` compares an unsigned integer load with a constant for equality (eq, ne, eqz): the load, the constant as
 *  the load's unsigned value, and on which edge they are equal. */
function comparedLoad(f: FunctionBody, cond: ValueId): { load: ValueId; k: bigint; equalOnThen: boolean } | undefined {
  const c = f.values[f.resolve(cond)];
  if (c.kind !== "op") return undefined;
  const name = c.op.name;
  const eqz = name === "i32.eqz" || name === "i64.eqz";
  if (!eqz && !/^i(32|64)\.(eq|ne)$/.test(name)) return undefined;
  const args = c.args.map((a) => f.resolve(a));
  const pairs: [ValueId, ValueId | undefined][] = eqz
    ? [[args[0], undefined]]
    : [
        [args[0], args[1]],
        [args[1], args[0]],
      ];
  for (const [x, y] of pairs) {
    const k = y === undefined ? 0n : constBytes(f, y, name.startsWith("i32") ? 4 : 8);
    const d = f.values[x];
    if (k === undefined || d.kind !== "op" || !d.op.memarg) continue;
    const info = OPS_BY_NAME.get(d.op.name);
    if (info?.cls !== "load" || info.signed || !/^i(32|64)\./.test(d.op.name) || info.bytes === undefined) continue;
    return { load: x, k, equalOnThen: name.endsWith(".eq") || eqz };
  }
  return undefined;
}

/** The meet of predecessor states: the slots every one holds with one constant (o: the smallest), whose root `ok`. */
function meet(ins: State[], ok: (h: Held) => boolean): State {
  const s: State = new Map();
  if (ins.length === 0) return s;
  for (const [k, h] of ins[0]) {
    if (!ok(h)) continue;
    let o = h.o;
    let all = true;
    for (let i = 1; i < ins.length && all; i++) {
      const g = ins[i].get(k);
      if (!g || g.w !== h.w || g.bytes !== h.bytes) all = false;
      else o = Math.min(o, g.o);
    }
    if (all) s.set(k, { ...h, o });
  }
  return s;
}

function sameState(a: State | undefined, b: State): boolean {
  if (!a || a.size !== b.size) return false;
  for (const [k, h] of b) {
    const g = a.get(k);
    if (!g || g.w !== h.w || g.bytes !== h.bytes || g.o !== h.o) return false;
  }
  return true;
}

/** One instruction's effect on s (in place); a constant is recorded only for a `tracked` slot. */
function apply(
  s: State,
  e: Store | "kills" | undefined,
  facts: readonly GuardFact[] | undefined,
  tracked: ReadonlySet<string>,
): void {
  if (e === undefined) return;
  if (e === "kills") {
    s.clear();
    return;
  }
  for (const [k, h] of s) {
    const hit =
      h.root === e.root
        ? overlaps(h.d, h.w, e.d, e.w)
        : !facts?.length || !guardSeparates(facts, e.root, e.d, e.w, h.root, h.d, h.w);
    if (hit) s.delete(k);
  }
  const k = e.k;
  if (e.bytes !== undefined && tracked.has(k)) s.set(k, { k, root: e.root, d: e.d, w: e.w, bytes: e.bytes, o: e.o });
}

/** What instruction v does to memory: a store, "kills" (may write anything), or nothing (undefined). */
function effectOf(
  f: FunctionBody,
  v: ValueId,
  addr: (v: ValueId) => { root: number; c: number },
  callWrites?: CallWrites,
): Store | "kills" | undefined {
  const d = f.values[v];
  if (d.kind !== "op") return undefined;
  const info = d.op.memarg ? OPS_BY_NAME.get(d.op.name) : undefined;
  if (info?.cls === "store" && info.bytes !== undefined) {
    const a = addr(f.resolve(d.args[0]));
    const o = d.op.memarg!.offset;
    const dd = (a.c + o) % TWO32;
    const bytes = constBytes(f, d.args[1], info.bytes);
    return { k: bytes === undefined ? "" : key(a.root, dd), root: a.root, d: dd, w: info.bytes, o, bytes };
  }
  return killsAll(d.op, callWrites) ? "kills" : undefined;
}

/** The low w bytes of v when it is a constant (floats by their bits). */
function constBytes(f: FunctionBody, v: ValueId, w: number): bigint | undefined {
  const d = f.values[f.resolve(v)];
  if (d.kind !== "op" || d.op.name !== "const" || !d.op.value) return undefined;
  return BigInt.asUintN(w * 8, BigInt(d.op.value.bits));
}
