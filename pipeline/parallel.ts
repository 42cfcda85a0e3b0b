// Requests specialized on worker threads (node:worker_threads): threads - 1 workers beside the main thread, each
// reading the snapshot once, all taking request indices from one queue until it is empty (the main thread one at a
// time, workers a batch at a time), so a slow request (Lua's main chunk) does not hold up a fixed share. Each request
// is specialized exactly as the serial build's first pass does, and specializeModule takes a result only if its
// questions about the other requests get the same answers (specializer/recorded-memory.ts), so the output is
// byte-identical to the serial build. Workers run the compiled dist/ .js (an installed package), or the .ts
// sources through tsx (tests). A worker's start-up (loading the specializer, decoding the snapshot, a cold JIT) and
// the copy of each result to the main thread (a structured clone of its IR) cost more than small builds gain, so
// those stay on one thread: see `workerCount`. Then binaryen: the specialized functions are optimized in small
// modules of their own (specializer/optimize-apart.ts), one group at a time, and a function's bytes there depend
// only on its own IR and its inlined leaves', so big builds optimize groups on worker threads too
// (`optimizeOnWorkers`), each worker sent a group's IR, the output byte-identical to one thread's.
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { FunctionBody } from "../specializer/ssa/ir.ts";
import type { Elsewhere, OptimizedElsewhere, RequestResult, SpecializeOptions } from "../specializer/index.ts";
import type { ApartJob } from "../specializer/optimize-apart.ts";
import type { WevalRequest } from "../abi/weval.ts";
import { UserError } from "../util/errors.ts";

/** Below this much constant data (the argument records with their bytecode and constant buffers, summed over the
 *  requests left to specialize) a build stays on one thread. Measured 2026-12-06 on the 2-core VM under load ~15,
 *  main-thread CPU (the critical path when a core is free) and process CPU of specializing one snapshot, serial vs
 *  one worker: Fern 1,000 functions (296 KB) main 5.0-6.2 s -> 3.7-3.9 s, process 6.2-7.4 s -> 8.3 s; Fern 100
 *  functions (29 KB) main 0.52-0.62 s -> 0.54-0.58 s, process 0.86-1.1 s -> 2.0-2.1 s; Lua features.lua (47
 *  Protos, 7.9 KB) main 0.91-1.0 s -> 0.83-0.94 s, process 1.6 s -> 1.8-3.2 s. A worker's start, its decoding of
 *  the snapshot and its cold JIT cost ~1 s of CPU, and the warm main thread takes most of a small queue before
 *  the worker is ready. */
export const PARALLEL_MIN_BUFFER_BYTES = 64 * 1024;
/** …and below this many requests. */
export const PARALLEL_MIN_REQUESTS = 16;

/** The thread count asked for: `threads`, else $FUTAMURA_THREADS, else this thread and one per idle core (the
 *  available parallelism less the 1-minute load average, this build's own share included): a worker gains nothing
 *  without a free core to run on (measured 2026-12-06, 2 cores at load 5-7: Fern 1,000 functions built in 30.5 s /
 *  18.7 s of CPU on one thread, 39.0 s / 20.9 s on two). */
export function threadsWanted(threads?: number): number {
  const env = process.env.FUTAMURA_THREADS;
  const cores = availableParallelism();
  if (threads === undefined && env && !/^[1-9][0-9]*$/.test(env))
    throw new UserError(`FUTAMURA_THREADS=${env}: give a whole number of threads, 1 or more (1: no worker threads)`);
  const n = threads ?? (env ? Number(env) : Math.min(cores, 1 + Math.max(0, Math.floor(cores - loadavg()[0]))));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** How many workers to start for these requests: 0 (specialize them here, serially) when one thread is wanted or
 *  the work is too small to pay for a worker's start-up. */
export function workerCount(requests: WevalRequest[], threads: number, minBytes = PARALLEL_MIN_BUFFER_BYTES): number {
  if (threads <= 1 || requests.length < (minBytes > 0 ? PARALLEL_MIN_REQUESTS : 2)) return 0;
  const bytes = requests.reduce((n, r) => n + r.argBytes.length, 0);
  // This thread specializes too: threads - 1 workers.
  return bytes < minBytes ? 0 : Math.min(threads - 1, requests.length - 1);
}

/** The options a worker needs (functions stay here: the main thread labels the results). */
function workerOptions(opts: SpecializeOptions): SpecializeOptions {
  return {
    limits: opts.limits,
    verify: opts.verify,
    optimizeLevel: opts.optimizeLevel,
    fullOptimizeMaxValues: opts.fullOptimizeMaxValues,
  };
}

function startWorker(wasm: Uint8Array, opts: SpecializeOptions): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./specialize-worker.ts" : "./specialize-worker.js", import.meta.url);
  return new Worker(url, {
    workerData: { wasm, options: workerOptions(opts) },
    execArgv: fromSource ? ["--import", "tsx"] : [],
  });
}

