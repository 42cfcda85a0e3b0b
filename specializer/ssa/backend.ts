// Backend: IR → a binaryen function. locals.ts plans the Wasm locals: single-use values become expression trees
// inside their user, constants are re-materialized at every use, unused results are dropped, and every other value
// gets a local shared with values whose live ranges do not overlap (so the local count is the register pressure,
// within V8's limits at any size). Each reachable block becomes code that sets those locals in
// order, and each edge carries the parallel copy of branch arguments into the target's parameter locals (through
// temporaries when an argument's local is itself overwritten by the copy). A reducible graph becomes structured
// control flow in one linear walk (structure.ts); an irreducible one — specialization creates them — goes through
// binaryen's Relooper, whose cost grows faster than the function, and a big one in segments (segmentsOf), since the
// Relooper recurses as deep as its output is long. The output is valid and runs
// without binaryen's optimizer; the caller decides how much of it to run. Calls, globals, tables and data segments
// are named the way binaryen names them after readBinary (by index).
import type { Binaryen, BinaryenModule } from "../../util/binaryen.ts";
import { InternalError } from "../../util/errors.ts";
import { targetsOf, type BlockId, type FunctionBody, type Operator, type Target, type ValueId } from "./ir.ts";
import { planLocals, terminatorOperands, type LocalPlan } from "./locals.ts";
import { DominatorTree } from "./dominators.ts";
import { loopContiguousOrder } from "./loop-order.ts";
import { structuredBody } from "./structure.ts";
import { traced } from "./stage-runner.ts";
import { OPS_BY_NAME } from "./wasm-ops.ts";
import type { Const, ValType } from "./types.ts";

type Ref = number;

export class BackendError extends Error {}

/** binaryen's names for a module's functions, globals, tables and data segments, by Wasm index. */
export class ModuleNames {
  readonly functions: string[] = [];
  readonly globals: string[] = [];
  readonly tables: string[] = [];
  readonly dataSegments: string[] = [];
  /** Without a module, empty: the caller names the indices itself (optimize-apart.ts). */
  constructor(b?: Binaryen, mod?: BinaryenModule) {
    if (!b || !mod) return;
    for (let i = 0; i < mod.getNumFunctions(); i++)
      this.functions.push(b.getFunctionInfo(mod.getFunctionByIndex(i)).name);
    for (let i = 0; i < mod.getNumGlobals(); i++) this.globals.push(b.getGlobalInfo(mod.getGlobalByIndex(i)).name);
    for (let i = 0; i < mod.getNumTables(); i++) this.tables.push(b.getTableInfo(mod.getTableByIndex(i)).name);
    const m = mod as unknown as {
      getNumDataSegments(): number;
      getDataSegmentByIndex(i: number): number;
      getDataSegmentInfo(s: number): { name: string };
    };
    for (let i = 0; i < m.getNumDataSegments(); i++)
      this.dataSegments.push(m.getDataSegmentInfo(m.getDataSegmentByIndex(i)).name);
  }
}

export interface FunctionSignature {
  params: ValType[];
  results: ValType[];
}

/** Signatures the backend needs to emit calls: by function index and by type index. */
export interface CallSignatures {
  functions: FunctionSignature[];
  types: FunctionSignature[];
}

/** Emit `f` as function `name`; `structured` false lays out every graph with the Relooper (for comparison). */
export function emitFunction(
  b: Binaryen,
  mod: BinaryenModule,
  names: ModuleNames,
  sigs: CallSignatures,
  f: FunctionBody,
  name: string,
  segmentBlocks = SEGMENT_BLOCKS,
  structured = true,
): void {
  const emitter = new FunctionEmitter(b, mod, names, sigs, f);
  try {
    emitter.emit(name, segmentBlocks, structured);
  } catch (e) {
    // binaryen's own failures come as InternalErrors (util/binaryen.ts): say which function they were emitting.
    if (e instanceof InternalError) e.message += ` while emitting ${name} (${f.name}, ${f.blocks.length} blocks)`;
    throw e;
  } finally {
    emitter.dispose();
  }
}

/** binaryen's C entry points the emitter calls directly, as binaryen.js's wrappers call them (`i32.const`,
 *  `i32.add`, `i32.load8_u` and the like), and its allocator: the wrappers save and restore binaryen's stack around
 *  each call, three calls more and a closure per expression. */
