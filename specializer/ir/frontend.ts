// Frontend: one Wasm function body (bytes) → SSA IR. The body is decoded from the bytes directly (not through
// binaryen's tree IR): errors name the function, the opcode and the byte offset; the result does not depend on
// binaryen's tree shape; and it is fast (one linear pass plus a small cleanup).
//
// Control flow: each Wasm block/if gets a join block whose parameters are its results; each loop gets a header
// block whose parameters are its params. `br L` passes the label's values as branch arguments. br_if and if split
// the current block. Code after br/br_table/return/unreachable is dead until the enclosing `else`/`end` and is
// skipped (its immediates are still decoded).
//
// Locals become SSA values by the algorithm of Braun, Buchwald, Hack, Leißa, Mallon, Zwinkau, "Simple and
// Efficient Construction of Static Single Assignment Form" (CC 2013), with block parameters in place of phis:
//   - a block is *filled* when all its instructions are decoded (here: when its terminator is set);
//   - a block is *sealed* when all its predecessors are known: at once for blocks with one known predecessor
//     (then/else arms, br_if fall-through), at `end` for block/if joins, at the loop's `end` for loop headers.
//   - reading a local in a sealed block with one predecessor recurses into it; with several, a block parameter is
//     added and every predecessor's branch passes its own reading of the local; in an unsealed block an
//     *incomplete* parameter is added and completed when the block is sealed. Declared locals read in the entry
//     block are zero constants (placed at the start of the entry block).
// Trivial parameters (all incoming arguments are one value or the parameter itself) are then removed to a fixpoint
// (Braun's tryRemoveTrivialPhi, done as a pass), and the body is compacted (dense ids, unreachable blocks dropped).
// Requires a valid Wasm function; guarantees IR that passes verifyFunction.
// Relies on ir.ts, module.ts, opcodes.ts, reader.ts, types.ts.
import { compact, FunctionBody, mapUses, targetsOf, type BlockId, type Operator, type ValueId } from "./ir.ts";
import { funcName, funcTypeOf, type WasmModuleInfo } from "./module.ts";
import { OPCODES, unsupportedOpcodeName, type OpInfo } from "./opcodes.ts";
import { Reader, WasmDecodeError } from "./reader.ts";
import { f32ConstBits, f64ConstBits, i32Const, i64Const, zeroConst, type Const, type ValType } from "./types.ts";

export class FrontendError extends Error {
  constructor(
    readonly func: string,
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`function ${func}: byte ${offset} (0x${offset.toString(16)}): ${detail}`);
    this.name = "FrontendError";
  }
}

interface Frame {
  kind: "func" | "block" | "loop" | "if";
  /** False when the construct began in dead code: no IR exists for it. */
  live: boolean;
  /** Branch target (join for block/if, header for loop). */
  label: BlockId;
  /** Where control goes at `end`. */
  join: BlockId;
  labelTypes: ValType[];
  params: ValType[];
  results: ValType[];
  /** Operand stack height below the construct's params. */
  height: number;
  /** if: the block params' values (kept for the else arm) and the else block, until `else` is seen. */
  paramValues: ValueId[];
  elseBlock?: BlockId;
}

/** Build the IR of the function with Wasm function index `funcIndex` (imports come first and have no body). */
export function buildFunctionIR(info: WasmModuleInfo, funcIndex: number): FunctionBody {
  const defined = info.funcs[funcIndex - info.importedFuncs.length];
  if (!defined) {
    const what = funcIndex < info.importedFuncs.length ? `is the import ${funcName(info, funcIndex)}` : "does not exist";
    throw new FrontendError(`#${funcIndex}`, 0, `function index ${funcIndex} ${what}: only defined functions have IR`);
  }
  return new Builder(info, funcIndex).build();
}

class Builder {
  readonly name: string;
  readonly body: FunctionBody;
  readonly r: Reader;
  readonly localTypes: ValType[] = [];
  readonly defs: Int32Array[] = [];
  readonly sealed: boolean[] = [];
  readonly incomplete: [number, ValueId][][] = [];
  readonly zeros = new Map<ValType, ValueId>();
  stack: ValueId[] = [];
  frames: Frame[] = [];
  cur: BlockId = 0;
  reachable = true;
  opAt = 0;
  opName = "";

  constructor(
    readonly info: WasmModuleInfo,
    readonly funcIndex: number,
  ) {
    const f = info.funcs[funcIndex - info.importedFuncs.length];
    this.name = f.name;
    const type = info.types[f.type];
    this.body = new FunctionBody(f.name, [...type.params], [...type.results]);
    this.r = new Reader(info.bytes, f.bodyStart, f.bodyEnd);
  }

