// Frontend: one Wasm function body → SSA IR. Decodes the bytes itself (precise errors naming the function, the
// opcode and its byte offset; exact function indices; fast), turning structured control flow into a CFG as it
// goes: `block`/`if` get a continuation block whose parameters are the results, `loop` a header block whose
// parameters are the loop's parameters, and branches pass the operand-stack values as arguments.
//
// Wasm locals become SSA values with the on-the-fly construction of Braun et al., "Simple and Efficient
// Construction of Static Single Assignment Form" (CC 2013): each block maps a local to its current definition;
// reading a local a block does not define asks its predecessors, and where they may disagree the block gets a
// parameter. A block is *sealed* once all its predecessors are known (entry at once; if-arms and fall-through
// blocks at creation; a block's continuation and a loop header at the construct's `end`); reads in an unsealed
// block create "incomplete" parameters whose arguments are filled in when it is sealed. Trivial parameters are kept
// (binaryen removes the copies); unreachable code after br/return/unreachable is decoded but not translated.
//
// Covers MVP, sign extension, bulk memory (memory.copy/fill/init, data.drop), non-trapping float-to-int,
// mutable globals and multi-value blocks and calls; anything else is a WasmDecodeError naming function and opcode.
import { FunctionBody, targetsOf, type BlockId, type Operator, type ValueId } from "./ir.ts";
import { Reader, WasmDecodeError, type FuncType, type WasmModuleInfo } from "./module.ts";
import type { ValType } from "./types.ts";
import { OPS_BY_CODE, type OpInfo } from "./wasm-ops.ts";
import { IMM, immediatesOf, prefixedImmediatesOf, type Imm } from "../../util/wasm-immediates.ts";

interface Frame {
  kind: "block" | "loop" | "if" | "else" | "function";
  type: FuncType;
  /** Operand-stack height below the frame's parameters. */
  height: number;
  /** Where a branch to this frame's label goes: the loop header for loops, the continuation otherwise. */
  label: BlockId;
  /** Where execution continues after `end`. */
  after: BlockId;
  /** `if` only: the else arm's block and the parameter values both arms start from. */
  elseBlock?: BlockId;
  ifParams?: ValueId[];
}

/**
 * The immediates of the instruction being translated, as `readImmediates` decoded them: one record reused for every
 * instruction (no allocation per instruction); each field is meaningful only for the opcodes its comment names.
 */
interface Immediates {
  /** Label depth (br, br_if, br_table's default); function, type, local, global or data index; i32/f32 bits. */
  a: number;
  /** call_indirect's table index. */
  b: number;
  /** memory.size/grow/init/fill's memory index; memory.copy's two OR'ed (nonzero means multi-memory). */
  memory: number;
  /** i64 or f64 constant bits. */
  wide: bigint;
  /** br_table's label depths, default excluded. */
  depths: number[];
  /** Loads and stores. */
  memarg: { offset: number; align: number } | undefined;
  /** Numeric (including 0xFC 0..7), load and store opcodes: the opcode table's row. */
  info: OpInfo | undefined;
}

const UNSUPPORTED_PREFIX: Record<number, string> = { 0xfd: "SIMD", 0xfb: "GC", 0xfe: "threads (atomics)" };
const UNSUPPORTED_OPS: Record<number, string> = {
  0x06: "try (exceptions)",
  0x07: "catch (exceptions)",
  0x08: "throw (exceptions)",
  0x09: "rethrow (exceptions)",
  0x0a: "throw_ref (exceptions)",
  0x18: "delegate (exceptions)",
  0x19: "catch_all (exceptions)",
  0x1f: "try_table (exceptions)",
  0x25: "table.get (reference types)",
  0x26: "table.set (reference types)",
  0xd0: "ref.null (reference types)",
  0xd1: "ref.is_null (reference types)",
  0xd2: "ref.func (reference types)",
};

/** The instructions without immediates that `live` translates beside the opcode table's numeric ones: unreachable,
 *  nop, return, drop, select. */
const NO_IMMEDIATES = new Set([0x00, 0x01, 0x0f, 0x1a, 0x1b]);