interface EntryPoints {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _BinaryenSizeofLiteral(): number;
  _BinaryenLiteralInt32(out: number, x: number): void;
  _BinaryenLiteralInt64(out: number, x: bigint): void;
  _BinaryenLiteralFloat32Bits(out: number, x: number): void;
  _BinaryenLiteralFloat64Bits(out: number, x: bigint): void;
  _BinaryenConst(module: number, literal: number): Ref;
  _BinaryenUnary(m: number, op: number, x: Ref): Ref;
  _BinaryenBinary(m: number, op: number, x: Ref, y: Ref): Ref;
  /** `n` 0: the module's memory; `signed` for a load that does not end in _u. */
  _BinaryenLoad(m: number, bytes: number, signed: boolean, o: number, al: number, t: number, p: Ref, n: 0): Ref;
  _BinaryenStore(m: number, bytes: number, o: number, al: number, p: Ref, v: Ref, t: number, n: 0): Ref;
}

class FunctionEmitter {
  private plan!: LocalPlan;
  private readonly localTypes: number[] = [];
  /** Temporaries of parallel copies, by binaryen type (shared by all copies). */
  private readonly copyTemps = new Map<number, number[]>();
  private readonly ptr: number;
  private readonly raw: EntryPoints;
  /** Scratch of copies(): the pairs of one parallel copy (destination and source locals, argument position). */
  private readonly pairs = { dst: [] as number[], src: [] as number[], at: [] as number[] };
  /** The copy (a count) in which each local was last a destination. */
  private dstStamp = new Int32Array(0);
  private copyStamp = 0;
  /** A literal's room in binaryen's memory, for every constant (`constant`), once one is made. */
  private literal: number | undefined;

  constructor(
    private readonly b: Binaryen,
    private readonly mod: BinaryenModule,
    private readonly names: ModuleNames,
    private readonly sigs: CallSignatures,
    private readonly f: FunctionBody,
  ) {
    this.ptr = (mod as unknown as { ptr: number }).ptr;
    this.raw = b as unknown as EntryPoints;
  }

  private bt(t: ValType): number {
    return this.b[t];
  }

  private btypes(ts: ValType[]): number {
    return ts.length === 0
      ? this.b.none
      : ts.length === 1
        ? this.bt(ts[0])
        : this.b.createType(ts.map((t) => this.bt(t)));
  }

  private newLocal(type: number): number {
    this.localTypes.push(type);
    return this.f.params.length + this.localTypes.length - 1;
  }

  private local(v: ValueId): number {
    v = this.f.resolve(v);
    const l = this.plan.localOf.get(v);
    if (l === undefined) throw new BackendError(`v${v} has no local (is it defined in a reachable block?)`);
    return l;
  }

  private isConst(v: ValueId): boolean {
    const d = this.f.values[v];
    return d.kind === "op" && d.op.name === "const";
  }

  /** The expression that reads a value: its constant, its tree, or its local. */
  private get(v: ValueId): Ref {
    v = this.f.resolve(v);
    const d = this.f.values[v];
    if (d.kind === "op" && (d.op.name === "const" || this.plan.inline.has(v))) return this.operator(v, d.op, d.args);
    return this.mod.local.get(this.local(v), d.kind === "op" ? this.btypes(d.types) : this.bt(this.f.typeOf(v)));
  }

  /** Operand `k` of instruction `user`: the value's read, or, where the plan tees it, its computation. */
  private operand(x: ValueId, user: ValueId, k: number): Ref {
    const v = this.f.resolve(x);
    return this.plan.tees.at(v, user, k) ? this.teed(v) : this.get(v);
  }

  /** Block `blk`'s terminator's operands (its condition, index or returned values), in terminatorOperands' order —
   *  the plan's order of evaluation, in which it placed its tees: built once per emission of the block. */
  private terminatorOperands(blk: BlockId): Ref[] {
    const vs = terminatorOperands(this.f, this.f.blocks[blk].term);
    return vs.map((v, k) => (this.plan.tees.atTerminator(v, blk, k) ? this.teed(v) : this.get(v)));
  }