  fail(detail: string, at = this.opAt): never {
    throw new FrontendError(this.name, at, this.opName ? `${this.opName}: ${detail}` : detail);
  }

  build(): FunctionBody {
    try {
      this.decodeLocals();
      this.decodeBody();
    } catch (e) {
      if (e instanceof WasmDecodeError) throw new FrontendError(this.name, e.offset, (this.opName ? `${this.opName}: ` : "") + e.detail);
      throw e;
    }
    removeTrivialParams(this.body);
    return compact(this.body);
  }

  decodeLocals(): void {
    const r = this.r;
    this.localTypes.push(...this.body.params);
    let total = this.body.params.length;
    for (let groups = r.u32(); groups > 0; groups--) {
      const n = r.u32();
      total += n;
      if (total > 50_000) this.fail(`too many locals (${total})`, r.pos);
      const t = r.valtype();
      for (let i = 0; i < n; i++) this.localTypes.push(t);
    }
    const entry = this.newBlock(true);
    this.body.entry = entry;
    this.body.params.forEach((t, i) => this.write(entry, i, this.body.addBlockParam(entry, t)));
    this.cur = entry;
    const type = { params: [] as ValType[], results: [...this.body.results] };
    this.frames.push({ kind: "func", live: true, label: -1, join: -1, labelTypes: type.results, params: [], results: type.results, height: 0, paramValues: [] });
  }

  newBlock(sealed: boolean): BlockId {
    const b = this.body.addBlock();
    this.defs.push(new Int32Array(this.localTypes.length).fill(-1));
    this.sealed.push(sealed);
    this.incomplete.push([]);
    return b;
  }

  // ---- SSA construction (Braun et al. 2013) ----

  write(block: BlockId, local: number, v: ValueId): void {
    this.defs[block][local] = v;
  }

  read(block: BlockId, local: number): ValueId {
    const d = this.defs[block][local];
    return d >= 0 ? d : this.readRecursive(block, local);
  }

  readRecursive(block: BlockId, local: number): ValueId {
    const type = this.localTypes[local];
    const preds = this.body.blocks[block].preds;
    let v: ValueId;
    if (!this.sealed[block]) {
      v = this.body.addBlockParam(block, type);
      this.incomplete[block].push([local, v]);
    } else if (block === this.body.entry && preds.length === 0) {
      v = this.zero(type);
    } else if (preds.length === 1) {
      v = this.read(preds[0], local);
    } else {
      v = this.body.addBlockParam(block, type);
      this.write(block, local, v);
      this.addParamOperands(block, local);
    }
    this.write(block, local, v);
    return v;
  }

  /** Every branch from a predecessor into `block` passes its reading of `local` as the next argument. */
  addParamOperands(block: BlockId, local: number): void {
    for (const p of this.body.blocks[block].preds) {
      const arg = this.read(p, local);
      for (const t of targetsOf(this.body.blocks[p].term)) if (t.block === block) t.args.push(arg);
    }
  }

  seal(block: BlockId): void {
    if (this.sealed[block]) return;
    this.sealed[block] = true;
    for (const [local] of this.incomplete[block]) this.addParamOperands(block, local);
    this.incomplete[block] = [];
  }

  zero(type: ValType): ValueId {
    let v = this.zeros.get(type);
    if (v === undefined) {
      v = this.body.addValue({ kind: "op", op: { name: `${type}.const`, value: zeroConst(type) }, args: [], types: [type] });
      this.body.blocks[this.body.entry].insts.unshift(v);
      this.zeros.set(type, v);
    }
    return v;
  }

  // ---- stack and branches ----

  pop(): ValueId {
    const frame = this.frames[this.frames.length - 1];
    if (this.stack.length <= frame.height) this.fail("operand stack underflow");
    return this.stack.pop()!;
  }

  popN(n: number): ValueId[] {
    const out = new Array<ValueId>(n);
    for (let i = n - 1; i >= 0; i--) out[i] = this.pop();
    return out;
  }

  peekN(n: number): ValueId[] {
    const frame = this.frames[this.frames.length - 1];
    if (this.stack.length - n < frame.height) this.fail("operand stack underflow");
    return this.stack.slice(this.stack.length - n);
  }

  /** Set the current block's terminator and record it as a predecessor of its targets. */
  terminate(term: FunctionBody["blocks"][number]["term"]): void {
    this.body.setTerminator(this.cur, term);
    for (const t of targetsOf(term)) {
      const preds = this.body.blocks[t.block].preds;
      if (!preds.includes(this.cur)) preds.push(this.cur);
    }
  }

