// The pipeline's build step for one program: interpreter + program → snapshot → wevaled module, with the result
// cached by (interpreter bytes, program bytes, specializer version). The orchestration lives here, outside the
// stages: snapshot/ and specializer/ do not know of each other. Used by `futamura build`, `run --aot`, `diff`, the
// benchmarks and the tests.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { asHosted, BufferedOutput, InterpreterHost, type HostedProgram } from "../interp/host.ts";
import { importsWasi } from "../interp/wasi.ts";
import { snapshot } from "../snapshot/index.ts";
import { trainingHook, type TrainingReport } from "./train.ts";
import { projectCacheDir, ROOT } from "../util/root.ts";
import { prefetchBinaryen } from "../util/binaryen.ts";
import { UserError } from "../util/errors.ts";
import { cacheKey, SpecializationCache } from "./cache.ts";
import {
  specializeModule,
  type RequestSource,
  type SpecializeModuleResult,
  type SpecializeOptions,
} from "../specializer/index.ts";
import {
  optimizeWorkerCount,
  PRESTART_MIN_INTERPRETER_BYTES,
  PRESTART_MIN_THREADS,
  threadsWanted,
  WorkerPool,
  workerCount,
} from "./parallel.ts";
import { RequestCache } from "./request-cache.ts";
export type { ProgressCallback } from "../specializer/index.ts";

let versionHash: string | undefined;

/** A hash of the specializer's and snapshot stage's sources: a cached result from other code is a miss. */
export function specializerVersion(): string {
  if (versionHash) return versionHash;
  const h = createHash("sha256");
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[jt]s$/.test(e.name)) h.update(e.name).update(readFileSync(p));
    }
  };
  // An installed package ships dist/ without the sources: its compiled code is the version.
  for (const d of ["abi", "specializer", "snapshot", "pipeline", "util"])
    walk(existsSync(join(ROOT, d)) ? join(ROOT, d) : join(ROOT, "dist", d));
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
  /** Requests that were not specialized (the interpreter runs them), fresh or from the cache. */
  aborted: AbortedRequest[];
  /** The cache could not be written: one line saying so (the build itself is complete). */
  cacheWarning?: string;
}

/** A request the specializer gave up on: its interpreter function runs it, interpreted. */
export interface AbortedRequest {
  request: number;
  /** The generic function the request named. */
  func: string;
  reason: string;
}

export function abortedRequests(r: Pick<SpecializeModuleResult, "requests"> | undefined): AbortedRequest[] {
  return (r?.requests ?? [])
    .filter((s) => s.aborted)
    .map((s) => ({ request: s.userId, func: s.generic, reason: s.aborted! }));
}

/** The one line every command prints on standard error for an aborted request (`what`: the program or module). */
export function abortLine(what: string, a: AbortedRequest): string {
  return `${what}: warning: request ${a.request} (${a.func}) not specialized, the interpreter runs it: ${a.reason}`;
}

/** `strict`: an aborted request is an error (the lines of every one). */
function failIfStrict(what: string, aborted: AbortedRequest[]): void {
  if (aborted.length)
    throw new UserError(
      [
        ...aborted.map((a) => `${what}: error: request ${a.request} (${a.func}) not specialized (strict): ${a.reason}`),
      ].join("\n"),
    );
}

/** What `buildProgram` gives with `snapshotOnHit: false`: on a cache hit, no snapshot was taken. */
export type WasmBuildResult = Omit<BuildResult, "snapshot"> & { snapshot?: Uint8Array };

export interface ThreadOptions {
  /** Threads to specialize requests on (default $FUTAMURA_THREADS, else parallel.ts's defaultThreads; 1: this
   *  thread only). Small builds stay on this thread whatever it says (parallel.ts). */
  threads?: number;
  /** The constant bytes from which requests go to worker threads (default PARALLEL_MIN_BUFFER_BYTES; 0: any build
   *  of two requests or more). For tests and measurements. */
  parallelMinBytes?: number;
  /** The IR values from which binaryen runs on worker threads too (default PARALLEL_MIN_VALUES). For tests and
   *  measurements. */
  parallelMinValues?: number;
  /** Worker threads already started for this build (pipeline/parallel.ts): used for any build of two requests or
   *  more, and left running (the caller closes them). */
  pool?: WorkerPool;
}

