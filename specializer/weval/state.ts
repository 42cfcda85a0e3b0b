// The specializer's state model (as weval's state.rs): what is known about a value in a specialized block, a
// block's entry state, the edges recorded between specialized blocks, and the specialized block itself — a
// (context, generic block) copy with the shape of its last processing. specialize.ts moves these through the
// worklist; the invariants are stated where each type is declared.
import type { BlockId, Operator, ValueId } from "../ssa/ir.ts";
import { i64 } from "../ssa/types.ts";
import { absEquals, type AbsVal } from "./abstract.ts";

/** A value in a specialized block: its abstract value and, unless it is a constant, the IR value holding it. */
export interface Known {
  abs: AbsVal;
  out?: ValueId;
}

/** What a block copy is entered with: per generic parameter, and per register or virtual slot (by key; only its
 *  `abs` counts: a join's map is the edge's or the merge's, shared, not copied). States only go down the lattice
 *  (meet), which is what makes the worklist end. A join's entry state is never changed, only replaced. */
export interface EntryState {
  params: AbsVal[];
  regs: Registers;
}

/** An edge between specialized blocks, with the predecessor's exit state; turned into branch arguments only at the
 *  end (`finalize`), when every block's parameter list is final. */
export interface Edge {
  to: SpecBlock;
  args: Known[];
  regs: Registers;
}

/** A specialized block's terminator, its targets as indices into the block's `edges`. */
export type TermTemplate =
  | { kind: "br"; edge: number }
  | { kind: "cond"; cond: ValueId; then: number; else: number }
  | { kind: "table"; index: ValueId; targets: number[]; default: number }
  | { kind: "return"; values: ValueId[] }
  | { kind: "return_call"; op: Operator; args: ValueId[] }
  | { kind: "unreachable" };

/** One (context, generic block) copy that has a block of its own in the output. */
export interface SpecBlock {
  id: BlockId;
  ctx: number;
  orig: BlockId;
  entry: EntryState;
  /** Original parameters (by index) carried as IR parameters: those not constant on entry, in order. */
  paramOrder: number[];
  /** Register indices carried as IR parameters (not constant on entry), in parameter order after paramOrder's. */
  regOrder: number[];
  edges: Edge[];
  term: TermTemplate;
  queued: boolean;
  /** Constants materialized in this block, by type and bits (an i32's number, an i64's bigint, `f32:…`/`f64:…`),
   *  and constant-buffer pointers (`&buffer:offset`). */
  consts?: Map<string | number | bigint, ValueId>;
  /** For every block but the function's entry: the edges into it, by source block id. */
  incoming?: Map<BlockId, Edge[]>;
  /** For a cut block (not a same-context join, not the entry; see `enterCut`): what its last processing assumed. */
  cut?: CutShape;
  /** Counts the block's processings (and invalidations): what `inlinedInto` records of it stand for one of them. */
  round: number;
  /** The copies its last processing continued into (`straightInto`), as flat triples: context, generic block, and
   *  the index in the block's instructions where that copy's begin (for BlockOrigins.copies). */
  copies?: number[];
}

/** The values a cut block was last entered with directly (not as parameters), as its incoming edges brought them:
 *  an edge fits the block as processed when it brings each of them the same. */
export interface CutShape {
  /** False until processed with an incoming edge (and after a processing that found none). */
  valid: boolean;
  /** How many times the block was processed optimistically; past MAX_OPTIMISTIC_ROUNDS it takes parameters for
   *  every value not constant on entry (as weval does at every cut), which only changes when its entry state does. */
  rounds: number;
  /** Per original parameter: the value every incoming edge brought, or undefined (a parameter, or constant). */
  params: (Known | undefined)[];
  /** Per register or virtual slot used directly: the value every incoming edge brought. */
  regs: Map<number, Known>;
}

/** A specialize.value on a run-time value: the block forks at its end, one successor per value. */
export interface Fork {
  value: Known;
  lo: number;
  hi: number;
  result: ValueId;
}

/** The state of one processing while it runs through a block's instructions (and the blocks it continues into):
 *  the values and registers so far, the context its successors start in, and a pending fork. */
export interface BodyState {
  vals: ValueStates;
  regs: Registers;
  next: number;
  fork?: Fork;
  /** The value an original value has in this processing (resolving aliases). */
  get(v: ValueId): Known;
}

/** A generic jump target: a block and its arguments. */
export type Target = { block: BlockId; args: ValueId[] };

/** Processings of a cut block with values used directly before it falls back to parameters for all of them: a
 *  bound that makes the worklist terminate whatever the IR values do (loops settle in two or three). */
export const MAX_OPTIMISTIC_ROUNDS = 6;

/** A value every edge brings as the same constant or constant-buffer pointer needs no block parameter: uses
 *  materialize it (`use`). */
export const needsNoValue = (abs: AbsVal): boolean => abs.kind === "const" || abs.kind === "bufptr";

/** What a register never written reads as. */
export const ZERO: Known = { abs: { kind: "const", value: i64(0n) } };

/** The same value for a block's entry: the same IR value, or (neither has one) the same constant. */
export const sameKnown = (a: Known, b: Known): boolean =>
  a.out !== undefined || b.out !== undefined ? a.out === b.out : absEquals(a.abs, b.abs);

/** The entry state a join starts from: replaced before anything reads it. */
export const joinState = (): EntryState => ({ params: [], regs: new Registers() });

/** Registers in index order: the order of a block's register parameters. */
export const byRegister = (a: number, b: number) => a - b;

/** The known values of one processing by generic value id: a dense array kept across processings and cleared by a
 *  stamp, not a Map per processing (a straight run through a long bytecode function sets thousands of values, and
 *  the Maps' growth and garbage were a fifth of specializing Fern's 10,000-statement function). */
