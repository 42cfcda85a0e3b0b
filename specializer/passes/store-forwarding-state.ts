// The lattice store forwarding (./store-forwarding.ts) solves, in dense form: memory slots interned to small
// integers, the block being transferred held in typed arrays indexed by slot, and each block's exit state packed
// into one Float64Array — no string key and no object per slot, block and iteration (the string-keyed maps of its
// first version spent most of the pass in its join and the garbage collector).
// Invariants: a slot is a (root, d) pair interned once per round; entries are unordered (no result depends on the
// order of a state's slots); the join and the comparison are exactly the map-based ones (see their comments).
import type { DominatorTree } from "../ssa/dominators.ts";
import type { ValType } from "../ssa/types.ts";

export const CONST_ROOT = -1;
const TWO32 = 4294967296;

/** Value types by code (a state holds the code). */
export const TYPES: readonly ValType[] = ["i32", "i64", "f32", "f64"];
export const TYPE_CODE: Record<ValType, number> = { i32: 0, i64: 1, f32: 2, f64: 3 };
/** How the value's bits above w bytes look (see Known in ./store-forwarding.ts), by code; 0: no value yet. */
export type Ext = "u" | "s" | "raw" | "full";
export const EXTS: readonly (Ext | undefined)[] = [undefined, "u", "s", "raw", "full"];
export const EXT_CODE: Record<Ext, number> = { u: 1, s: 2, raw: 3, full: 4 };

/** A value type's width in bytes. */
export const SIZE: Record<ValType, number> = { i32: 4, i64: 8, f32: 4, f64: 8 };
/** The integer type code of a full-width value of 4 or 8 bytes. */
const INT_OF_WIDTH: Record<number, number> = { 4: 0, 8: 1 };
const SIZE_OF_CODE = TYPES.map((t) => SIZE[t]);

/** Whether slots of width w known as type codes t and u hold the same bits in either: both types fill the w bytes
 *  (an i64 and an f64 of 8 bytes; an i32 and an f32 of 4), so one is the other reinterpreted. A join of the two
 *  keeps the slot as the integer type (the float predecessor's value reinterpreted: ./store-forwarding.ts). */
export function sameBits(w: number, t: number, u: number): boolean {
  return SIZE_OF_CODE[t] === w && SIZE_OF_CODE[u] === w;
}

/** Byte ranges [a, a+wa) and [b, b+wb) modulo 2^32 overlap. */
export function overlaps(a: number, wa: number, b: number, wb: number): boolean {
  return (b - a + TWO32) % TWO32 < wa || (a - b + TWO32) % TWO32 < wb;
}

/** The round's memory slots: (root, d) ↔ a dense id, and the block defining each root (-2: a constant address;
 *  -1: none). */
export class Slots {
  readonly root: number[] = [];
  readonly d: number[] = [];
  readonly def: number[] = [];
  private readonly byRoot = new Map<number, Map<number, number>>();

  constructor(private readonly defBlock: Int32Array) {}

  intern(root: number, d: number): number {
    let m = this.byRoot.get(root);
    if (!m) this.byRoot.set(root, (m = new Map()));
    let s = m.get(d);
    if (s === undefined) {
      s = this.root.push(root) - 1;
      this.d.push(d);
      this.def.push(root === CONST_ROOT ? -2 : (this.defBlock[root] ?? -1));
      m.set(d, s);
    }
    return s;
  }

  name(s: number): string {
    return `${this.root[s]}@${this.d[s]}`;
  }
}

/** The largest arena kept between passes (32 MB), and the one kept. A pass only reads what it packed itself. */
const SPARE_MAX_FLOATS = 1 << 22;
let spareArena: Float64Array | undefined;
const takeSpare = (): Float64Array | undefined => {
  const a = spareArena;
  spareArena = undefined;
  return a;
};

/** A block's state packed at this offset of the Work's arena: [nk, nv, then per known slot (id, w, t, o), then per
 *  valid slot (id, w, c, o)]. Packed states are never changed (a changed state is packed again, further on). */
export type Packed = number;

const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, n: number): T => {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
};

