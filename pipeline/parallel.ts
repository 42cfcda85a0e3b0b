// Requests specialized on worker threads (node:worker_threads): threads - 1 workers beside the main thread, each
// reading the snapshot once, all taking request indices from one queue until it is empty (the main thread one at a
// time, workers a batch at a time; the biggest requests first), so a slow request (Lua's main chunk) does not hold
// up a fixed share. Each request is specialized exactly as the serial build's first pass does, and specializeModule
// takes a result only if its questions about the other requests get the same answers
// (specializer/recorded-memory.ts), so the output is byte-identical to the serial build. Workers run the compiled
// dist/ .js (an installed package), or the .ts sources through tsx (tests). A worker's start-up (loading the
// specializer and binaryen, decoding the snapshot, a cold JIT) and the copy of each result to the main thread (a
// structured clone of its IR) cost more than small builds gain, so those stay on one thread: see `workerCount` —
// unless the interpreter is big (Lua), when `buildProgram` starts the workers before the snapshot, so that their
// start-up runs on the free core meanwhile (`PRESTART_MIN_INTERPRETER_BYTES`). Then binaryen: the specialized
// functions are optimized in small modules of their own (specializer/optimize-apart.ts), one group at a time, and a
// function's bytes there depend only on its own IR and its inlined leaves', so the same workers optimize groups too
// (`WorkerPool.optimize`), each sent a group's IR, the output byte-identical to one thread's.
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { FunctionBody } from "../specializer/ssa/ir.ts";
import type {
  Elsewhere,
  OptimizedElsewhere,
  OptimizedGroup,
  RequestResult,
  SpecializeOptions,
} from "../specializer/index.ts";
import type { ApartJob } from "../specializer/optimize-apart.ts";
import type { WevalRequest } from "../abi/weval.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { SEMI_SPACE_MB } from "../util/gc.ts";

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

