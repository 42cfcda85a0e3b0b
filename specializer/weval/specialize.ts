// The weval transform: copy a generic interpreter function once per (context, block), folding what the constant
// bytecode makes constant. Requires max-SSA input (ssa/max-ssa.ts: a block uses only its own parameters and
// instructions); produces a verified SSA function with the generic one's signature.
//
// State. Each specialized block S = (context, original block) has an entry state: an abstract value (abstract.ts)
// per original parameter and per weval register (read.reg/write.reg, lifted to SSA values and carried as block
// parameters; a register never written reads as zero), and per virtual stack entry and local (push/pop/read/
// write/sync.stack, read/write.local; virtual-state.ts: kept in the same map, stored to memory where a join drops
// them, at sync.stack and on return). States only move down the lattice (meet), so the
// worklist terminates: when a new edge lowers S's entry state, or brings a register S had not seen, S is
// re-processed from scratch. Edges are recorded with the predecessor's exit state and turned into branch
// arguments only at the end, when every block's parameter list is final. A value constant on entry, or a pointer
// into a constant buffer, gets no IR parameter (uses materialize it). Joins within one context (see
// regions.ts) are entered from their recorded incoming edges: parameters only for the values that differ
// between them; the worklist runs in (context, block order) so those edges are known when a join is processed, and
// a join is processed again whenever one of them changes. The other blocks ("cuts": loop headers, blocks after a
// context change) are entered the same way from the edges known so far, optimistically (`enterCut`), and processed
// again when a later edge does not bring a value they used directly.
//
// Straight lines. When a block's terminator is (or folds to) one jump, and the target's copy is entered from this
// processing alone, the copy continues in the same IR block instead of becoming a specialized block of its own
// (`straightInto`): a case of the dispatch after its constant-folded br_table, the join after it, the next
// instruction's dispatch in the next context. One bytecode instruction then costs about one block copy's work, not
// three blocks for cleanup to merge. A same-context join that a block still queued in that context may also reach
// (the other arm of an opcode's branch) is not run into (`queuedReaches`): it would be undone and done again.
//
// Contexts (contexts.ts) change at push/update/pop.context and take effect at the block's successors; a pc is a
// constant or a pointer into a constant buffer; one that is neither aborts the request naming the function and
// location (and, when paths joined or a select chose it, the loop shape that works). specialize.value on a run-time value (which
// split-at-intrinsic.ts has made the last instruction of its block) forks: one successor per value, each in its
// own context with the value constant, behind a br_table; out-of-range values take the unforked path. Constant
// branches and br_tables become jumps, numeric operators on constants fold (ssa/fold.ts), loads through a
// constant-buffer pointer read the request's bytes, everything else is copied. Limits on contexts, blocks and values abort the request with a reason.
//
// Steps (weval's eval.rs names in parentheses): `processBody` (evaluate_block_body) enters a block (`enter`), runs
// `evaluateInstruction` over it — `evaluateIntrinsic` (abstract_eval_intrinsic) for weval's calls, `operator`
// (operators.ts) for the rest — continues `straightInto` the next copy, and ends with `fork` or `terminator`
// (evaluate_term), which fold constant branches through the one `foldedTarget`. The state types are state.ts's,
// the joins and regions regions.ts's.
import {
  declareAliasClass,
  FunctionBody,
  targetsOf,
  type BlockId,
  type Operator,
  type Terminator,
  type ValueId,
} from "../ssa/ir.ts";
import { formatConst, i32, i64, type Const, type ValType } from "../ssa/types.ts";
import { InternalError } from "../../util/errors.ts";
import { trace, tracing } from "../../util/trace.ts";
import { MinHeap } from "../../util/heap.ts";
import { IntMap } from "../../util/int-map.ts";
import { isIntrinsicName, WEVAL_INTRINSICS, type IntrinsicName } from "../../abi/weval.ts";
import { meet, absEquals, formatAbs, runtime, type AbsVal, type ConstMemory } from "./abstract.ts";
import { Contexts, pointerPc } from "./contexts.ts";
import type { KnownMemory } from "./linked-requests.ts";
import { SpecializationAborted } from "./aborts.ts";
import { evaluatePlanned, isCopy, KnownValues, planOperator, type OperatorPlan } from "./operators.ts";
import { findRegions } from "./regions.ts";
import {
  byRegister,
  joinState,
  MAX_OPTIMISTIC_ROUNDS,
  needsNoValue,
  sameKnown,
  ZERO,
  type BodyState,
  type Edge,
  type EntryState,
  type Known,
  type SpecBlock,
  type Target,
  type TermTemplate,
  ValueStates,
  Registers,
} from "./state.ts";
import {
  clearVirtual,
  isVirtual,
  localKey,
  popStack,
  pushStack,
  slotType,
  stackDepth,
  stackKey,
  virtualPairs,
} from "./virtual-state.ts";

export type ArgSpec = { kind: "const"; value: Const } | { kind: "buffer"; bytes: Uint8Array } | { kind: "runtime" };

export interface Limits {
  maxContexts: number;
  maxBlocks: number;
  maxValues: number;
}

/** The widest specialize.value range that forks (wider ones leave the value as it is, run-time). */
export const MAX_FORK = 1024;

export const DEFAULT_LIMITS: Limits = { maxContexts: 1_000_000, maxBlocks: 4_000_000, maxValues: 30_000_000 };

export { SpecializationAborted, type AbortKind } from "./aborts.ts";

export interface SpecializeResult {
  body: FunctionBody;
  contexts: number;
  blocks: number;
  values: number;
  /** How many emitted values stayed runtime, by cause, most frequent first. */
  runtimeCauses: [string, number][];
  /** Where each specialized block came from (for tools that show the specialization, such as explorer/). */
  origins: BlockOrigins;
}

/** Where each specialized block came from. A block holds one copy of a generic block, made in a context, and the
 *  copies its processing continued into in a straight line (`straightInto`), in order. */
export interface BlockOrigins {
  /** Per specialized block id: the context of the block's own (first) copy. */
  context: Int32Array;
  /** Per specialized block id: the generic block its own (first) copy copies. */
  orig: Int32Array;
  /** Every copy block `b` holds, its own first: the context, the generic block, and the index of the first
   *  instruction the copy added to the block (constants are made once per block, by the first copy that uses one). */
  copies(b: BlockId): { context: number; orig: BlockId; firstInst: number }[];
  /** A context as `[pc, …]`, outermost first. */
  describe(ctx: number): string;
  /** A context's innermost pc (specialize.value elements skipped); undefined at the root. */
  pc(ctx: number): number | undefined;
}

export interface SpecializeFunctionOptions {
  /** Memory and table entries that are constant because of the other requests (linked-requests.ts): loads at
   *  constant addresses in their buffers or slots fold, and a call_indirect they resolve becomes a direct call. */
  knownMemory?: KnownMemory;
  /** What the worklist needs of the generic function whatever the request (`genericShape`), when the caller keeps
   *  it across the requests of one generic function; made here otherwise. */
  shape?: GenericShape;
}

/** What specializing needs of a generic function whatever the request: its blocks' positions in reverse postorder
 *  and its joins and regions (regions.ts). Fern's 1,000 requests of one generic function computed it 1,000 times
 *  (~15% of specializing them). Depends on the generic body and the intrinsics only; neither may change after. */
export interface GenericShape {
  readonly generic: FunctionBody;
  readonly intrinsics: Map<number, string>;
  /** Each original block's position in reverse postorder (the worklist's order within a context). */
  readonly rpoIndex: Int32Array;
  /** Reachable blocks. */
  readonly reachable: number;
  readonly joins: Uint8Array;
  readonly regionRoot: Int32Array;
  /** Per generic block: 1 when it changes the context (push/update/pop.context, specialize.value). */
  readonly changing: Uint8Array;
  /** Per generic block, made when first asked (`reachesInContext`): 1 for each block a path from it reaches in
   *  its own context (through blocks that do not change it). */
  readonly reach: (Uint8Array | undefined)[];
  /** Per generic value, made at its first evaluation: an operator's plan (operators.ts), or the name of the weval
   *  intrinsic a call calls. */
  readonly plans: (OperatorPlan | string | undefined)[];
  /** Whether no generic value is an alias (frontend and max-SSA make none): operands need no `resolve`. */
  readonly aliasFree: boolean;
}

