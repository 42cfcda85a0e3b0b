// The specializer's state model (as weval's state.rs): what is known about a value in a specialized block, a
// block's entry state, the edges recorded between specialized blocks, and the specialized block itself — a
// (context, generic block) copy with the shape of its last processing. specialize.ts moves these through the
// worklist; the invariants are stated where each type is declared.
import type { BlockId, ValueId } from "../ssa/ir.ts";
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
  regs: Map<number, Known>;
}

/** An edge between specialized blocks, with the predecessor's exit state; turned into branch arguments only at the
 *  end (`finalize`), when every block's parameter list is final. */
export interface Edge {
  to: SpecBlock;
  args: Known[];
  regs: Map<number, Known>;
}

/** A specialized block's terminator, its targets as indices into the block's `edges`. */
export type TermTemplate =
  | { kind: "br"; edge: number }
  | { kind: "cond"; cond: ValueId; then: number; else: number }
  | { kind: "table"; index: ValueId; targets: number[]; default: number }
  | { kind: "return"; values: ValueId[] }
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
  /** Constants materialized in this block, by type and bits. */
  consts?: Map<string, ValueId>;
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
  regs: Map<number, Known>;
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
export const joinState = (): EntryState => ({ params: [], regs: new Map() });

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
