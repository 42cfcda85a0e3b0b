// Running WASI command modules (a `_start` export, imports from wasi_snapshot_preview1) on Node's own engine through
// util/wasi-shim.ts: a C interpreter built by clang (interp/c/), its snapshot, its wevaled module. Standard input can be
// given bytes; standard output and error are inherited (the CLI) or captured (tests, `futamura diff`). weval
// intrinsics get the stubs interp/host.ts defines, as for every unspecialized module. The exit code comes back; a trap is
// thrown.
import { WasiShim } from "../util/wasi-shim.ts";
import { fdReader, fdWriter, WasiFiles, type Grant } from "../util/wasi-files.ts";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SearchPath } from "./manifest.ts";
import { UserError } from "../util/errors.ts";
import { decodeModule } from "../specializer/ssa/module.ts";
import { BufferedOutput, InterpreterHost } from "./host.ts";

export const WASI_MODULE = "wasi_snapshot_preview1";

/** True for a module that imports WASI and exports `_start` (a command). */
export function isWasiCommand(wasm: Uint8Array | WebAssembly.Module): boolean {
  if (wasm instanceof WebAssembly.Module) {
    return (
      WebAssembly.Module.exports(wasm).some((e) => e.kind === "function" && e.name === "_start") &&
      WebAssembly.Module.imports(wasm).some((i) => i.module === WASI_MODULE)
    );
  }
  const info = decodeModule(wasm);
  return (
    info.exports.some((e) => e.kind === "func" && e.name === "_start") &&
    info.functions.some((f) => f.import?.module === WASI_MODULE)
  );
}

/** True for a module that imports WASI at all (its init needs WASI to run). */
export function importsWasi(wasm: Uint8Array): boolean {
  return decodeModule(wasm).functions.some((f) => f.import?.module === WASI_MODULE);
}

export interface HostAccessOptions {
  /** More directories to read (`--allow-read`), and directories to create, write and remove files in (`--allow-write`). */
  allowRead?: string[];
  allowWrite?: string[];
  /** The interpreter's module search path (its manifest's searchPath): the folders it names are readable too. */
  searchPath?: SearchPath;
  /** The program's environment (default: this process's), which the search path is read from too. */
  env?: NodeJS.ProcessEnv;
}

/** The existing folders a module search path names (the part of each template before its '?', relative ones from the
 *  current directory), read from the environment as the interpreter will read it: the first variable set, its first
 *  ";;" standing for the default, else the default. */
export function searchPathFolders(path: SearchPath, env: NodeJS.ProcessEnv = process.env): string[] {
  const set = path.env.map((v) => env[v]).find((v) => v !== undefined);
  const templates = set === undefined ? path.default : set.replace(";;", `;${path.default};`);
  const folders = new Set<string>();
  for (const template of templates.split(";")) {
    const mark = template.indexOf("?");
    if (mark < 0) continue; // a template without '?' names one file, not a folder of modules
    const prefix = template.slice(0, mark);
    const dir = resolve(prefix.endsWith("/") || prefix === "" ? prefix || "." : dirname(prefix));
    try {
      if (statSync(dir).isDirectory()) folders.add(dir);
    } catch {}
  }
  return [...folders];
}

/**
 * What a WASI program run by `futamura run`/`diff` may use on the host: read access to the current directory and to
 * the program's own (so `dofile`, `require`, `io.open` of the files beside a script work, by the paths `lua` would
 * take), more directories to read or write when asked, and the environment as it is, with PWD set to the current
 * directory (a program's relative paths resolve there: interp/lua/driver.c moves to it). With a search path (Lua's
 * LUA_PATH and its default), the folders on it are readable too, so `require` finds what `lua` finds.
 */