export function genericShape(f: FunctionBody, intrinsics: Map<number, string>): GenericShape {
  const rpoIndex = new Int32Array(f.blocks.length);
  const order = f.reversePostorder();
  order.forEach((b, i) => (rpoIndex[b] = i));
  const changing = new Uint8Array(f.blocks.length);
  for (const b of order) changing[b] = changesContext(f, intrinsics, b) ? 1 : 0;
  const regions = findRegions(f, order, rpoIndex, (b) => changing[b] === 1);
  return {
    changing,
    reach: new Array(f.blocks.length).fill(undefined),
    generic: f,
    intrinsics,
    rpoIndex,
    reachable: order.length,
    joins: regions.joins,
    regionRoot: regions.root,
    plans: new Array(f.values.length).fill(undefined),
    aliasFree: f.values.every((d) => d.kind !== "alias"),
  };
}

/** Whether a copy of generic block `from` can lead to the copy of `to` in its own context: a path of `shape`'s generic
 *  function from one to the other through blocks that do not change the context (each block's set made once). */
function reachesInContext(shape: GenericShape, from: BlockId, to: BlockId): boolean {
  let seen = shape.reach[from];
  if (!seen) {
    const { blocks } = shape.generic;
    seen = shape.reach[from] = new Uint8Array(blocks.length);
    const stack = [from];
    while (stack.length) {
      const b = stack.pop()!;
      if (shape.changing[b]) continue;
      for (const t of targetsOf(blocks[b].term))
        if (!seen[t.block]) {
          seen[t.block] = 1;
          stack.push(t.block);
        }
    }
  }
  return seen[to] === 1;
}

/** Whether generic block b calls an intrinsic that changes the context (push/update/pop.context, specialize.value). */
function changesContext(f: FunctionBody, intrinsics: Map<number, string>, b: BlockId): boolean {
  return f.blocks[b].insts.some((v) => {
    const d = f.values[v];
    return d.kind === "op" && d.op.name === "call" && CONTEXT_CHANGING.has(intrinsics.get(d.op.index!) ?? "");
  });
}

export function specializeFunction(
  generic: FunctionBody,
  args: ArgSpec[],
  intrinsics: Map<number, string>,
  limits: Limits = DEFAULT_LIMITS,
  globals: ArgSpec[] = [],
  options: SpecializeFunctionOptions = {},
): SpecializeResult {
  return new Specializer(generic, args, intrinsics, limits, globals, options).run();
}

class Specializer {
  private readonly out: FunctionBody;
  private readonly contexts = new Contexts();
  /** Block copies by (context, original block), keyed ctx * (original block count) + block: a specialized block
   *  (aux COPY_HAS_BLOCK), or the block whose processing continued into the copy without a block of its own and that
   *  processing's `round` (aux; see `straightInto`). One table for both: a copy is in at most one of them, and
   *  straightInto and blockFor look each key up once. */
  private readonly copies = new IntMap<SpecBlock>();
  /** The specialized blocks in the order they were made (finalize's order, which the output's value ids follow). */
  private readonly blockList: SpecBlock[] = [];
  /** Blocks to process, lowest (context, position in the generic block order) first: see regions.ts. */
  private readonly worklist = new MinHeap<SpecBlock>();
  /** The blocks queued in each context (and some no longer queued, dropped when `queuedReaches` reads the list). */
  private readonly queuedIn = new IntMap<SpecBlock[]>();
  private readonly buffers: Uint8Array[] = [];
  private readonly causes = new Map<string, number>();
  private readonly runtimeByCause = new Map<string, AbsVal>();
  /** Original blocks whose copies are only ever entered from copies in the same context (regions.ts). */
  private readonly joins: Uint8Array;
  /** Each original block's position in reverse postorder (the worklist's order within a context). */
  private readonly rpoIndex: Int32Array;
  /** Per original block: the root of its region (itself when it is none's; regions.ts). */
  private readonly regionRoot: Int32Array;
  private readonly shape: GenericShape;
  /** Per generic value: what its evaluations need decoded (GenericShape.plans). */
  private readonly plans: (OperatorPlan | string | undefined)[];
  /** GenericShape.aliasFree. */
  private readonly aliasFree: boolean;
  /** Original blocks the current processing has run through in a straight line: those marked `chainStamp`. */
  private readonly chainMark: Int32Array;
  private chainStamp = 0;
  /** Per constant buffer: the entry block's parameter holding its argument (see `bufferPointerIn`). */
  private readonly bufferBase: ValueId[] = [];
  /** The entry block's parameters, kept when it is processed again so that `bufferBase` stays valid. */
  private entryParams: ValueId[] = [];
  /** The known values of the processing under way, by generic value (reused: one processing runs at a time). */
  private readonly vals: ValueStates;
  /** With the worklist trace on: why each queued block was queued. */
  private readonly why = new Map<SpecBlock, string>();
  /** The request's shared constants and buffer pointers (operators.ts), made once the buffers are known (`run`). */
  private knownValues = new KnownValues();
  /** processBody's log of the copies a processing continues into (SpecBlock.copies), reused. */
  private readonly copyLog: number[] = [];
  /** Arrays for `operands`, one per length, reused. */
  private readonly scratch: Known[][] = [];

  constructor(
    private readonly f: FunctionBody,
    private readonly args: ArgSpec[],
    private readonly intrinsics: Map<number, string>,
    private readonly limits: Limits,
    private readonly globals: ArgSpec[],
    private readonly options: SpecializeFunctionOptions,
  ) {
    this.out = new FunctionBody(`${f.name}$specialized`, f.params, f.results);
    if (args.length !== f.params.length)
      throw new SpecializationAborted(
        "bad-request",
        `the request has ${args.length} arguments, ${f.name} takes ${f.params.length}`,
      );
    this.chainMark = new Int32Array(f.blocks.length);
    this.vals = new ValueStates(f.values.length);
    let shape = options.shape;
    if (shape && (shape.generic !== f || shape.intrinsics !== intrinsics))
      throw new InternalError(`the generic shape given for ${f.name} is another function's`);
    shape ??= genericShape(f, intrinsics);
    this.shape = shape;
    this.rpoIndex = shape.rpoIndex;
    this.joins = shape.joins;
    this.regionRoot = shape.regionRoot;
    this.plans = shape.plans;
    this.aliasFree = shape.aliasFree;
  }

  run(): SpecializeResult {
    const params: AbsVal[] = this.args.map((a, i) => {
      if (a.kind === "const") {
        if (a.value.type !== this.f.params[i])
          throw new SpecializationAborted(
            "bad-request",
            `argument ${i} is a constant ${a.value.type}, parameter ${i} of ${this.f.name} is ${this.f.params[i]}`,
          );
        return { kind: "const", value: a.value };
      }
      if (a.kind === "buffer") {
        if (this.f.params[i] !== "i32")
          throw new SpecializationAborted(
            "bad-request",
            `argument ${i} is a buffer, but parameter ${i} of ${this.f.name} is not an i32 pointer`,
          );
        return { kind: "bufptr", buffer: this.buffers.push(a.bytes) - 1, offset: 0 };
      }
      return runtime(`parameter ${i} is a run-time argument`);
    });
    this.knownValues = new KnownValues(this.buffers);
    const entry = this.blockFor(0, this.f.entry, () => ({ params, regs: new Registers() }));
    this.out.entry = entry.id;
    for (let s = this.worklist.pop(); s; s = this.worklist.pop()) {
      s.queued = false;
      this.process(s);
    }
    this.finalize();
    this.out.recomputePreds();
    return {
      origins: this.origins(),
      body: this.out,
      contexts: this.contexts.count,
      blocks: this.blockList.length,
      values: this.out.values.length,
      runtimeCauses: [...this.causes].sort((a, b) => b[1] - a[1]),
    };
  }