/** Specializes `snapshotWasm`'s requests at `indices` on `workers` threads, and this one: it takes requests from
 *  the same queue with `next` (one at a time, the workers a batch at a time). */
export function specializeOnWorkers(
  snapshotWasm: Uint8Array,
  indices: number[],
  workers: number,
  opts: SpecializeOptions,
  onDone: () => void,
): Elsewhere {
  const queue = [...indices];
  const batch = Math.max(1, Math.floor(indices.length / ((workers + 1) * 8)));
  const byIndex = new Map<number, RequestResult>();
  const pool = Array.from({ length: workers }, () => startWorker(snapshotWasm, opts));
  const run = (w: Worker) =>
    new Promise<void>((resolve) => {
      const next = () => {
        if (queue.length === 0) return resolve();
        w.postMessage(queue.splice(0, batch));
      };
      w.on("message", (m: { idle?: true; index: number; result?: RequestResult }) => {
        if (m.idle) return next();
        if (m.result) byIndex.set(m.index, revive(m.result));
        onDone();
      });
      // A worker that dies leaves its batch without results: the main thread specializes those itself.
      w.on("error", () => resolve());
      w.on("exit", () => resolve());
      next();
    });
  const results = Promise.all(pool.map(run))
    .finally(() => Promise.all(pool.map((w) => w.terminate())))
    .then(() => indices.map((i) => byIndex.get(i)));
  return { workers, next: () => queue.shift(), results };
}

/** Below this many IR values in all, the specialized functions are optimized on this thread only: a worker loads
 *  binaryen and warms it up (~1 s of CPU) before it optimizes anything. Measured 2026-12-06 (2 cores, load ~15,
 *  CPU): binaryen costs ~20 µs per value at -O3 (Fern's 1,000 functions, 313k values: 6.6 s; Lua app.lua, 57k
 *  values: 1.4 s). */
export const PARALLEL_MIN_VALUES = 100_000;

/** How many workers optimize `values` IR values: 0 when one thread is wanted or the work is too small. */
export function optimizeWorkerCount(jobs: number, values: number, threads: number, minValues = PARALLEL_MIN_VALUES) {
  if (threads <= 1 || jobs < 2 || values < minValues) return 0;
  return Math.min(threads - 1, jobs - 1);
}

/** Optimizes groups of specialized functions (specializer/optimize-apart.ts) on `workers` threads, and this one:
 *  it takes jobs from the same queue with `next`, the workers one at a time. */
export function optimizeOnWorkers(
  snapshotWasm: Uint8Array,
  jobs: ApartJob[],
  workers: number,
  opts: SpecializeOptions,
): OptimizedElsewhere {
  const queue = jobs.map((_, j) => j);
  const byIndex = new Map<number, Uint8Array>();
  const pool = Array.from({ length: workers }, () => startWorker(snapshotWasm, opts));
  const run = (w: Worker) =>
    new Promise<void>((resolve) => {
      const next = () => {
        const j = queue.shift();
        if (j === undefined) return resolve();
        w.postMessage({ job: j, apart: jobs[j] });
      };
      w.on("message", (m: { idle?: true; job?: number; wasm?: Uint8Array }) => {
        if (m.job !== undefined && m.wasm) byIndex.set(m.job, m.wasm);
        if (m.idle) next();
      });
      // A worker that dies leaves its job without a result: the main thread optimizes it itself.
      w.on("error", () => resolve());
      w.on("exit", () => resolve());
      next();
    });
  const results = Promise.all(pool.map(run))
    .finally(() => Promise.all(pool.map((w) => w.terminate())))
    .then(() => jobs.map((_, j) => byIndex.get(j)));
  return { workers, next: () => queue.shift(), results };
}

/** A result as structured clone leaves it, with its function body's class restored. */
export function revive(r: RequestResult): RequestResult {
  if (r.body) Object.setPrototypeOf(r.body, FunctionBody.prototype);
  return r;
}
