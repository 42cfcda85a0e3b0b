// Test helper: run IR two ways and compare. `interpretIR` is a reference interpreter for the IR itself (integer
// operators through the constant folder, memory, calls to three fixed imports, block parameters as parallel
// assignment, fuel against non-termination); `emitAndRun` sends functions through the backend (emitFunction, hence
// planLocals' trees and local sharing) into a binaryen module with the same imports, validates it and runs it in
// V8. Both report outcomes as strings (i32 signed decimal, i64 signed decimal), the calls made, and the memory.
// The fixed imports, by function index: 0 = f0 (i32) -> i32 (returns 3x+1), 1 = f1 (i32) -> () (records only),
// 2 = f2 (i32) -> (i32, i32) (returns x+1, 2x). Memory: one 64 KiB page, exported as "memory".
import { emitFunction, ModuleNames, type CallSignatures } from "../../specializer/ssa/backend.ts";
import { fold } from "../../specializer/ssa/fold.ts";
import type { FunctionBody, ValueId } from "../../specializer/ssa/ir.ts";
import { targetsOf } from "../../specializer/ssa/ir.ts";
import type { Const, ValType } from "../../specializer/ssa/types.ts";
import { OPS_BY_NAME } from "../../specializer/ssa/wasm-ops.ts";
import { loadBinaryen, projectFeatures } from "../../util/binaryen.ts";

export const PAGE = 65536;

export interface Outcome {
  /** "return v1, v2" | "trap" | "diverges" */
  result: string;
  calls: string[];
  memory?: Uint8Array;
}

export const SIGS: CallSignatures = {
  functions: [
    { params: ["i32"], results: ["i32"] },
    { params: ["i32"], results: [] },
    { params: ["i32"], results: ["i32", "i32"] },
  ],
  types: [],
};

const imports = (calls: string[]) => ({
  env: {
    f0: (x: number) => (calls.push(`f0(${x | 0})`), (Math.imul(x, 3) + 1) | 0),
    f1: (x: number) => void calls.push(`f1(${x | 0})`),
    f2: (x: number) => (calls.push(`f2(${x | 0})`), [(x + 1) | 0, Math.imul(x, 2)]),
  },
});

export const showConst = (c: Const): string =>
  c.type === "i32" ? `${c.bits | 0}` : c.type === "i64" ? `${BigInt.asIntN(64, c.bits)}` : `${c.type}:${c.bits}`;

class Trap extends Error {}

/** Arguments as IR constants from JS numbers / bigints. */
export function toConsts(types: ValType[], args: (number | bigint)[]): Const[] {
  return types.map(
    (t, i) =>
      (t === "i64"
        ? { type: "i64", bits: BigInt.asUintN(64, BigInt(args[i])) }
        : { type: "i32", bits: Number(args[i]) >>> 0 }) as Const,
  );
}

/** What a run starts from beyond the arguments: memory contents, and which called function indices are weval
 *  intrinsics (run with their reference meaning: registers in a map, stack and local slots stored at once at
 *  their address, contexts and diagnostics doing nothing, specialize.value and assume.* returning their value). */
export interface RunSetup {
  memory?: Uint8Array;
  intrinsics?: Map<number, string>;
}