/** The thread count asked for: `threads`, else $FUTAMURA_THREADS, else defaultThreads on this machine now. */
export function threadsWanted(threads?: number): number {
  const env = process.env.FUTAMURA_THREADS;
  if (threads === undefined && env && !/^[1-9][0-9]*$/.test(env))
    throw new UserError(`FUTAMURA_THREADS=${env}: give a whole number of threads, 1 or more (1: no worker threads)`);
  const n = threads ?? (env ? Number(env) : defaultThreads(availableParallelism(), loadavg()[0]));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** This thread and one per idle core (the cores less the 1-minute load average, this build's own share included),
 *  when that makes PRESTART_MIN_THREADS or more; else 1. A worker gains nothing without a free core to run on
 *  (2026-12-06, 2 cores at load 5-7: Fern 1,000 functions 30.5 s / 18.7 s of CPU on one thread, 39.0 s / 20.9 s on
 *  two), and on two cores even an idle one is taken by V8's own helper threads (compilers, collector) and the worker's
 *  second isolate: measured 2026-12-07 on 2 idle cores (load 0.7-1.9, wall time of the CLI, alternating), Lua's
 *  300-line script 3.98-4.82 s on one thread against 5.13-5.34 s on two, Fern's 1,000 functions 6.0-6.2 s against
 *  6.4-6.9 s, Fern's 100 functions the same. */
export function defaultThreads(cores: number, load: number): number {
  const n = Math.min(cores, 1 + Math.max(0, Math.floor(cores - load)));
  return n >= PRESTART_MIN_THREADS ? n : 1;
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

/** Below this many IR values in all, the specialized functions are optimized on this thread only: a worker loads
 *  binaryen and warms it up (~1 s of CPU) before it optimizes anything. Measured 2026-12-06 (2 cores, load ~15,
 *  CPU): binaryen costs ~20 µs per value at -O3 (Fern's 1,000 functions, 313k values: 6.6 s; Lua app.lua, 57k
 *  values: 1.4 s). A pool already running (started before the snapshot, or for the requests) has loaded binaryen
 *  meanwhile: it is used from two groups. */
export const PARALLEL_MIN_VALUES = 100_000;

/** How many workers optimize `values` IR values: 0 when one thread is wanted or the work is too small. */
export function optimizeWorkerCount(jobs: number, values: number, threads: number, minValues = PARALLEL_MIN_VALUES) {
  if (threads <= 1 || jobs < 2 || values < minValues) return 0;
  return Math.min(threads - 1, jobs - 1);
}

/** From this many bytes of interpreter (Lua's ~650 KiB; Fern's 45 KiB, the C toy's 140 KiB) `buildProgram`
 *  starts its worker before the snapshot: the worker loads the specializer and binaryen (~1 s of CPU) on the idle
 *  core while this thread snapshots, and is then used for any build of two requests or more. */
export const PRESTART_MIN_INTERPRETER_BYTES = 256 * 1024;
/** …when this many threads are wanted, unless the caller or $FUTAMURA_THREADS names the count. Measured
 *  2026-12-07 (Lua app.lua with --stats, CPU per thread from /proc, load 13-18): one thread, the main thread 6.3 s
 *  and V8's helper threads (GC, compilers) 5.0 s; two, the main thread 4.6 s, the worker 3.8 s, the helpers 7.5 s
 *  (the worker's isolate compiles and collects on its own). 15.9 s of CPU cannot finish under 8 s on two cores,
 *  where the serial build took 7.95 s at load <1: two threads pay from three free cores. */
export const PRESTART_MIN_THREADS = 3;

/** A worker's young generation: the specializer's passes allocate many short-lived objects, and V8's default
 *  (16 MB semi-spaces) spent ~20% of Lua app.lua's build in the scavenger. Measured 2026-12-07 (load ~13, CPU of
 *  the serial build, `node --max-semi-space-size`): 16 MB 12.3 s, 32 MB 11.5 s, 64 MB 11.0 s. The young generation
 *  is three semi-spaces. */
export const YOUNG_GENERATION_MB = 3 * SEMI_SPACE_MB;

/** Worker threads kept for one build, for both its phases (specializing requests, then binaryen's groups): each
 *  reads the snapshot once. Started before the snapshot exists (`prestart`), a worker loads binaryen and waits for
 *  it (`use`). A worker that dies is left out of what follows; its work is done on this thread. */
export class WorkerPool {
  private readonly workers: Worker[];
  private readonly dead = new Set<Worker>();
  private snapshot?: Uint8Array;

  constructor(
    readonly size: number,
    opts: SpecializeOptions,
    /** Whether this pool was started before the snapshot, so that it pays even for small builds. */
    readonly prestarted = false,
  ) {
    const fromSource = import.meta.url.endsWith(".ts");
    const url = new URL(fromSource ? "./specialize-worker.ts" : "./specialize-worker.js", import.meta.url);
    this.workers = Array.from(
      { length: size },
      () =>
        new Worker(url, {
          workerData: { options: workerOptions(opts) },
          execArgv: fromSource ? ["--import", "tsx"] : [],
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
        }),
    );
    for (const w of this.workers) {
      w.on("error", () => this.dead.add(w));
      w.on("exit", () => this.dead.add(w));
    }
  }

  /** Sends the workers the snapshot whose requests they will be given (once; the same snapshot every time). */
  use(snapshotWasm: Uint8Array): void {
    if (this.snapshot === snapshotWasm) return;
    if (this.snapshot) throw new InternalError("a worker pool is given a second snapshot");
    this.snapshot = snapshotWasm;
    for (const w of this.workers) w.postMessage({ snapshot: snapshotWasm });
  }

  /** Runs `serve` on each live worker until it resolves, with the worker's messages handed to `onMessage`. */
  private each<M>(serve: (w: Worker, done: () => void) => (m: M) => void): Promise<void> {
    return Promise.all(
      this.workers
        .filter((w) => !this.dead.has(w))
        .map(
          (w) =>
            new Promise<void>((resolve) => {
              const onMessage = serve(w, () => finish());
              const finish = () => {
                w.off("message", onMessage);
                w.off("error", finish);
                w.off("exit", finish);
                resolve();
              };
              w.on("message", onMessage);
              w.on("error", finish);
              w.on("exit", finish);
              onMessage({ idle: true } as M);
            }),
        ),
    ).then(() => undefined);
  }

  /** Specializes the requests at `indices` on the workers and this thread, which takes requests from the same
   *  queue with `next` (one at a time, the workers a batch at a time), the biggest first. */
  specialize(indices: number[], requests: readonly WevalRequest[], onDone: () => void): Elsewhere {
    const queue = biggestFirst(indices, (i) => requests[i].argBytes.length);
    const batch = Math.max(1, Math.floor(indices.length / ((this.size + 1) * 8)));
    const byIndex = new Map<number, RequestResult>();
    const results = this.each<{ idle?: true; index: number; result?: RequestResult }>((w, done) => (m) => {
      if (m.idle) return queue.length ? w.postMessage(queue.splice(0, batch)) : done();
      if (m.result) byIndex.set(m.index, revive(m.result));
      onDone();
    }).then(() => indices.map((i) => byIndex.get(i)));
    return { workers: this.size, next: () => queue.shift(), results };
  }

  /** Optimizes groups of specialized functions (specializer/optimize-apart.ts) on the workers and this thread,
   *  which takes jobs from the same queue with `next`, the biggest first (by IR values). */
  optimize(jobs: ApartJob[], raw: boolean): OptimizedElsewhere {
    const queue = biggestFirst(
      jobs.map((_, j) => j),
      (j) => jobs[j].functions.reduce((n, [, f]) => n + f.body.values.length, 0),
    );
    const byIndex = new Map<number, OptimizedGroup>();
    const results = this.each<{ idle?: true; job?: number; wasm?: Uint8Array; raw?: Uint8Array }>((w, done) => (m) => {
      if (m.job !== undefined && m.wasm) byIndex.set(m.job, { wasm: m.wasm, raw: m.raw });
      if (!m.idle) return;
      const j = queue.shift();
      if (j === undefined) return done();
      w.postMessage({ job: j, apart: jobs[j], raw });
    }).then(() => jobs.map((_, j) => byIndex.get(j)));
    return { workers: this.size, next: () => queue.shift(), results };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** `items` ordered by `size`, biggest first (ties in their order): a slow request or group started last would
 *  leave the other threads idle at the end. */
function biggestFirst(items: number[], size: (item: number) => number): number[] {
  return items
    .map((item, at) => ({ item, at, size: size(item) }))
    .sort((a, b) => b.size - a.size || a.at - b.at)
    .map((x) => x.item);
}

/** A result as structured clone leaves it, with its function body's class restored. */
export function revive(r: RequestResult): RequestResult {
  if (r.body) Object.setPrototypeOf(r.body, FunctionBody.prototype);
  return r;
}