  /** A teed value's computation, inside the `local.tee` that sets its local. */
  private teed(v: ValueId): Ref {
    const d = this.f.values[v] as { kind: "op"; op: Operator; args: ValueId[]; types: ValType[] };
    return this.mod.local.tee(this.local(v), this.operator(v, d.op, d.args), this.btypes(d.types));
  }

  emit(name: string, segmentBlocks: number, structured: boolean): void {
    const { f, mod, b } = this;
    const order = f.reversePostorder();
    // Entry parameters are the function's parameters (locals 0..n-1). If the entry block is also a branch target,
    // a fresh entry copies the parameters into it.
    const entryHasPreds = order.some((blk) => targetsOf(f.blocks[blk].term).some((t) => t.block === f.entry));
    const dom = new DominatorTree(f, order); // shared by the local plan and the structurer
    this.plan = traced(f.name, "plan-locals", () => planLocals(f, order, !entryHasPreds, dom, structured));
    for (const t of this.plan.localTypes) this.localTypes.push(Array.isArray(t) ? this.btypes(t) : this.bt(t));
    this.dstStamp = new Int32Array(f.params.length + this.plan.localTypes.length);
    let bodyRef = structured
      ? traced(f.name, "structure", () =>
          structuredBody(
            b,
            mod,
            f,
            order,
            {
              code: (blk) => this.blockCode(blk),
              copies: (t) => this.copies(t),
              operand: (blk) => this.terminatorOperands(blk)[0],
            },
            entryHasPreds ? this.entryCopies() : [],
            dom,
          ),
        )
      : undefined;
    bodyRef ??= traced(f.name, "relooper", () => this.relooped(order, entryHasPreds, segmentBlocks));
    // Every path ends in a return or a trap, but the outer block has type none: tell the validator.
    if (f.results.length) bodyRef = mod.block(null, [bodyRef, mod.unreachable()], this.btypes(f.results));
    mod.addFunction(name, this.btypes(f.params), this.btypes(f.results), this.localTypes, bodyRef);
  }

  /** The body through binaryen's Relooper (any graph, irreducible too). */
  private relooped(order: BlockId[], entryHasPreds: boolean, segmentBlocks: number): Ref {
    const { f, mod, b } = this;
    // The Relooper renders recursively, as deep as its chain of shapes: a big function goes through it in segments,
    // one after the other (see segmentsOf).
    const segments = segmentsOf(f, order.length > segmentBlocks ? loopContiguousOrder(f) : order, segmentBlocks);
    const parts = segments.map((seg, k) => {
      // A label local of its own per segment: the Relooper expects it to hold zero where its code begins.
      const part = this.renderSegment(seg, segments[k + 1]?.[0], k === 0 && entryHasPreds, this.newLocal(b.i32));
      if (k > 0) suffixLabels(b, part, `$s${k}`); // each Relooper numbers its labels from scratch
      return part;
    });
    return parts.length === 1 ? parts[0] : mod.block(null, parts, b.none);
  }

  /** A block's instructions, and its return or trap when it ends in one. */
  private blockCode(blk: BlockId): Ref[] {
    const { f, mod } = this;
    const block = f.blocks[blk];
    const code: Ref[] = [];
    for (const v of block.insts) {
      const r = this.instruction(v);
      if (r !== undefined) code.push(r);
    }
    const term = block.term;
    if (term.kind === "return") {
      const vals = this.terminatorOperands(blk);
      code.push(mod.return(vals.length === 0 ? undefined : vals.length === 1 ? vals[0] : mod.tuple.make(vals)));
    } else if (term.kind === "return_call") {
      code.push(this.call(term.op, this.terminatorOperands(blk), true));
    } else if (term.kind === "unreachable" || term.kind === "none") {
      code.push(mod.unreachable());
    }
    return code;
  }

