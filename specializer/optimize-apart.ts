// binaryen on the specialized functions alone: a small module holds a group of them, emitted from their IR
// (ssa/backend.ts), with every function they call imported — the interpreter's functions and the other specialized
// functions alike — except the small leaves inlined into them (inline-leaves.ts), which it holds as copies; the
// memory, tables and mutable globals are imported too, the immutable globals defined with their constant (so binaryen
// folds them as it did in the whole module). binaryen inlines the leaves, optimizes each function as its plan says
// (optimize.ts) and writes the small module, from which splice.ts takes the bodies into the output.
// Invariant: what a function becomes depends only on its own IR, its inlined leaves' IR and the module's
// declarations, never on the other members of its group — each callee outside it is an import whatever the group —
// so grouping (one group, or one per worker thread) does not change the output's bytes.
// Imports are named `i`.`<index>` (functions by the specializer's index: the module's, then the specialized ones in
// order), `g`.`<index>`, `t`.`<index>`, `m`.`0`; a group member `s<k>` is exported under its name, a defined
// global `g<index>` too.
import { moduleFeatures, type Binaryen, type BinaryenModule } from "../util/binaryen.ts";
import { InternalError } from "../util/errors.ts";
import { callSites } from "./call-sites.ts";
import { inlineFunctions } from "./inline-leaves.ts";
import { optimizeSpecialized, type OptimizePlan } from "./optimize.ts";
import { emitFunction, ModuleNames, type CallSignatures } from "./ssa/backend.ts";
import { traced } from "./ssa/stage-runner.ts";
import type { FunctionBody } from "./ssa/ir.ts";
import type { WasmModuleInfo } from "./ssa/module.ts";
import { callSignatures } from "./ssa/roundtrip.ts";
import type { Const, ValType } from "./ssa/types.ts";

/** One specialized function: its IR, and how the backend lays it out and binaryen optimizes it. */
export interface ApartFunction {
  body: FunctionBody;
  plan: OptimizePlan;
  structured: boolean;
  /** Its IR values (functionSize). */
  size: number;
}

/** One group's work, all it needs besides the module (a structured clone crosses threads with it): its members
 *  (ks: the k-th specialized function has index info.functions.length + k) and the leaves they inline, by k. */
export interface ApartJob {
  members: number[];
  functions: [number, ApartFunction][];
  /** The type index of every specialized function, by k. */
  types: number[];
  /** The ks inlined into their callers. */
  inlined: number[];
  optimizeLevel: number;
  /** Run simplify-globals after optimizing (decided for the whole build: something is inlined somewhere). */
  simplifyGlobals: boolean;
  segmentBlocks?: number;
}

/** The job of the group `members`: they, and the leaves they inline (the same for every grouping). */
export function apartJob(
  all: readonly (ApartFunction | undefined)[],
  first: number,
  members: number[],
  shared: Omit<ApartJob, "members" | "functions">,
): ApartJob {
  const inlined = new Set(shared.inlined);
  const ks = new Set(members);
  for (const k of members)
    for (const c of callees(all[k]!.body)) if (c >= first && inlined.has(c - first)) ks.add(c - first);
  return { ...shared, members, functions: [...ks].sort((x, y) => x - y).map((k) => [k, all[k]!]) };
}

/** The op names whose immediates refer to what the small module does not hold (data segments). */
const NEEDS_WHOLE_MODULE = new Set(["memory.init", "data.drop"]);

/** Whether the function can be optimized apart: it refers to nothing the small module lacks. */
export function optimizableApart(f: FunctionBody): boolean {
  return !f.values.some((d) => d.kind === "op" && NEEDS_WHOLE_MODULE.has(d.op.name));
}

/** Functions `f` calls directly (the specializer's indices), found once per body (call-sites.ts). */
function callees(f: FunctionBody): Iterable<number> {
  return callSites(f).calls.keys();
}