export function buildFunctionIR(info: WasmModuleInfo, funcIndex: number): FunctionBody {
  const fn = info.functions[funcIndex];
  if (!fn) throw new WasmDecodeError(`no function with index ${funcIndex}`);
  if (!fn.body) throw new WasmDecodeError(`function ${fn.name} (index ${funcIndex}) is imported: it has no body`);
  return new FunctionBuilder(info, funcIndex).build();
}

class FunctionBuilder {
  private readonly f: FunctionBody;
  private readonly r: Reader;
  private localTypes: ValType[] = [];
  /** Braun et al.: current definition of each local per block. */
  private defs: Map<BlockId, ValueId>[] = [];
  private sealed = new Set<BlockId>();
  private incomplete = new Map<BlockId, { local: number; param: ValueId }[]>();
  private preds = new Map<BlockId, BlockId[]>();
  private cur: BlockId | null = null;
  private stack: ValueId[] = [];
  private frames: Frame[] = [];
  private deadDepth = 0;
  private opAt = 0;
  private readonly imm: Immediates = {
    a: 0,
    b: 0,
    memory: 0,
    wide: 0n,
    depths: [],
    memarg: undefined,
    info: undefined,
  };

  constructor(
    private readonly info: WasmModuleInfo,
    private readonly funcIndex: number,
  ) {
    const fn = info.functions[funcIndex];
    this.f = new FunctionBody(fn.name, fn.type.params, fn.type.results);
    this.r = new Reader(info.bytes, fn.body!.start, fn.body!.end);
  }

  private fail(msg: string): never {
    const fn = this.info.functions[this.funcIndex];
    throw new WasmDecodeError(`function ${fn.name} (index ${this.funcIndex}): ${msg} at byte ${this.opAt}`);
  }

  build(): FunctionBody {
    const f = this.f;
    const entry = f.addBlock();
    f.entry = entry;
    this.sealed.add(entry);
    this.localTypes = [...f.params];
    for (let groups = this.r.u32(); groups > 0; groups--) {
      const n = this.r.u32();
      const t = this.r.valtype();
      for (let i = 0; i < n; i++) this.localTypes.push(t);
    }
    this.defs = this.localTypes.map(() => new Map());
    f.params.forEach((t, i) => this.defs[i].set(entry, f.addBlockParam(entry, t)));
    this.cur = entry;
    for (let i = f.params.length; i < this.localTypes.length; i++)
      this.defs[i].set(entry, this.constOf(this.localTypes[i]));
    const exit = f.addBlock();
    f.results.forEach((t) => f.addBlockParam(exit, t));
    this.frames.push({
      kind: "function",
      type: { params: [], results: f.results },
      height: 0,
      label: exit,
      after: exit,
    });
    while (this.frames.length > 0) this.instruction();
    if (this.r.at !== this.r.end) this.fail("bytes after the function's final end");
    // The function frame's continuation returns its parameters.
    f.setTerminator(exit, { kind: "return", values: [...f.blocks[exit].params] });
    f.recomputePreds();
    return f;
  }

  // ---- SSA construction (Braun et al.) ----

  private write(local: number, block: BlockId, v: ValueId): void {
    this.defs[local].set(block, v);
  }

  private read(local: number, block: BlockId): ValueId {
    return this.defs[local].get(block) ?? this.readRecursive(local, block);
  }

  private readRecursive(local: number, block: BlockId): ValueId {
    let v: ValueId;
    const preds = this.preds.get(block) ?? [];
    if (!this.sealed.has(block)) {
      v = this.f.addBlockParam(block, this.localTypes[local]);
      const list = this.incomplete.get(block) ?? [];
      list.push({ local, param: v });
      this.incomplete.set(block, list);
    } else if (preds.length === 1) {
      v = this.read(local, preds[0]);
    } else {
      v = this.f.addBlockParam(block, this.localTypes[local]);
      this.write(local, block, v);
      this.addParamArgs(local, block);
    }
    this.write(local, block, v);
    return v;
  }

  /** Append the local's value in each predecessor to that predecessor's branches into `block`. */
  private addParamArgs(local: number, block: BlockId): void {
    for (const p of this.preds.get(block) ?? []) {
      const v = this.read(local, p);
      for (const t of targetsOf(this.f.blocks[p].term)) if (t.block === block) t.args.push(v);
    }
  }