  /** A call or call_indirect operator (a call_indirect's table index last in `a`), as a Wasm tail call when `tail`
   *  (a return_call terminator's). */
  private call(op: Operator, a: Ref[], tail: boolean): Ref {
    const { mod, names } = this;
    if (op.name === "call") {
      const results = this.btypes(this.sigs.functions[op.index!].results);
      const name = names.functions[op.index!];
      return tail ? mod.return_call(name, a, results) : mod.call(name, a, results);
    }
    const sig = this.sigs.types[op.index!];
    const [table, index, args] = [names.tables[op.table!], a[a.length - 1], a.slice(0, -1)];
    const [params, results] = [this.btypes(sig.params), this.btypes(sig.results)];
    return tail
      ? mod.return_call_indirect(table, index, args, params, results)
      : mod.call_indirect(table, index, args, params, results);
  }

  /** The entry parameters' copies from the function's parameters (when the entry is also a branch target). */
  private entryCopies(): Ref[] {
    const { f, mod } = this;
    return f.blocks[f.entry].params.map((p, i) => mod.local.set(this.local(p), mod.local.get(i, this.bt(f.params[i]))));
  }

  /** One segment's blocks through a Relooper; edges to `exitTo` (the next segment's first block) leave it. */
  private renderSegment(
    blocks: BlockId[],
    exitTo: BlockId | undefined,
    entryCopies: boolean,
    labelHelper: number,
  ): Ref {
    const { f, mod, b } = this;
    const rl = new b.Relooper(mod);
    const rblocks = new Map<BlockId, number>();
    // Leaving the segment: a block that breaks out of the whole rendered structure. (The Relooper takes a block
    // with no branches to end the function, so it may lay code after it; a plain empty block would fall into that.)
    // The Relooper sees a placeholder of the branch's type, replaced after rendering: when its output names two
    // blocks alike, it renames them (UniqueNameMapper::uniquify), and that throws on a branch to a label defined
    // outside what it rendered. (A placeholder no other block's code can equal, which the Relooper might merge it
    // with: no block of ours writes its label local.)
    const exitLabel = "futamura$segment$exit";
    const exitMark =
      exitTo === undefined
        ? undefined
        : mod.block(null, [mod.local.set(labelHelper, mod.i32.const(-1)), mod.unreachable()], b.unreachable);
    if (exitTo !== undefined) rblocks.set(exitTo, rl.addBlock(exitMark!));
    const pendingEdges: (() => void)[] = [];
    const add = (blk: BlockId) => {
      const term = f.blocks[blk].term;
      const code = this.blockCode(blk);
      if (term.kind === "table" && !oneEdge(term.targets, term.default)) {
        const rb = rl.addBlockWithSwitch(mod.block(null, code, b.none), this.terminatorOperands(blk)[0]);
        rblocks.set(blk, rb);
        pendingEdges.push(() => this.switchEdges(rl, rb, term.targets, term.default, rblocks));
      } else {
        // A br_table of one edge goes as a branch after its index, evaluated and dropped: the Relooper renders no
        // switch for it and drops its condition, which may hold a tee or an effect (locals.ts terminatorOperands).
        if (term.kind === "table") code.push(mod.drop(this.terminatorOperands(blk)[0]));
        const rb = rl.addBlock(mod.block(null, code, b.none));
        rblocks.set(blk, rb);
        const to = term.kind === "br" ? term.target : term.kind === "table" ? term.default : undefined;
        if (to) pendingEdges.push(() => rl.addBranch(rb, rblocks.get(to.block)!, 0, this.copies(to)));
        if (term.kind === "cond")
          pendingEdges.push(() => {
            const thenTo = rblocks.get(term.then.block)!;
            const elseTo = rblocks.get(term.else.block)!;
            if (term.then.block === term.else.block) {
              // The Relooper takes one branch per target: route the else edge through a trampoline.
              const tramp = rl.addBlock(mod.nop());
              rl.addBranch(tramp, elseTo, 0, this.copies(term.else));
              rl.addBranch(rb, thenTo, this.terminatorOperands(blk)[0], this.copies(term.then));
              rl.addBranch(rb, tramp, 0, mod.nop());
              return;
            }
            const cond = this.terminatorOperands(blk)[0];
            rl.addBranch(rb, thenTo, cond, this.copies(term.then));
            rl.addBranch(rb, elseTo, 0, this.copies(term.else));
          });
      }
    };
    for (const blk of blocks) add(blk);
    // A block that ends the function (return, trap) may be reached from other segments too: each gets a copy.
    for (const blk of blocks)
      for (const t of targetsOf(f.blocks[blk].term)) if (!rblocks.has(t.block) && isSink(f, t.block)) add(t.block);
    for (const e of pendingEdges) e();
    let entry = rblocks.get(blocks[0])!;
    if (entryCopies) {
      const pre = rl.addBlock(mod.block(null, this.entryCopies(), b.none));
      rl.addBranch(pre, entry, 0, mod.nop());
      entry = pre;
    }
    const rendered = rl.renderAndDispose(entry, labelHelper);
    if (exitMark === undefined) return rendered;
    replaceInControl(b, rendered, exitMark, () => mod.br(exitLabel));
    return mod.block(exitLabel, [rendered], b.none);
  }