  /** Where each block came from: its own copy and those it continued into. */
  /** Where each block came from. It keeps only the blocks' contexts, generic blocks and copies, and the contexts —
   *  not the specializer, whose blocks, edges and states (most of its memory: ~0.3 GB on Fern's 10,000-statement
   *  function) the result held alive through cleanup and emission when a closure here captured `this`. */
  private origins(): BlockOrigins {
    const n = this.out.blocks.length;
    const context = new Int32Array(n).fill(-1);
    const orig = new Int32Array(n).fill(-1);
    const copiesOf: (readonly number[] | undefined)[] = new Array(n);
    for (const s of this.blockList) {
      context[s.id] = s.ctx;
      orig[s.id] = s.orig;
      copiesOf[s.id] = s.copies ?? NO_COPIES;
    }
    const contexts = this.contexts;
    return {
      context,
      orig,
      copies: (b) => {
        const c = copiesOf[b];
        if (!c) return [];
        const copies = [{ context: context[b], orig: orig[b], firstInst: 0 }];
        for (let i = 0; i < c.length; i += 3) copies.push({ context: c[i], orig: c[i + 1], firstInst: c[i + 2] });
        return copies;
      },
      describe: (ctx) => contexts.describe(ctx),
      pc: (ctx) => contexts.innermostPc(ctx),
    };
  }

  private where(s: SpecBlock): string {
    return `block${s.orig} in context ${this.contexts.describe(s.ctx)}`;
  }

  /** A worklist trace line (only under TRACE), naming the function. */
  private trace(line: string): void {
    trace("worklist", `${this.f.name}: ${line}`);
  }

  /** The specialized block for (ctx, orig); a new one starts from the state `state()` makes. */
  private blockFor(ctx: number, orig: BlockId, state: () => EntryState): SpecBlock {
    const key = ctx * this.f.blocks.length + orig;
    const at = this.copies.indexOf(key);
    if (at >= 0 && this.copies.auxAt(at) === COPY_HAS_BLOCK) return this.copies.valueAt(at);
    this.countCopy();
    if (at >= 0) {
      // A processing continued into this copy (`straightInto`); now it is entered from elsewhere too: that
      // processing is done again, and jumps to this block (which replaces the entry below).
      const r = this.copies.valueAt(at);
      if (this.copies.auxAt(at) === r.round) {
        if (TRACE)
          this.trace(
            `undo: block${orig} in context ${this.contexts.describe(ctx)}, which block${r.id}'s processing ran straight into, is entered from elsewhere too: it gets a block of its own`,
          );
        r.round++;
        this.enqueue(r, "a copy it ran straight into is entered from elsewhere too");
      }
    }
    const s: SpecBlock = {
      id: this.out.addBlock(),
      ctx,
      orig,
      entry: state(),
      paramOrder: [],
      regOrder: [],
      edges: [],
      term: { kind: "unreachable" },
      queued: false,
      round: 0,
      // Every field from the start, in one order: SpecBlocks of one hidden class keep the worklist's property
      // accesses monomorphic (fields added later, in varying orders, made them megamorphic).
      consts: undefined,
      incoming: undefined,
      cut: undefined,
      copies: undefined,
    };
    if (ctx !== 0 || orig !== this.f.entry) {
      s.incoming = new Map();
      if (!this.joins[orig]) s.cut = { valid: false, rounds: 0, params: [], regs: new Map() };
    }
    this.copies.set(key, s, COPY_HAS_BLOCK);
    this.blockList.push(s);
    if (TRACE)
      this.trace(
        `new block${s.id} = ${this.where(s)}, ${s.incoming ? (s.cut ? "a cut (entered optimistically)" : "a join (entered from its incoming edges)") : "the entry"}`,
      );
    this.enqueue(s, "a new block copy");
    return s;
  }

  /** Count one more block copy against maxBlocks: specialized blocks and copies continued into (`straightInto`). */
  private countCopy(): void {
    if (this.copies.size >= this.limits.maxBlocks)
      throw new SpecializationAborted(
        "max-blocks",
        `more than ${this.limits.maxBlocks} specialized blocks (limit maxBlocks)`,
      );
  }

  /** Queue `s` unless it is queued; `why` says why, for the worklist trace. */
  private enqueue(s: SpecBlock, why: string): void {
    if (TRACE && !s.queued) this.why.set(s, why);
    if (!s.queued) {
      s.queued = true;
      this.worklist.push(s, s.ctx * this.f.blocks.length + this.rpoIndex[s.orig]);
      const list = this.queuedIn.get(s.ctx);
      if (list) list.push(s);
      else this.queuedIn.set(s.ctx, [s]);
    }
  }

  /** Merge an edge's exit state into its target's entry state; re-queue the target if it changed. */
  private flowInto(to: SpecBlock, args: Known[], regs: Registers): void {
    const where = () => this.where(to);
    let changed = false;
    const params = to.entry.params;
    for (let i = 0; i < params.length; i++) {
      const m = meet(params[i], args[i].abs, where);
      if (m !== params[i] && !absEquals(m, params[i])) {
        params[i] = m;
        changed = true;
      }
    }
    const entryRegs = to.entry.regs;
    entryRegs.forEach((old, k) => {
      const incoming = regs.get(k);
      if (isVirtual(k) && !incoming) {
        // A virtual stack or local slot stays only while every edge brings it (virtual-state.ts).
        entryRegs.delete(k);
        changed = true;
        return;
      }
      const m = meet(old.abs, incoming?.abs ?? ZERO.abs, where);
      if (m !== old.abs && !absEquals(m, old.abs)) {
        entryRegs.set(k, { abs: m });
        changed = true;
      }
    });
    regs.forEach((r, k) => {
      if (entryRegs.has(k) || isVirtual(k)) return;
      // A register this block had not seen: it read as zero on the edges before.
      entryRegs.set(k, { abs: meet(ZERO.abs, r.abs, where) });
      changed = true;
    });
    if (changed) this.enqueue(to, "an edge lowered its entry state");
  }

  private constIn(s: SpecBlock, c: Const): ValueId {
    // No string per use for the common kinds: an i32's bits as a number, an i64's as a bigint (the floats', apart).
    const key = c.type === "i32" || c.type === "i64" ? c.bits : `${c.type}:${c.bits}`;
    s.consts ??= new Map();
    let v = s.consts.get(key);
    if (v === undefined) {
      v = this.out.appendOp(s.id, { name: "const", value: c }, NO_ARGS, CONST_TYPES[c.type]);
      s.consts.set(key, v);
    }
    return v;
  }

  /** A constant-buffer pointer materialized in block `s` (once per block and offset): the buffer's argument, which
   *  the entry block's parameter holds (it dominates every block), plus the offset. */
  private bufferPointerIn(s: SpecBlock, buffer: number, offset: number): ValueId {
    const base = this.bufferBase[buffer];
    if (base === undefined) throw new InternalError(`buffer ${buffer} has no argument value`);
    if (offset === 0) return base;
    const key = `&${buffer}:${offset}`;
    s.consts ??= new Map();
    let v = s.consts.get(key);
    if (v === undefined) {
      v = this.out.appendOp(s.id, { name: "i32.add" }, [base, this.constIn(s, i32(offset))], ["i32"]);
      s.consts.set(key, v);
    }
    return v;
  }

  /** The IR value for a known value in block `s`, materializing constants and constant-buffer pointers. */
  private use(s: SpecBlock, k: Known): ValueId {
    if (k.abs.kind === "const") return this.constIn(s, k.abs.value);
    if (k.abs.kind === "bufptr" && k.out === undefined) return this.bufferPointerIn(s, k.abs.buffer, k.abs.offset);
    if (k.out === undefined) throw new InternalError(`a ${k.abs.kind} value without an IR value in ${this.where(s)}`);
    return k.out;
  }