  private seal(block: BlockId): void {
    for (const { local } of this.incomplete.get(block) ?? []) this.addParamArgs(local, block);
    this.incomplete.delete(block);
    this.sealed.add(block);
  }

  // ---- emitting ----

  private constOf(type: ValType): ValueId {
    const value = type === "i32" || type === "f32" ? { type, bits: 0 } : { type, bits: 0n };
    return this.f.appendOp(this.cur!, { name: "const", value: value as never }, [], [type]);
  }

  private newBlock(paramTypes: ValType[] = []): BlockId {
    const b = this.f.addBlock();
    for (const t of paramTypes) this.f.addBlockParam(b, t);
    return b;
  }

  /** End the current block with `term` and record its edges as predecessors. */
  private terminate(term: FunctionBody["blocks"][number]["term"]): void {
    const from = this.cur!;
    this.f.setTerminator(from, term);
    for (const t of targetsOf(term)) {
      const list = this.preds.get(t.block) ?? [];
      if (!list.includes(from)) list.push(from);
      this.preds.set(t.block, list);
    }
    this.cur = null;
  }

  private pop(): ValueId {
    if (this.stack.length <= this.frames[this.frames.length - 1].height) this.fail("operand stack underflow");
    return this.stack.pop()!;
  }

  private popN(n: number): ValueId[] {
    const vals: ValueId[] = [];
    for (let i = 0; i < n; i++) vals.unshift(this.pop());
    return vals;
  }

  private peekN(n: number): ValueId[] {
    if (this.stack.length - n < this.frames[this.frames.length - 1].height) this.fail("operand stack underflow");
    return this.stack.slice(this.stack.length - n);
  }

  private emit(op: Operator, args: ValueId[], types: ValType[]): void {
    const v = this.f.appendOp(this.cur!, op, args, types);
    if (types.length === 1) this.stack.push(v);
    else types.forEach((t, i) => this.stack.push(this.f.appendPick(this.cur!, v, i, t)));
  }

  private blockType(): FuncType {
    const first = this.info.bytes[this.r.at];
    if (first === 0x40) {
      this.r.at++;
      return { params: [], results: [] };
    }
    if (first === 0x7f || first === 0x7e || first === 0x7d || first === 0x7c)
      return { params: [], results: [this.r.valtype()] };
    const idx = this.r.s32();
    if (idx < 0 || !this.info.types[idx]) this.fail(`bad block type ${idx}`);
    return this.info.types[idx];
  }

  private labelTarget(depth: number): { block: BlockId; arity: number } {
    const frame = this.frames[this.frames.length - 1 - depth];
    if (!frame) this.fail(`branch depth ${depth} is out of range`);
    return { block: frame.label, arity: frame.kind === "loop" ? frame.type.params.length : frame.type.results.length };
  }

  // ---- decoding immediates (their layout: util/wasm-immediates.ts) ----

  /**
   * Read the immediates of the instruction `code` into `this.imm`, in live and dead code alike, and return its
   * opcode (0xfc00 + sub-opcode for the 0xFC prefix). Only instructions `live` translates are read: anything else
   * is named as unsupported. Validates only what makes the bytes unreadable (memarg flags, value types); what the
   * immediates refer to is checked where they are used.
   */
  private readImmediates(code: number): number {
    let op = code;
    let layout: Imm | undefined;
    if (code === 0xfc) {
      const sub = this.r.u32();
      op = 0xfc00 + sub;
      if (sub > 11) this.fail(`unsupported instruction 0xfc ${sub} (table/reference-type operations)`);
      layout = prefixedImmediatesOf(code, sub);
    } else if (!UNSUPPORTED_PREFIX[code] && !UNSUPPORTED_OPS[code]) layout = immediatesOf(code);
    this.imm.info = OPS_BY_CODE.get(op);
    if (layout === undefined || (layout === IMM.none && !this.imm.info && !NO_IMMEDIATES.has(op)))
      this.unsupported(code);
    this.readLayout(layout);
    return op;
  }