  private switchEdges(
    rl: InstanceType<Binaryen["Relooper"]>,
    from: number,
    targets: Target[],
    def: Target,
    rblocks: Map<BlockId, number>,
  ): void {
    const { mod } = this;
    // Group indexes by (target block, arguments); a block reached with different arguments gets trampolines.
    const groups = new Map<string, { target: Target; indexes: number[]; isDefault: boolean }>();
    targets.forEach((t, i) => {
      const key = `${t.block}:${t.args.join(",")}`;
      const g = groups.get(key) ?? { target: t, indexes: [], isDefault: false };
      g.indexes.push(i);
      groups.set(key, g);
    });
    const defKey = `${def.block}:${def.args.join(",")}`;
    const dg = groups.get(defKey) ?? { target: def, indexes: [], isDefault: true };
    dg.isDefault = true;
    groups.set(defKey, dg);
    const usedBlocks = new Set<BlockId>();
    for (const g of groups.values()) {
      let to = rblocks.get(g.target.block)!;
      let code = this.copies(g.target);
      if (usedBlocks.has(g.target.block)) {
        const tramp = rl.addBlock(mod.nop());
        rl.addBranch(tramp, to, 0, code);
        to = tramp;
        code = mod.nop();
      }
      usedBlocks.add(g.target.block);
      // The default branch is the one with no indexes; the default group's own indexes fall to it anyway.
      rl.addBranchForSwitch(from, to, g.isDefault ? [] : g.indexes, code);
    }
  }

  /** The parallel copy of a target's arguments into its parameters. */
  private copies(t: Target): Ref {
    const { mod, f } = this;
    const params = f.blocks[t.block].params;
    // The pairs whose destination is not already their source, in scratch reused by every copy (this runs once per
    // edge). A constant argument has no local (src -1): it is written directly and never overwritten by the copy.
    const { dst, src, at } = this.pairs;
    dst.length = src.length = at.length = 0;
    const stamp = ++this.copyStamp;
    for (let i = 0; i < t.args.length; i++) {
      const a = t.args[i];
      const d = this.local(params[i]);
      const s = this.isConst(f.resolve(a)) ? -1 : this.local(a);
      if (d === s) continue;
      dst.push(d);
      src.push(s);
      at.push(i);
      this.dstStamp[d] = stamp;
    }
    if (dst.length === 0) return mod.nop();
    const needTemps = src.some((s) => s >= 0 && this.dstStamp[s] === stamp);
    if (!needTemps)
      return mod.block(
        null,
        dst.map((d, k) => mod.local.set(d, this.get(t.args[at[k]]))),
        this.b.none,
      );
    // Temporaries live only inside one parallel copy, so every copy shares the same ones (per type).
    const types = at.map((i) => this.btypes(f.typesOf(params[i])));
    const used = new Map<number, number>();
    const temp = (type: number) => {
      const k = used.get(type) ?? 0;
      used.set(type, k + 1);
      let pool = this.copyTemps.get(type);
      if (!pool) this.copyTemps.set(type, (pool = []));
      if (pool.length <= k) pool.push(this.newLocal(type));
      return pool[k];
    };
    if (this.plan.simplify) return this.sequentialCopies(t, types, temp);
    const temps = types.map(temp);
    const code: Ref[] = [];
    at.forEach((i, k) => code.push(mod.local.set(temps[k], this.get(t.args[i]))));
    dst.forEach((d, k) => code.push(mod.local.set(d, mod.local.get(temps[k], types[k]))));
    return mod.block(null, code, this.b.none);
  }