  /** Enter a join from its incoming edges: a value every edge brings the same is used as it is, the others become
   *  parameters (their abstract value the meet of the edges'). Returns the processing's registers, or undefined when
   *  no edge comes in. */
  private enterJoin(s: SpecBlock, vals: ValueStates): Registers | undefined {
    const { f, out } = this;
    const edges: Edge[] = [];
    for (const list of s.incoming!.values()) for (const e of list) edges.push(e);
    if (edges.length === 0) return undefined;
    if (edges.length === 1) return this.enterFromOneEdge(s, edges[0], vals);
    const where = () => this.where(s);
    const merge = (incoming: Known[], type: ValType): { known: Known; param: boolean } => {
      const first = incoming[0];
      if (incoming.every((k) => sameKnown(k, first))) return { known: first, param: false };
      let abs = first.abs;
      for (const k of incoming) abs = meet(abs, k.abs, where);
      if (needsNoValue(abs)) return { known: { abs }, param: false };
      return { known: { abs, out: out.addBlockParam(s.id, type) }, param: true };
    };
    s.paramOrder = [];
    const params: AbsVal[] = [];
    f.blocks[s.orig].params.forEach((p, i) => {
      // As for registers below: a value every edge brings the same is found without the arrays `merge` takes.
      const first = edges[0].args[i];
      let same = true;
      for (let j = 1; same && j < edges.length; j++) same = sameKnown(edges[j].args[i], first);
      if (same) {
        vals.set(p, first);
        params.push(first.abs);
        return;
      }
      const m = merge(
        edges.map((e) => e.args[i]),
        f.typeOf(p),
      );
      if (m.param) s.paramOrder.push(i);
      vals.set(p, m.known);
      params.push(m.known.abs);
    });
    s.regOrder = [];
    // Usually every edge brings the same keys: the entry registers start as a copy of the first edge's (in key
    // order), and only the registers that differ are set; walked in key order without a list of the keys. (Set one
    // by one into a new state, after listing the keys, Fern's ~40 registers made three arrays per join.)
    const sameKeys = edges.every((e) => e.regs.sameKeys(edges[0].regs));
    const entryRegs = sameKeys ? edges[0].regs.sorted().copy() : new Registers();
    const join = (k: number) => {
      // Most registers come the same on every edge: found without the arrays `merge` takes.
      const first = edges[0].regs.get(k) ?? ZERO;
      let same = true;
      for (let i = 1; same && i < edges.length; i++) same = sameKnown(edges[i].regs.get(k) ?? ZERO, first);
      if (same) {
        if (!sameKeys) entryRegs.set(k, first);
        return;
      }
      const m = merge(
        edges.map((e) => e.regs.get(k) ?? ZERO),
        slotType(k),
      );
      if (m.param) s.regOrder.push(k);
      entryRegs.set(k, m.known);
    };
    if (sameKeys) edges[0].regs.forEachKey(join);
    else for (const k of unionOfRegisters(edges)) join(k);
    s.entry = { params, regs: entryRegs };
    return entryRegs.copy();
  }

  /** `enterJoin` with one incoming edge (most joins): every value comes as the edge brings it, no parameters. The
   *  entry registers are the edge's own map (an edge's registers never change once it is made), copied once for the
   *  processing to change: Fern's ~40 registers were set one by one into two new maps at every such block. */
  private enterFromOneEdge(s: SpecBlock, e: Edge, vals: ValueStates): Registers {
    const origParams = this.f.blocks[s.orig].params;
    const params: AbsVal[] = new Array(origParams.length);
    for (let i = 0; i < origParams.length; i++) {
      vals.set(origParams[i], e.args[i]);
      params[i] = e.args[i].abs;
    }
    s.paramOrder = [];
    s.regOrder = [];
    // In register order, as enterJoin makes them (the order virtual slots are stored in at sync.stack and return).
    const entryRegs = e.regs.sorted();
    s.entry = { params, regs: entryRegs };
    return entryRegs.copy();
  }

  /** Enter a cut block — a loop header or a block after a context change, whose incoming edges are not all known
   *  when it is first processed — optimistically, from the edges known so far: a value every one of them brings
   *  the same is used directly, the others become parameters. The abstract values are the entry state's (the meet
   *  of every edge ever recorded, so they only go down). When an edge arrives later that does not bring a directly
   *  used value the same (a loop's back edge, or a predecessor processed again), `edgeFits` says so and the block is
   *  processed again with the parameters it now needs; at the end every edge fits, so each value used directly is
   *  the one value all the block's predecessors pass, which dominates it. Straight-line bytecode (pc → pc + 1, one
   *  predecessor context) then carries nothing as a parameter. False when no edge comes in. */
  private enterCut(s: SpecBlock, vals: ValueStates, regs: Registers): boolean {
    const { f, out } = this;
    const cut = s.cut!;
    const edges: Edge[] = [];
    for (const list of s.incoming!.values()) for (const e of list) edges.push(e);
    cut.params = [];
    cut.regs = new Map();
    if (edges.length === 0) {
      cut.valid = false;
      return false;
    }
    cut.valid = true;
    const optimistic = ++cut.rounds <= MAX_OPTIMISTIC_ROUNDS;
    /** The value every edge brings (`bring(e)`), if they all bring the same and the block is still optimistic. */
    const common = (bring: (e: Edge) => Known): Known | undefined => {
      if (!optimistic) return undefined;
      const first = bring(edges[0]);
      for (let i = 1; i < edges.length; i++) if (!sameKnown(bring(edges[i]), first)) return undefined;
      return first;
    };
    s.paramOrder = [];
    f.blocks[s.orig].params.forEach((p, i) => {
      const abs = s.entry.params[i];
      cut.params.push(undefined);
      if (needsNoValue(abs)) return vals.set(p, { abs });
      const c = common((e) => e.args[i]);
      if (c) {
        cut.params[i] = c;
        return vals.set(p, { abs, out: c.out ?? this.use(s, c) });
      }
      s.paramOrder.push(i);
      vals.set(p, { abs, out: out.addBlockParam(s.id, f.typeOf(p)) });
    });
    this.enterRegisters(s, regs, (k) => {
      const c = common((e) => e.regs.get(k) ?? ZERO);
      if (c) cut.regs.set(k, c);
      return c;
    });
    return true;
  }

  /** Whether an edge brings a cut block every value its last processing used directly (see `enterCut`). */
  private edgeFits(to: SpecBlock, e: Edge): boolean {
    const cut = to.cut!;
    if (!cut.valid) return false;
    for (let i = 0; i < cut.params.length; i++) {
      const c = cut.params[i];
      if (c && !sameKnown(c, e.args[i])) return false;
    }
    for (const [k, c] of cut.regs) if (!sameKnown(c, e.regs.get(k) ?? ZERO)) return false;
    return true;
  }

  /** The block's IR parameters: one per original parameter and register not constant on entry. A value constant
   *  on entry needs none: every edge brings that same constant (the entry state is the meet of all of them), and
   *  uses materialize it. The entry block's parameters are the function's. */
  private enterWithParams(s: SpecBlock, vals: ValueStates, regs: Registers): void {
    const { f, out } = this;
    const isEntry = s.id === out.entry && s.ctx === 0 && s.orig === f.entry;
    s.paramOrder = [];
    f.blocks[s.orig].params.forEach((p, i) => {
      const abs = s.entry.params[i];
      if (isEntry) {
        // The function's parameters: the same values each time (uses of a buffer's argument refer to them).
        let v = this.entryParams[i];
        if (v === undefined) v = this.entryParams[i] = out.addBlockParam(s.id, f.typeOf(p));
        else out.blocks[s.id].params.push(v);
        if (this.args[i].kind === "buffer" && abs.kind === "bufptr" && abs.offset === 0)
          this.bufferBase[abs.buffer] = v;
        s.paramOrder.push(i);
        return vals.set(p, { abs, out: v });
      }
      if (needsNoValue(abs)) return vals.set(p, { abs });
      s.paramOrder.push(i);
      vals.set(p, { abs, out: out.addBlockParam(s.id, f.typeOf(p)) });
    });
    this.enterRegisters(s, regs);
  }

  /** The registers of a block entered from its entry state, in register order: none for a value that needs no IR
   *  value, the one value the edges bring when `common` finds it (enterCut), else a block parameter. */
  private enterRegisters(s: SpecBlock, regs: Registers, common?: (k: number) => Known | undefined): void {
    s.regOrder = [];
    for (const k of s.entry.regs.keys()) {
      const abs = s.entry.regs.get(k)!.abs;
      if (needsNoValue(abs)) {
        regs.set(k, { abs });
        continue;
      }
      const c = common?.(k);
      if (c) {
        regs.set(k, { abs, out: c.out ?? this.use(s, c) });
        continue;
      }
      s.regOrder.push(k);
      regs.set(k, { abs, out: this.out.addBlockParam(s.id, slotType(k)) });
    }
  }

  private process(s: SpecBlock): void {
    if (TRACE) this.trace(`process block${s.id} = ${this.where(s)}, round ${s.round + 1}: ${this.why.get(s)}`);
    s.round++;
    const block = this.out.blocks[s.id];
    block.params = [];
    block.insts = [];
    s.consts = undefined;
    // The edges this block made last time are gone: joins it fed forget them (and are processed again); cut
    // blocks too, and are processed again only if no edge is left (below) or a new edge does not fit.
    const fed = s.edges;
    for (const e of fed) {
      if (e.to.incoming?.delete(s.id) && !e.to.cut) this.enqueue(e.to, "a predecessor is processed again");
    }
    s.edges = [];
    s.copies = undefined;
    this.processBody(s);
    for (const e of fed) if (e.to.cut && e.to.incoming!.size === 0) this.enqueue(e.to, "no incoming edge is left");
  }