export interface BuildOptions extends SpecializeOptions, ThreadOptions {
  /** Cache directory, or false for no cache. */
  cache?: string | false;
  /** The init export (default: `wizer.initialize`, else `wizer-initialize`). */
  init?: string;
  /** Train before the snapshot (pipeline/train.ts) with this much fuel: profile-guided speculation. */
  train?: number;
  /** The interpreter's name, for messages. */
  interpreterName?: string;
  /** false: on a cache hit (without training, whose key needs the snapshot) skip the snapshot, and with it
   *  loading binaryen, which instruments the interpreter: what `run --aot` and `build` need is the wevaled module. */
  snapshotOnHit?: boolean;
  /** Any aborted request is an error (a UserError naming each), not a fallback to the interpreter. */
  strict?: boolean;
  /** The program's name in messages (default "program"). */
  label?: string;
}

/** Snapshot `interp` with `program` loaded, then specialize it. */
export async function buildProgram(
  interp: Uint8Array,
  programOrBytes: Uint8Array | HostedProgram,
  opts: BuildOptions & { snapshotOnHit: false },
): Promise<WasmBuildResult>;
export async function buildProgram(
  interp: Uint8Array,
  programOrBytes: Uint8Array | HostedProgram,
  opts?: BuildOptions,
): Promise<BuildResult>;
export async function buildProgram(
  interp: Uint8Array,
  programOrBytes: Uint8Array | HostedProgram,
  opts: BuildOptions = {},
): Promise<WasmBuildResult> {
  const t = performance.now();
  const { bytes: program, host: programHost } = asHosted(programOrBytes);
  const cache = new SpecializationCache(opts.cache === false ? undefined : (opts.cache ?? projectCacheDir()));
  const keyOf = (snapshotWasm?: Uint8Array) =>
    cacheKey(
      specializerVersion(),
      interp,
      program,
      ...(opts.init ? [opts.init] : []),
      ...(opts.train !== undefined ? [`train:${opts.train}`, snapshotWasm!] : []),
    );
  const label = opts.label ?? "program";
  const checkedFirst = opts.snapshotOnHit === false && opts.train === undefined && !opts.dumpIr;
  if (checkedFirst) {
    const hit = fromCache(cache, keyOf(), label, opts.strict);
    if (hit) return { ...hit, snapshotMs: 0 };
  }
  // A specialization follows (no cache, or it missed): binaryen, which it needs last, loads during the snapshot (its
  // file read and Wasm compilation off this thread; Lua's 300-line script, 2026-12-07: the main thread waited
  // ~0.1 s for them after specializing).
  if (!cache.dir || checkedFirst || opts.dumpIr) prefetchBinaryen();
  const pool = prestartedPool(interp, opts);
  try {
    return await snapshotAndSpecialize(
      interp,
      program,
      programHost,
      { ...opts, pool: pool ?? opts.pool },
      cache,
      keyOf,
      t,
    );
  } finally {
    await pool?.close();
  }
}

/** Workers started before the snapshot for a big interpreter, when cores are free (parallel.ts): they load the
 *  specializer and binaryen while this thread snapshots. Not with dumpIr or inspect, which specialize here. */
function prestartedPool(interp: Uint8Array, opts: BuildOptions): WorkerPool | undefined {
  if (opts.pool || opts.dumpIr || opts.inspect || interp.length < PRESTART_MIN_INTERPRETER_BYTES) return undefined;
  const threads = threadsWanted(opts.threads);
  const named = opts.threads !== undefined || !!process.env.FUTAMURA_THREADS;
  return threads >= (named ? 2 : PRESTART_MIN_THREADS) ? new WorkerPool(threads - 1, opts) : undefined;
}

