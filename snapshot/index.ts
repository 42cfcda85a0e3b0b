// The snapshot stage (what wizer does, in TypeScript on Node's own engine): instantiate a module, run its init
// export, and write a new module that starts in the state init left — memory, globals — with the init export and
// the start function removed and nothing else changed.
//
//   1. check   — imported memory or globals, or several memories, are refused with a clear error;
//   2. instrument (instrument.ts) — a copy that exports globals, memory, table and passive-segment probes,
//                instantiated with the caller's imports (and WASI preview1, util/wasi-shim.ts, when asked);
//   3. run     — call init; a trap is an error naming the export; a changed table is refused;
//   4. rewrite (rewrite.ts) — the original bytes with the new memory size, global values and data segments,
//                and export renames (wizer's -r dst=src).
//
// Init is `wizer.initialize`, else `wizer-initialize` (wizer's and weval.h's default), or the one named. How a
// program reaches init: through host imports the caller supplies (the toy interpreter calls
// futamura.program_length/program_read; interp/host.ts provides them), or, for a WASI module, as standard input
// (a C interpreter reads it there, as it does under wizer). A WASI command that exports `wizer.resume` gets it as
// its `_start` (the rename wizer users pass as -r _start=wizer.resume).
import { decodeModule, type WasmModuleInfo } from "../specializer/ssa/module.ts";
import { f32FromNumber, f64FromNumber, type Const } from "../specializer/ssa/types.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { WasiExit, WasiShim } from "../util/wasi-shim.ts";
import { GLOBAL_EXPORT_PREFIX, instrument, MEMORY_EXPORT, PROBE_PREFIX, TABLE_EXPORT } from "./instrument.ts";
import { rewriteSnapshot } from "./rewrite.ts";
import { nonZeroRuns } from "./segments.ts";

export const DEFAULT_INIT_EXPORT = "wizer.initialize";
/** The init names tried when none is given: ours, and wizer's and weval.h's default. */
export const DEFAULT_INIT_EXPORTS = [DEFAULT_INIT_EXPORT, "wizer-initialize"];
/** A WASI command's entry point after a snapshot (wizer's -r _start=wizer.resume). */
export const RESUME_EXPORT = "wizer.resume";

/** WASI for init: its arguments, environment and standard input, and where its output goes (default: kept, and
 *  shown in the error when init exits or traps). */
