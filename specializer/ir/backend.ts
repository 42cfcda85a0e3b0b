// Backend: IR → a binaryen function. Control flow goes through binaryen's Relooper (which also handles the
// irreducible graphs specialization creates); values become locals: the entry block's params are the Wasm params,
// every other single-result value gets a local of its type, a multi-result op gets one tuple local that its picks
// extract from. Branch arguments are parallel copies into the target's param locals, placed on the Relooper edge;
// when a copy would read a local an earlier copy of the same edge already overwrote (a cycle, e.g. a loop that
// swaps two variables), all of that edge's sources go through fresh temporaries first. Two edges from one block to
// one target with different arguments go through a trampoline block (the Relooper allows one branch per pair).
// Calls, globals, tables and data segments are referred to by binaryen's names, looked up by Wasm index
// (`moduleNames`: functions from getFunctionByIndex, imports first). binaryen's optimizer is the caller's choice.
// Relies on binaryen (imported statically: whoever emits needs it), ir.ts, module.ts, opcodes.ts, types.ts.
import binaryen from "binaryen";
import { reversePostorder, type BlockId, type FunctionBody, type Target, type ValueId } from "./ir.ts";
import type { WasmModuleInfo } from "./module.ts";
import { opInfo } from "./opcodes.ts";
import type { ValType } from "./types.ts";

type Module = InstanceType<typeof binaryen.Module>;
type Expr = number;

export class BackendError extends Error {
  constructor(func: string, detail: string) {
    super(`emitting function ${func}: ${detail}`);
    this.name = "BackendError";
  }
}

/** binaryen's names for the module's entities, by Wasm index. */
export interface ModuleNames {
  funcs: string[];
  globals: string[];
  tables: string[];
  /** Data segments: binaryen names them by index ("0", "1", …) when the binary has no data names. */
  data: string[];
}

/** Read binaryen's names by Wasm index. Take them BEFORE removing or adding functions: the order changes then. */
export function moduleNames(mod: Module): ModuleNames {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  return {
    funcs: range(mod.getNumFunctions()).map((i) => binaryen.getFunctionInfo(mod.getFunctionByIndex(i)).name),
    globals: range(mod.getNumGlobals()).map((i) => binaryen.getGlobalInfo(mod.getGlobalByIndex(i)).name),
    tables: range(mod.getNumTables()).map((i) => binaryen.getTableInfo(mod.getTableByIndex(i)).name),
    data: range(mod.getNumDataSegments()).map((i) => String(i)),
  };
}

const BTYPE: Record<ValType, number> = { i32: binaryen.i32, i64: binaryen.i64, f32: binaryen.f32, f64: binaryen.f64 };

/** Add `body` to `mod` as a function called `name` (replacing nothing: remove an old function of that name first). */
export function emitFunction(mod: Module, info: WasmModuleInfo, body: FunctionBody, name: string, names: ModuleNames = moduleNames(mod)): void {
  new Emitter(mod, info, body, name, names).emit();
}

class Emitter {
  readonly localOf = new Map<ValueId, number>();
  readonly varTypes: number[] = [];
  readonly relooperBlock = new Map<BlockId, number>();

  constructor(
    readonly mod: Module,
    readonly info: WasmModuleInfo,
    readonly body: FunctionBody,
    readonly name: string,
    readonly names: ModuleNames,
  ) {}

  fail(detail: string): never {
    throw new BackendError(this.name, detail);
  }

  newLocal(type: number): number {
    this.varTypes.push(type);
    return this.body.params.length + this.varTypes.length - 1;
  }

  typeOf(v: ValueId): ValType {
    return this.body.typeOf(v);
  }

  get(v: ValueId): Expr {
    const r = this.body.resolve(v);
    const local = this.localOf.get(r);
    if (local === undefined) this.fail(`v${v} is used but has no local (not defined in a reachable block?)`);
    return this.mod.local.get(local, BTYPE[this.typeOf(r)]);
  }

