// The pipeline layer: program → interpreter bytes → snapshot → specialize → cache → run, for any interpreter a
// manifest describes. cli/, bench/ and the tests go through here; the stages (snapshot/, specializer/) stay
// ignorant of each other and of interpreters.
import { basename, resolve } from "node:path";
import { buildInterpreter } from "../interp/build.ts";
import { manifestForFile, rawManifest, resolveInterpreterSpec, type Manifest } from "../interp/manifest.ts";
import { checkUserFile, readUserFile } from "../util/files.ts";
import type { ProgressCallback } from "../util/progress.ts";
import { loadProgram, type Program } from "./program.ts";

export {
  abortedRequests,
  abortLine,
  buildProgram,
  specializerVersion,
  specializeSnapshot,
  type AbortedRequest,
  type BuildOptions,
  type BuildResult,
  type ProgressCallback,
  type WasmBuildResult,
} from "./build.ts";
export {
  differential,
  runOutcome,
  sameOutcome,
  type DiffProgram,
  type DiffResult,
  type RunOutcome,
} from "./differential.ts";
export { readProgramSection, withProgramSection } from "./embed.ts";
export { builtModuleProgram, withManifestSection, type BuiltModuleProgram } from "./built-module.ts";
export {
  deepStackFor,
  errorForExpect,
  hostForBytes,
  loadProgram,
  type Expectations,
  type LoadedProgram,
  type Program,
} from "./program.ts";

export interface Interpreter {
  name: string;
  manifest: Manifest;
  /** The interpreter module. */
  wasm: Uint8Array;
  /** Where the module is. */
  path: string;
}

/** A built module given directly: its programs load through the loader of the interpreter that takes their
 *  extension (a rebuilt or round-tripped toy interpreter still reads .asm), else as raw bytes. */
function wasmFileManifest(file: string, programFile: string | undefined): Manifest {
  const path = resolve(file);
  const raw = rawManifest(path, path);
  if (!programFile) return raw;
  try {
    const m = manifestForFile(programFile);
    return { ...m, name: raw.name, out: path };
  } catch {
    return raw;
  }
}

/** `--interp NAME|FILE`, or (no spec) the interpreter that takes `programFile`'s extension; built when stale. */
export async function resolveInterpreter(
  spec: string | undefined,
  programFile?: string,
  onProgress?: ProgressCallback,
): Promise<Interpreter> {
  if (!spec && !programFile) spec = "toy";
  const r = spec ? resolveInterpreterSpec(spec) : { manifest: manifestForFile(programFile!) };
  if ("wasmFile" in r)
    return {
      name: basename(r.wasmFile),
      manifest: wasmFileManifest(r.wasmFile, programFile),
      wasm: readUserFile(r.wasmFile),
      path: r.wasmFile,
    };
  const built = await buildInterpreter(r.manifest, { onProgress });
  return { name: r.manifest.name, manifest: r.manifest, wasm: built.wasm, path: built.path };
}

/** An interpreter and a program file for it: `--interp` when given, else by the file's extension. */
export async function interpreterAndProgram(
  spec: string | undefined,
  file: string,
  onProgress?: ProgressCallback,
): Promise<{ interp: Interpreter; program: Program }> {
  checkUserFile(file); // a missing file first, as `run` reads it first, whatever --interp names
  const interp = await resolveInterpreter(spec, file, onProgress);
  return { interp, program: await loadProgram(interp.manifest, file) };
}