export interface SnapshotWasi {
  args?: string[];
  env?: Record<string, string>;
  preopens?: Record<string, string>;
  stdin?: Uint8Array;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export interface SnapshotOptions {
  /** The export to run (default `wizer.initialize`, else `wizer-initialize`). */
  initExport?: string;
  /** Export renames, destination → source (wizer's -r dst=src). With `wasi`, a module that exports `wizer.resume`
   *  gets `_start` = `wizer.resume` unless renames are given. */
  renames?: Record<string, string>;
  /** Host functions init may call. */
  imports?: WebAssembly.Imports;
  /** Provide WASI preview1 (util/wasi-shim.ts: standard streams, clocks; no files) to init, like wizer's --allow-wasi. */
  wasi?: boolean | SnapshotWasi;
  /** Called with the instance before init runs (a host that needs the instance's memory binds it here). */
  onInstance?: (instance: WebAssembly.Instance) => void;
  /** Keep the init export in the output (wizer's --keep-init-func). */
  keepInitExport?: boolean;
  /** Called after init, once memory and globals are captured: may run more of the instance and change `image`, the
   *  memory the snapshot will hold (the pipeline's training run, pipeline/train.ts, keeps what it learned there). */
  afterCapture?: (instance: WebAssembly.Instance, image: Uint8Array) => void;
}

export interface SnapshotResult {
  wasm: Uint8Array;
  stats: {
    ms: number;
    pages: number;
    dataSegments: number;
    dataBytes: number;
    inputBytes: number;
    outputBytes: number;
  };
}

export class SnapshotError extends UserError {}

/** The header's steps: checkModule, instantiateInstrumented and runInit, the capture of memory and globals,
 *  rewriteSnapshot. */
export async function snapshot(wasm: Uint8Array, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const t0 = performance.now();
  const { info, initExport } = checkModule(wasm, opts);
  const output: Uint8Array[] = []; // init's standard output and error, unless the caller takes them
  const instance = await instantiateInstrumented(info, opts, output);
  const ex = instance.exports;
  const reactorInit = runInit(ex, initExport, output);
  const memory = ex[MEMORY_EXPORT] as WebAssembly.Memory | undefined;
  const live = memory ? new Uint8Array(memory.buffer) : new Uint8Array(0);
  // The memory is mostly zeros (Lua's: 96 MB for 0.1 MB of non-zero bytes): without afterCapture, which changes a copy
  // of it, the segments are read from it in place (each a copy of its own bytes), before the probes write into it —
  // the copy of Lua's cost more than the rest of the snapshot (2026-12-07, load ~6: snapshot 240-410 -> 115-170 ms).
  const image = opts.afterCapture ? live.slice() : live;
  const pages = image.length / 65536;
  let runs = opts.afterCapture ? undefined : nonZeroRuns(image);
  const globals = captureGlobals(info, ex);
  // Probes run last: they write a byte into memory, already captured above.
  const droppedPassive = runProbes(info, ex);
  opts.afterCapture?.(instance, image);
  runs ??= nonZeroRuns(image);
  const exported = new Set(info.exports.map((e) => e.name));
  const renames = opts.renames ?? (opts.wasi && exported.has(RESUME_EXPORT) ? { _start: RESUME_EXPORT } : {});
  for (const [dst, src] of Object.entries(renames))
    if (!exported.has(src))
      throw new SnapshotError(`snapshot: cannot rename '${src}' to '${dst}': the module exports no '${src}'`);
  const out = rewriteSnapshot(info, {
    pages,
    runs,
    globals,
    droppedPassive,
    removeExport: [opts.keepInitExport ? "" : initExport, reactorInit ? "_initialize" : ""],
    renames,
  });
  if (!WebAssembly.validate(out as BufferSource))
    throw new InternalError("snapshot: the written module does not validate");
  return {
    wasm: out,
    stats: {
      ms: performance.now() - t0,
      pages,
      dataSegments: runs.length,
      dataBytes: runs.reduce((n, r) => n + r.bytes.length, 0),
      inputBytes: wasm.length,
      outputBytes: out.length,
    },
  };
}

/** Step 1: the module decoded, what a snapshot cannot hold refused, and the init export to run (one that takes and
 *  returns nothing). */
function checkModule(wasm: Uint8Array, opts: SnapshotOptions): { info: WasmModuleInfo; initExport: string } {
  let info;
  try {
    info = decodeModule(wasm);
  } catch (e) {
    throw new SnapshotError(`snapshot: cannot read the module: ${(e as Error).message}`);
  }
  if (info.memories.some((m) => m.imported))
    throw new SnapshotError("snapshot: the module imports its memory; a snapshot needs a memory the module defines");
  const importedGlobal = info.globals.find((g) => g.import);
  if (importedGlobal)
    throw new SnapshotError(
      `snapshot: the module imports global ${importedGlobal.import!.module}.${importedGlobal.import!.name}; imported globals are not supported`,
    );
  if (info.memories.length > 1)
    throw new SnapshotError(
      `snapshot: the module has ${info.memories.length} memories; multiple memories are not supported`,
    );
  if (info.tables.some((t) => t.imported))
    throw new SnapshotError("snapshot: the module imports a table; imported tables are not supported");
  const initExport = resolveInitExport(
    info.exports.filter((e) => e.kind === "func").map((e) => e.name),
    opts.initExport,
  );
  const init = info.exports.find((e) => e.name === initExport)!;
  const initType = info.functions[init.index].type;
  if (initType.params.length || initType.results.length)
    throw new SnapshotError(`snapshot: '${initExport}' must take and return nothing`);
  return { info, initExport };
}

/** Step 2: the instrumented copy instantiated with the caller's imports (and WASI preview1 when asked), its memory
 *  bound to WASI and the instance handed to `onInstance`. */
async function instantiateInstrumented(
  info: WasmModuleInfo,
  opts: SnapshotOptions,
  output: Uint8Array[],
): Promise<WebAssembly.Instance> {
  const instrumented = await instrument(info);
  const imports: WebAssembly.Imports = { ...opts.imports };
  let wasi: WasiShim | undefined;
  if (opts.wasi) {
    const w = typeof opts.wasi === "object" ? opts.wasi : {};
    if (w.preopens && Object.keys(w.preopens).length)
      throw new SnapshotError("snapshot: preopened directories are not supported (util/wasi-shim.ts grants no files)");
    // util/wasi-shim.ts, not node:wasi: on Node 20 node:wasi corrupts V8's heap once the module's memory grew.
    const keep = (b: Uint8Array) => output.push(b);
    wasi = new WasiShim({
      args: w.args ?? [],
      env: w.env ?? {},
      stdin: w.stdin ?? new Uint8Array(0),
      stdout: w.stdout ?? keep,
      stderr: w.stderr ?? keep,
    });
    imports.wasi_snapshot_preview1 = wasi.wasiImport;
  }
  let instance: WebAssembly.Instance;
  try {
    instance = (await WebAssembly.instantiate(instrumented as BufferSource, imports)).instance;
  } catch (e) {
    const msg = (e as Error).message;
    if (/Import #\d+|import/i.test(msg) && !opts.wasi && /wasi_snapshot_preview1/.test(msg))
      throw new SnapshotError(`snapshot: the module imports WASI; pass --wasi to provide it (${msg})`);
    throw new SnapshotError(`snapshot: cannot instantiate the module: ${msg}`);
  }
  // Init is called directly (runInit), as wizer does (a command's `_start` is not run).
  if (wasi) wasi.bind(instance.exports[MEMORY_EXPORT] as WebAssembly.Memory);
  opts.onInstance?.(instance);
  return instance;
}

/** Step 3: runs init (after a WASI reactor's `_initialize`); a trap, an exit or a changed table is an error.
 *  Whether a reactor's `_initialize` ran (the output drops it). */
function runInit(ex: WebAssembly.Exports, initExport: string, output: Uint8Array[]): boolean {
  const table = ex[TABLE_EXPORT] as WebAssembly.Table | undefined;
  const tableBefore = table ? Array.from({ length: table.length }, (_, i) => table.get(i)) : [];
  // A WASI reactor (clang -mexec-model=reactor) expects `_initialize` (its constructors) before anything else, as
  // wizer calls it; the snapshot has run it, so the output drops it (run again, it would undo init's work).
  const reactorInit =
    initExport !== "_initialize" && typeof ex._initialize === "function" ? (ex._initialize as () => void) : undefined;
  try {
    reactorInit?.();
    (ex[initExport] as () => void)();
  } catch (e) {
    const printed = new TextDecoder().decode(concat(output)).trim();
    const said = printed ? `; it printed:\n${printed}` : "";
    if (e instanceof WasiExit)
      throw new SnapshotError(`snapshot: '${initExport}' exited (code ${e.code}) instead of returning${said}`);
    throw new SnapshotError(`snapshot: '${initExport}' trapped: ${(e as Error).message}${said}`);
  }
  if (table && (table.length !== tableBefore.length || tableBefore.some((f, i) => table.get(i) !== f)))
    throw new SnapshotError(
      `snapshot: '${initExport}' changed the table; snapshots of changed tables are not supported`,
    );
  return reactorInit !== undefined;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.length) - c.length);
  return all;
}