  /** The parallel copy in this.pairs as a sequence: each pair once no pair left reads its destination, a cycle
   *  broken by saving one destination's old value in a temporary (from `temp`, a fresh one per call) that its
   *  readers read instead. */
  private sequentialCopies(t: Target, types: number[], temp: (type: number) => number): Ref {
    const { mod } = this;
    const { dst, src, at } = this.pairs;
    const reads = new Map<number, number>(); // pending pairs reading each local
    for (const s of src) if (s >= 0) reads.set(s, (reads.get(s) ?? 0) + 1);
    const saved = new Map<number, number>(); // pair -> the temporary holding its source
    const pending = dst.map((_, k) => k);
    const code: Ref[] = [];
    while (pending.length) {
      let k = pending.findIndex((p) => !reads.get(dst[p]));
      if (k < 0) {
        // Every destination left is still to be read: a cycle. Save the first pair's destination for its readers.
        const d = dst[pending[0]];
        const tmp = temp(types[pending[0]]);
        code.push(mod.local.set(tmp, mod.local.get(d, types[pending[0]])));
        for (const q of pending) if (src[q] === d && !saved.has(q)) saved.set(q, tmp);
        reads.set(d, 0);
        k = 0;
      }
      const p = pending[k];
      pending.splice(k, 1);
      const tmp = saved.get(p);
      code.push(mod.local.set(dst[p], tmp === undefined ? this.get(t.args[at[p]]) : mod.local.get(tmp, types[p])));
      if (tmp === undefined && src[p] >= 0) reads.set(src[p], reads.get(src[p])! - 1);
    }
    return mod.block(null, code, this.b.none);
  }

  /** The statement for one instruction, or undefined when it is emitted elsewhere (a tree, a constant). */
  private instruction(v: ValueId): Ref | undefined {
    const { f, mod, plan } = this;
    const d = f.values[v];
    switch (d.kind) {
      case "pick": {
        const of = f.values[d.value];
        if (of.kind !== "op") throw new BackendError(`v${v} picks from v${d.value}, which is not an operator`);
        const tuple = mod.local.get(this.local(d.value), this.btypes(of.types));
        const picked = mod.tuple.extract(tuple, d.index);
        return plan.dropped.has(v) || !plan.localOf.has(v) ? mod.drop(picked) : mod.local.set(this.local(v), picked);
      }
      case "alias":
        return undefined;
      case "op": {
        if (d.op.name === "const" || plan.inline.has(v) || plan.tees.has(v)) return undefined;
        const expr = this.operator(v, d.op, d.args);
        if (d.types.length === 0) return expr;
        return plan.dropped.has(v) ? mod.drop(expr) : mod.local.set(this.local(v), expr);
      }
      default:
        throw new BackendError(`v${v} (${d.kind}) cannot be an instruction`);
    }
  }

  /** A constant's expression, through binaryen's C entry points as binaryen.js's `i32.const` and the like call them
   *  (the literal in a buffer, then the const), but the buffer is this emitter's, not one on binaryen's stack per
   *  constant (constants are made again at every use: most of a function's expressions). */
  private constant(c: Const): Ref {
    const raw = this.raw;
    const lit = (this.literal ??= raw._malloc(raw._BinaryenSizeofLiteral()));
    if (c.type === "i32") raw._BinaryenLiteralInt32(lit, c.bits | 0);
    else if (c.type === "i64") raw._BinaryenLiteralInt64(lit, BigInt.asIntN(64, c.bits));
    else if (c.type === "f32") raw._BinaryenLiteralFloat32Bits(lit, c.bits | 0);
    else raw._BinaryenLiteralFloat64Bits(lit, BigInt.asIntN(64, c.bits));
    return raw._BinaryenConst(this.ptr, lit);
  }

  /** Frees what the emission allocated in binaryen's memory. */
  dispose(): void {
    if (this.literal !== undefined) this.raw._free(this.literal);
    this.literal = undefined;
  }