  /** One processing of `s` (weval's evaluate_block_body and evaluate_term): enter it, run through its instructions
   *  and those of the copies it continues into in a straight line, then make its terminator. */
  private processBody(s: SpecBlock): void {
    const { f } = this;
    let orig = f.blocks[s.orig];
    this.chainMark[s.orig] = ++this.chainStamp;
    const st = this.enter(s);
    if (!st) {
      s.term = { kind: "unreachable" }; // no edge comes here any more
      return;
    }
    // The copies continued into, logged in one array kept across processings and copied once, at its exact size:
    // a new array per processing, grown push by push, was a sixth of the bytes specializing toy's program allocated
    // (and an Int32Array, a malloc'd buffer each, cost more than the copy).
    // Never truncated (setting an array's length to 0 frees its store): the processing's copies are its first n.
    const copies = this.copyLog;
    let n = 0;
    for (;;) {
      const insts = orig.insts;
      for (let i = 0; i < insts.length; i++) this.evaluateInstruction(s, insts[i], st);
      // A jump to a block copy that only this processing enters (`straightInto`) continues in this IR block
      // instead of becoming a specialized block of its own.
      const into = st.fork ? undefined : this.straightInto(s, st.next, orig.term, st.get);
      if (!into) break;
      const args = this.operands(s, into.args, st);
      if (n + 3 > copies.length) copies.push(0, 0, 0);
      copies[n++] = st.next;
      copies[n++] = into.block;
      copies[n++] = this.out.blocks[s.id].insts.length;
      if (TRACE) this.trace(`  straight into block${into.block} in context ${this.contexts.describe(st.next)}`);
      this.chainMark[into.block] = this.chainStamp;
      orig = f.blocks[into.block];
      for (let i = 0; i < orig.params.length; i++) st.vals.set(orig.params[i], args[i]);
    }
    if (n) s.copies = copies.slice(0, n);
    if (st.fork && orig.term.kind === "br") this.fork(s, orig.term.target, st);
    else this.terminator(s, orig.term, st);
  }

  /** The state a processing of `s` starts from (see `enterJoin`, `enterCut`, `enterWithParams`), or undefined when
   *  no edge comes into it any more. */
  private enter(s: SpecBlock): BodyState | undefined {
    const vals = this.vals;
    vals.clear();
    let regs: Registers | undefined;
    if (!s.incoming) this.enterWithParams(s, vals, (regs = new Registers()));
    else if (!s.cut) regs = this.enterJoin(s, vals);
    else if (!this.enterCut(s, vals, (regs = new Registers()))) return undefined;
    if (!regs) return undefined;
    if (TRACE) this.traceEntry(s);
    const { f } = this;
    const get = (v: ValueId): Known => {
      const k = vals.get(f.resolve(v));
      if (!k) throw new InternalError(`v${v} has no value in ${this.where(s)} (is the input max-SSA?)`);
      return k;
    };
    return { vals, regs, next: s.ctx, get, fork: undefined };
  }

  /** How `s` was just entered, for the worklist trace. */
  private traceEntry(s: SpecBlock): void {
    let edges = 0;
    for (const list of s.incoming?.values() ?? []) edges += list.length;
    const params = `${s.paramOrder.length + s.regOrder.length} parameters`;
    if (!s.incoming) this.trace(`  entered from its entry state: ${params}`);
    else if (!s.cut) this.trace(`  joined ${edges} incoming edge${edges === 1 ? "" : "s"}: ${params} for what differs`);
    else if (s.cut.rounds <= MAX_OPTIMISTIC_ROUNDS)
      this.trace(
        `  cut, entered optimistically from the ${edges} edge${edges === 1 ? "" : "s"} known (round ${s.cut.rounds}): ${params}, ${s.cut.params.filter((p) => p).length + s.cut.regs.size} values used directly`,
      );
    else this.trace(`  cut, past ${MAX_OPTIMISTIC_ROUNDS} optimistic rounds: the fallback, ${params}`);
  }

  /** The known values of generic values `vs`, in an array reused for every list of that length: for what is read
   *  only until the next call (an instruction's operands, a straight jump's arguments), not kept. Evaluating an
   *  operator made a new array per instruction, the largest allocation of specializing toy's program. As `st.get`,
   *  without a call per value: a straight jump in max-SSA passes every live value (toy's ~1,000,000 jumps read ~15
   *  each). */
  private operands(s: SpecBlock, vs: ValueId[], st: BodyState): Known[] {
    const a = (this.scratch[vs.length] ??= new Array<Known>(vs.length));
    const { vals } = st;
    for (let i = 0; i < vs.length; i++) {
      const k = vals.get(this.aliasFree ? vs[i] : this.f.resolve(vs[i]));
      if (!k) throw new InternalError(`v${vs[i]} has no value in ${this.where(s)} (is the input max-SSA?)`);
      a[i] = k;
    }
    return a;
  }

  /** What evaluating generic operator `op` needs whatever its operands: the intrinsic's name for a call of one. */
  private plan(op: Operator): OperatorPlan | string {
    return op.name === "call" && this.intrinsics.has(op.index!) ? this.intrinsics.get(op.index!)! : planOperator(op);
  }

  /** Evaluate one generic instruction `v` in the processing of `s`. */
  private evaluateInstruction(s: SpecBlock, v: ValueId, st: BodyState): void {
    const { f, out } = this;
    const d = f.values[v];
    if (d.kind === "pick") {
      const of = st.get(d.value);
      const picked = out.appendPick(s.id, of.out!, d.index, d.type);
      st.vals.set(v, { abs: runtime("result of a multi-value operator"), out: picked });
      return;
    }
    if (d.kind === "alias") {
      st.vals.set(v, st.get(d.to));
      return;
    }
    if (d.kind !== "op") return;
    const args = this.operands(s, d.args, st);
    const plan = (this.plans[v] ??= this.plan(d.op));
    if (typeof plan === "string") {
      if (!isIntrinsicName(plan)) throw this.unsupported(s, plan);
      this.evaluateIntrinsic(s, plan, v, args, st);
      this.checkContexts();
      return;
    }
    st.vals.set(v, this.operator(s, plan, args, d.types));
    if (out.values.length > this.limits.maxValues)
      throw new SpecializationAborted("max-values", `more than ${this.limits.maxValues} values (limit maxValues)`);
  }

  /** A call of weval intrinsic `name` (weval's abstract_eval_intrinsic): a dispatch switch over the ABI's
   *  intrinsics (exhaustive), each case one call of the handler for its group — contexts, registers, the
   *  specialize.value fork, the virtual stack, virtual locals, specialization globals, constant memory, assertions. */
  private evaluateIntrinsic(s: SpecBlock, name: IntrinsicName, v: ValueId, args: Known[], st: BodyState): void {
    switch (name) {
      case "push.context":
      case "update.context":
      case "pop.context":
        return this.contextIntrinsic(s, name, args, st);
      case "read.reg":
      case "write.reg":
        return this.registerIntrinsic(s, name, v, args, st);
      case "specialize.value":
        return this.specializeValue(s, name, v, args, st);
      case "push.stack":
      case "pop.stack":
      case "read.stack":
      case "write.stack":
      case "sync.stack":
        return this.stackIntrinsic(s, name, v, args, st);
      case "read.local":
      case "write.local":
        return this.localIntrinsic(s, name, v, args, st);
      case "read.specialization.global":
        return void st.vals.set(v, {
          abs: {
            kind: "const",
            value: this.specializationGlobal(s, Number(this.constArg(s, name, args, 0, "the global index").bits)),
          },
        });
      case "assume.const.memory":
      case "assume.const.memory.transitive":
        return void st.vals.set(v, assumeConstMemory(args[0], name === "assume.const.memory" ? 1 : 2));
      case "assume.alias.class":
      case "assume.alias.region":
        return void st.vals.set(v, this.assumeAliasClass(s, name, args));
      case "assert.const32":
      case "assert.const.memory":
      case "abort.specialization":
        return this.assertionIntrinsic(s, name, args);
      case "trace.line":
      case "print":
      case "context.bucket":
        return; // diagnostics: nothing to specialize
      case "exit.path":
      case "stop.exit.path":
        throw this.unsupported(s, name);
      default:
        throw new InternalError(`intrinsic ${name satisfies never} has no case`);
    }
  }