  frameAt(depth: number): Frame {
    const f = this.frames[this.frames.length - 1 - depth];
    if (!f) this.fail(`branch depth ${depth} is out of range (${this.frames.length} enclosing labels)`);
    return f;
  }

  /** A branch to label `depth`, taking its values from the top of the stack (without popping). Returns a target,
   *  or undefined when the label is the function's (a return). */
  targetFor(depth: number): { block: BlockId; args: ValueId[] } | undefined {
    const f = this.frameAt(depth);
    const args = this.peekN(f.labelTypes.length);
    if (f.kind === "func") return undefined;
    return { block: f.label, args };
  }

  /** A target that may be the function's label: returns go through a fresh block ending in `return`. */
  branchTarget(depth: number): { block: BlockId; args: ValueId[] } {
    const t = this.targetFor(depth);
    if (t) return t;
    const ret = this.newBlock(true);
    const values = this.peekN(this.body.results.length);
    this.body.setTerminator(ret, { kind: "return", values });
    return { block: ret, args: [] };
  }

  blockType(): { params: ValType[]; results: ValType[] } {
    const r = this.r;
    const b = r.bytes[r.pos];
    if (b === 0x40) {
      r.pos++;
      return { params: [], results: [] };
    }
    if (b === 0x7f || b === 0x7e || b === 0x7d || b === 0x7c) return { params: [], results: [r.valtype()] };
    const at = r.pos;
    const idx = Number(r.sleb(33));
    const t = this.info.types[idx];
    if (idx < 0 || !t) this.fail(`block type index ${idx} does not exist`, at);
    return t;
  }

  // ---- the decode loop ----

  decodeBody(): void {
    const r = this.r;
    while (this.frames.length > 0) {
      if (r.done) this.fail("function body ends before its final `end`", r.pos);
      this.opAt = r.pos;
      let code = r.u8();
      if (code === 0xfc) code = 0xfc00 | r.u32();
      const info = OPCODES.get(code);
      if (!info) {
        this.opName = "";
        this.fail(`unsupported instruction ${unsupportedOpcodeName(code)}`);
      }
      this.opName = info.name;
      if (this.reachable) this.live(info);
      else this.dead(info);
    }
    if (!r.done) this.fail(`${r.end - r.pos} bytes after the function's final \`end\``, r.pos);
  }

  /** Dead code: decode immediates, track nesting, emit nothing. */
  dead(info: OpInfo): void {
    const dummy: Frame = { kind: "block", live: false, label: -1, join: -1, labelTypes: [], params: [], results: [], height: this.stack.length, paramValues: [] };
    switch (info.name) {
      case "block":
      case "loop":
      case "if":
        this.blockType();
        this.frames.push(dummy);
        return;
      case "else": {
        const f = this.frames[this.frames.length - 1];
        if (f.kind === "if" && f.live) this.live(info);
        else if (f.live) this.fail("`else` outside an `if`");
        return;
      }
      case "end": {
        const f = this.frames[this.frames.length - 1];
        if (f.live) this.live(info);
        else this.frames.pop();
        return;
      }
      default:
        this.immediates(info);
    }
  }

  /** Decode an operator's immediates into an Operator (control immediates are read by `live`). */
  immediates(info: OpInfo): Operator {
    const r = this.r;
    const op: Operator = { name: info.name };
    switch (info.imm) {
      case "none":
        break;
      case "memarg": {
        const alignAt = r.pos;
        op.align = r.u32();
        if (op.align >= 64) this.fail("multi-memory memarg is not supported", alignAt);
        if (2 ** op.align > (info.bytes ?? 8)) this.fail(`alignment 2**${op.align} exceeds the access width ${info.bytes}`, alignAt);
        op.offset = r.u32();
        break;
      }
      case "const":
        op.value = this.constImm(info.name);
        break;
      case "func":
      case "global":
      case "data":
      case "local":
      case "label":
        op.index = r.u32();
        break;
      case "call_indirect":
        op.index = r.u32();
        op.table = r.u32();
        break;
      case "memory":
        this.memoryZero();
        break;
      case "memory.init":
        op.index = r.u32();
        this.memoryZero();
        break;
      case "memory.copy":
        this.memoryZero();
        this.memoryZero();
        break;
      case "select_t": {
        const at = r.pos;
        const n = r.u32();
        if (n !== 1) this.fail(`typed select with ${n} types`, at);
        r.valtype();
        break;
      }
      case "blocktype":
        this.blockType();
        break;
      case "br_table":
        for (let n = r.u32(); n >= 0; n--) r.u32();
        break;
    }
    return op;
  }