/** The state of the block being transferred (or joined), dense by slot; `mark === gen` says a slot is present. */
export class Work {
  private cap = 0;
  kMark = new Int32Array(0);
  kGen = 1;
  kList = new Int32Array(0);
  kN = 0;
  kW = new Uint8Array(0);
  kT = new Uint8Array(0);
  kO = new Float64Array(0);
  /** The value holding the slot's bytes (-1: none yet) and its Ext code: the rewrite's. */
  kVal = new Int32Array(0);
  kExt = new Uint8Array(0);
  vMark = new Int32Array(0);
  vGen = 1;
  vList = new Int32Array(0);
  vN = 0;
  vW = new Uint8Array(0);
  vC = new Float64Array(0);
  vO = new Float64Array(0);
  /** The join's scratch: predecessors counted per slot, and a stamp per predecessor. */
  private cnt = new Int32Array(0);
  private seen = new Int32Array(0);
  private seenGen = 1;
  /** A valid slot's position in the predecessor joinLacking looks at. */
  private pos = new Int32Array(0);
  private pending = new Int32Array(0);
  /** The packed states, one after another (one allocation for all: a typed array per state cost more than the
   *  rest of the fixpoint); the last pass's, when it left one (see release). */
  arena = takeSpare() ?? new Float64Array(1024);
  private top = 0;
  slots = new Slots(new Int32Array(0));
  private dom: DominatorTree | undefined;

  /** The pass is done: its arena is kept for the next one (up to SPARE_MAX_FLOATS), which would grow its own from
   *  1,024 entries again — a function's states are ~1,000 entries per block (Lua's 300-line script: 3.5M for its
   *  3,047-block main chunk), and the doublings and their copies were ~3% of the pass. */
  release(): void {
    if (this.arena.length <= SPARE_MAX_FLOATS) spareArena = this.arena;
    this.arena = new Float64Array(0);
  }

  /** A round starts: its slots and dominator tree; the arena is emptied (its room kept). */
  begin(slots: Slots, dom: DominatorTree): void {
    this.slots = slots;
    this.dom = dom;
    this.top = 0;
  }

  /** May slot s be known at block b's entry: its root is a constant or strictly dominates b (a value computed
   *  afresh on each iteration never keys a stale slot). */
  private rootOk(s: number, b: number): boolean {
    const d = this.slots.def[s];
    return d === -2 || (d >= 0 && this.dom!.strictlyDominates(d, b));
  }

  /** Room for every slot interned so far. */
  fit(): void {
    const n = this.slots.root.length;
    if (n <= this.cap) return;
    const c = Math.max(n, this.cap * 2, 64);
    for (const k of ["kMark", "kList", "kW", "kT", "kO", "kVal", "kExt", "vMark", "vList", "vW", "vC", "vO"] as const)
      (this as unknown as Record<string, Int32Array>)[k] = grow(this[k] as Int32Array, c);
    this.cnt = grow(this.cnt, c);
    this.seen = grow(this.seen, c);
    this.pending = grow(this.pending, c);
    this.pos = grow(this.pos, c);
    this.cap = c;
  }

  clear(): void {
    this.clearKnown();
    this.vGen++;
    this.vN = 0;
  }

  /** Known slots go: a new generation (by two: `kGen + 1` marks a slot the join excluded). */
  clearKnown(): void {
    this.kGen += 2;
    this.kN = 0;
  }

  hasKnown(s: number): boolean {
    return this.kMark[s] === this.kGen;
  }

  setKnown(s: number, w: number, t: number, o: number, val: number, ext: number): void {
    if (s >= this.cap) this.fit();
    if (this.kMark[s] !== this.kGen) {
      this.kMark[s] = this.kGen;
      this.kList[this.kN++] = s;
    }
    this.kW[s] = w;
    this.kT[s] = t;
    this.kO[s] = o;
    this.kVal[s] = val;
    this.kExt[s] = ext;
  }

  hasValid(s: number): boolean {
    return this.vMark[s] === this.vGen;
  }

  setValid(s: number, w: number, c: number, o: number): void {
    if (s >= this.cap) this.fit();
    if (this.vMark[s] !== this.vGen) {
      this.vMark[s] = this.vGen;
      this.vList[this.vN++] = s;
    }
    this.vW[s] = w;
    this.vC[s] = c;
    this.vO[s] = o;
  }