  /** Read immediates of the layout `layout` into `this.imm`: a table-shaped switch over the layouts `live` uses. */
  private readLayout(layout: Imm): void {
    const r = this.r;
    const imm = this.imm;
    switch (layout) {
      case IMM.none:
        return;
      case IMM.label:
      case IMM.func:
      case IMM.local:
      case IMM.global:
      case IMM.data:
        imm.a = r.u32();
        return;
      case IMM.brTable: {
        // the depths, then the default's in `a`
        const n = r.u32();
        imm.depths = Array.from({ length: n }, () => r.u32());
        imm.a = r.u32();
        return;
      }
      case IMM.typeTable:
        imm.a = r.u32();
        imm.b = r.u32();
        return;
      case IMM.valTypes: // select t*: the types are read and dropped
        for (let n = r.u32(); n > 0; n--) r.valtype();
        return;
      case IMM.memory:
        imm.memory = r.u32();
        return;
      case IMM.dataMemory:
        imm.a = r.u32();
        imm.memory = r.u32();
        return;
      case IMM.memoryMemory:
        imm.memory = r.u32() | r.u32();
        return;
      case IMM.memarg:
        imm.memarg = this.memarg();
        return;
      case IMM.i32:
        imm.a = r.s32() >>> 0;
        return;
      case IMM.i64:
        imm.wide = r.s64();
        return;
      case IMM.f32:
        imm.a = r.f32bits();
        return;
      case IMM.f64:
        imm.wide = r.f64bits();
        return;
    }
    this.fail(`internal: immediates of layout ${layout} are not read by the frontend`);
  }

  private memarg(): { offset: number; align: number } {
    const align = this.r.u32();
    if (align & 0x40) this.fail("multi-memory memargs are not supported");
    return { align, offset: this.r.u32() };
  }

  private unsupported(code: number): never {
    if (UNSUPPORTED_PREFIX[code])
      this.fail(`unsupported ${UNSUPPORTED_PREFIX[code]} instruction (prefix 0x${code.toString(16)})`);
    if (UNSUPPORTED_OPS[code])
      this.fail(`unsupported instruction ${UNSUPPORTED_OPS[code]} (opcode 0x${code.toString(16)})`);
    this.fail(`unknown opcode 0x${code.toString(16)}`);
  }

  // ---- the instruction loop ----

  /** Decode one instruction; structure is tracked even in dead code, everything else there is decoded and dropped. */
  private instruction(): void {
    this.opAt = this.r.at;
    const code = this.r.u8();
    switch (code) {
      case 0x02: // block
      case 0x03: // loop
      case 0x04: // if
        this.open(code, this.blockType());
        return;
      case 0x05:
        this.elseArm();
        return;
      case 0x0b:
        this.end();
        return;
    }
    const op = this.readImmediates(code);
    if (this.cur !== null) this.live(op);
  }

  /** `block`, `loop` or `if` (`code`) of type `type`: push its frame and enter its first block. */
  private open(code: number, type: FuncType): void {
    if (this.cur === null) {
      this.deadDepth++;
      return;
    }
    if (code === 0x02) {
      const after = this.newBlock(type.results);
      this.frames.push({ kind: "block", type, height: this.stack.length - type.params.length, label: after, after });
    } else if (code === 0x03) {
      const args = this.popN(type.params.length);
      const header = this.newBlock(type.params);
      const after = this.newBlock(type.results);
      this.terminate({ kind: "br", target: { block: header, args } });
      this.cur = header;
      this.frames.push({ kind: "loop", type, height: this.stack.length, label: header, after });
      this.stack.push(...this.f.blocks[header].params);
    } else {
      this.openIf(type);
    }
  }

  private openIf(type: FuncType): void {
    const cond = this.pop();
    const params = this.peekN(type.params.length);
    const thenBlock = this.newBlock();
    const elseBlock = this.newBlock();
    const after = this.newBlock(type.results);
    this.terminate({
      kind: "cond",
      cond,
      then: { block: thenBlock, args: [] },
      else: { block: elseBlock, args: [] },
    });
    this.seal(thenBlock);
    this.seal(elseBlock);
    this.cur = thenBlock;
    this.frames.push({
      kind: "if",
      type,
      height: this.stack.length - params.length,
      label: after,
      after,
      elseBlock,
      ifParams: params,
    });
  }

  private elseArm(): void {
    if (this.deadDepth > 0) return;
    const frame = this.frames[this.frames.length - 1];
    if (frame.kind !== "if") this.fail("else without if");
    if (this.cur !== null)
      this.terminate({ kind: "br", target: { block: frame.after, args: this.popN(frame.type.results.length) } });
    this.stack.length = frame.height;
    this.stack.push(...frame.ifParams!);
    this.cur = frame.elseBlock!;
    frame.kind = "else";
  }