  memoryZero(): void {
    const at = this.r.pos;
    if (this.r.u32() !== 0) this.fail("only memory 0 is supported", at);
  }

  constImm(name: string): Const {
    const r = this.r;
    if (name === "i32.const") return i32Const(r.s32());
    if (name === "i64.const") return i64Const(r.sleb(64));
    if (name === "f32.const") return f32ConstBits(r.f32bits());
    return f64ConstBits(r.f64bits());
  }

  live(info: OpInfo): void {
    const r = this.r;
    const body = this.body;
    switch (info.name) {
      case "nop":
        return;
      case "unreachable":
        this.terminate({ kind: "unreachable" });
        this.reachable = false;
        return;
      case "block":
      case "loop": {
        const t = this.blockType();
        const height = this.stack.length - t.params.length;
        if (height < this.frames[this.frames.length - 1].height) this.fail("operand stack underflow for the block's params");
        if (info.name === "block") {
          const join = this.newBlock(false);
          for (const ty of t.results) body.addBlockParam(join, ty);
          this.frames.push({ kind: "block", live: true, label: join, join, labelTypes: t.results, params: t.params, results: t.results, height, paramValues: [] });
        } else {
          const header = this.newBlock(false);
          const args = this.popN(t.params.length);
          for (const ty of t.params) body.addBlockParam(header, ty);
          this.terminate({ kind: "br", target: { block: header, args } });
          const join = this.newBlock(false);
          for (const ty of t.results) body.addBlockParam(join, ty);
          this.cur = header;
          this.stack.push(...body.blocks[header].params);
          this.frames.push({ kind: "loop", live: true, label: header, join, labelTypes: t.params, params: t.params, results: t.results, height, paramValues: [] });
        }
        return;
      }
      case "if": {
        const t = this.blockType();
        const cond = this.pop();
        const height = this.stack.length - t.params.length;
        const paramValues = this.peekN(t.params.length);
        const thenBlock = this.newBlock(true);
        const elseBlock = this.newBlock(true);
        const join = this.newBlock(false);
        for (const ty of t.results) body.addBlockParam(join, ty);
        this.terminate({ kind: "br_if", cond, then: { block: thenBlock, args: [] }, else: { block: elseBlock, args: [] } });
        this.cur = thenBlock;
        this.frames.push({ kind: "if", live: true, label: join, join, labelTypes: t.results, params: t.params, results: t.results, height, paramValues, elseBlock });
        return;
      }
      case "else": {
        const f = this.frames[this.frames.length - 1];
        if (f.kind !== "if" || f.elseBlock === undefined) this.fail("`else` without a matching `if`");
        if (this.reachable) this.endArm(f);
        this.cur = f.elseBlock;
        f.elseBlock = undefined;
        this.reachable = true;
        this.stack.length = f.height;
        this.stack.push(...f.paramValues);
        return;
      }
      case "end": {
        const f = this.frames[this.frames.length - 1];
        if (f.kind === "func") {
          if (this.reachable) {
            const values = this.popN(body.results.length);
            if (this.stack.length !== f.height) this.fail(`${this.stack.length - f.height} values left on the stack at the function's end`);
            this.terminate({ kind: "return", values });
          }
          this.frames.pop();
          return;
        }
        if (this.reachable) this.endArm(f);
        if (f.kind === "if" && f.elseBlock !== undefined) {
          // An `if` without `else`: the else arm passes the params through as the results.
          this.cur = f.elseBlock;
          this.terminate({ kind: "br", target: { block: f.join, args: [...f.paramValues] } });
        }
        if (f.kind === "loop") this.seal(f.label);
        this.seal(f.join);
        this.frames.pop();
        this.stack.length = f.height;
        this.cur = f.join;
        this.reachable = body.blocks[f.join].preds.length > 0;
        if (this.reachable) this.stack.push(...body.blocks[f.join].params.slice(0, f.results.length));
        return;
      }
      case "br": {
        const depth = r.u32();
        const t = this.targetFor(depth);
        if (t) this.terminate({ kind: "br", target: t });
        else this.terminate({ kind: "return", values: this.peekN(body.results.length) });
        this.reachable = false;
        return;
      }
      case "br_if": {
        const depth = r.u32();
        const cond = this.pop();
        const taken = this.branchTarget(depth);
        const next = this.newBlock(true);
        this.terminate({ kind: "br_if", cond, then: taken, else: { block: next, args: [] } });
        this.cur = next;
        return;
      }
      case "br_table": {
        const depths: number[] = [];
        for (let n = r.u32(); n > 0; n--) depths.push(r.u32());
        const defaultDepth = r.u32();
        const index = this.pop();
        const returnBlock = new Map<number, BlockId>();
        const target = (d: number) => {
          const t = this.targetFor(d);
          if (t) return t;
          if (!returnBlock.has(d)) returnBlock.set(d, this.branchTarget(d).block);
          return { block: returnBlock.get(d)!, args: [] };
        };
        this.terminate({ kind: "br_table", index, targets: depths.map(target), default: target(defaultDepth) });
        this.reachable = false;
        return;
      }
      case "return":
        this.terminate({ kind: "return", values: this.peekN(body.results.length) });
        this.reachable = false;
        return;
      case "drop":
        this.pop();
        return;
      case "local.get":
      case "local.set":
      case "local.tee": {
        const at = r.pos;
        const local = r.u32();
        if (local >= this.localTypes.length) this.fail(`local ${local} does not exist (${this.localTypes.length} locals)`, at);
        if (info.name === "local.get") this.stack.push(this.read(this.cur, local));
        else {
          const v = info.name === "local.set" ? this.pop() : this.peekN(1)[0];
          this.write(this.cur, local, v);
        }
        return;
      }
    }
    this.operator(info);
  }