export class ValueStates {
  private readonly known: (Known | undefined)[];
  private readonly stamps: Int32Array;
  private stamp = 1;

  constructor(values: number) {
    this.known = new Array<Known | undefined>(values).fill(undefined);
    this.stamps = new Int32Array(values);
  }

  /** Forget every value (the next processing starts). */
  clear(): void {
    this.stamp++;
  }

  set(v: ValueId, k: Known): void {
    this.known[v] = k;
    this.stamps[v] = this.stamp;
  }

  get(v: ValueId): Known | undefined {
    return this.stamps[v] === this.stamp ? this.known[v] : undefined;
  }
}

/** Register indices kept in a dense array (Fern's 36, the toy's 6); larger ones go with the virtual slots. */
const DENSE_REGISTERS = 1024;
const NO_KEYS: readonly number[] = [];

/**
 * The registers and virtual slots of one program point, by key (virtual-state.ts's keys: a register's index, a
 * virtual slot's negative key). Every processing copies its entry's and every edge keeps one, so this is most of
 * the worklist's memory: registers live in a dense array by index (a copy is one array slice; a Map of Fern's 36
 * registers was ~5 times the bytes and rehashed every entry on copy, and its garbage was a third of specializing
 * Fern's 10,000-statement function), the rest — virtual slots, and registers from DENSE_REGISTERS up — in a Map made
 * only when one is set. Order: `forEach` visits registers by index, then the rest in the order they were set (a
 * Map's); the rest's order is the one that reaches the output (virtual-state.ts stores slots in it), registers'
 * order never does (block parameters are in `keys()` order, sorted).
 */
export class Registers {
  private dense: (Known | undefined)[];
  private count: number;
  private rest: Map<number, Known> | undefined;

  constructor(from?: Registers) {
    this.dense = from ? from.dense.slice() : [];
    this.count = from ? from.count : 0;
    this.rest = from?.rest?.size ? new Map(from.rest) : undefined;
  }

  /** A copy, to change without changing this one. */
  copy(): Registers {
    return new Registers(this);
  }

  get size(): number {
    return this.count + (this.rest?.size ?? 0);
  }

  get(k: number): Known | undefined {
    return k >= 0 && k < DENSE_REGISTERS ? this.dense[k] : this.rest?.get(k);
  }

  has(k: number): boolean {
    return this.get(k) !== undefined;
  }

  set(k: number, v: Known): void {
    if (k >= 0 && k < DENSE_REGISTERS) {
      if (this.dense[k] === undefined) this.count++;
      this.dense[k] = v;
    } else (this.rest ??= new Map()).set(k, v);
  }

  delete(k: number): boolean {
    if (k >= 0 && k < DENSE_REGISTERS) {
      if (this.dense[k] === undefined) return false;
      this.dense[k] = undefined;
      this.count--;
      return true;
    }
    return this.rest?.delete(k) ?? false;
  }

  /** Every entry: registers by index, then the rest in the order they were set. `fn` may set or delete the entry
   *  it is given. */
  forEach(fn: (v: Known, k: number) => void): void {
    const { dense } = this;
    for (let k = 0; k < dense.length; k++) {
      const v = dense[k];
      if (v !== undefined) fn(v, k);
    }
    this.rest?.forEach(fn);
  }

  /** The keys in ascending order (byRegister): virtual slots, then registers. */
  keys(): number[] {
    const keys: number[] = [];
    const rest = this.rest ? [...this.rest.keys()].sort(byRegister) : [];
    let i = 0;
    while (i < rest.length && rest[i] < 0) keys.push(rest[i++]);
    for (let k = 0; k < this.dense.length; k++) if (this.dense[k] !== undefined) keys.push(k);
    while (i < rest.length) keys.push(rest[i++]);
    return keys;
  }

  /** `fn` of every key in ascending order (keys()'s order), without the list. */
  forEachKey(fn: (k: number) => void): void {
    const rest = this.rest ? [...this.rest.keys()].sort(byRegister) : NO_KEYS;
    let i = 0;
    while (i < rest.length && rest[i] < 0) fn(rest[i++]);
    for (let k = 0; k < this.dense.length; k++) if (this.dense[k] !== undefined) fn(k);
    while (i < rest.length) fn(rest[i++]);
  }

  /** Whether `other` has the same keys. */
  sameKeys(other: Registers): boolean {
    if (other === this) return true;
    if (other.size !== this.size) return false;
    const n = Math.max(this.dense.length, other.dense.length);
    for (let k = 0; k < n; k++) if ((this.dense[k] === undefined) !== (other.dense[k] === undefined)) return false;
    if (this.rest) for (const k of this.rest.keys()) if (!other.rest?.has(k)) return false;
    return true;
  }

  /** This state with the virtual slots and large registers in key order: itself when they already are. */
  sorted(): Registers {
    if (!this.rest) return this;
    let last = -Infinity;
    for (const k of this.rest.keys()) {
      if (k < last) {
        const copy = new Registers(this);
        copy.rest = new Map([...this.rest].sort((a, b) => byRegister(a[0], b[0])));
        return copy;
      }
      last = k;
    }
    return this;
  }

  /** The keys of the virtual slots (and of registers from DENSE_REGISTERS up), in the order they were set. */
  restKeys(): Iterable<number> {
    return this.rest?.keys() ?? NO_KEYS;
  }

  /** The virtual slots (with any register from DENSE_REGISTERS up), for virtual-state.ts's helpers, which may
   *  change the map: made when there is none. */
  slots(): Map<number, Known> {
    return (this.rest ??= new Map());
  }
}