  emit(): void {
    const { body, mod } = this;
    const order = reversePostorder(body);
    const entry = body.blocks[body.entry];
    if (entry.params.length !== body.params.length) this.fail(`the entry block has ${entry.params.length} params for ${body.params.length} function params`);
    entry.params.forEach((p, i) => this.localOf.set(p, i));
    for (const b of order) {
      const block = body.blocks[b];
      if (b !== body.entry) for (const p of block.params) this.localOf.set(p, this.newLocal(BTYPE[this.typeOf(p)]));
      for (const v of block.insts) {
        const def = body.values[v];
        if (def.kind === "op" && def.types.length === 1) this.localOf.set(v, this.newLocal(BTYPE[def.types[0]]));
        else if (def.kind === "op" && def.types.length > 1) this.localOf.set(v, this.newLocal(binaryen.createType(def.types.map((t) => BTYPE[t]))));
        else if (def.kind === "pick") this.localOf.set(v, this.newLocal(BTYPE[def.type]));
      }
    }
    const labelHelper = this.newLocal(binaryen.i32);
    const rl = new binaryen.Relooper(mod);
    for (const b of order) {
      const block = body.blocks[b];
      const code = mod.block(null, block.insts.map((v) => this.instruction(v)).concat(this.terminatorCode(b)));
      const t = block.term;
      this.relooperBlock.set(b, t.kind === "br_table" ? rl.addBlockWithSwitch(code, this.get(t.index)) : rl.addBlock(code));
    }
    for (const b of order) this.branches(rl, b);
    const rendered = rl.renderAndDispose(this.relooperBlock.get(body.entry)!, labelHelper);
    const fnBody = body.results.length ? mod.block(null, [rendered, mod.unreachable()]) : rendered;
    mod.addFunction(this.name, binaryen.createType(body.params.map((t) => BTYPE[t])), binaryen.createType(body.results.map((t) => BTYPE[t])), this.varTypes, fnBody);
  }

  terminatorCode(b: BlockId): Expr[] {
    const t = this.body.blocks[b].term;
    const mod = this.mod;
    if (t.kind === "unreachable") return [mod.unreachable()];
    if (t.kind === "return") {
      const values = t.values.map((v) => this.get(v));
      return [mod.return(values.length === 0 ? undefined : values.length === 1 ? values[0] : mod.tuple.make(values))];
    }
    if (t.kind === "none") this.fail(`block${b} has no terminator`);
    return [];
  }

  /** Relooper branches out of `b`, with the branch-argument copies as edge code. */
  branches(rl: InstanceType<typeof binaryen.Relooper>, b: BlockId): void {
    const t = this.body.blocks[b].term;
    const from = this.relooperBlock.get(b)!;
    const key = (x: Target) => `${x.block}(${x.args.join(",")})`;
    if (t.kind === "br") rl.addBranch(from, this.relooperBlock.get(t.target.block)!, 0, this.copies(t.target));
    else if (t.kind === "br_if") {
      const then = this.relooperBlock.get(t.then.block)!;
      if (key(t.then) === key(t.else)) return void rl.addBranch(from, then, 0, this.copies(t.then));
      rl.addBranch(from, then, this.get(t.cond), this.copies(t.then));
      if (t.else.block === t.then.block) rl.addBranch(from, this.trampoline(rl, t.else), 0, 0);
      else rl.addBranch(from, this.relooperBlock.get(t.else.block)!, 0, this.copies(t.else));
    } else if (t.kind === "br_table") {
      // Group indexes by (block, args); the default's group needs no indexes. One block reached with different
      // args gets a trampoline per extra arg list.
      const groups = new Map<string, { target: Target; indexes: number[] }>();
      t.targets.forEach((target, i) => {
        const k = key(target);
        if (!groups.has(k)) groups.set(k, { target, indexes: [] });
        groups.get(k)!.indexes.push(i);
      });
      const defaultKey = key(t.default);
      if (!groups.has(defaultKey)) groups.set(defaultKey, { target: t.default, indexes: [] });
      groups.get(defaultKey)!.indexes = [];
      const used = new Set<BlockId>();
      for (const { target, indexes } of groups.values()) {
        const direct = !used.has(target.block);
        used.add(target.block);
        const dst = direct ? this.relooperBlock.get(target.block)! : this.trampoline(rl, target);
        rl.addBranchForSwitch(from, dst, indexes, direct ? this.copies(target) : 0);
      }
    }
  }

  trampoline(rl: InstanceType<typeof binaryen.Relooper>, target: Target): number {
    const t = rl.addBlock(this.mod.nop());
    rl.addBranch(t, this.relooperBlock.get(target.block)!, 0, this.copies(target));
    return t;
  }

  /** The parallel copy of a target's args into its params; 0 when there is nothing to copy. */
  copies(target: Target): Expr {
    const params = this.body.blocks[target.block].params;
    const pairs: [number, ValueId][] = [];
    target.args.forEach((a, i) => {
      const dst = this.localOf.get(params[i])!;
      if (this.localOf.get(this.body.resolve(a)) !== dst) pairs.push([dst, a]);
    });
    if (pairs.length === 0) return 0;
    const written = new Set<number>();
    let cycle = false;
    for (const [dst, src] of pairs) {
      if (written.has(this.localOf.get(this.body.resolve(src))!)) cycle = true;
      written.add(dst);
    }
    const mod = this.mod;
    if (!cycle) return mod.block(null, pairs.map(([dst, src]) => mod.local.set(dst, this.get(src))));
    const temps = pairs.map(([, src]) => this.newLocal(BTYPE[this.typeOf(src)]));
    return mod.block(null, [
      ...pairs.map(([, src], i) => mod.local.set(temps[i], this.get(src))),
      ...pairs.map(([dst, src], i) => mod.local.set(dst, mod.local.get(temps[i], BTYPE[this.typeOf(src)]))),
    ]);
  }