  /** weval.assume.alias.class(p, class): p, whose run-time value is recorded with its class for store forwarding
   *  (FunctionBody.aliasClasses; two classes for one value: none). A constant p needs none: its address is known.
   *  weval.assume.alias.region(p, class) records p in FunctionBody.aliasRegions too. */
  private assumeAliasClass(s: SpecBlock, name: IntrinsicName, args: Known[]): Known {
    const cls = Number(this.constArg(s, name, args, 1, "the alias class").bits);
    const p = args[0];
    if (p.abs.kind === "runtime" && p.out !== undefined) {
      declareAliasClass((this.out.aliasClasses ??= new Map()), p.out, cls);
      if (name === "assume.alias.region") declareAliasClass((this.out.aliasRegions ??= new Map()), p.out, cls);
    }
    return p;
  }

  /** Argument `i` of an intrinsic call, which must be a constant (`what` names it in the abort). */
  private constArg(s: SpecBlock, name: IntrinsicName, args: Known[], i: number, what: string): Const {
    const a = args[i];
    if (a.abs.kind !== "const")
      throw new SpecializationAborted(
        "not-constant",
        `weval.${name} in ${this.f.name}, ${this.where(s)}: ${what} is not a constant (${formatAbs(a.abs)})`,
      );
    return a.abs.value;
  }

  /** push/update/pop.context: the context the block's successors are in (contexts.ts). */
  private contextIntrinsic(s: SpecBlock, name: IntrinsicName, args: Known[], st: BodyState): void {
    if (name === "push.context") st.next = this.contexts.push(st.next, this.pcKey(s, args[0], name));
    else if (name === "update.context") st.next = this.contexts.update(st.next, this.pcKey(s, args[0], name));
    else st.next = this.contexts.pop(st.next);
  }

  /** read/write.reg: weval's registers, kept in the state by index (a register never written reads as zero). */
  private registerIntrinsic(s: SpecBlock, name: IntrinsicName, v: ValueId, args: Known[], st: BodyState): void {
    const key = this.registerKey(s, this.constArg(s, name, args, 0, "the register index"));
    if (name === "read.reg") st.vals.set(v, st.regs.get(key) ?? ZERO);
    else st.regs.set(key, args[1]);
  }

  /** specialize.value(value, lo, hi): the result is the value; a run-time value in a range under MAX_FORK marks the
   *  block's end as a fork (`fork`, after the block's last instruction, which this call is). */
  private specializeValue(s: SpecBlock, name: IntrinsicName, v: ValueId, args: Known[], st: BodyState): void {
    const lo = Number(this.constArg(s, name, args, 1, "the lower bound").bits) | 0;
    const hi = Number(this.constArg(s, name, args, 2, "the upper bound").bits) | 0;
    st.vals.set(v, args[0]);
    if (args[0].abs.kind !== "const" && hi >= lo && hi - lo < MAX_FORK) st.fork = { value: args[0], lo, hi, result: v };
  }

  /** push/pop/read/write/sync.stack: the virtual stack (virtual-state.ts); what it does not hold is in memory. */
  private stackIntrinsic(s: SpecBlock, name: IntrinsicName, v: ValueId, args: Known[], st: BodyState): void {
    const { vals } = st;
    const regs = st.regs.slots();
    if (name === "push.stack") pushStack(regs, args[0], args[1]);
    else if (name === "pop.stack") vals.set(v, popStack(regs) ?? this.loadSlot(s, args[0]));
    else if (name === "read.stack") {
      const i = Number(this.constArg(s, name, args, 1, "the stack index").bits);
      vals.set(v, i < stackDepth(regs) ? regs.get(stackKey(i, 1))! : this.loadSlot(s, args[0]));
    } else if (name === "write.stack") {
      const i = Number(this.constArg(s, name, args, 1, "the stack index").bits);
      const depth = stackDepth(regs);
      if (i < depth || (i === 0 && depth === 0)) {
        regs.set(stackKey(i, 0), args[0]);
        regs.set(stackKey(i, 1), args[2]);
      } else this.storeSlot(s, args[0], args[2]);
    } else {
      // sync.stack: every virtual slot to memory.
      for (const [addr, data] of virtualPairs(regs)) this.storeSlot(s, addr, data);
      clearVirtual(regs);
    }
  }

  /** read/write.local: virtual locals (virtual-state.ts); one never written is read from memory. */
  private localIntrinsic(s: SpecBlock, name: IntrinsicName, v: ValueId, args: Known[], st: BodyState): void {
    const n = Number(this.constArg(s, name, args, 1, "the local index").bits);
    if (name === "read.local") st.vals.set(v, st.regs.get(localKey(n, 1)) ?? this.loadSlot(s, args[0]));
    else {
      st.regs.set(localKey(n, 0), args[0]);
      st.regs.set(localKey(n, 1), args[2]);
    }
  }

  /** assert.const32, assert.const.memory and abort.specialization: the interpreter's checks, which abort the
   *  request when they fail. */
  private assertionIntrinsic(s: SpecBlock, name: IntrinsicName, args: Known[]): void {
    const line = () => (args[1].abs.kind === "const" ? formatConst(args[1].abs.value) : "?");
    if (name === "assert.const32") {
      this.constArg(s, name, args, 0, `the value asserted constant at line ${line()}`);
    } else if (name === "assert.const.memory") {
      if (!(args[0].abs.kind === "bufptr" || (args[0].abs.kind === "const" && args[0].abs.mem))) {
        throw new SpecializationAborted(
          "not-const-memory",
          `weval.assert.const.memory at line ${line()} in ${this.f.name}, ${this.where(s)}: the pointer is not into constant memory (${formatAbs(args[0].abs)})`,
        );
      }
    } else {
      // weval's (line, fatal): a non-fatal call only marks a point; ours may pass just the line.
      if (args.length > 1 && args[1].abs.kind === "const" && args[1].abs.value.bits === 0) return;
      throw new SpecializationAborted(
        "interpreter-abort",
        `the interpreter called weval.abort.specialization (line ${args[0].abs.kind === "const" ? formatConst(args[0].abs.value) : "?"}) in ${this.where(s)}`,
      );
    }
  }

  /** The abort for a weval intrinsic this specializer does not implement. */
  private unsupported(s: SpecBlock, name: string): SpecializationAborted {
    return new SpecializationAborted(
      "unsupported-intrinsic",
      `weval.${name} is not supported by futamura's specializer (used in ${this.f.name}, ${this.where(s)})`,
    );
  }

  /** Abort when the contexts made so far pass the limit. */
  private checkContexts(): void {
    if (this.contexts.count > this.limits.maxContexts)
      throw new SpecializationAborted(
        "max-contexts",
        `more than ${this.limits.maxContexts} contexts (limit maxContexts)`,
      );
  }

  /** The edge from `s` to the copy of generic `target` in context `st.next`, recorded with s's exit state; the
   *  target's copy is made, and queued, as it needs. Returns the edge's index in `s.edges`. */
  private edge(s: SpecBlock, target: Target, st: BodyState): number {
    const { regs } = st;
    const args = target.args.map(st.get);
    // A join's entry state is made from its incoming edges when it is processed (`enterJoin`).
    const state = this.joins[target.block]
      ? joinState
      : (): EntryState => {
          return { params: args.map((a) => a.abs), regs: regs.copy() };
        };
    const to = this.blockFor(st.next, target.block, state);
    // Edges share the block's exit registers: nothing changes them after the terminator.
    const e: Edge = { to, args, regs };
    if (to.incoming) {
      const list = to.incoming.get(s.id);
      if (list) list.push(e);
      else to.incoming.set(s.id, [e]);
    }
    if (!to.cut) {
      // A join: it is processed (again) with this edge among its incoming ones.
      if (to.incoming) this.enqueue(to, "a new incoming edge");
      else this.flowInto(to, args, regs);
    } else {
      // A cut block: its entry state takes this edge in (re-queued if it went down), and it is processed again if
      // the edge does not bring a value it used directly.
      this.flowInto(to, args, regs);
      if (!to.queued && !this.edgeFits(to, e)) this.enqueue(to, "a new edge does not bring a value it used directly");
    }
    return s.edges.push(e) - 1;
  }