  /** Instruction `v`'s expression (operator `op` on `args`). */
  private operator(v: ValueId, op: Operator, args: ValueId[]): Ref {
    const { b, mod, names, raw } = this;
    const a = args.map((x, k) => this.operand(x, v, k));
    const info = OPS_BY_NAME.get(op.name);
    if (info) {
      if (info.cls === "numeric") {
        const code = (b as unknown as Record<string, number>)[info.binaryen!];
        return info.params.length === 1
          ? raw._BinaryenUnary(this.ptr, code, a[0])
          : raw._BinaryenBinary(this.ptr, code, a[0], a[1]);
      }
      const [ty, fn] = memoryOpParts(op.name);
      const { offset, align } = op.memarg!;
      if (info.cls === "load")
        return raw._BinaryenLoad(this.ptr, info.bytes!, !fn.endsWith("_u"), offset, 1 << align, b[ty], a[0], 0);
      return raw._BinaryenStore(this.ptr, info.bytes!, offset, 1 << align, a[0], a[1], b[ty], 0);
    }
    switch (op.name) {
      case "const":
        return this.constant(op.value!);
      case "select":
        return mod.select(a[2], a[0], a[1]);
      case "call":
      case "call_indirect":
        return this.call(op, a, false);
      case "global.get":
        return mod.global.get(names.globals[op.index!], this.btypes(this.f.typesOf(v)));
      case "global.set":
        return mod.global.set(names.globals[op.index!], a[0]);
      case "memory.size":
        return mod.memory.size();
      case "memory.grow":
        return mod.memory.grow(a[0]);
      case "memory.copy":
        return mod.memory.copy(a[0], a[1], a[2]);
      case "memory.fill":
        return mod.memory.fill(a[0], a[1], a[2]);
      case "memory.init":
        return mod.memory.init(names.dataSegments[op.index!], a[0], a[1], a[2]);
      case "data.drop":
        return mod.data.drop(names.dataSegments[op.index!]);
      default:
        throw new BackendError(`cannot emit operator '${op.name}'`);
    }
  }
}

/** Blocks per Relooper segment, at least (binaryen's Relooper recursed past V8's stack on ~30k blocks). */
export const SEGMENT_BLOCKS = 2000;

/** The blocks (in an order where loops are contiguous: loop-order.ts) cut into consecutive segments of at least `size` blocks where possible. A
 *  cut before block X is valid when every edge that crosses it goes forward into X itself: no forward edge jumps
 *  over X, and no loop spans it. Edges into blocks that end the function (a return, a trap: the error paths an
 *  interpreter has everywhere) do not count: a segment that reaches one renders its own copy. Then segment k's only way on is into X, the first block of segment k + 1, so the
 *  segments can run one after the other. Linear: intervals marked in a difference array. */
export function segmentsOf(f: FunctionBody, order: BlockId[], size: number): BlockId[][] {
  if (order.length <= size) return [order];
  const pos = new Map(order.map((blk, i) => [blk, i]));
  const crossing = new Int32Array(order.length + 1);
  const mark = (from: number, to: number) => {
    if (from > to) return;
    crossing[from]++;
    crossing[to + 1]--;
  };
  order.forEach((blk, i) => {
    for (const t of targetsOf(f.blocks[blk].term)) {
      if (isSink(f, t.block)) continue; // copied into every segment that reaches it
      const j = pos.get(t.block)!;
      if (j > i)
        mark(i + 1, j - 1); // a forward edge: no cut strictly between
      else mark(j + 1, i); // a back edge: no cut inside the loop (a cut at its header is fine)
    }
  });
  const segments: BlockId[][] = [];
  let start = 0;
  let open = 0;
  for (let p = 1; p < order.length; p++) {
    open += crossing[p - 1];
    if (p - start >= size && open + crossing[p] === 0) {
      segments.push(order.slice(start, p));
      start = p;
    }
  }
  segments.push(order.slice(start));
  return segments;
}

/** binaryen.js's expression classes, which it has at run time and its .d.ts does not declare. */
type ControlView = Binaryen & {
  Block: Named & {
    getNumChildren(e: Ref): number;
    getChildAt(e: Ref, i: number): Ref;
    setChildAt(e: Ref, i: number, c: Ref): void;
  };
  Loop: Named & { getBody(e: Ref): Ref; setBody(e: Ref, c: Ref): void };
  If: {
    getIfTrue(e: Ref): Ref;
    getIfFalse(e: Ref): Ref;
    setIfTrue(e: Ref, c: Ref): void;
    setIfFalse(e: Ref, c: Ref): void;
  };
  Break: Named;
  Switch: {
    getNumNames(e: Ref): number;
    getNameAt(e: Ref, i: number): string;
    setNameAt(e: Ref, i: number, name: string): void;
    getDefaultName(e: Ref): string;
    setDefaultName(e: Ref, name: string): void;
  };
};
type Named = { getName(e: Ref): string; setName(e: Ref, name: string): void };

