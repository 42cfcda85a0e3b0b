// Requests specialized on worker threads (node:worker_threads): a pool of min(threads, requests) workers, each
// reading the snapshot once and then taking batches of request indices from a shared queue until it is empty, so
// a slow request (Lua's main chunk) does not hold up a fixed share. Each request is specialized exactly as the
// serial build's first pass does, and specializeModule takes a result only if its questions about the other
// requests get the same answers (specializer/recorded-memory.ts), so the output is byte-identical to the serial
// build. Workers run the compiled dist/ .js (an installed package), or the .ts sources through tsx (tests).
// Worker start-up (loading the specializer, decoding the snapshot) is paid once per worker, so builds with little
// to specialize stay serial: see `workerCount`.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { FunctionBody } from "../specializer/ssa/ir.ts";
import type { Elsewhere, RequestResult, SpecializeOptions } from "../specializer/index.ts";
import type { WevalRequest } from "../abi/weval.ts";

/** Below this much constant data (bytecode and constant buffers, summed over the requests to specialize) a build
 *  stays serial: a worker's start-up costs about as much as specializing that (measured: see the report in
 *  parallel.test.ts's header). */
export const PARALLEL_MIN_BUFFER_BYTES = 4096;
/** …and below this many requests. */
export const PARALLEL_MIN_REQUESTS = 4;

/** The thread count asked for: `threads`, else $FUTAMURA_THREADS, else the machine's available parallelism. */
export function threadsWanted(threads?: number): number {
  const env = process.env.FUTAMURA_THREADS;
  const n = threads ?? (env ? Number(env) : availableParallelism());
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** How many workers to start for these requests: 0 (specialize them here, serially) when one thread is wanted or
 *  the work is too small to pay for a worker's start-up. */
export function workerCount(requests: WevalRequest[], threads: number): number {
  if (threads <= 1 || requests.length < PARALLEL_MIN_REQUESTS) return 0;
  const bytes = requests.reduce((n, r) => n + r.argBytes.length, 0);
  // This thread specializes too: threads - 1 workers.
  return bytes < PARALLEL_MIN_BUFFER_BYTES ? 0 : Math.min(threads - 1, requests.length - 1);
}

/** The options a worker needs (functions stay here: the main thread labels the results). */
function workerOptions(opts: SpecializeOptions): SpecializeOptions {
  return { limits: opts.limits, verify: opts.verify, optimizeLevel: opts.optimizeLevel, fullOptimizeMaxValues: opts.fullOptimizeMaxValues };
}

function startWorker(wasm: Uint8Array, opts: SpecializeOptions): Worker {
  const fromSource = import.meta.url.endsWith(".ts");
  const url = new URL(fromSource ? "./specialize-worker.ts" : "./specialize-worker.js", import.meta.url);
  return new Worker(url, { workerData: { wasm, options: workerOptions(opts) }, execArgv: fromSource ? ["--import", "tsx"] : [] });
}

/** Specializes `snapshotWasm`'s requests at `indices` on `workers` threads, and this one: it takes requests from
 *  the same queue with `next` (one at a time, the workers a batch at a time). */
export function specializeOnWorkers(snapshotWasm: Uint8Array, indices: number[], workers: number, opts: SpecializeOptions, onDone: () => void): Elsewhere {
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

/** A result as structured clone leaves it, with its function body's class restored. */
export function revive(r: RequestResult): RequestResult {
  if (r.body) Object.setPrototypeOf(r.body, FunctionBody.prototype);
  return r;
}
