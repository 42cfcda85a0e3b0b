// A program file → what an interpreter loads, through its manifest's loader (interp/manifest.ts):
//   - a loader module exports `load(file: string, data: Uint8Array): LoadedProgram` (JavaScript, or TypeScript
//     inside this repository: it runs from dist/ as the compiled .js);
//   - a loader command prints the program's bytes on standard output ({file} is replaced by the path);
//   - no loader: the file's bytes as they are.
// Relies on interp/manifest.ts, interp/host.ts and util/.
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import type { HostedProgram, ProgramHost } from "../interp/host.ts";
import { checkExtension, type Manifest } from "../interp/manifest.ts";
import { UserError } from "../util/errors.ts";
import { readUserFile } from "../util/files.ts";
import { runnableModulePath } from "../util/root.ts";

/** What a program says it should do (comments in its source, or files beside it): checked by `run --expect`. */
export interface Expectations {
  /** Expected output (bytes; a string is UTF-8). */
  stdout?: string | Uint8Array;
  /** Expected result of `run` (a decimal). */
  result?: string;
  /** Expected runtime error message, with the file named by its base name. */
  error?: string;
  /** Expected exit code (default 0 when anything is expected). */
  exitCode?: number;
}

/** What a loader returns. */
export interface LoadedProgram {
  /** The bytes init reads through futamura.program_read. */
  bytes: Uint8Array;
  expect?: Expectations;
  /** Input the program is meant to read (used by diff, bench, tests and `run --expect` when no --input is given). */
  input?: Uint8Array;
  /** The language's own imports and runtime error messages. */
  host?: ProgramHost;
  /** One line per step for `run --trace` (interpreters that export `runTraced` and call futamura.trace). */
  formatTrace?(pc: number, value: bigint): string;
  /** What a weval request whose constant buffer is `constant` specializes, for --stats (Fern: `fn main`). */
  describeRequest?(constant: Uint8Array): string | undefined;
}

export interface Program extends LoadedProgram, HostedProgram {
  file: string;
  interpreter: string;
}

type LoaderModule = {
  load: (file: string, data: Uint8Array) => LoadedProgram | Promise<LoadedProgram>;
  /** Optional: the host additions for a program's bytes alone (for `run out.wasm`, where the source is gone). */
  host?: (bytes: Uint8Array) => ProgramHost | undefined;
};

const modules = new Map<string, Promise<LoaderModule>>();

async function loaderModule(m: Manifest, path: string): Promise<LoaderModule> {
  let p = modules.get(path);
  if (!p) {
    p = import(pathToFileURL(runnableModulePath(path)).href) as Promise<LoaderModule>;
    modules.set(path, p);
  }
  let mod: LoaderModule;
  try {
    mod = await p;
  } catch (e) {
    throw new UserError(`${m.file}: error: cannot import the loader ${path}: ${(e as Error).message}`);
  }
  if (typeof mod.load !== "function") throw new UserError(`${path}: error: a loader module must export a function load(file, data)`);
  return mod;
}

/** How programs of `m` run on the large-stack worker (its manifest's "deepStack"), or undefined: the worker makes
 *  their host from the loader's `host(bytes)`, when the loader is a module. */
export function deepStackFor(m: Manifest): HostedProgram["deepStack"] {
  if (!m.deepStack) return undefined;
  if (!("module" in m.loader)) return {};
  return { hostModule: pathToFileURL(runnableModulePath(m.loader.module)).href, hostExport: "host" };
}

/** Load `file` for interpreter `m` (after checking it is not another interpreter's program). */
export async function loadProgram(m: Manifest, file: string, data?: Uint8Array): Promise<Program> {
  checkExtension(m, file);
  const bytes = data ?? readUserFile(file);
  let loaded: LoadedProgram;
  if ("module" in m.loader) {
    const loader = await loaderModule(m, m.loader.module);
    try {
      loaded = await loader.load(file, bytes);
    } catch (e) {
      if (e instanceof UserError) throw e;
      // A loader reports a bad program by throwing `file:line:col: error: …`; anything else is the loader's own bug.
      const message = (e as Error)?.message ?? String(e);
      if (message.startsWith(`${file}:`) && !message.includes("\n")) throw new UserError(message);
      throw new UserError(`${m.loader.module}: error: the loader failed on ${file}: ${message}`);
    }
    if (!(loaded?.bytes instanceof Uint8Array)) throw new UserError(`${m.loader.module}: error: load() must return { bytes: Uint8Array, … }`);
  } else if ("command" in m.loader) {
    const [cmd, ...args] = m.loader.command.map((a) => a.replaceAll("{file}", file));
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 30 });
    if (r.error) throw new UserError(`${m.file}: error: cannot run the loader command '${cmd}': ${r.error.message}`);
    if (r.status !== 0) throw new UserError(`${file}: error: the loader command failed (exit ${r.status}): ${r.stderr.toString().trim().split("\n")[0] ?? ""}`);
    loaded = { bytes: new Uint8Array(r.stdout) };
  } else loaded = { bytes };
  return { deepStack: deepStackFor(m), ...loaded, file, interpreter: m.name };
}

/** The runtime error message as an expectation names it: the file by its base name. */
export function errorForExpect(program: Program, message: string | undefined): string | undefined {
  return message?.replaceAll(program.file, basename(program.file));
}

/** The host additions for a built module's program (its bytes from the module's futamura.program section): the
 *  loader's `host(bytes)` when it exports one. */
export async function hostForBytes(m: Manifest, bytes: Uint8Array): Promise<ProgramHost | undefined> {
  if (!("module" in m.loader)) return undefined;
  const loader = await loaderModule(m, m.loader.module);
  return loader.host?.(bytes);
}