  /** A store's effect: the slots of its root whose bytes may overlap (d, w) and every other root's slots go, but those
   *  `apart` proves untouched (a guard fact, ./guard-facts.ts). */
  killForStore(root: number, d: number, w: number, apart?: (slot: number) => boolean): void {
    const { kList, kMark, slots } = this;
    let n = 0;
    for (let i = 0; i < this.kN; i++) {
      const s = kList[i];
      if (slots.root[s] === root ? overlaps(slots.d[s], this.kW[s], d, w) : !apart?.(s)) kMark[s] = 0;
      else kList[n++] = s;
    }
    this.kN = n;
  }

  pack(): Packed {
    const nk = this.kN;
    const nv = this.vN;
    const at = this.top;
    this.top += 2 + 4 * nk + 4 * nv;
    if (this.top > this.arena.length) this.arena = grow(this.arena, Math.max(this.top, this.arena.length * 2));
    const p = this.arena;
    p[at] = nk;
    p[at + 1] = nv;
    let j = at + 2;
    for (let i = 0; i < nk; i++, j += 4) {
      const s = this.kList[i];
      p[j] = s;
      p[j + 1] = this.kW[s];
      p[j + 2] = this.kT[s];
      p[j + 3] = this.kO[s];
    }
    for (let i = 0; i < nv; i++, j += 4) {
      const s = this.vList[i];
      p[j] = s;
      p[j + 1] = this.vW[s];
      p[j + 2] = this.vC[s];
      p[j + 3] = this.vO[s];
    }
    return at;
  }

  /** The map-based sameState: the same known slots with the same (w, t, o), the same valid ones with (w, o, c). */
  equals(at: Packed): boolean {
    const p = this.arena;
    const nk = p[at];
    const nv = p[at + 1];
    if (nk !== this.kN || nv !== this.vN) return false;
    let j = at + 2;
    for (let i = 0; i < nk; i++, j += 4) {
      const s = p[j];
      if (this.kMark[s] !== this.kGen || this.kW[s] !== p[j + 1] || this.kT[s] !== p[j + 2] || this.kO[s] !== p[j + 3])
        return false;
    }
    for (let i = 0; i < nv; i++, j += 4) {
      const s = p[j];
      if (this.vMark[s] !== this.vGen || this.vW[s] !== p[j + 1] || this.vC[s] !== p[j + 2] || this.vO[s] !== p[j + 3])
        return false;
    }
    return true;
  }

  /** The join of one predecessor's exit state when the work still holds it (the block transferred last): the same
   *  as join([it], b) — its slots whose roots may be known at b — without copying it. */
  narrow(b: number): void {
    const { vList, vMark, kList, kMark } = this;
    let n = 0;
    for (let i = 0; i < this.vN; i++) {
      const s = vList[i];
      if (this.rootOk(s, b)) vList[n++] = s;
      else vMark[s] = 0;
    }
    this.vN = n;
    n = 0;
    for (let i = 0; i < this.kN; i++) {
      const s = kList[i];
      if (!this.rootOk(s, b)) kMark[s] = 0;
      else {
        kList[n++] = s;
        this.kVal[s] = -1;
        this.kExt[s] = 0;
      }
    }
    this.kN = n;
  }

  /** The state at a block's entry from its predecessors' exits `ins` (in predecessor order, those computed so far;
   *  none at the entry): valid where every one has it, known where joinKnown says. Values are none. */
  join(ins: Packed[], b: number): void {
    this.clear();
    if (ins.length === 0) return;
    this.joinValid(ins, b);
    this.joinKnown(ins, b);
  }

  /** Valid slots: in every predecessor; from the first, each next one taking the split with the smaller offset
   *  (ties: the earlier) and the smaller width — the map-based `{ ...(w.o < v.o ? w : v), w: min }`. */
  private joinValid(ins: Packed[], b: number): void {
    const { cnt, vW, vC, vO, vMark } = this;
    const m = ins.length;
    const gen = this.vGen;
    const p = this.arena;
    const p0 = ins[0];
    for (let i = 0, j = p0 + 2 + 4 * p[p0]; i < p[p0 + 1]; i++, j += 4) {
      const s = p[j];
      if (!this.rootOk(s, b)) continue;
      vMark[s] = gen;
      cnt[s] = 1;
      vW[s] = p[j + 1];
      vC[s] = p[j + 2];
      vO[s] = p[j + 3];
    }
    for (let q = 1; q < m; q++) {
      const at = ins[q];
      for (let i = 0, j = at + 2 + 4 * p[at]; i < p[at + 1]; i++, j += 4) {
        const s = p[j];
        if (vMark[s] !== gen || cnt[s] !== q) continue;
        cnt[s] = q + 1;
        if (p[j + 3] < vO[s]) {
          vC[s] = p[j + 2];
          vO[s] = p[j + 3];
        }
        if (p[j + 1] < vW[s]) vW[s] = p[j + 1];
      }
    }
    for (let i = 0, j = p0 + 2 + 4 * p[p0]; i < p[p0 + 1]; i++, j += 4) {
      const s = p[j];
      if (vMark[s] !== gen) continue;
      if (cnt[s] === m) this.vList[this.vN++] = s;
      else vMark[s] = 0;
    }
  }