  /** The specialize.value fork at the end of `s` (its generic terminator a jump to `target`): one successor per
   *  value lo..hi (inclusive) in its own context, where the value is a constant, behind a br_table. As in weval
   *  (src/eval.rs), there is no generic path: the table's default is the last value's copy, so a value out of range
   *  (the interpreter's contract broken) runs as if it were hi, and the value stays constant everywhere. */
  private fork(s: SpecBlock, target: Target, st: BodyState): void {
    const f = st.fork!;
    if (TRACE) this.trace(`  fork on specialize.value: ${f.hi - f.lo + 1} contexts, values ${f.lo}..${f.hi}`);
    const index = this.out.appendOp(
      s.id,
      { name: "i32.sub" },
      [this.use(s, f.value), this.constIn(s, i32(f.lo))],
      ["i32"],
    );
    const targets: number[] = [];
    const outer = st.next;
    for (let k = f.lo; k <= f.hi; k++) {
      st.vals.set(f.result, { abs: { kind: "const", value: i32(k) } });
      st.next = this.contexts.pushValue(outer, k);
      targets.push(this.edge(s, target, st));
    }
    st.vals.set(f.result, f.value);
    st.next = outer;
    s.term = { kind: "table", index, targets: targets.slice(0, -1), default: targets[targets.length - 1] };
    this.checkContexts();
  }

  /** The generic terminator `t` at the end of `s`: a jump when it folds (`foldedTarget`), else copied. */
  private terminator(s: SpecBlock, t: Terminator, st: BodyState): void {
    const one = foldedTarget(t, st.get);
    if (one) {
      s.term = { kind: "br", edge: this.edge(s, one, st) };
      return;
    }
    switch (t.kind) {
      case "cond":
        s.term = {
          kind: "cond",
          cond: this.use(s, st.get(t.cond)),
          then: this.edge(s, t.then, st),
          else: this.edge(s, t.else, st),
        };
        break;
      case "table":
        s.term = {
          kind: "table",
          index: this.use(s, st.get(t.index)),
          targets: t.targets.map((x) => this.edge(s, x, st)),
          default: this.edge(s, t.default, st),
        };
        break;
      case "return":
        // The virtual stack and locals leave the function in memory.
        for (const [addr, data] of virtualPairs(st.regs.slots())) this.storeSlot(s, addr, data);
        s.term = { kind: "return", values: t.values.map((v) => this.use(s, st.get(v))) };
        break;
      case "return_call":
        for (const [addr, data] of virtualPairs(st.regs.slots())) this.storeSlot(s, addr, data);
        s.term = this.tailCall(s, t, st);
        break;
      default:
        s.term = { kind: "unreachable" };
    }
  }

  /** A generic tail call in `s` (the virtual state already stored): it stays a tail call — one through table 0 at a
   *  constant index of a specialized function becomes a direct one, as a call does (operators.ts). A tail call of a
   *  weval intrinsic is not read (the interpreter's contract is a call): the request aborts. */
  private tailCall(s: SpecBlock, t: Extract<Terminator, { kind: "return_call" }>, st: BodyState): TermTemplate {
    const { op } = t;
    if (op.name === "call" && this.intrinsics.has(op.index!))
      throw new SpecializationAborted(
        "unsupported-intrinsic",
        `a tail call (return_call) of weval.${this.intrinsics.get(op.index!)} in ${this.where(s)}: intrinsics are read as calls only`,
      );
    const args = t.args.map((v) => st.get(v));
    if (op.name === "call_indirect") {
      const index = args[args.length - 1].abs;
      const callee =
        index.kind === "const"
          ? this.options.knownMemory?.directCallee(op.table!, index.value.bits as number, op.index!)
          : undefined;
      if (callee !== undefined)
        return { kind: "return_call", op: { name: "call", index: callee }, args: this.uses(s, args, 1) };
    }
    return { kind: "return_call", op, args: this.uses(s, args, 0) };
  }

  /** The target a terminator jumps to when it is (or folds to) one jump, if the target's copy in context `ctx` is
   *  entered from this processing of `s` alone: it then continues in s's IR block. Two cases:
   *  - the target is in the region of a block this processing has run through in a straight line (every jump since
   *    folded), the region's root (regions.ts): it is entered from nowhere else, by construction;
   *  - no specialized block exists for the copy, and no other processing continued into it: this one does, and
   *    records it (in `copies`). If an edge to that copy is made later, from anywhere (`blockFor`), the copy gets a
   *    block of its own and `s` is processed again, this time jumping to it. So straight-line bytecode — one
   *    instruction's copy jumping to the next one's — becomes one block as it is specialized, instead of a few
   *    blocks per instruction for the cleanup passes to merge; a loop header costs one more processing of the
   *    straight run that reached it before its back edge (at most one per block copy: blocks are never removed). */
  private straightInto(s: SpecBlock, ctx: number, t: Terminator, get: (v: ValueId) => Known): Target | undefined {
    const target = foldedTarget(t, get);
    if (!target) return undefined;
    const root = this.regionRoot[target.block];
    if (root !== target.block && this.chainMark[root] === this.chainStamp) return target;
    if (target.block === this.f.entry) return undefined;
    const key = ctx * this.f.blocks.length + target.block;
    if (this.queuedReaches(ctx, target.block)) return undefined;
    const at = this.copies.indexOf(key);
    if (at < 0) {
      this.countCopy();
      this.copies.set(key, s, s.round);
      return target;
    }
    // A block of its own, or continued into by another processing that still stands, or already by this one (a
    // loop that folded to a jump): the edge made instead gives the copy its own block.
    const round = this.copies.auxAt(at);
    if (round === COPY_HAS_BLOCK || round === this.copies.valueAt(at).round) return undefined;
    this.copies.replaceAt(at, s, s.round);
    return target;
  }

  /** Whether a block waiting in the worklist is in context `ctx`, before the copy of `orig` there in the worklist's
   *  order, and may lead to it: the other arm of an opcode's branch, queued while one arm runs on in a straight
   *  line through the join after both. Running into the join's copy would be undone when the other arm jumps to it
   *  (`blockFor`) and done again, with every block the run fed: on Fern's generated 1,000-statement function half
   *  the copies processed were in processings done again, most of them so. The copy gets a block of its own at
   *  once instead. */
  private queuedReaches(ctx: number, orig: BlockId): boolean {
    const list = this.queuedIn.get(ctx);
    if (!list) return false;
    let n = 0;
    let found = false;
    for (const q of list) {
      if (!q.queued || q.ctx !== ctx) continue;
      list[n++] = q;
      if (!found && this.rpoIndex[q.orig] < this.rpoIndex[orig] && reachesInContext(this.shape, q.orig, orig))
        found = true;
    }
    if (n === 0) this.queuedIn.delete(ctx);
    else list.length = n;
    return found;
  }

  /** A register's key in the state maps: its index, which must be below 2^40 (the keys below 0 are virtual-state.ts's). */
  private registerKey(s: SpecBlock, index: Const): number {
    // An i32's bits (a u32) are below 2^40 already; an i64's compared as a bigint, with no BigInt made per call.
    const k = index.bits;
    if (typeof k === "number") return k;
    if (k >= REGISTER_LIMIT)
      throw new SpecializationAborted(
        "bad-request",
        `weval register ${k} in ${this.f.name}, ${this.where(s)}: register indices above 2^40 are not supported`,
      );
    return Number(k);
  }

  /** A context key for a pc: a constant, or a pointer into a constant buffer (weval's pointer pcs). */
  private pcKey(s: SpecBlock, pc: Known, intrinsic: string): number | string {
    if (pc.abs.kind === "const") return Number(pc.abs.value.bits);
    if (pc.abs.kind === "bufptr") return pointerPc(pc.abs.buffer, pc.abs.offset);
    const cause = pc.abs.cause;
    const hint = /select|different values meet/.test(cause)
      ? "; the pc is chosen at run time where paths join — call update.context on each path where the next pc is known (at the top of the loop, or in each case before `continue`), not once at the bottom of the loop after a branch (clang turns that into a select); see docs/new-interpreter.md"
      : "";
    throw new SpecializationAborted(
      "runtime-pc",
      `weval.${intrinsic} in ${this.f.name}, ${this.where(s)}: the pc is not a constant (${formatAbs(pc.abs)})${hint}`,
    );
  }

