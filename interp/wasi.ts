// Running WASI command modules (a `_start` export, imports from wasi_snapshot_preview1) on Node's own engine through
// util/wasi-shim.ts: a C interpreter built by clang (interp/c/), its snapshot, its wevaled module. Standard input can be
// given bytes; standard output and error are inherited (the CLI) or captured (tests, `futamura diff`). weval
// intrinsics get the stubs interp/host.ts defines, as for every unspecialized module. The exit code comes back; a trap is
// thrown. Relies on util/wasi-shim.ts and interp/host.ts.
import { WasiShim } from "../util/wasi-shim.ts";
import { decodeModule } from "../specializer/ssa/module.ts";
import { BufferedOutput, InterpreterHost } from "./host.ts";

export const WASI_MODULE = "wasi_snapshot_preview1";

/** True for a module that imports WASI and exports `_start` (a command). */
export function isWasiCommand(wasm: Uint8Array | WebAssembly.Module): boolean {
  if (wasm instanceof WebAssembly.Module) {
    return WebAssembly.Module.exports(wasm).some((e) => e.kind === "function" && e.name === "_start") && WebAssembly.Module.imports(wasm).some((i) => i.module === WASI_MODULE);
  }
  const info = decodeModule(wasm);
  return info.exports.some((e) => e.kind === "func" && e.name === "_start") && info.functions.some((f) => f.import?.module === WASI_MODULE);
}

/** True for a module that imports WASI at all (its init needs WASI to run). */
export function importsWasi(wasm: Uint8Array): boolean {
  return decodeModule(wasm).functions.some((f) => f.import?.module === WASI_MODULE);
}

export interface WasiRunOptions {
  /** Bytes for standard input (default: the process's own standard input when inheriting, else empty). */
  stdin?: Uint8Array;
  /** Bytes read before standard input (a WASI interpreter's program, read by its init; the rest is the program's). */
  stdinPrefix?: Uint8Array;
  /** Capture standard output and error instead of writing them to the process's. */
  capture?: boolean;
  args?: string[];
  /** The program for futamura's host imports (futamura.program_*), for a module that imports them too. */
  program?: Uint8Array;
}

export interface WasiRunResult {
  exitCode: number;
  /** With `capture`. */
  stdout?: string;
  stderr?: string;
}

export async function runWasiCommand(wasm: Uint8Array | WebAssembly.Module, opts: WasiRunOptions = {}): Promise<WasiRunResult> {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  // util/wasi-shim.ts rather than node:wasi, whose memory handling corrupts V8's heap on Node 20 (see there).
  // Without bytes for standard input and without capture, the module reads the process's own, as it asks.
  const wasi = new WasiShim({ args: ["wasi", ...(opts.args ?? [])], stdinPrefix: opts.stdinPrefix, stdin: opts.stdin ?? (opts.capture ? new Uint8Array(0) : 0), stdout: opts.capture ? (b) => out.push(b) : 1, stderr: opts.capture ? (b) => err.push(b) : 2 });
  const host = new InterpreterHost(opts.program ?? new Uint8Array(0), new BufferedOutput());
  const imports = { ...host.imports, [WASI_MODULE]: wasi.wasiImport } as WebAssembly.Imports;
  const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as BufferSource);
  const instance = await WebAssembly.instantiate(module, imports);
  host.bind(instance);
  // A reactor that also has a `_start` (a reactor interpreter run unsnapshotted, given `_start` = `wizer.resume`):
  // its `_initialize` first, then `_start`, as one entry.
  const { _initialize: reactorInit, _start: start, memory } = instance.exports as { _initialize?: () => void; _start: () => void; memory: WebAssembly.Memory };
  const entry = reactorInit ? ({ exports: { memory, _start: () => (reactorInit(), start()) } } as unknown as WebAssembly.Instance) : instance;
  const exitCode = wasi.start(entry);
  if (!opts.capture) return { exitCode };
  const text = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));
  return { exitCode, stdout: text(out), stderr: text(err) };
}