  instruction(v: ValueId): Expr {
    const def = this.body.values[v];
    const mod = this.mod;
    if (def.kind === "pick") {
      const tuple = this.localOf.get(def.value)!;
      const src = this.body.values[def.value];
      const types = src.kind === "op" ? src.types : [];
      return mod.local.set(this.localOf.get(v)!, mod.tuple.extract(mod.local.get(tuple, binaryen.createType(types.map((t) => BTYPE[t]))), def.index));
    }
    if (def.kind !== "op") this.fail(`v${v} is a ${def.kind}, not an instruction`);
    const expr = this.operator(v);
    return def.types.length === 0 ? expr : mod.local.set(this.localOf.get(v)!, expr);
  }

  operator(v: ValueId): Expr {
    const def = this.body.values[v];
    if (def.kind !== "op") this.fail(`v${v} is not an op`);
    const { op, types } = def;
    const mod = this.mod as unknown as Record<string, Record<string, unknown>> & Module;
    const args = def.args.map((a) => this.get(a));
    const info = opInfo(op.name);
    if (!info) this.fail(`v${v} has the unknown operator '${op.name}'`);
    const result = types.length === 0 ? binaryen.none : types.length === 1 ? BTYPE[types[0]] : binaryen.createType(types.map((t) => BTYPE[t]));
    switch (op.name) {
      case "i32.const":
        return this.mod.i32.const(op.value!.bits as number);
      case "i64.const":
        return (this.mod.i64 as unknown as { const(b: bigint): Expr }).const(op.value!.bits as bigint);
      case "f32.const":
        return this.mod.f32.const_bits(op.value!.bits as number);
      case "f64.const":
        return (this.mod.f64 as unknown as { const_bits(b: bigint): Expr }).const_bits(op.value!.bits as bigint);
      case "call":
        return this.mod.call(this.names.funcs[op.index!], args, result);
      case "call_indirect": {
        const t = this.info.types[op.index!];
        const params = binaryen.createType(t.params.map((x) => BTYPE[x]));
        return this.mod.call_indirect(this.names.tables[op.table!], args[args.length - 1], args.slice(0, -1), params, result);
      }
      case "global.get":
        return this.mod.global.get(this.names.globals[op.index!], result);
      case "global.set":
        return this.mod.global.set(this.names.globals[op.index!], args[0]);
      case "select":
        return this.mod.select(args[2], args[0], args[1]);
      case "memory.size":
        return this.mod.memory.size();
      case "memory.grow":
        return this.mod.memory.grow(args[0]);
      case "memory.init":
        return this.mod.memory.init(this.names.data[op.index!], args[0], args[1], args[2]);
      case "data.drop":
        return this.mod.data.drop(this.names.data[op.index!]);
      case "memory.copy":
        return this.mod.memory.copy(args[0], args[1], args[2]);
      case "memory.fill":
        return this.mod.memory.fill(args[0], args[1], args[2]);
    }
    if (info.effect === "load" || info.effect === "store") {
      const fn = (mod[op.name.slice(0, 3)] as Record<string, (...x: unknown[]) => Expr>)[op.name.slice(4)];
      return fn(op.offset, 2 ** op.align!, ...args);
    }
    const [group, ...rest] = binaryenPath(op.name);
    let fn: unknown = mod[group];
    for (const part of rest) fn = (fn as Record<string, unknown>)?.[part];
    if (typeof fn !== "function") this.fail(`no binaryen constructor for ${op.name}`);
    return (fn as (...x: Expr[]) => Expr)(...args);
  }
}

/** binaryen.js's path for a numeric operator: `i32.trunc_f32_s` → i32.trunc_s.f32, `i64.extend_i32_u` → i64.extend_u. */
function binaryenPath(name: string): string[] {
  const [type, rest] = [name.slice(0, 3), name.slice(4)];
  let m = /^trunc(_sat)?_(f32|f64)_([su])$/.exec(rest);
  if (m) return [type, `trunc_${m[3]}${m[1] ? "_sat" : ""}`, m[2]];
  m = /^convert_(i32|i64)_([su])$/.exec(rest);
  if (m) return [type, `convert_${m[2]}`, m[1]];
  m = /^extend_i32_([su])$/.exec(rest);
  if (m) return [type, `extend_${m[1]}`];
  m = /^(wrap|demote|promote|reinterpret)_/.exec(rest);
  if (m) return [type, m[1]];
  return [type, rest];
}