/** The small module of a group, optimized, as bytes; `raw` is given it as emitted, before inlining and binaryen. */
export function optimizeApart(
  b: Binaryen,
  info: WasmModuleInfo,
  job: ApartJob,
  raw?: (unoptimized: Uint8Array) => void,
): Uint8Array {
  const first = info.functions.length;
  const functions = new Map(job.functions);
  const sorted = [...functions.keys()];
  const imported = new Set<number>();
  for (const f of functions.values())
    for (const c of callees(f.body)) if (c < first || !functions.has(c - first)) imported.add(c);
  const sigs = callSignatures(info);
  for (const t of job.types) sigs.functions.push(info.types[t]);
  const mod = new b.Module();
  try {
    mod.setFeatures(moduleFeatures(b, info.targetFeatures));
    const names = declare(b, mod, info, sigs, job.types.length, imported, functions);
    for (const [k, f] of functions) emitFunction(b, mod, names, sigs, f.body, `s${k}`, job.segmentBlocks, f.structured);
    for (const k of job.members) mod.addFunctionExport(`s${k}`, `s${k}`);
    if (raw) {
      // The raw module exports the leaves' copies too, for as long as it is written: its members call them (nothing
      // is inlined yet), and the splice names an exported function by its k, as it does a member of another group.
      const copies = sorted.filter((k) => !job.members.includes(k));
      for (const k of copies) mod.addFunctionExport(`s${k}`, `s${k}`);
      raw(mod.emitBinary());
      for (const k of copies) mod.removeExport(`s${k}`);
    }
    const inlined = new Set(job.inlined);
    const leaves = sorted.filter((k) => inlined.has(k)).map((k) => `s${k}`);
    if (leaves.length)
      inlineFunctions(
        b,
        mod,
        sorted.map((k) => `s${k}`),
        new Set(leaves),
      );
    if (!mod.validate()) throw new InternalError("binaryen rejected the specialized functions");
    b.setOptimizeLevel(job.optimizeLevel);
    b.setShrinkLevel(0);
    for (const k of job.members) {
      const f = functions.get(k)!;
      const inlinedInto = [...callees(f.body)].some((c) => c >= first && inlined.has(c - first));
      traced(`s${k}`, "binaryen", () => optimizeSpecialized(mod, `s${k}`, f.plan, f.structured, inlinedInto, f.size));
    }
    // After inlining, a callee's constant write to a global (Fern's result tag) and the caller's read of it sit in
    // one function: simplify-globals forwards the constant within the block (V8 folds the compare that is left).
    // calls.fern, trained: 1.45 -> 1.24 ms.
    if (job.simplifyGlobals) mod.runPasses(["simplify-globals"]);
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** The small module's imports and globals, and the names the backend calls them by. */
function declare(
  b: Binaryen,
  mod: BinaryenModule,
  info: WasmModuleInfo,
  sigs: CallSignatures,
  specialized: number,
  imported: ReadonlySet<number>,
  defined: ReadonlyMap<number, unknown>,
): ModuleNames {
  const first = info.functions.length;
  const names = new ModuleNames();
  const types = (ts: ValType[]) =>
    ts.length === 0 ? b.none : ts.length === 1 ? b[ts[0]] : b.createType(ts.map((t) => b[t]));
  for (let i = 0; i < first + specialized; i++)
    names.functions.push(i >= first && defined.has(i - first) ? `s${i - first}` : `i${i}`);
  for (const i of [...imported].sort((x, y) => x - y)) {
    const sig = sigs.functions[i];
    mod.addFunctionImport(`i${i}`, "i", String(i), types(sig.params), types(sig.results));
  }
  info.globals.forEach((g, i) => {
    const name = `g${i}`;
    names.globals.push(name);
    if (g.import || g.mutable || !g.init) mod.addGlobalImport(name, "g", String(i), b[g.type], g.mutable);
    else {
      mod.addGlobal(name, b[g.type], false, constant(mod, g.init));
      mod.addGlobalExport(name, name);
    }
  });
  info.tables.forEach((t, i) => {
    names.tables.push(`t${i}`);
    mod.addTable(`t${i}`, t.initial, t.max ?? 0xffffffff);
    mod.addTableImport(`t${i}`, "t", String(i));
  });
  const memory = info.memories[0];
  if (memory) {
    mod.setMemory(memory.initial, memory.max ?? 0xffffffff, null, [], false, false, "m");
    mod.addMemoryImport("m", "m", "0");
  }
  return names;
}

function constant(mod: BinaryenModule, c: Const): number {
  switch (c.type) {
    case "i32":
      return mod.i32.const(Number(c.bits) | 0);
    case "i64": {
      const v = BigInt.asUintN(64, BigInt(c.bits));
      return mod.i64.const(Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
    }
    case "f32":
      return mod.f32.const_bits(Number(c.bits) | 0);
    case "f64": {
      const v = BigInt.asUintN(64, BigInt(c.bits));
      return mod.f64.const_bits(Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
    }
  }
}