  /** `end`: close the innermost frame, branch to its continuation and continue there (or in dead code). */
  private end(): void {
    if (this.deadDepth > 0) {
      this.deadDepth--;
      return;
    }
    const frame = this.frames.pop()!;
    if (this.cur !== null) {
      this.frames.push(frame); // so popN checks against this frame's height
      const results = this.popN(frame.type.results.length);
      this.frames.pop();
      this.terminate({ kind: "br", target: { block: frame.after, args: results } });
    }
    if (frame.kind === "if") {
      // No else arm: the else block passes the parameters straight through.
      this.cur = frame.elseBlock!;
      this.terminate({ kind: "br", target: { block: frame.after, args: [...frame.ifParams!] } });
    }
    if (frame.kind === "loop") this.seal(frame.label);
    this.seal(frame.after);
    this.stack.length = frame.height;
    if (frame.kind === "function") return;
    if ((this.preds.get(frame.after) ?? []).length === 0) {
      this.f.setTerminator(frame.after, { kind: "unreachable" });
      this.cur = null;
      // The continuation is unreachable: what follows until the enclosing end is dead code.
    } else {
      this.cur = frame.after;
      this.stack.push(...this.f.blocks[frame.after].params);
    }
  }

  /**
   * Translate one non-structural instruction in live code from `this.imm`. A dispatch switch (one case per opcode
   * with its own translation; the numeric, load and store opcodes share the table-driven default).
   */
  private live(code: number): void {
    const imm = this.imm;
    switch (code) {
      case 0x00: // unreachable
        this.f.setTerminator(this.cur!, { kind: "unreachable" });
        this.cur = null;
        return;
      case 0x01: // nop
        return;
      case 0x0c: {
        // br
        const t = this.labelTarget(imm.a);
        this.terminate({ kind: "br", target: { block: t.block, args: this.peekN(t.arity) } });
        return;
      }
      case 0x0d:
        this.brIf();
        return;
      case 0x0e:
        this.brTable();
        return;
      case 0x0f: // return
        this.terminate({ kind: "return", values: this.peekN(this.f.results.length) });
        return;
      case 0x10:
        this.call();
        return;
      case 0x11:
        this.callIndirect();
        return;
      case 0x12: // return_call
      case 0x13: // return_call_indirect
        this.tailCall(code);
        return;
      case 0x1a: // drop
        this.pop();
        return;
      case 0x1b: // select
      case 0x1c: {
        // select t*
        const cond = this.pop();
        const [a, b] = this.popN(2);
        this.emit({ name: "select" }, [a, b, cond], [this.f.typeOf(a)]);
        return;
      }
      case 0x20: // local.get
        this.stack.push(this.read(this.localIndex(), this.cur!));
        return;
      case 0x21: // local.set
      case 0x22: {
        // local.tee
        const i = this.localIndex();
        const v = this.pop();
        this.write(i, this.cur!, v);
        if (code === 0x22) this.stack.push(v);
        return;
      }
      case 0x23:
      case 0x24:
        this.global(code);
        return;
      case 0x3f: // memory.size
      case 0x40: // memory.grow
      case 0xfc08: // memory.init
      case 0xfc09: // data.drop
      case 0xfc0a: // memory.copy
      case 0xfc0b: // memory.fill
        this.memory(code);
        return;
      case 0x41:
        this.emit({ name: "const", value: { type: "i32", bits: imm.a } }, [], ["i32"]);
        return;
      case 0x42:
        this.emit({ name: "const", value: { type: "i64", bits: imm.wide } }, [], ["i64"]);
        return;
      case 0x43:
        this.emit({ name: "const", value: { type: "f32", bits: imm.a } }, [], ["f32"]);
        return;
      case 0x44:
        this.emit({ name: "const", value: { type: "f64", bits: imm.wide } }, [], ["f64"]);
        return;
    }
    // Numeric (including 0xFC 0..7), load and store: readImmediates found the opcode in the table.
    const info = imm.info!;
    const op: Operator = { name: info.name };
    if (info.cls === "load" || info.cls === "store") op.memarg = imm.memarg;
    this.emit(op, this.popN(info.params.length), info.results);
  }

