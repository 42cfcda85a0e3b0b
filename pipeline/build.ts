// The pipeline's build step for one program: interpreter + program → snapshot → wevaled module, with the result
// cached by (interpreter bytes, program bytes, specializer version). The orchestration lives here, outside the
// stages: snapshot/ and specializer/ do not know of each other. Used by `futamura build`, `run --aot`, `diff`, the
// benchmarks and the tests. Relies on snapshot/, specializer/index.ts, cache.ts and interp/host.ts.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { asHosted, BufferedOutput, InterpreterHost, type HostedProgram } from "../interp/host.ts";
import { importsWasi } from "../interp/wasi.ts";
import { snapshot } from "../snapshot/index.ts";
import { trainingHook, type TrainingReport } from "./train.ts";
import { ROOT } from "../util/root.ts";
import { cacheKey, defaultCacheDir, SpecializationCache } from "./cache.ts";
import { specializeModule, type SpecializeModuleResult, type SpecializeOptions } from "../specializer/index.ts";

let versionHash: string | undefined;

/** A hash of the specializer's and snapshot stage's sources: a cached result from other code is a miss. */
export function specializerVersion(): string {
  if (versionHash) return versionHash;
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) h.update(e.name).update(readFileSync(p));
    }
  };
  for (const d of ["abi", "specializer", "snapshot", "pipeline", "util"]) walk(join(ROOT, d));
  versionHash = h.digest("hex").slice(0, 16);
  return versionHash;
}

export interface BuildResult {
  wasm: Uint8Array;
  snapshot: Uint8Array;
  cached: boolean;
  snapshotMs: number;
  specialize?: SpecializeModuleResult;
  /** With `train`: how the training run went. */
  training?: TrainingReport;
}

export interface BuildOptions extends SpecializeOptions {
  /** Cache directory, or false for no cache. */
  cache?: string | false;
  /** The init export (default: `wizer.initialize`, else `wizer-initialize`). */
  init?: string;
  /** Train before the snapshot (pipeline/train.ts) with this much fuel: profile-guided speculation. */
  train?: number;
  /** The interpreter's name, for messages. */
  interpreterName?: string;
}

/** Snapshot `interp` with `program` loaded, then specialize it. */
export async function buildProgram(interp: Uint8Array, programOrBytes: Uint8Array | HostedProgram, opts: BuildOptions = {}): Promise<BuildResult> {
  const t = performance.now();
  const { bytes: program, host: programHost } = asHosted(programOrBytes);
  const host = new InterpreterHost(program, new BufferedOutput(), { host: programHost });
  // A WASI interpreter (a C one, say) reads its program from standard input during init, as under wizer.
  const wasi = importsWasi(interp) ? { stdin: program } : undefined;
  let training: TrainingReport | undefined;
  const afterCapture = opts.train === undefined ? undefined : trainingHook(opts.train, (r) => (training = r), opts.interpreterName);
  const snap = await snapshot(interp, { imports: host.imports, onInstance: (i) => host.bind(i), wasi, initExport: opts.init, afterCapture });
  const snapshotMs = performance.now() - t;
  const cache = new SpecializationCache(opts.cache === false ? undefined : (opts.cache ?? defaultCacheDir(ROOT)));
  // Training changes the snapshot, so the trained build is keyed by its snapshot as well.
  const key = cacheKey(specializerVersion(), interp, program, ...(opts.init ? [opts.init] : []), ...(opts.train !== undefined ? [`train:${opts.train}`, snap.wasm] : []));
  const hit = opts.dumpIr ? undefined : cache.get(key);
  if (hit) return { wasm: hit, snapshot: snap.wasm, cached: true, snapshotMs, training };
  const result = await specializeModule(snap.wasm, opts);
  cache.put(key, result.wasm);
  return { wasm: result.wasm, snapshot: snap.wasm, cached: false, snapshotMs, specialize: result, training };
}
