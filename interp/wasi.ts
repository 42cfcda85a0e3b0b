// Running WASI command modules (a `_start` export, imports from wasi_snapshot_preview1) on Node's own engine through
// node:wasi: a C interpreter built by clang (interp/c/), its snapshot, its wevaled module. Standard input can be
// given bytes; standard output and error are inherited (the CLI) or captured (tests, `futamura diff`). weval
// intrinsics get the stubs interp/host.ts defines, as for every unspecialized module. The exit code comes back
// (node:wasi's returnOnExit); a trap is thrown. Relies on util/wasi.ts and interp/host.ts.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesAsFd, loadNodeWasi } from "../util/wasi.ts";
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
  const { WASI } = await loadNodeWasi();
  const stdinBytes = opts.stdin ?? (opts.capture ? new Uint8Array(0) : undefined);
  const stdin = stdinBytes ? bytesAsFd(stdinBytes) : undefined;
  const captureDir = opts.capture ? mkdtempSync(join(tmpdir(), "futamura-wasi-")) : undefined;
  const outFd = captureDir ? openSync(join(captureDir, "stdout"), "w+") : 1;
  const errFd = captureDir ? openSync(join(captureDir, "stderr"), "w+") : 2;
  try {
    const wasi = new WASI({ version: "preview1", args: ["wasi", ...(opts.args ?? [])], env: {}, returnOnExit: true, stdin: stdin?.fd ?? 0, stdout: outFd, stderr: errFd });
    const host = new InterpreterHost(opts.program ?? new Uint8Array(0), new BufferedOutput());
    const imports = { ...host.imports, [WASI_MODULE]: wasi.wasiImport } as WebAssembly.Imports;
    const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as BufferSource);
    const instance = await WebAssembly.instantiate(module, imports);
    host.bind(instance);
    // A reactor that also has a `_start` (a reactor interpreter run unsnapshotted, given `_start` = `wizer.resume`):
    // its `_initialize` first, then `_start`, as one entry (node:wasi's start() refuses an `_initialize` export).
    const { _initialize: reactorInit, _start: start, memory } = instance.exports as { _initialize?: () => void; _start: () => void; memory: WebAssembly.Memory };
    const entry = reactorInit ? { exports: { memory, _start: () => (reactorInit(), start()) } } : instance;
    const exitCode = wasi.start(entry as WebAssembly.Instance) ?? 0;
    if (!captureDir) return { exitCode };
    return { exitCode, stdout: readFileSync(join(captureDir, "stdout"), "utf8"), stderr: readFileSync(join(captureDir, "stderr"), "utf8") };
  } finally {
    stdin?.close();
    if (captureDir) {
      closeSync(outFd);
      closeSync(errFd);
      rmSync(captureDir, { recursive: true, force: true });
    }
  }
}