  /** memory.size, memory.grow and bulk memory (0xFC 8..11). */
  private memory(code: number): void {
    switch (code) {
      case 0x3f: // memory.size
        this.singleMemory();
        this.emit({ name: "memory.size" }, [], ["i32"]);
        return;
      case 0x40: // memory.grow
        this.singleMemory();
        this.emit({ name: "memory.grow" }, [this.pop()], ["i32"]);
        return;
      case 0xfc08: // memory.init
        this.singleMemory();
        this.emit({ name: "memory.init", index: this.imm.a }, this.popN(3), []);
        return;
      case 0xfc09:
        this.emit({ name: "data.drop", index: this.imm.a }, [], []);
        return;
      case 0xfc0a:
        this.singleMemory();
        this.emit({ name: "memory.copy" }, this.popN(3), []);
        return;
      case 0xfc0b:
        this.singleMemory();
        this.emit({ name: "memory.fill" }, this.popN(3), []);
        return;
    }
  }

  private brIf(): void {
    const t = this.labelTarget(this.imm.a);
    const cond = this.pop();
    const cont = this.newBlock();
    this.terminate({
      kind: "cond",
      cond,
      then: { block: t.block, args: this.peekN(t.arity) },
      else: { block: cont, args: [] },
    });
    this.seal(cont);
    this.cur = cont;
  }

  private brTable(): void {
    const def = this.labelTarget(this.imm.a);
    const index = this.pop();
    const args = this.peekN(def.arity);
    this.terminate({
      kind: "table",
      index,
      targets: this.imm.depths.map((d) => ({ block: this.labelTarget(d).block, args: [...args] })),
      default: { block: def.block, args: [...args] },
    });
  }

  private call(): void {
    const { op, args, results } = this.directCall();
    this.emit(op, args, results);
  }

  private callIndirect(): void {
    const { op, args, results } = this.indirectCall();
    this.emit(op, args, results);
  }

  /** return_call (0x12) or return_call_indirect (0x13): the call as a `return_call` terminator. The callee must
   *  return what this function returns (Wasm validation), so its results are the function's. */
  private tailCall(code: number): void {
    const { op, args, results } = code === 0x12 ? this.directCall() : this.indirectCall();
    if (results.join() !== this.f.results.join())
      this.fail(`a tail call's callee returns (${results.join(", ")}), the function (${this.f.results.join(", ")})`);
    this.terminate({ kind: "return_call", op, args });
  }

  /** A call's operator, its arguments popped from the stack, and its result types. */
  private directCall(): { op: Operator; args: ValueId[]; results: ValType[] } {
    const index = this.imm.a;
    const callee = this.info.functions[index];
    if (!callee) this.fail(`call to unknown function ${index}`);
    return { op: { name: "call", index }, args: this.popN(callee.type.params.length), results: callee.type.results };
  }

  /** A call_indirect's operator, its arguments (the table index last) popped from the stack, and its results. */
  private indirectCall(): { op: Operator; args: ValueId[]; results: ValType[] } {
    const { a: typeIndex, b: table } = this.imm;
    const type = this.info.types[typeIndex];
    if (!type) this.fail(`call_indirect with unknown type ${typeIndex}`);
    const callee = this.pop();
    const op = { name: "call_indirect", index: typeIndex, table };
    return { op, args: [...this.popN(type.params.length), callee], results: type.results };
  }

  /** global.get (0x23) or global.set (0x24). */
  private global(code: number): void {
    const index = this.imm.a;
    const g = this.info.globals[index];
    if (code === 0x23) {
      if (!g) this.fail(`global.get of unknown global ${index}`);
      this.emit({ name: "global.get", index }, [], [g.type]);
    } else {
      if (!g) this.fail(`global.set of unknown global ${index}`);
      this.emit({ name: "global.set", index }, [this.pop()], []);
    }
  }

  private localIndex(): number {
    const i = this.imm.a;
    if (i >= this.localTypes.length) this.fail(`local index ${i} is out of range`);
    return i;
  }

  private singleMemory(): void {
    if (this.imm.memory !== 0) this.fail("multi-memory is not supported");
  }
}