  /** Known slots: every predecessor that knows the slot knows it with one (w, t) (o: the smallest), its root is
   *  allowed, and every predecessor that does not know it has it valid at least as wide (o: the smallest again). */
  private joinKnown(ins: Packed[], b: number): void {
    const { cnt, kW, kT, kO, kMark, pending } = this;
    const gen = this.kGen;
    const bad = gen + 1; // "seen, excluded": never a live generation
    let n = 0;
    const p = this.arena;
    for (const at of ins) {
      for (let i = 0, j = at + 2; i < p[at]; i++, j += 4) {
        const s = p[j];
        if (kMark[s] !== gen && kMark[s] !== bad) {
          kMark[s] = gen;
          pending[n++] = s;
          cnt[s] = 1;
          kW[s] = p[j + 1];
          kT[s] = p[j + 2];
          kO[s] = p[j + 3];
        } else {
          cnt[s]++;
          if (kMark[s] === gen && p[j + 1] === kW[s] && (p[j + 2] === kT[s] || sameBits(kW[s], kT[s], p[j + 2]))) {
            if (p[j + 3] < kO[s]) kO[s] = p[j + 3];
            if (p[j + 2] !== kT[s]) kT[s] = INT_OF_WIDTH[kW[s]];
          } else kMark[s] = bad;
        }
      }
    }
    let partial = false;
    for (let i = 0; i < n; i++) {
      const s = pending[i];
      if (kMark[s] === gen && !this.rootOk(s, b)) kMark[s] = bad;
      if (kMark[s] === gen && cnt[s] < ins.length) partial = true;
    }
    if (partial) for (const at of ins) this.joinLacking(at, n);
    for (let i = 0; i < n; i++) {
      const s = pending[i];
      if (kMark[s] !== gen) kMark[s] = 0;
      else {
        this.kList[this.kN++] = s;
        this.kVal[s] = -1;
        this.kExt[s] = 0;
      }
    }
  }

  /** For the candidates a predecessor `p` does not know: it must have them valid at least as wide (o: min). */
  private joinLacking(at: Packed, n: number): void {
    const { seen, pos, kMark, kW, kO, pending } = this;
    const p = this.arena;
    const gen = this.kGen;
    const known = ++this.seenGen;
    const valid = ++this.seenGen;
    for (let i = 0, j = at + 2; i < p[at]; i++, j += 4) seen[p[j]] = known;
    for (let i = 0, j = at + 2 + 4 * p[at]; i < p[at + 1]; i++, j += 4) {
      const s = p[j];
      if (seen[s] !== known) {
        seen[s] = valid;
        pos[s] = j;
      }
    }
    for (let i = 0; i < n; i++) {
      const s = pending[i];
      if (kMark[s] !== gen || seen[s] === known) continue;
      const j = seen[s] === valid ? pos[s] : -1;
      if (j < 0 || p[j + 1] < kW[s]) kMark[s] = gen + 1;
      else if (p[j + 3] < kO[s]) kO[s] = p[j + 3];
    }
  }

  /** Whether packed state p knows slot s (the rewrite asks rarely: a scan). */
  knows(p: Packed | undefined, s: number): boolean {
    if (p === undefined) return false;
    const a = this.arena;
    for (let i = 0, j = p + 2; i < a[p]; i++, j += 4) if (a[j] === s) return true;
    return false;
  }

  /** Packed state p's valid entry for slot s: its index in the arena, or -1. */
  validAt(p: Packed, s: number): number {
    const a = this.arena;
    for (let i = 0, j = p + 2 + 4 * a[p]; i < a[p + 1]; i++, j += 4) if (a[j] === s) return j;
    return -1;
  }
}
