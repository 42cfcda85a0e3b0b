// The page's side of its three kinds of Web Worker, so that nothing heavy runs on the page's thread: the pipeline
// (pipeline-worker.ts: compile, snapshot, specialize, binaryen, Wasm text), Graphviz (layout-worker.ts, its SVG
// cached per DOT text, i.e. per module, function and view) and the runs (run-worker.ts, a fresh worker per run).
// `stopAll` terminates whichever is working: every pending promise rejects with Stopped, and the next job starts a
// fresh worker.
import type { LayoutJob, LayoutReply } from "./layout-worker.ts";
import type { Exploration, Language, RunOutcome } from "./pipeline.ts";
import type { PipelineJob, PipelineReply } from "./pipeline-worker.ts";
import { ProgramError } from "./program-error.ts";
import type { RunRequest } from "./run-worker.ts";
import type { Limits } from "../../specializer/weval/specialize.ts";
import { InternalError } from "../../util/errors.ts";

/** A job ended by Stop (its message says after how long). */
export class Stopped extends Error {}

/** A job without its id (distributed over a union of jobs). */
type Unnumbered<J> = J extends unknown ? Omit<J, "id"> : never;

interface Pending {
  resolve: (reply: never) => void;
  reject: (e: Error) => void;
  progress?: (stage: string) => void;
  started: number;
}

/** One long-lived worker answering numbered jobs; `stop` terminates it and fails what was pending. */
class Client<Job extends { id: number }, Reply extends { id: number }> {
  private worker?: Worker;
  private pending = new Map<number, Pending>();
  private next = 1;
  constructor(
    private readonly make: () => Worker,
    private readonly settle: (reply: Reply, p: Pending) => void,
  ) {}

  call<R>(job: Unnumbered<Job>, progress?: (stage: string) => void, transfer: Transferable[] = []): Promise<R> {
    const id = this.next++;
    this.start();
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: never) => void, reject, progress, started: performance.now() });
      this.worker!.postMessage({ ...job, id }, transfer);
    }).finally(() => this.pending.delete(id));
  }

  /** Start the worker now (it loads its libraries while the page does other things). */
  start(): void {
    if (!this.worker) {
      const w = this.make();
      w.onmessage = (e: MessageEvent<Reply>) => {
        const p = this.pending.get(e.data.id);
        if (p) this.settle(e.data, p);
      };
      w.onerror = (e) => this.fail(new InternalError(`a worker failed: ${e.message}`));
      this.worker = w;
    }
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Terminate the worker; pending jobs reject with Stopped. */
  stop(): boolean {
    if (!this.worker) return false;
    const had = this.busy;
    this.worker.terminate();
    this.worker = undefined;
    for (const p of this.pending.values())
      p.reject(new Stopped(`stopped after ${((performance.now() - p.started) / 1000).toFixed(1)} s`));
    this.pending.clear();
    return had;
  }

  private fail(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = undefined;
  }
}

const pipeline = new Client<PipelineJob, PipelineReply>(
  () => new Worker(new URL("./pipeline-worker.ts", import.meta.url), { type: "module" }),
  (reply, p) => {
    switch (reply.kind) {
      case "progress":
        return p.progress?.(reply.stage);
      case "failed": {
        const e = reply.program
          ? new ProgramError(reply.message, reply.line, reply.col)
          : new InternalError(reply.message);
        if (reply.stack) e.stack = reply.stack;
        return p.reject(e);
      }
      default:
        return p.resolve(reply as never);
    }
  },
);

/** Compile, snapshot and specialize in the pipeline worker. */
export async function explore(
  opts: { language: Language; source: string; interpreter: Uint8Array; limits?: Partial<Limits> },
  progress: (stage: string) => void,
): Promise<Exploration> {
  const reply = await pipeline.call<Extract<PipelineReply, { kind: "explored" }>>(
    { kind: "explore", ...opts },
    progress,
  );
  return reply.exploration;
}

/** Wasm text of the selected generic and cleaned blocks of a request of the last exploration. */
export function wasmText(
  request: number,
  generic: number[],
  cleaned: number[],
): Promise<{ before: string; after: string }> {
  return pipeline.call({ kind: "wasm", request, generic, cleaned });
}

/** The specialized function of a request after binaryen, as Wasm text. */
export async function finalText(request: number): Promise<string> {
  return (await pipeline.call<{ text: string }>({ kind: "final", request })).text;
}

const layouts = new Map<string, Promise<string>>();
const layout = new Client<LayoutJob, LayoutReply>(
  () => new Worker(new URL("./layout-worker.ts", import.meta.url), { type: "module" }),
  (reply, p) =>
    "error" in reply ? p.reject(new InternalError(`Graphviz: ${reply.error}`)) : p.resolve(reply.svg as never),
);

/** The SVG text of a DOT graph, laid out once per distinct DOT text (the cache keeps it for the page's life). */
export function layoutSvg(dot: string): Promise<string> {
  let svg = layouts.get(dot);
  if (!svg) {
    svg = layout.call<string>({ dot });
    layouts.set(dot, svg);
    svg.catch(() => layouts.delete(dot));
  }
  return svg;
}

/** The run in progress, if any. */
let running: { worker: Worker; stop: () => void } | undefined;

/** Run one module `runs` times in a fresh worker (run-worker.ts); Stop ends it with Stopped. */
export function timedRun(
  wasm: Uint8Array,
  language: Language,
  program: Uint8Array,
  runs: number,
  input?: Uint8Array,
): Promise<RunOutcome> {
  const worker = new Worker(new URL("./run-worker.ts", import.meta.url), { type: "module" });
  const t = performance.now();
  return new Promise<RunOutcome>((resolve, reject) => {
    const done = () => {
      worker.terminate();
      running = undefined;
    };
    running = {
      worker,
      stop: () => {
        done();
        reject(new Stopped(`stopped after ${((performance.now() - t) / 1000).toFixed(1)} s`));
      },
    };
    worker.onmessage = (e: MessageEvent<RunOutcome>) => {
      done();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      done();
      reject(new InternalError(`the run failed: ${e.message}`));
    };
    worker.postMessage({ wasm, language, program, runs, input } satisfies RunRequest);
  });
}

/** Start the pipeline and Graphviz workers, so binaryen.js and Graphviz load while the page sets itself up. */
export function warmUp(): void {
  pipeline.start();
  layout.start();
}

/** Stop whatever is working (the pipeline, a layout, a run). True if something was stopped. */
export function stopAll(): boolean {
  const p = pipeline.stop();
  const l = layout.stop();
  const r = running !== undefined;
  running?.stop();
  return p || l || r;
}
