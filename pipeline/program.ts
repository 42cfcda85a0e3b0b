// A program file → what an interpreter loads, through its manifest's loader (interp/manifest.ts):
//   - a loader module exports `load(file: string, data: Uint8Array): LoadedProgram` (JavaScript, or TypeScript
//     inside this repository: it runs from dist/ as the compiled .js);
//   - a loader command prints the program's bytes on standard output ({file} is replaced by the path);
//   - no loader: the file's bytes as they are.
// What a loader returns, and where its module runs from, are interp/loaded-program.ts's (the loaders import them).
import { spawnSync } from "node:child_process";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import type { HostedProgram, ProgramHost } from "../interp/host.ts";
import { deepStackFor, type LoadedProgram } from "../interp/loaded-program.ts";
import { checkExtension, type Manifest } from "../interp/manifest.ts";
import { UserError } from "../util/errors.ts";
import { readUserFile } from "../util/files.ts";
import { runnableModulePath } from "../util/root.ts";

export { deepStackFor, type Expectations, type LoadedProgram } from "../interp/loaded-program.ts";

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
  if (typeof mod.load !== "function")
    throw new UserError(`${path}: error: a loader module must export a function load(file, data)`);
  return mod;
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
    if (!(loaded?.bytes instanceof Uint8Array))
      throw new UserError(`${m.loader.module}: error: load() must return { bytes: Uint8Array, … }`);
  } else if ("command" in m.loader) {
    const [cmd, ...args] = m.loader.command.map((a) => a.replaceAll("{file}", file));
    const r = spawnSync(cmd, args, { maxBuffer: 1 << 30 });
    if (r.error) throw new UserError(`${m.file}: error: cannot run the loader command '${cmd}': ${r.error.message}`);
    if (r.status !== 0)
      throw new UserError(
        `${file}: error: the loader command failed (exit ${r.status}): ${r.stderr.toString().trim().split("\n")[0] ?? ""}`,
      );
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