export function interpretIR(f: FunctionBody, args: Const[], fuel = 200_000, setup: RunSetup = {}): Outcome {
  const calls: string[] = [];
  const mem = new Uint8Array(PAGE);
  if (setup.memory) mem.set(setup.memory);
  const regs = new Map<bigint, Const>();
  const load64 = (at: number): Const => {
    let x = 0n;
    for (let i = 7; i >= 0; i--) x = (x << 8n) | BigInt(mem[at + i]);
    return { type: "i64", bits: x };
  };
  const store64 = (at: number, c: Const) => {
    let x = BigInt(c.bits);
    for (let i = 0; i < 8; i++, x >>= 8n) mem[at + i] = Number(x & 0xffn);
  };
  const intrinsic = (name: string, a: Const[]): Const | undefined => {
    switch (name) {
      case "read.reg":
        return regs.get(BigInt(a[0].bits)) ?? { type: "i64", bits: 0n };
      case "write.reg":
        regs.set(BigInt(a[0].bits), a[1]);
        return undefined;
      case "push.stack":
        store64(a[0].bits as number, a[1]);
        return undefined;
      case "pop.stack":
      case "read.stack":
      case "read.local":
        return load64(a[0].bits as number);
      case "write.stack":
      case "write.local":
        store64(a[0].bits as number, a[2]);
        return undefined;
      case "specialize.value":
      case "assume.const.memory":
      case "assume.const.memory.transitive":
      case "assume.alias.class":
      case "assume.alias.region":
        return a[0];
      default:
        return undefined;
    }
  };
  const env: (Const | Const[] | undefined)[] = [];
  const get = (v: ValueId): Const => {
    const x = env[v];
    if (x === undefined || Array.isArray(x))
      throw new Error(`interpretIR: v${v} read before it is set (or is a tuple)`);
    return x;
  };
  const addr = (base: Const, offset: number, bytes: number): number => {
    const ea = (base.bits as number) + offset;
    if (ea + bytes > PAGE) throw new Trap();
    return ea;
  };
  const callImport = (index: number, a: Const[]): Const | Const[] | undefined => {
    const x = a[0].bits as number;
    calls.push(`f${index}(${x | 0})`);
    if (index === 0) return { type: "i32", bits: (Math.imul(x, 3) + 1) >>> 0 };
    if (index === 1) return undefined;
    return [
      { type: "i32", bits: (x + 1) >>> 0 },
      { type: "i32", bits: Math.imul(x, 2) >>> 0 },
    ];
  };
  const evalOp = (v: ValueId): Const | Const[] | undefined => {
    const d = f.values[v];
    if (d.kind === "alias") return get(d.to);
    if (d.kind === "pick") return (env[d.value] as Const[])[d.index];
    if (d.kind !== "op") throw new Error(`interpretIR: v${v} is a ${d.kind} in an instruction list`);
    const a = d.args.map(get);
    const name = d.op.name;
    if (name === "const") return d.op.value!;
    if (name === "select") return (a[2].bits as number) !== 0 ? a[0] : a[1];
    if (name === "call" && setup.intrinsics?.has(d.op.index!)) return intrinsic(setup.intrinsics.get(d.op.index!)!, a);
    if (name === "call") return callImport(d.op.index!, a);
    const info = OPS_BY_NAME.get(name);
    if (info?.cls === "load") {
      const ea = addr(a[0], d.op.memarg!.offset, info.bytes!);
      let x = 0n;
      for (let i = info.bytes! - 1; i >= 0; i--) x = (x << 8n) | BigInt(mem[ea + i]);
      if (info.signed) x = BigInt.asIntN(info.bytes! * 8, x);
      const t = info.results[0];
      return t === "i64" || t === "f64"
        ? ({ type: t, bits: BigInt.asUintN(64, x) } as Const)
        : ({ type: t, bits: Number(BigInt.asUintN(32, x)) } as Const);
    }
    if (info?.cls === "store") {
      const ea = addr(a[0], d.op.memarg!.offset, info.bytes!);
      let x = BigInt(a[1].bits);
      for (let i = 0; i < info.bytes!; i++, x >>= 8n) mem[ea + i] = Number(x & 0xffn);
      return undefined;
    }
    if (info?.cls === "numeric") {
      const r = fold(name, a);
      if (r === undefined) {
        if (a.some((c) => c.type === "f32" || c.type === "f64"))
          throw new Error(`interpretIR: cannot evaluate ${name} on floats`);
        throw new Trap(); // integer operators fold unless they trap
      }
      return r;
    }
    throw new Error(`interpretIR: operator ${name} is not supported`);
  };
  let block = f.entry;
  f.blocks[block].params.forEach((p, i) => (env[p] = args[i]));
  try {
    for (;;) {
      if (--fuel < 0) return { result: "diverges", calls };
      const b = f.blocks[block];
      for (const v of b.insts) env[v] = evalOp(v);
      const t = b.term;
      let next;
      switch (t.kind) {
        case "return":
          return { result: `return ${t.values.map((v) => showConst(get(v))).join(", ")}`, calls, memory: mem };
        case "return_call": {
          // Only the fixed imports can be tail-called here.
          if (t.op.name !== "call") throw new Error("interpretIR: return_call_indirect is not supported");
          const r = callImport(t.op.index!, t.args.map(get));
          const list = r === undefined ? [] : Array.isArray(r) ? r : [r];
          return { result: `return ${list.map(showConst).join(", ")}`, calls, memory: mem };
        }
        case "unreachable":
          throw new Trap();
        case "none":
          throw new Error(`interpretIR: block${block} has no terminator`);
        case "br":
          next = t.target;
          break;
        case "cond":
          next = (get(t.cond).bits as number) !== 0 ? t.then : t.else;
          break;
        case "table": {
          const i = (get(t.index).bits as number) >>> 0; // unsigned, as br_table reads it
          next = i < t.targets.length ? t.targets[i] : t.default;
          break;
        }
      }
      const vals = next.args.map(get); // parallel assignment
      f.blocks[next.block].params.forEach((p, i) => (env[p] = vals[i]));
      block = next.block;
    }
  } catch (e) {
    if (e instanceof Trap) return { result: "trap", calls, memory: mem };
    throw e;
  }
}