export function hostAccess(
  programFile: string | undefined,
  opts: HostAccessOptions = {},
): { files: Grant[]; env: Record<string, string> } {
  const check = (dir: string, option: string) => {
    let ok = false;
    try {
      ok = statSync(dir).isDirectory();
    } catch {}
    if (!ok) throw new UserError(`${option} ${dir}: not a directory`);
    return resolve(dir);
  };
  const write = (opts.allowWrite ?? []).map((d) => check(d, "--allow-write"));
  const read = [
    process.cwd(),
    ...(programFile ? [resolve(dirname(programFile))] : []),
    ...(opts.allowRead ?? []).map((d) => check(d, "--allow-read")),
  ];
  const files: Grant[] = [...new Set(write)].map((dir) => ({ dir, write: true }));
  for (const dir of new Set(read)) if (!write.includes(dir)) files.push({ dir });
  // Library folders: their links are followed (Debian's /usr/share/lua/5.4 links its files to ../5.1).
  for (const dir of opts.searchPath ? searchPathFolders(opts.searchPath, opts.env) : [])
    if (!write.includes(dir) && !read.includes(dir)) files.push({ dir, links: true });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? process.env)) if (v !== undefined) env[k] = v;
  env.PWD = process.cwd();
  return { files, env };
}

export interface WasiRunOptions {
  /** Bytes for standard input (default: the process's own standard input when inheriting, else empty). */
  stdin?: Uint8Array;
  /** Bytes read before standard input (a WASI interpreter's program, read by its init; the rest is the program's). */
  stdinPrefix?: Uint8Array;
  /** Capture standard output and error instead of writing them to the process's. */
  capture?: boolean;
  args?: string[];
  /** Host directories the module may use (util/wasi-files.ts), and its environment variables. */
  files?: Grant[];
  env?: Record<string, string>;
  /** The program for futamura's host imports (futamura.program_*), for a module that imports them too. */
  program?: Uint8Array;
}

export interface WasiRunResult {
  exitCode: number;
  /** With `capture`. */
  stdout?: string;
  stderr?: string;
}

export async function runWasiCommand(
  wasm: Uint8Array | WebAssembly.Module,
  opts: WasiRunOptions = {},
): Promise<WasiRunResult> {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  // util/wasi-shim.ts rather than node:wasi, whose memory handling corrupts V8's heap on Node 20 (see there).
  // Without bytes for standard input and without capture, the module reads the process's own, as it asks.
  const wasi = new WasiShim({
    args: ["wasi", ...(opts.args ?? [])],
    stdinPrefix: opts.stdinPrefix,
    stdin: opts.stdin ?? (opts.capture ? new Uint8Array(0) : fdReader(0)),
    stdout: opts.capture ? (b) => out.push(b) : fdWriter(1),
    stderr: opts.capture ? (b) => err.push(b) : fdWriter(2),
    files: new WasiFiles(opts.files ?? []),
    env: opts.env,
  });
  const host = new InterpreterHost(opts.program ?? new Uint8Array(0), new BufferedOutput());
  const imports = { ...host.imports, [WASI_MODULE]: wasi.wasiImport } as WebAssembly.Imports;
  const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as BufferSource);
  const instance = await WebAssembly.instantiate(module, imports);
  host.bind(instance);
  // A reactor that also has a `_start` (a reactor interpreter run unsnapshotted, given `_start` = `wizer.resume`):
  // its `_initialize` first, then `_start`, as one entry.
  const {
    _initialize: reactorInit,
    _start: start,
    memory,
  } = instance.exports as { _initialize?: () => void; _start: () => void; memory: WebAssembly.Memory };
  const entry = reactorInit
    ? ({ exports: { memory, _start: () => (reactorInit(), start()) } } as unknown as WebAssembly.Instance)
    : instance;
  let exitCode: number;
  try {
    exitCode = wasi.start(entry);
  } finally {
    wasi.dispose();
  }
  if (!opts.capture) return { exitCode };
  const text = (chunks: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(chunks));
  return { exitCode, stdout: text(out), stderr: text(err) };
}