/** buildProgram's work after a whole-build cache miss: the snapshot, then (unless that hits) the specialization. */
async function snapshotAndSpecialize(
  interp: Uint8Array,
  program: Uint8Array,
  programHost: HostedProgram["host"],
  opts: BuildOptions,
  cache: SpecializationCache,
  keyOf: (snapshotWasm?: Uint8Array) => string,
  t: number,
): Promise<WasmBuildResult> {
  const label = opts.label ?? "program";
  const host = new InterpreterHost(program, new BufferedOutput(), { host: programHost });
  // A WASI interpreter (a C one, say) reads its program from standard input during init, as under wizer.
  const wasi = importsWasi(interp) ? { stdin: program } : undefined;
  let training: TrainingReport | undefined;
  const afterCapture =
    opts.train === undefined ? undefined : trainingHook(opts.train, (r) => (training = r), opts.interpreterName);
  opts.onProgress?.(opts.train === undefined ? "snapshot" : "snapshot and training run", 0, 1);
  const snap = await snapshot(interp, {
    imports: host.imports,
    onInstance: (i) => host.bind(i),
    wasi,
    initExport: opts.init,
    afterCapture,
  });
  const snapshotMs = performance.now() - t;
  opts.onProgress?.(opts.train === undefined ? "snapshot" : "snapshot and training run", 1, 1);
  // Training changes the snapshot, so the trained build is keyed by its snapshot as well.
  const key = keyOf(snap.wasm);
  const hit = opts.dumpIr ? undefined : fromCache(cache, key, label, opts.strict);
  if (hit) return { ...hit, snapshot: snap.wasm, snapshotMs, training };
  const requestCache = cache.dir
    ? new RequestCache(
        cache,
        cacheKey(
          specializerVersion(),
          interp,
          ...(opts.init ? [opts.init] : []),
          ...(opts.train !== undefined ? [`train:${opts.train}`, snap.wasm] : []),
        ),
        opts.limits,
      )
    : undefined;
  const result = await specializeSnapshot(snap.wasm, opts, requestCache);
  if (opts.strict) failIfStrict(label, abortedRequests(result));
  cache.put(key, result.wasm);
  cache.putFile(`${key}.stats.json`, JSON.stringify({ ...result, wasm: undefined }), false);
  return {
    wasm: result.wasm,
    snapshot: snap.wasm,
    cached: false,
    snapshotMs,
    specialize: result,
    training,
    aborted: abortedRequests(result),
    cacheWarning: cache.unwritable,
  };
}

/** specializeModule with requests taken from the per-request cache (request-cache.ts) when given one, and the rest
 *  specialized on `opts.threads` threads when they are enough to pay for them (parallel.ts). */
export async function specializeSnapshot(
  snapshotWasm: Uint8Array,
  opts: SpecializeOptions & ThreadOptions,
  requestCache?: RequestCache,
): Promise<SpecializeModuleResult> {
  const threads = threadsWanted(opts.threads);
  // Started here when the work pays for it, and kept for both phases; a pool from the caller is the caller's.
  let pool = opts.pool;
  const started = () => (pool && pool !== opts.pool ? pool : undefined);
  // A pool already running is used for two pieces of work or more; else one of `workers` is started if any.
  const poolFor = (pieces: number, workers: number) => {
    if (pool ? pieces < 2 : !workers) return undefined;
    pool ??= new WorkerPool(workers, opts);
    pool.use(snapshotWasm);
    return pool;
  };
  const requestSource: RequestSource = {
    cached: requestCache && ((i, req) => requestCache.cached(i, req)),
    made: requestCache && ((i, req, r) => requestCache.made(i, req, r)),
    elsewhere(indices, onDone, requests) {
      const workers = workerCount(
        indices.map((i) => requests[i]),
        threads,
        opts.parallelMinBytes,
      );
      return poolFor(indices.length, workers)?.specialize(indices, requests, onDone);
    },
    optimizeElsewhere(jobs, values, raw) {
      const workers = optimizeWorkerCount(jobs.length, values, threads, opts.parallelMinValues);
      return poolFor(jobs.length, workers)?.optimize(jobs, raw);
    },
  };
  try {
    return await specializeModule(snapshotWasm, { ...opts, requestSource });
  } finally {
    requestCache?.done();
    await started()?.close();
  }
}

/** A cache hit carries the statistics stored with it (aborted requests stay visible); an entry without them is a miss. */
function fromCache(cache: SpecializationCache, key: string, label: string, strict?: boolean) {
  const hit = cache.get(key);
  const stats = hit && cache.dir ? readStats(join(cache.dir, `${key}.stats.json`)) : undefined;
  if (!hit || !stats) return undefined;
  const specialize: SpecializeModuleResult = { ...stats, wasm: hit };
  if (strict) failIfStrict(label, abortedRequests(specialize));
  return { wasm: hit, cached: true as const, specialize, aborted: abortedRequests(specialize) };
}

function readStats(path: string): Omit<SpecializeModuleResult, "wasm"> | undefined {
  try {
    const s = JSON.parse(readFileSync(path, "utf8")) as Omit<SpecializeModuleResult, "wasm">;
    return Array.isArray(s.requests) ? s : undefined;
  } catch {
    return undefined;
  }
}