/** Sample argument lists for a signature: every combination for up to two parameters, rotations beyond. */
export function sampleArgs(params: ValType[]): Const[][] {
  const pool = [0, 1, 2, 3, 5, 9, -1];
  const lists: (number | bigint)[][] = [];
  if (params.length === 0) lists.push([]);
  else if (params.length === 1) for (const x of pool) lists.push([x]);
  else if (params.length === 2) for (const x of pool) for (const y of pool) lists.push([x, y]);
  else for (let k = 0; k < 12; k++) lists.push(params.map((_, i) => pool[(k + 3 * i + (k >> 2) * i) % pool.length]));
  return lists.map((l) => toConsts(params, l));
}

/** Emit the functions through the backend into one module (named fn0, fn1, ... and exported), validate it, and
 *  run each on every argument list for which `interpretIR` of the same function terminates. */
export async function emitAndRun(
  fns: FunctionBody[],
  argLists: Const[][][],
  initialMemory?: Uint8Array,
): Promise<Outcome[][]> {
  const b = await loadBinaryen();
  const mod = new b.Module();
  mod.setFeatures(projectFeatures(b) | b.Features.TailCall);
  let bytes: Uint8Array;
  try {
    mod.setMemory(1, 1, "memory");
    mod.addFunctionImport("f0", "env", "f0", b.i32, b.i32);
    mod.addFunctionImport("f1", "env", "f1", b.i32, b.none);
    mod.addFunctionImport("f2", "env", "f2", b.i32, b.createType([b.i32, b.i32]));
    const names = new ModuleNames(b, mod);
    fns.forEach((f, i) => {
      emitFunction(b, mod, names, SIGS, f, `fn${i}`);
      mod.addFunctionExport(`fn${i}`, `fn${i}`);
    });
    if (!mod.validate()) throw new Error("binaryen rejected the emitted module");
    bytes = mod.emitBinary();
  } finally {
    mod.dispose();
  }
  const compiled = new WebAssembly.Module(bytes as BufferSource);
  const out: Outcome[][] = [];
  for (let i = 0; i < fns.length; i++) {
    const row: Outcome[] = [];
    for (const args of argLists[i]) {
      const calls: string[] = [];
      const instance = new WebAssembly.Instance(compiled, imports(calls));
      const fn = instance.exports[`fn${i}`] as (...x: unknown[]) => unknown;
      const memory = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
      if (initialMemory) memory.set(initialMemory);
      const jsArgs = args.map((c) => (c.type === "i64" ? BigInt.asIntN(64, c.bits as bigint) : (c.bits as number) | 0));
      let result: string;
      try {
        const r = fn(...jsArgs);
        const list = fns[i].results.length === 0 ? [] : fns[i].results.length === 1 ? [r] : (r as unknown[]);
        result = `return ${list.map((x) => String(x)).join(", ")}`;
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        result = "trap";
      }
      row.push({ result, calls, memory: memory.slice() });
    }
    out.push(row);
  }
  return out;
}

/** Blocks whose stored preds are not exactly the reachable blocks that branch to them (for passes that recompute preds). */
export function exactPredsProblems(f: FunctionBody): string[] {
  const order = f.reversePostorder();
  const want = new Map<number, Set<number>>();
  for (const b of order)
    for (const t of targetsOf(f.blocks[b].term))
      (want.get(t.block) ?? want.set(t.block, new Set()).get(t.block)!).add(b);
  const problems: string[] = [];
  f.blocks.forEach((blk, id) => {
    const expected = [...(want.get(id) ?? [])].sort((x, y) => x - y).join();
    const got = [...blk.preds].sort((x, y) => x - y).join();
    if (expected !== got) problems.push(`block${id} preds [${got}], expected [${expected}]`);
  });
  return problems;
}
