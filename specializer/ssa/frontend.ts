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
import { OPS_BY_CODE } from "./wasm-ops.ts";

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

const UNSUPPORTED_PREFIX: Record<number, string> = { 0xfd: "SIMD", 0xfb: "GC", 0xfe: "threads (atomics)" };
const UNSUPPORTED_OPS: Record<number, string> = {
  0x06: "try (exceptions)",
  0x07: "catch (exceptions)",
  0x08: "throw (exceptions)",
  0x09: "rethrow (exceptions)",
  0x0a: "throw_ref (exceptions)",
  0x12: "return_call (tail calls)",
  0x13: "return_call_indirect (tail calls)",
  0x18: "delegate (exceptions)",
  0x19: "catch_all (exceptions)",
  0x1f: "try_table (exceptions)",
  0x25: "table.get (reference types)",
  0x26: "table.set (reference types)",
  0xd0: "ref.null (reference types)",
  0xd1: "ref.is_null (reference types)",
  0xd2: "ref.func (reference types)",
};

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

  private memarg(): { offset: number; align: number } {
    const align = this.r.u32();
    if (align & 0x40) this.fail("multi-memory memargs are not supported");
    return { align, offset: this.r.u32() };
  }

  // ---- the instruction loop ----

  private instruction(): void {
    const r = this.r;
    this.opAt = r.at;
    const code = r.u8();
    const dead = this.cur === null;

    // Structure is tracked even in dead code; everything else there is decoded and dropped.
    switch (code) {
      case 0x02: // block
      case 0x03: // loop
      case 0x04: {
        // if
        const type = this.blockType();
        if (dead) {
          this.deadDepth++;
          return;
        }
        if (code === 0x02) {
          const after = this.newBlock(type.results);
          this.frames.push({
            kind: "block",
            type,
            height: this.stack.length - type.params.length,
            label: after,
            after,
          });
        } else if (code === 0x03) {
          const args = this.popN(type.params.length);
          const header = this.newBlock(type.params);
          const after = this.newBlock(type.results);
          this.terminate({ kind: "br", target: { block: header, args } });
          this.cur = header;
          this.frames.push({ kind: "loop", type, height: this.stack.length, label: header, after });
          this.stack.push(...this.f.blocks[header].params);
        } else {
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
        return;
      }
      case 0x05: {
        // else
        if (this.deadDepth > 0) return;
        const frame = this.frames[this.frames.length - 1];
        if (frame.kind !== "if") this.fail("else without if");
        if (this.cur !== null)
          this.terminate({ kind: "br", target: { block: frame.after, args: this.popN(frame.type.results.length) } });
        this.stack.length = frame.height;
        this.stack.push(...frame.ifParams!);
        this.cur = frame.elseBlock!;
        frame.kind = "else";
        return;
      }
      case 0x0b: {
        // end
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
        return;
      }
    }
    if (dead) {
      this.skipImmediates(code);
      return;
    }
    this.live(code);
  }

  /** Decode and translate one non-structural instruction in live code. */
  private live(code: number): void {
    const r = this.r;
    const f = this.f;
    switch (code) {
      case 0x00:
        this.f.setTerminator(this.cur!, { kind: "unreachable" });
        this.cur = null;
        return;
      case 0x01:
        return;
      case 0x0c: {
        // br
        const t = this.labelTarget(r.u32());
        this.terminate({ kind: "br", target: { block: t.block, args: this.peekN(t.arity) } });
        return;
      }
      case 0x0d: {
        // br_if
        const t = this.labelTarget(r.u32());
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
        return;
      }
      case 0x0e: {
        // br_table
        const depths = Array.from({ length: r.u32() }, () => r.u32());
        const def = this.labelTarget(r.u32());
        const index = this.pop();
        const args = this.peekN(def.arity);
        this.terminate({
          kind: "table",
          index,
          targets: depths.map((d) => ({ block: this.labelTarget(d).block, args: [...args] })),
          default: { block: def.block, args: [...args] },
        });
        return;
      }
      case 0x0f: // return
        this.terminate({ kind: "return", values: this.peekN(f.results.length) });
        return;
      case 0x10: {
        // call
        const index = r.u32();
        const callee = this.info.functions[index];
        if (!callee) this.fail(`call to unknown function ${index}`);
        this.emit({ name: "call", index }, this.popN(callee.type.params.length), callee.type.results);
        return;
      }
      case 0x11: {
        // call_indirect
        const typeIndex = r.u32();
        const table = r.u32();
        const type = this.info.types[typeIndex];
        if (!type) this.fail(`call_indirect with unknown type ${typeIndex}`);
        const callee = this.pop();
        this.emit(
          { name: "call_indirect", index: typeIndex, table },
          [...this.popN(type.params.length), callee],
          type.results,
        );
        return;
      }
      case 0x1a: // drop
        this.pop();
        return;
      case 0x1b: // select
      case 0x1c: {
        // select t*
        if (code === 0x1c) for (let n = r.u32(); n > 0; n--) r.valtype();
        const cond = this.pop();
        const [a, b] = this.popN(2);
        this.emit({ name: "select" }, [a, b, cond], [f.typeOf(a)]);
        return;
      }
      case 0x20: {
        // local.get
        const i = this.localIndex();
        this.stack.push(this.read(i, this.cur!));
        return;
      }
      case 0x21: // local.set
      case 0x22: {
        // local.tee
        const i = this.localIndex();
        const v = this.pop();
        this.write(i, this.cur!, v);
        if (code === 0x22) this.stack.push(v);
        return;
      }
      case 0x23: {
        // global.get
        const index = r.u32();
        const g = this.info.globals[index];
        if (!g) this.fail(`global.get of unknown global ${index}`);
        this.emit({ name: "global.get", index }, [], [g.type]);
        return;
      }
      case 0x24: {
        // global.set
        const index = r.u32();
        if (!this.info.globals[index]) this.fail(`global.set of unknown global ${index}`);
        this.emit({ name: "global.set", index }, [this.pop()], []);
        return;
      }
      case 0x3f: // memory.size
        if (r.u8() !== 0) this.fail("multi-memory is not supported");
        this.emit({ name: "memory.size" }, [], ["i32"]);
        return;
      case 0x40: // memory.grow
        if (r.u8() !== 0) this.fail("multi-memory is not supported");
        this.emit({ name: "memory.grow" }, [this.pop()], ["i32"]);
        return;
      case 0x41:
        this.emit({ name: "const", value: { type: "i32", bits: r.s32() >>> 0 } }, [], ["i32"]);
        return;
      case 0x42:
        this.emit({ name: "const", value: { type: "i64", bits: r.s64() } }, [], ["i64"]);
        return;
      case 0x43:
        this.emit({ name: "const", value: { type: "f32", bits: r.f32bits() } }, [], ["f32"]);
        return;
      case 0x44:
        this.emit({ name: "const", value: { type: "f64", bits: r.f64bits() } }, [], ["f64"]);
        return;
      case 0xfc: {
        const sub = r.u32();
        if (sub <= 7) {
          const info = OPS_BY_CODE.get(0xfc00 + sub)!;
          this.emit({ name: info.name }, this.popN(1), info.results);
          return;
        }
        switch (sub) {
          case 8: {
            // memory.init
            const index = r.u32();
            if (r.u8() !== 0) this.fail("multi-memory is not supported");
            this.emit({ name: "memory.init", index }, this.popN(3), []);
            return;
          }
          case 9:
            this.emit({ name: "data.drop", index: r.u32() }, [], []);
            return;
          case 10:
            if (r.u8() !== 0 || r.u8() !== 0) this.fail("multi-memory is not supported");
            this.emit({ name: "memory.copy" }, this.popN(3), []);
            return;
          case 11:
            if (r.u8() !== 0) this.fail("multi-memory is not supported");
            this.emit({ name: "memory.fill" }, this.popN(3), []);
            return;
          default:
            this.fail(`unsupported instruction 0xfc ${sub} (table/reference-type operations)`);
        }
      }
    }
    const info = OPS_BY_CODE.get(code);
    if (info) {
      const op: Operator = { name: info.name };
      if (info.cls === "load" || info.cls === "store") op.memarg = this.memarg();
      this.emit(op, this.popN(info.params.length), info.results);
      return;
    }
    this.unsupported(code);
  }

  private localIndex(): number {
    const i = this.r.u32();
    if (i >= this.localTypes.length) this.fail(`local index ${i} is out of range`);
    return i;
  }

  private unsupported(code: number): never {
    if (UNSUPPORTED_PREFIX[code])
      this.fail(`unsupported ${UNSUPPORTED_PREFIX[code]} instruction (prefix 0x${code.toString(16)})`);
    if (UNSUPPORTED_OPS[code])
      this.fail(`unsupported instruction ${UNSUPPORTED_OPS[code]} (opcode 0x${code.toString(16)})`);
    this.fail(`unknown opcode 0x${code.toString(16)}`);
  }

  /** Advance past an instruction's immediates in dead code. */
  private skipImmediates(code: number): void {
    const r = this.r;
    switch (code) {
      case 0x0c:
      case 0x0d:
      case 0x10:
      case 0x20:
      case 0x21:
      case 0x22:
      case 0x23:
      case 0x24:
        r.u32();
        return;
      case 0x0e:
        for (let n = r.u32() + 1; n > 0; n--) r.u32();
        return;
      case 0x11:
        r.u32();
        r.u32();
        return;
      case 0x1c:
        for (let n = r.u32(); n > 0; n--) r.valtype();
        return;
      case 0x3f:
      case 0x40:
        r.u8();
        return;
      case 0x41:
        r.s32();
        return;
      case 0x42:
        r.s64();
        return;
      case 0x43:
        r.at += 4;
        return;
      case 0x44:
        r.at += 8;
        return;
      case 0xfc: {
        const sub = r.u32();
        if (sub <= 7) return;
        if (sub === 8) {
          r.u32();
          r.u8();
          return;
        }
        if (sub === 9) {
          r.u32();
          return;
        }
        if (sub === 10) {
          r.u8();
          r.u8();
          return;
        }
        if (sub === 11) {
          r.u8();
          return;
        }
        this.fail(`unsupported instruction 0xfc ${sub}`);
      }
    }
    const info = OPS_BY_CODE.get(code);
    if (info) {
      if (info.cls === "load" || info.cls === "store") this.memarg();
      return;
    }
    if (code === 0x00 || code === 0x01 || code === 0x0f || code === 0x1a || code === 0x1b) return;
    this.unsupported(code);
  }
}