  /** Branch from the end of an arm (block/if/else body or loop body) to the construct's join. */
  endArm(f: Frame): void {
    const args = this.popN(f.results.length);
    if (this.stack.length !== f.height) this.fail(`${this.stack.length - f.height} extra values on the stack at the end of a ${f.kind}`);
    this.terminate({ kind: "br", target: { block: f.join, args } });
  }

  /** A non-control instruction: pop operands, append the IR operator, push results. */
  operator(info: OpInfo): void {
    const op = this.immediates(info);
    let params: ValType[];
    let results: ValType[];
    switch (info.name) {
      case "call": {
        const n = this.info.importedFuncs.length + this.info.funcs.length;
        if (op.index! >= n) this.fail(`function index ${op.index} does not exist (${n} functions)`);
        ({ params, results } = funcTypeOf(this.info, op.index!));
        break;
      }
      case "call_indirect": {
        const t = this.info.types[op.index!];
        if (!t) this.fail(`type index ${op.index} does not exist`);
        if (!this.info.tables[op.table!]) this.fail(`table ${op.table} does not exist`);
        params = [...t.params, "i32"];
        results = t.results;
        break;
      }
      case "global.get":
      case "global.set": {
        const g = this.info.globals[op.index!];
        if (!g) this.fail(`global ${op.index} does not exist`);
        if (info.name === "global.get") [params, results] = [[], [g.type]];
        else [params, results] = [[g.type], []];
        break;
      }
      case "select": {
        const [a, b, c] = this.popN(3);
        const type = this.body.typeOf(a);
        this.stack.push(this.body.appendOp(this.cur, op, [a, b, c], [type]));
        return;
      }
      default:
        params = info.params!;
        results = info.results!;
    }
    const args = this.popN(params.length);
    const v = this.body.appendOp(this.cur, op, args, [...results]);
    this.stack.push(...this.body.resultsOf(v));
  }
}

/**
 * Remove block parameters whose incoming arguments are all one value (or the parameter itself), to a fixpoint:
 * each becomes an alias of that value and its argument slot is deleted from every branch into the block. The
 * entry block's parameters (the function's parameters) are kept. Uses then go through the aliases (mapUses).
 */
export function removeTrivialParams(body: FunctionBody): void {
  let changed = true;
  while (changed) {
    changed = false;
    body.blocks.forEach((block, id) => {
      if (id === body.entry) return;
      for (let i = block.params.length - 1; i >= 0; i--) {
        const p = block.params[i];
        let same: ValueId | undefined;
        let trivial = true;
        for (const pred of block.preds)
          for (const t of targetsOf(body.blocks[pred].term)) {
            if (t.block !== id) continue;
            const a = body.resolve(t.args[i]);
            if (a === p || a === same) continue;
            if (same !== undefined) trivial = false;
            same = a;
          }
        if (!trivial || same === undefined) continue;
        body.values[p] = { kind: "alias", to: same };
        block.params.splice(i, 1);
        block.params.forEach((q, index) => ((body.values[q] as { index: number }).index = index));
        for (const pred of block.preds) for (const t of targetsOf(body.blocks[pred].term)) if (t.block === id) t.args.splice(i, 1);
        changed = true;
      }
    });
  }
  mapUses(body, (v) => body.resolve(v));
}