/** Visit every expression of the control structure the Relooper made of `expr` (blocks, loops, ifs and what they
 *  hold directly), with an explicit stack: the code inside is the backend's own and has no labels. */
function walkControl(b: ControlView, expr: Ref, visit: (e: Ref, id: number) => void): void {
  const stack: Ref[] = [expr];
  while (stack.length) {
    const e = stack.pop()!;
    const id = b.getExpressionId(e);
    visit(e, id);
    if (id === b.BlockId) {
      for (let i = 0, n = b.Block.getNumChildren(e); i < n; i++) stack.push(b.Block.getChildAt(e, i));
    } else if (id === b.LoopId) {
      stack.push(b.Loop.getBody(e));
    } else if (id === b.IfId) {
      stack.push(b.If.getIfTrue(e));
      const no = b.If.getIfFalse(e);
      if (no) stack.push(no);
    }
  }
}

/** Append `suffix` to every label the Relooper put in `expr` (blocks, loops, and the branches to them). */
function suffixLabels(binaryen: Binaryen, expr: Ref, suffix: string): void {
  const b = binaryen as ControlView;
  walkControl(b, expr, (e, id) => {
    if (id === b.BlockId) {
      const name = b.Block.getName(e);
      if (name) b.Block.setName(e, name + suffix);
    } else if (id === b.LoopId) {
      b.Loop.setName(e, b.Loop.getName(e) + suffix);
    } else if (id === b.BreakId) {
      b.Break.setName(e, b.Break.getName(e) + suffix);
    } else if (id === b.SwitchId) {
      for (let i = 0, n = b.Switch.getNumNames(e); i < n; i++)
        b.Switch.setNameAt(e, i, b.Switch.getNameAt(e, i) + suffix);
      b.Switch.setDefaultName(e, b.Switch.getDefaultName(e) + suffix);
    }
  });
}

/** Replace each place `mark` (an expression the Relooper was given as a block's code) holds in the control
 *  structure of `expr` with a fresh `make()`. */
function replaceInControl(binaryen: Binaryen, expr: Ref, mark: Ref, make: () => Ref): void {
  const b = binaryen as ControlView;
  walkControl(b, expr, (e, id) => {
    if (id === b.BlockId) {
      for (let i = 0, n = b.Block.getNumChildren(e); i < n; i++)
        if (b.Block.getChildAt(e, i) === mark) b.Block.setChildAt(e, i, make());
    } else if (id === b.LoopId) {
      if (b.Loop.getBody(e) === mark) b.Loop.setBody(e, make());
    } else if (id === b.IfId) {
      if (b.If.getIfTrue(e) === mark) b.If.setIfTrue(e, make());
      if (b.If.getIfFalse(e) === mark) b.If.setIfFalse(e, make());
    }
  });
}

/** Whether a br_table's targets and default are all one edge (the same block, with the same arguments). */
function oneEdge(targets: Target[], def: Target): boolean {
  const same = (t: Target) => t.block === def.block && t.args.every((a, i) => a === def.args[i]);
  return targets.every(same);
}

/** A block that ends the function: no successors (a return or a trap). */
export function isSink(f: FunctionBody, b: BlockId): boolean {
  const k = f.blocks[b].term.kind;
  return k === "return" || k === "return_call" || k === "unreachable";
}

/** A load's or store's name as binaryen's module groups it (`i64.load8_u`: group i64, method load8_u), split once per
 *  name: a split per memory access was two strings and an array each. */
const MEMORY_OP_PARTS = new Map<string, [ValType, string]>();
function memoryOpParts(name: string): [ValType, string] {
  let parts = MEMORY_OP_PARTS.get(name);
  if (!parts) MEMORY_OP_PARTS.set(name, (parts = name.split(".") as [ValType, string]));
  return parts;
}