  /** An i64 the interpreter keeps in memory at `addr`, read because no virtual slot holds it. */
  private loadSlot(s: SpecBlock, addr: Known): Known {
    const out = this.out.appendOp(
      s.id,
      { name: "i64.load", memarg: { offset: 0, align: 3 } },
      [this.use(s, addr)],
      ["i64"],
    );
    return { abs: this.runtimeResult("a virtual stack or local slot read from memory"), out };
  }

  /** Store a virtual slot's value to its address. */
  private storeSlot(s: SpecBlock, addr: Known, data: Known): void {
    this.out.appendOp(
      s.id,
      { name: "i64.store", memarg: { offset: 0, align: 3 } },
      [this.use(s, addr), this.use(s, data)],
      [],
    );
  }

  /** Specialization global n of the request, as read.specialization.global returns it (an i64). */
  private specializationGlobal(s: SpecBlock, n: number): Const {
    const g = this.globals[n];
    if (!g)
      throw new SpecializationAborted(
        "bad-request",
        `weval.read.specialization.global(${n}) in ${this.where(s)}: the request has ${this.globals.length} specialization globals`,
      );
    if (g.kind !== "const")
      throw new SpecializationAborted(
        "bad-request",
        `weval.read.specialization.global(${n}) in ${this.where(s)}: the global is ${g.kind === "buffer" ? "a buffer" : "a run-time value"}, not a constant`,
      );
    const v = g.value;
    return i64(typeof v.bits === "bigint" ? v.bits : BigInt(v.bits >>> 0));
  }

  /** A run-time result with `cause`, counted for --stats (one shared abstract value per cause). */
  private runtimeResult(cause: string): AbsVal {
    this.causes.set(cause, (this.causes.get(cause) ?? 0) + 1);
    let abs = this.runtimeByCause.get(cause);
    if (!abs) this.runtimeByCause.set(cause, (abs = runtime(cause)));
    return abs;
  }

  /** Fold or copy one operator (operators.ts decides; this emits what it decided). */
  private operator(s: SpecBlock, plan: OperatorPlan, args: Known[], types: ValType[]): Known {
    const r = evaluatePlanned(plan, args, types, this.buffers, this.knownValues, this.options.knownMemory);
    if (!isCopy(r)) return r;
    const abs = typeof r.abs === "string" ? this.runtimeResult(r.abs) : r.abs;
    if (r.call !== undefined)
      return { abs, out: this.out.appendOp(s.id, { name: "call", index: r.call }, this.uses(s, args, 1), types) };
    return { abs, out: this.out.appendOp(s.id, plan.op, this.uses(s, args, 0), types) };
  }

  /** The IR values of `args` in block `s` (`use`), but the last `drop`. A method, not a closure in `operator`: a
   *  closure there made V8 allocate a context at each of its calls, most of which fold (a fifth of the bytes
   *  specializing toy's program allocated). An array of exact size, as `map` made: one grown by push keeps room for
   *  17 through cleanup and the backend, and array literals made plan-locals ~10% slower on toy 100k. */
  private uses(s: SpecBlock, args: Known[], drop: number): ValueId[] {
    const ids = new Array<ValueId>(args.length - drop);
    for (let i = 0; i < ids.length; i++) ids[i] = this.use(s, args[i]);
    return ids;
  }

  /** Turn recorded edges into terminators with arguments in each target's final parameter order. */
  private finalize(): void {
    for (const s of this.blockList) {
      // Virtual slots an edge carries but its target dropped (at a join with an edge that lacked them) are stored
      // at the end of this block, before its terminator (virtual-state.ts).
      // (No set, nor an array of pairs per edge, where no edge carries a virtual slot: Fern's interpreter has none.)
      let flushed: Set<number> | undefined;
      for (const e of s.edges) {
        for (const dataKey of e.regs.restKeys()) {
          if (!isVirtual(dataKey) || slotType(dataKey) !== "i64") continue;
          if (flushed?.has(dataKey) || e.to.entry.regs.has(dataKey)) continue;
          (flushed ??= new Set()).add(dataKey);
          this.storeSlot(s, e.regs.get(dataKey + 1)!, e.regs.get(dataKey)!);
        }
      }
      const target = (i: number) => {
        const e = s.edges[i];
        const args = e.to.paramOrder.map((i) => this.use(s, e.args[i]));
        for (const k of e.to.regOrder)
          args.push(this.use(s, e.regs.get(k) ?? { abs: { kind: "const", value: i64(0n) } }));
        return { block: e.to.id, args };
      };
      const t = s.term;
      let term: Terminator;
      switch (t.kind) {
        case "br":
          term = { kind: "br", target: target(t.edge) };
          break;
        case "cond":
          term = { kind: "cond", cond: t.cond, then: target(t.then), else: target(t.else) };
          break;
        case "table":
          term = { kind: "table", index: t.index, targets: t.targets.map(target), default: target(t.default) };
          break;
        case "return":
          term = { kind: "return", values: t.values };
          break;
        case "return_call":
          term = { kind: "return_call", op: t.op, args: t.args };
          break;
        default:
          term = { kind: "unreachable" };
      }
      this.out.setTerminator(s.id, term);
    }
  }
}

const NO_COPIES: readonly number[] = [];

/** Register indices from here up are not supported (keys below 0 are virtual-state.ts's). */
const REGISTER_LIMIT = 1n << 40n;

/** The aux of a block copy in `copies` that has a block of its own (rounds count up from 0). */
const COPY_HAS_BLOCK = -1;

/** A constant's operands and result types, shared by every constant the worklist makes (a third of its values on
 *  Fern): frozen, as nothing changes an operator's lists in place (passes replace them). */
const NO_ARGS = Object.freeze([]) as unknown as ValueId[];
const CONST_TYPES: Record<ValType, ValType[]> = {
  i32: Object.freeze(["i32"]) as ValType[],
  i64: Object.freeze(["i64"]) as ValType[],
  f32: Object.freeze(["f32"]) as ValType[],
  f64: Object.freeze(["f64"]) as ValType[],
};

/** FUTAMURA_TRACE=worklist (util/trace.ts) prints the worklist's decisions on stderr: each processing and why its
 *  block was queued (the way to see why a block is processed again), how it was entered, the straight lines it ran
 *  into and those undone, and forks. */
const TRACE = tracing("worklist");

/** Intrinsics after which a block's successors are in another context. */
const CONTEXT_CHANGING = new Set<string>(
  Object.entries(WEVAL_INTRINSICS).flatMap(([name, spec]) => ("changesContext" in spec ? [name] : [])),
);

/** weval.assume.const.memory(p): p, a constant pointer tagged as pointing into constant memory (`mem`, the
 *  stronger tag kept); a constant-buffer pointer is already one, and a run-time pointer stays as it is (loads at
 *  run-time addresses are never folded). */
function assumeConstMemory(p: Known, mem: ConstMemory): Known {
  if (p.abs.kind !== "const" || (p.abs.mem ?? 0) >= mem) return p;
  return { abs: { ...p.abs, mem }, out: p.out };
}

/** The one target of a generic terminator that is a jump or folds to one (a branch on a constant condition, a
 *  br_table on a constant index); undefined otherwise. */
function foldedTarget(t: Terminator, get: (v: ValueId) => Known): Target | undefined {
  if (t.kind === "br") return t.target;
  if (t.kind === "cond") {
    const c = get(t.cond);
    return c.abs.kind === "const" ? (c.abs.value.bits !== 0 ? t.then : t.else) : undefined;
  }
  if (t.kind === "table") {
    const c = get(t.index);
    if (c.abs.kind !== "const") return undefined;
    const i = Number(c.abs.value.bits);
    return i < t.targets.length ? t.targets[i] : t.default;
  }
  return undefined;
}

/** The registers and virtual slots a join takes from its incoming edges when they do not all bring the same keys, in
 *  register order: every register an edge brings (one an edge lacks reads as zero there), and a virtual slot only
 *  when every edge brings it. */
function unionOfRegisters(edges: Edge[]): number[] {
  const keys = new Set<number>();
  for (const e of edges)
    for (const k of e.regs.keys()) if (!isVirtual(k) || edges.every((x) => x.regs.has(k))) keys.add(k);
  return [...keys].sort(byRegister);
}