/** Every global's value after init, through the instrumented copy's global exports. */
function captureGlobals(info: WasmModuleInfo, ex: WebAssembly.Exports): Const[] {
  const globals: Const[] = [];
  info.globals.forEach((g, i) => {
    const value = (ex[`${GLOBAL_EXPORT_PREFIX}${i}`] as WebAssembly.Global).value;
    if (g.type === "i32") globals.push({ type: "i32", bits: Number(value) >>> 0 });
    else if (g.type === "i64") globals.push({ type: "i64", bits: BigInt.asUintN(64, BigInt(value)) });
    else if (g.type === "f32") globals.push(f32FromNumber(Number(value)));
    else globals.push(f64FromNumber(Number(value)));
  });
  return globals;
}

/** The passive data segments init dropped: each probe (instrument.ts) traps on a dropped one. */
function runProbes(info: WasmModuleInfo, ex: WebAssembly.Exports): Set<number> {
  const droppedPassive = new Set<number>();
  info.data.forEach((_, i) => {
    const probe = ex[`${PROBE_PREFIX}${i}`] as (() => void) | undefined;
    if (!probe) return;
    try {
      probe();
    } catch {
      droppedPassive.add(i);
    }
  });
  return droppedPassive;
}

/** The init export to run: the one asked for, else the first default the module exports. */
export function resolveInitExport(exported: string[], asked: string | undefined): string {
  if (asked !== undefined) {
    if (!exported.includes(asked))
      throw new SnapshotError(`snapshot: the module has no exported function '${asked}' to run`);
    return asked;
  }
  const found = DEFAULT_INIT_EXPORTS.find((n) => exported.includes(n));
  if (!found)
    throw new SnapshotError(
      `snapshot: the module exports no init function (${DEFAULT_INIT_EXPORTS.map((n) => `'${n}'`).join(" or ")}); name one with --init`,
    );
  return found;
}
