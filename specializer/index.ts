// The specializer's front door: snapshot in, wevaled module out. For each pending weval request in the snapshot
// (requests.ts) it builds the generic function's IR, converts it to max-SSA, specializes it against the request's
// arguments — and against the other requests' slots and buffers, so calls between specialized functions are direct
// (weval/linked-requests.ts) — (weval/specialize.ts), cleans it up (passes/cleanup.ts) and emits the result into the
// module (ssa/backend.ts), inlining small leaf callees into their callers (inline-leaves.ts); then it appends the
// new functions to table 0, writes their indices into the requests' slots, unlinks the requests, sets `weval.is.wevaled`, replaces the weval intrinsics in all remaining code with their
// stub behaviour, drops the `weval` imports, optimizes the new functions with binaryen as their size allows
// (optimize.ts), and validates with binaryen and WebAssembly.validate. A request that
// hits a limit is aborted: its slot stays 0 (the interpreter runs) and the reason is reported. A request's
// specialization may also come from elsewhere (a RequestSource: pipeline/'s worker threads and per-request cache);
// it is taken only where its recorded questions about the other requests get the same answers here
// (recorded-memory.ts), so the output is byte for byte the one of specializing every request here, in order. A request's steps,
// frontend to cleanup, are the named STAGES of one runner (ssa/stage-runner.ts): timed, verified under `verify`,
// dumped under `dumpIr` and handed to `inspect` by stage name.
import { loadBinaryen, moduleFeatures, type Binaryen, type BinaryenModule } from "../util/binaryen.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { appendDataSegments } from "../util/wasm-binary.ts";
import { emitFunction, ModuleNames } from "./ssa/backend.ts";
import { buildFunctionIR } from "./ssa/frontend.ts";
import type { FunctionBody } from "./ssa/ir.ts";
import { toMaxSSA } from "./ssa/max-ssa.ts";
import { decodeModule, WasmDecodeError, type WasmModuleInfo } from "./ssa/module.ts";
import { printFunction } from "./ssa/print.ts";
import { callSignatures } from "./ssa/roundtrip.ts";
import { cleanupFunction, type CleanupStats } from "./passes/cleanup.ts";
import { directCallSites, inlineFunctions, leavesToInline } from "./inline-leaves.ts";
import { memoryWriters } from "./memory-writers.ts";
import { functionSize, optimizePlan, optimizeSpecialized, structuredLayout, type OptimizePlan } from "./optimize.ts";
import { apartJob, optimizableApart, optimizeApart, type ApartFunction, type ApartJob } from "./optimize-apart.ts";
import { bodiesOf, OutputSpace, spliceable, spliceModule } from "./splice.ts";
import { RecordingMemory, replayQueries, type MemoryQuery } from "./recorded-memory.ts";
import { StageRunner } from "./ssa/stage-runner.ts";
import { constantExport, initialMemory, readPendingRequests, REQ, type WevalRequest } from "./requests.ts";
import { intrinsicsOf, stubBehaviour } from "./weval/intrinsics.ts";
import { splitAfterCalls } from "./weval/split-at-intrinsic.ts";
import { RequestLinks, type KnownMemory, type RequestView } from "./weval/linked-requests.ts";
import {
  DEFAULT_LIMITS,
  SpecializationAborted,
  specializeFunction,
  type AbortKind,
  type ArgSpec,
  type BlockOrigins,
  genericShape,
  type GenericShape,
  type Limits,
  type SpecializeResult,
} from "./weval/specialize.ts";
import type { ProgressCallback } from "../util/progress.ts";

export type { ProgressCallback };

export interface SpecializeOptions {
  limits?: Partial<Limits>;
  /** Told of each stage's progress (an observer: it changes nothing). */
  onProgress?: ProgressCallback;
  /** Names what a request specializes, for --stats (Fern: the bytecode function its constant buffer holds). */
  describeRequest?: (request: WevalRequest) => string | undefined;
  /** Run the IR verifier after each stage (ssa/stage-runner.ts), naming the stage that broke it. */
  verify?: boolean;
  /** Receives each request's IR after the stages `dumpStages` names, as `<request>-<stage>.ir` (for --dump-ir). */
  dumpIr?: (file: string, text: string) => void;
  /** The stages whose IR dumpIr receives (STAGES, or "all"); by default the generic function after max-ssa, the
   *  specialized one and the cleaned one: `-generic.ir`, `-specialized.ir` and `-cleaned.ir`. */
  dumpStages?: readonly string[];
  /** Receives each request's IR at the points dumpIr prints it by default, as objects (for explorer/): the generic
   *  function after max-SSA, the specialized one with where each block came from (every copy it holds), and that one
   *  again after cleanup (the same body, changed in place: read it during the call). An observer: the module built
   *  is the same with it as without (test/specializer/inspect.test.ts). */
  inspect?: (
    request: WevalRequest,
    phase: "generic" | "specialized" | "cleaned",
    body: FunctionBody,
    origins?: BlockOrigins,
  ) => void;
  /** binaryen optimization level for the output (default 3). */
  optimizeLevel?: number;
  /** Optimize the whole module instead of only the specialized functions (slower; for comparison). */
  optimizeModule?: boolean;
  /** IR values per small module binaryen optimizes (default groupValuesFor the build; 1: each function alone). The output's bytes
   *  are the same whatever it is (optimize-apart.ts); for tests and measurements. */
  groupValues?: number;
  /** Rewrite the whole module through binaryen (read, add, write) instead of splicing the specialized functions into
   *  its bytes (splice.ts); for comparison. */
  noSplice?: boolean;
  /** Also emit the module before binaryen optimizes it, to report its size (`rawBytes`). */
  reportRawSize?: boolean;
  /** Functions of at most this many IR values get binaryen's whole -O pipeline instead of its lean pass list
   *  (default 0: none; optimize.ts); for comparison (5,000 was the default until 2026-12-07). */
  fullOptimizeMaxValues?: number;
  /** Functions of at most this many IR values are laid out by binaryen's Relooper, larger ones by the backend
   *  (default RELOOPER_MAX_VALUES; optimize.ts); for tests and comparison. */
  relooperMaxValues?: number;
  /** Do not inline small specialized callees into their callers (inline-leaves.ts); for comparison. */
  noInline?: boolean;
  /** Blocks per Relooper segment in the backend (default SEGMENT_BLOCKS). */
  segmentBlocks?: number;
  /** Lay out every function with binaryen's Relooper, not only small and irreducible ones (optimize.ts); for comparison. */
  relooper?: boolean;
  /** Requests specialized elsewhere or by an earlier build (pipeline/: worker threads, the per-request cache). */
  requestSource?: RequestSource;
}

export interface RequestStats {
  userId: number;
  generic: string;
  /** What the request specializes, when SpecializeOptions.describeRequest says (`fn main`). */
  label?: string;
  /** Table index written into the slot, or 0 when aborted. */
  tableIndex: number;
  aborted?: string;
  /** Why it aborted, for tools and tests (weval/aborts.ts). */
  abortKind?: AbortKind;
  contexts: number;
  blocks: number;
  values: number;
  genericBlocks: number;
  ms: number;
  runtimeCauses: [string, number][];
  /** What the cleanup passes removed (absent when aborted). */
  cleanup?: CleanupStats;
  /** Milliseconds per stage (STAGES; cleanup's passes are stages within `cleanup`), as they ran for this request:
   *  the generic function's stages only for the first request of each generic function, which builds it. */
  stages?: Record<string, number>;
  /** Direct calls of specialized functions (of this module's requests) in the function after cleanup. */
  directCalls?: number;
  /** Whether the function is inlined into the specialized functions that call it (inline-leaves.ts). */
  inlined?: boolean;
  /** Taken from the per-request cache (pipeline/): an earlier build specialized it. */
  cached?: boolean;
  /** Values in the function after cleanup, and what binaryen ran on it (optimize.ts). */
  size?: number;
  optimize?: OptimizePlan;
}

export interface SpecializeModuleResult {
  wasm: Uint8Array;
  requests: RequestStats[];
  inputBytes: number;
  outputBytes: number;
  /** The module's size before binaryen's optimization (with `reportRawSize`). */
  rawBytes?: number;
  /** Requests' slots and buffers that specialized code does not fold because the module's code stores into them
   *  at a constant address (weval/linked-requests.ts), one line each. */
  notFolded: string[];
  /** Worker threads that specialized requests beside this one (pipeline/parallel.ts); absent when none did. */
  workers?: number;
  /** Worker threads that ran binaryen beside this one (optimize-apart.ts); absent when none did. */
  optimizeWorkers?: number;
  /** Time spent specializing (excluding binaryen's load and the module-wide optimization). */
  specializeMs: number;
  optimizeMs: number;
}

/** The request pipeline's stages in order (ssa/stage-runner.ts runs them), with cleanup's passes inside `cleanup`
 *  (passes/cleanup.ts); those with a phase are the ones --dump-ir writes by default and the inspect hook sees. */
export const STAGES = ["frontend", "split-at-intrinsic", "max-ssa", "specialize", "cleanup"] as const;
const PHASES: Record<string, "generic" | "specialized" | "cleaned"> = {
  "max-ssa": "generic",
  specialize: "specialized",
  cleanup: "cleaned",
};

/** The request's arguments after its specialization globals, or (`globals`) the globals themselves. */
function argSpecs(req: WevalRequest, globals = false): ArgSpec[] {
  const records = globals ? req.args.slice(0, req.numGlobals) : req.args.slice(req.numGlobals);
  return records.map((a, i): ArgSpec => {
    if (!a.specialize) return { kind: "runtime" };
    switch (a.ty) {
      case "buffer":
        return { kind: "buffer", bytes: a.bytes! };
      case "i32":
      case "f32":
        return { kind: "const", value: { type: a.ty, bits: Number(a.value) >>> 0 } };
      case "i64":
      case "f64":
        return { kind: "const", value: { type: a.ty, bits: BigInt(a.value!) } };
      default:
        throw new UserError(`weval request ${req.userId}: argument ${i} is marked specialized but has no value`);
    }
  });
}

/**
 * The library entry's input check: a module V8 rejects, or one using a feature the decoder does not read, is a
 * UserError (one line), never a decoder's RangeError or WasmDecodeError.
 */
function decodeSnapshot(wasm: Uint8Array): WasmModuleInfo {
  if (!(wasm instanceof Uint8Array))
    throw new UserError(`specializeModule takes the module's bytes (a Uint8Array), got ${typeof wasm}`);
  if (!WebAssembly.validate(wasm as BufferSource))
    throw new UserError("error: not a valid WebAssembly module (V8 rejects it)");
  try {
    return decodeModule(wasm);
  } catch (e) {
    if (e instanceof WasmDecodeError)
      throw new UserError(`error: the module uses what the specializer does not read: ${e.message}`);
    throw e;
  }
}

/** A request's specialization as it crosses a thread or comes from a cache: the function (absent when it aborted),
 *  its statistics and what it asked of the other requests (recorded-memory.ts). */
export interface RequestResult {
  body?: FunctionBody;
  stats: RequestStats;
  queries: MemoryQuery[];
}

/** Results made outside this call (pipeline/: worker threads and the per-request cache). Every one is taken only if
 *  its queries replay to the same answers here, so the output is the one specializing here would give. Not used
 *  with dumpIr or inspect, which observe the specialization itself. */
export interface RequestSource {
  /** What an earlier build made for this request, if it kept it. */
  cached?(index: number, request: WevalRequest): RequestResult | undefined;
  /** Specializes the requests at `indices` elsewhere, as `requestSpecializer` does, or undefined to have them all
   *  specialized here. */
  elsewhere?(indices: number[], onDone: () => void, requests: readonly WevalRequest[]): Elsewhere | undefined;
  /** Told of each request specialized for this build (here or elsewhere), to keep it. */
  made?(index: number, request: WevalRequest, result: RequestResult): void;
  /** Optimizes groups of specialized functions elsewhere (optimize-apart.ts: each group's small module), as
   *  `requestSpecializer`'s optimize does, given their IR values in all (`raw`: each group's module before
   *  binaryen too); or undefined to optimize them all here. */
  optimizeElsewhere?(jobs: ApartJob[], values: number, raw: boolean): OptimizedElsewhere | undefined;
}

/** Groups being optimized elsewhere (on worker threads), while this thread takes its share from the same queue. */
export interface OptimizedElsewhere {
  workers: number;
  next(): number | undefined;
  /** Each group's small module (and, when asked, its module before binaryen), in the order of the jobs; undefined
   *  for one this thread took or one that failed. */
  results: Promise<(OptimizedGroup | undefined)[]>;
}

/** A group's small module, optimized, and as it was before binaryen (`raw`, when asked). */
export interface OptimizedGroup {
  wasm: Uint8Array;
  raw?: Uint8Array;
}

/** Requests being specialized elsewhere (on worker threads), while this thread takes its share from the same queue. */
export interface Elsewhere {
  /** How many threads besides this one. */
  workers: number;
  /** The next request for this thread to specialize, or undefined when none is left. */
  next(): number | undefined;
  /** In the order of `indices`, once all are done: undefined for a request this thread took, or one that failed
   *  there (specialized here again, which reports its error as a serial build does). `onDone` is called after each. */
  results: Promise<(RequestResult | undefined)[]>;
}

/** What specializing any request of a snapshot needs, read once. */
interface Prepared {
  info: WasmModuleInfo;
  memory: Uint8Array;
  headAddr: number;
  flagAddr?: number;
  requests: WevalRequest[];
  intrinsics: Map<number, string>;
  links: RequestLinks;
  /** Plans the requests' table indices with these aborted (weval/linked-requests.ts). */
  plan(aborted: ReadonlySet<number>): void;
}

function prepare(snapshotWasm: Uint8Array): Prepared {
  const info = decodeSnapshot(snapshotWasm);
  if (info.memories.length !== 1)
    throw new UserError(`the module has ${info.memories.length} memories; the specializer needs exactly one`);
  const memory = initialMemory(info);
  const headAddr = constantExport(info, "weval.pending.head");
  if (headAddr === undefined)
    throw new UserError(
      "the module does not export `weval.pending.head`: it is not an interpreter built on weval's ABI",
    );
  const flagAddr = constantExport(info, "weval.is.wevaled");
  const requests = readPendingRequests(memory, headAddr);
  const intrinsics = intrinsicsOf(info);
  const links = new RequestLinks(info, requests);
  const plan = (aborted: ReadonlySet<number>) =>
    links.plan(aborted, info.tables[0]?.initial ?? 0, info.functions.length);
  return { info, memory, headAddr, flagAddr, requests, intrinsics, links, plan };
}

/** --dump-ir's file name for request `i`: `request<user id>`, with the request's position after it when user ids
 *  repeat (Fern's requests all carry the same one, and each request's dump overwrote the one before). */
function dumpName(requests: WevalRequest[], i: number): string {
  const req = requests[i];
  return `request${req.userId}${requests.filter((r) => r.userId === req.userId).length > 1 ? `-${i + 1}` : ""}`;
}

/** Specializes single requests of a snapshot, as specializeModule's first pass does (no request aborted in the
 *  plan), each with what it asked of the others: what a worker thread runs (pipeline/specialize-worker.ts). */
export function requestSpecializer(
  snapshotWasm: Uint8Array,
  opts: SpecializeOptions = {},
): {
  count: number;
  specialize(i: number): RequestResult;
  optimize(job: ApartJob, raw?: boolean): Promise<OptimizedGroup>;
} {
  const p = prepare(snapshotWasm);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const generics = new Map<number, Generic>();
  p.plan(new Set());
  return {
    count: p.requests.length,
    optimize: async (job, raw) => {
      const group: OptimizedGroup = { wasm: new Uint8Array(0) };
      group.wasm = optimizeApart(await loadBinaryen(), p.info, job, raw ? (m) => (group.raw = m) : undefined);
      return group;
    },
    specialize(i) {
      const memory = new RecordingMemory(p.links.view());
      return {
        ...specializeRequest(
          p.info,
          p.requests[i],
          p.intrinsics,
          limits,
          opts,
          dumpName(p.requests, i),
          memory,
          generics,
        ),
        queries: memory.queries,
      };
    },
  };
}

export async function specializeModule(
  snapshotWasm: Uint8Array,
  opts: SpecializeOptions = {},
): Promise<SpecializeModuleResult> {
  const t0 = performance.now();
  const prepared = prepare(snapshotWasm);
  const { info, memory, headAddr, flagAddr, requests, intrinsics, links } = prepared;
  const { results, workers } = await specializeRequests(prepared, opts);
  const specializeMs = performance.now() - t0;

  const t1 = performance.now();
  const { wasm, rawBytes, optimizeWorkers } = await rewriteModule(
    info,
    results,
    memory,
    headAddr,
    flagAddr,
    intrinsics,
    opts,
  ).catch(stackExhausted);
  return {
    wasm,
    requests: results.map((r) => r.stats),
    notFolded: notFoldedNotes(links, requests),
    inputBytes: snapshotWasm.length,
    outputBytes: wasm.length,
    rawBytes,
    workers,
    optimizeWorkers,
    specializeMs,
    optimizeMs: performance.now() - t1,
  };
}

/** Every request's specialized body and stats: taken from the source's cache when its recorded questions get the
 *  same answers, made on other threads when the source offers them, else here; then the ones an abort made stale
 *  made again, and each result given its planned table index. `workers` is how many threads shared the work. */
async function specializeRequests(
  { info, requests, intrinsics, links, plan }: Prepared,
  opts: SpecializeOptions,
): Promise<{ results: RequestResults; workers?: number }> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const source = opts.dumpIr || opts.inspect ? undefined : opts.requestSource;

  const results: RequestResults = [];
  // Each request may fold the others' slots and buffers (weval/linked-requests.ts). The slots' values are the table
  // indices planned with the aborts known so far; a request that folded one an abort later moved is specialized
  // again (aborts are rare, and only grow, so this ends).
  const aborted = new Set<number>();
  const views: RequestView[] = [];
  const generics = new Map<number, Generic>();
  const specializeAt = (i: number) => {
    const req = requests[i];
    views[i] = links.view();
    const recorder = new RecordingMemory(views[i]);
    results[i] = {
      req,
      ...specializeRequest(
        info,
        req,
        intrinsics,
        limits,
        opts,
        dumpName(requests, i),
        source ? recorder : views[i],
        generics,
      ),
    };
    if (results[i].stats.aborted) aborted.add(i);
    source?.made?.(i, req, { body: results[i].body, stats: results[i].stats, queries: recorder.queries });
  };
  // A result made elsewhere, if its questions get the same answers here (recorded-memory.ts).
  const take = (i: number, r: RequestResult): boolean => {
    const view = links.view();
    if (!replayQueries(view, r.queries)) return false;
    views[i] = view;
    results[i] = { req: requests[i], body: r.body, stats: takenStats(r.stats, requests[i], opts) };
    if (results[i].stats.aborted) aborted.add(i);
    return true;
  };
  plan(aborted);
  const takeCached = (i: number): boolean => {
    const hit = source?.cached?.(i, requests[i]);
    return hit !== undefined && take(i, { ...hit, stats: { ...hit.stats, cached: true } });
  };
  const todo = requests.map((_, i) => i).filter((i) => !takeCached(i));
  let done = requests.length - todo.length;
  const progress = () => opts.onProgress?.("specialize", done++, requests.length);
  const elsewhere = todo.length ? source?.elsewhere?.(todo, progress, requests) : undefined;
  if (elsewhere) await shareWithOtherThreads(elsewhere, todo, progress, specializeAt, take, source, requests);
  else
    for (const i of todo) {
      progress();
      specializeAt(i);
      // A turn of the event loop between requests: what loads meanwhile (binaryen, prefetched: pipeline/build.ts)
      // goes on reading its file and compiling off this thread.
      if (nextTurn) await nextTurn();
    }
  opts.onProgress?.("specialize", requests.length, requests.length);
  respecializeStale(requests.length, aborted, views, plan, specializeAt, opts.onProgress);
  results.forEach((r, i) => (r.stats.tableIndex = links.plannedIndex(i)));
  return { results, workers: elsewhere?.workers };
}

/** A result made elsewhere, as this build reports it: this build's label, and the optimization this build's options
 *  plan for its size. */
function takenStats(made: RequestStats, req: WevalRequest, opts: SpecializeOptions): RequestStats {
  const stats = { ...made, label: opts.describeRequest?.(req) };
  if (stats.size !== undefined)
    stats.optimize = optimizePlan(stats.size, opts.optimizeLevel ?? 3, opts.fullOptimizeMaxValues);
  return stats;
}

/** A turn of Node's event loop (setImmediate: no timer's minimum delay); none in a browser (the explorer page
 *  specializes in a web worker, which has no setImmediate). */
const nextTurn =
  typeof setImmediate === "function" ? () => new Promise<void>((resolve) => setImmediate(resolve)) : undefined;

/** Until the plan holds: plans the table indices with the aborts known so far, and specializes again each request
 *  that folded a slot whose value the plan has since moved (aborts are rare, and only grow, so this ends). */
function respecializeStale(
  count: number,
  aborted: Set<number>,
  views: RequestView[],
  plan: (aborted: ReadonlySet<number>) => void,
  specializeAt: (i: number) => void,
  onProgress: ProgressCallback | undefined,
): void {
  for (;;) {
    plan(aborted);
    const stale = Array.from({ length: count }, (_, i) => i).filter((i) => !aborted.has(i) && !views[i].stillHolds());
    if (stale.length === 0) break;
    const again = "specialize again (a request's folded slot moved)";
    stale.forEach((i, k) => {
      onProgress?.(again, k, stale.length);
      specializeAt(i);
    });
    onProgress?.(again, stale.length, stale.length);
  }
}

/** This thread's share of the requests being specialized elsewhere, yielding now and then so that the other
 *  threads' results are taken in meanwhile; then theirs, each taken if its queries replay here (else an internal
 *  error), and a request that failed there specialized here. */
async function shareWithOtherThreads(
  elsewhere: Elsewhere,
  todo: number[],
  progress: () => void,
  specializeAt: (i: number) => void,
  take: (i: number, r: RequestResult) => boolean,
  source: RequestSource | undefined,
  requests: WevalRequest[],
): Promise<void> {
  const here = new Set<number>();
  let yielded = performance.now();
  for (let i = elsewhere.next(); i !== undefined; i = elsewhere.next()) {
    progress();
    specializeAt(i);
    here.add(i);
    if (performance.now() - yielded > 20) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      yielded = performance.now();
    }
  }
  // Waiting for the other threads' last requests: binaryen, which the output needs next, is loaded meanwhile.
  await loadBinaryen();
  const made = await elsewhere.results;
  todo.forEach((i, k) => {
    if (here.has(i)) return;
    const r = made[k];
    if (!r) return specializeAt(i);
    if (!take(i, r))
      throw new InternalError(
        `request ${i + 1}: specialized on another thread, it saw other requests' slots differently`,
      );
    source?.made?.(i, requests[i], r);
  });
}

/** Why requests' slots or buffers were not folded: none at all (the module's constant stores could not be read),
 *  or each one the module's code writes at a constant address. */
function notFoldedNotes(links: RequestLinks, requests: WevalRequest[]): string[] {
  if (links.unreadable) return [`no request's slot or buffer is folded into specialized code: ${links.unreadable}`];
  return links.excluded.map(
    (x) =>
      `request ${requests[x.request].userId} (#${x.request + 1}): its ${x.what} at address ${x.start} is written by the module's code at a constant address, so loads of it stay loads`,
  );
}

/** binaryen's passes recurse on the code's nesting: a JavaScript stack overflow there is the program's shape (loops
 *  nested several hundred deep), said in one line instead of an internal error. */
function stackExhausted(e: unknown): never {
  if (e instanceof RangeError && /call stack size/.test(e.message))
    throw new UserError(
      "error: the specialized code nests too deeply for binaryen (its recursive passes exhausted the JavaScript stack); nest the program's loops less deeply",
    );
  throw e;
}

/** A generic function's IR in max-SSA and what specializing needs of it whatever the request (weval/specialize.ts). */
interface Generic {
  body: FunctionBody;
  shape: GenericShape;
}

/** The generic function's IR in max-SSA, ready to specialize: built once per generic function and shared by its
 *  requests (`generics`), since specializeFunction only reads it. Fern's 1,000 requests of one function built it
 *  1,000 times: 60% of specializing them. */
function genericIR(
  info: WasmModuleInfo,
  req: WevalRequest,
  funcIndex: number,
  intrinsics: Map<number, string>,
  stages: StageRunner,
  generics: Map<number, Generic>,
): Generic {
  const known = generics.get(funcIndex);
  if (known) {
    stages.observe("max-ssa", known.body);
    return known;
  }
  const generic = stages.run(
    "frontend",
    (f) => f,
    () => {
      try {
        return buildFunctionIR(info, funcIndex);
      } catch (e) {
        if (!(e instanceof WasmDecodeError)) throw e;
        throw new UserError(`weval request ${req.userId}: cannot read the generic function: ${e.message}`);
      }
    },
  );
  const forks = new Set([...intrinsics].filter(([, name]) => name === "specialize.value").map(([index]) => index));
  stages.run("split-at-intrinsic", generic, () => splitAfterCalls(generic, forks));
  stages.run("max-ssa", generic, () => toMaxSSA(generic));
  const made = { body: generic, shape: genericShape(generic, intrinsics) };
  generics.set(funcIndex, made);
  return made;
}

/** The runner for one request's stages: --dump-ir's files (`<dumpName>-<phase or stage>.ir`, `-2` on a stage's
 *  second run) for the stages `dumpStages` names, and the inspect hook at the phases, given where the specialized
 *  blocks came from (`origins`, once the specialize stage has run). */
function requestStages(
  req: WevalRequest,
  opts: SpecializeOptions,
  dumpName: string,
  origins: () => BlockOrigins | undefined,
): StageRunner {
  const { dumpIr, inspect } = opts;
  const all = opts.dumpStages?.includes("all");
  const dumped = new Set(opts.dumpStages ?? Object.keys(PHASES));
  const runs = new Map<string, number>();
  const observe = (stage: string, body: FunctionBody) => {
    const phase = PHASES[stage];
    if (dumpIr && (all || dumped.has(stage))) {
      const n = (runs.get(stage) ?? 0) + 1;
      runs.set(stage, n);
      dumpIr(`${dumpName}-${phase ?? stage}${n > 1 ? `-${n}` : ""}.ir`, printFunction(body));
    }
    if (inspect && phase) inspect(req, phase, body, phase === "generic" ? undefined : origins());
  };
  return new StageRunner({ verify: opts.verify, observe: dumpIr || inspect ? observe : undefined });
}

function specializeRequest(
  info: WasmModuleInfo,
  req: WevalRequest,
  intrinsics: Map<number, string>,
  limits: Limits,
  opts: SpecializeOptions,
  dumpName: string,
  knownMemory: KnownMemory,
  generics: Map<number, Generic>,
): { body?: FunctionBody; stats: RequestStats } {
  const t = performance.now();
  const funcIndex = info.table0.get(req.func);
  const stats: RequestStats = {
    userId: req.userId,
    generic: funcIndex === undefined ? `table[${req.func}]` : info.functions[funcIndex].name,
    tableIndex: 0,
    contexts: 0,
    blocks: 0,
    values: 0,
    genericBlocks: 0,
    ms: 0,
    runtimeCauses: [],
    label: opts.describeRequest?.(req),
  };
  if (funcIndex === undefined)
    throw new UserError(`weval request ${req.userId}: table index ${req.func} holds no function`);
  let origins: BlockOrigins | undefined;
  const stages = requestStages(req, opts, dumpName, () => origins);
  stats.stages = stages.ms;
  const { body: generic, shape } = genericIR(info, req, funcIndex, intrinsics, stages, generics);
  stats.genericBlocks = shape.reachable;
  try {
    // The inspect hook's specialized and cleaned phases carry where each block came from (set before they run).
    const bodyOf = (r: SpecializeResult) => ((origins = r.origins), r.body);
    const r = stages.run("specialize", bodyOf, () =>
      specializeFunction(generic, argSpecs(req), intrinsics, limits, argSpecs(req, true), { knownMemory, shape }),
    );
    const cleanup = stages.run("cleanup", r.body, () =>
      cleanupFunction(r.body, { stages, callWrites: memoryWriters(info) }),
    );
    const size = functionSize(r.body);
    const directCalls = [...directCallSites(r.body, info.functions.length).values()].reduce((n, sites) => n + sites, 0);
    Object.assign(stats, {
      contexts: r.contexts,
      blocks: r.blocks,
      values: r.values,
      runtimeCauses: r.runtimeCauses.slice(0, 8),
      cleanup,
      directCalls,
      size,
      optimize: optimizePlan(size, opts.optimizeLevel ?? 3, opts.fullOptimizeMaxValues),
      ms: performance.now() - t,
    });
    return { body: r.body, stats };
  } catch (e) {
    if (!(e instanceof SpecializationAborted)) throw e;
    stats.aborted = e.reason;
    stats.abortKind = e.kind;
    stats.ms = performance.now() - t;
    return { stats };
  }
}

type OptimizeElsewhere = ReturnType<NonNullable<RequestSource["optimizeElsewhere"]>>;
type RequestResults = { req: WevalRequest; body?: FunctionBody; stats: RequestStats }[];
/** A specialized function added to the module, and how binaryen optimizes it (`inlinedInto`: leaves were inlined
 *  into it, optimize.ts). */
type Added = { name: string; plan: OptimizePlan; structured: boolean; size: number; inlinedInto?: boolean };

/** The output module: the snapshot with the specialized functions added at the end of table 0, the intrinsics
 *  replaced by their stubs, small leaves inlined, the new functions optimized, and the requests' memory patched. */
async function rewriteModule(
  info: WasmModuleInfo,
  results: RequestResults,
  memory: Uint8Array,
  headAddr: number,
  flagAddr: number | undefined,
  intrinsics: Map<number, string>,
  opts: SpecializeOptions,
): Promise<{ wasm: Uint8Array; rawBytes?: number; optimizeWorkers?: number }> {
  const optimizeLevel = opts.optimizeLevel ?? 3;
  if (
    !opts.optimizeModule &&
    !opts.noSplice &&
    spliceable(info) &&
    results.every((r) => !r.body || optimizableApart(r.body))
  )
    return validated(
      await spliceSpecialized(info, results, intrinsics, opts),
      memoryPatches(results, memory, headAddr, flagAddr),
    );
  const b = await loadBinaryen();
  const mod = b.readBinary(info.bytes);
  mod.setFeatures(moduleFeatures(b, info.targetFeatures));
  try {
    const names = new ModuleNames(b, mod);
    const added = addSpecialized(b, mod, info, results, names, opts);
    stubIntrinsics(b, mod, info, names, intrinsics);
    const inlinedAny = optimizeLevel > 0 && !opts.noInline && inlineLeaves(b, mod, info, results, names, added);
    // Only the new functions are optimized: the rest of the module is the interpreter as asc already optimized it
    // (whole-module -O3 took ~10x longer and changed nothing on the hot path).
    if (!mod.validate()) throw new InternalError("binaryen rejected the specialized module");
    const rawBytes = opts.reportRawSize ? mod.emitBinary().length : undefined;
    b.setOptimizeLevel(optimizeLevel);
    b.setShrinkLevel(0);
    if (optimizeLevel > 0 && opts.optimizeModule) mod.optimize();
    else
      added.forEach((a, k) => {
        opts.onProgress?.("binaryen", k, added.length);
        optimizeSpecialized(mod, a.name, a.plan, a.structured, !!a.inlinedInto, a.size);
      });
    opts.onProgress?.("binaryen", added.length, added.length);
    // After inlining, a callee's constant write to a global (Fern's result tag) and the caller's read of it sit in
    // one function: binaryen's simplify-globals forwards the constant within the block (V8 folds the compare that
    // is left). Run after the optimization, when inlined bodies no longer sit in blocks of their own. calls.fern,
    // trained: 1.45 -> 1.24 ms; one linear pass over the module.
    if (optimizeLevel > 0 && inlinedAny) mod.runPasses(["simplify-globals"]);
    // No second binaryen validation of the whole module after optimizing (~0.1-0.2 s on Lua's): V8 validates the
    // bytes below, which catches an invalid optimizer output as well.
    return validated({ wasm: mod.emitBinary(), rawBytes }, memoryPatches(results, memory, headAddr, flagAddr));
  } finally {
    mod.dispose();
  }
}

/** The module with the memory patches laid over it, validated by V8 (which catches an invalid optimizer output too). */
function validated<M extends { wasm: Uint8Array }>(m: M, patches: { offset: number; bytes: Uint8Array }[]): M {
  const wasm = appendDataSegments(m.wasm, patches);
  if (!WebAssembly.validate(wasm as BufferSource))
    throw new InternalError("the specialized module does not validate in V8");
  return { ...m, wasm };
}

/** Specialized functions optimized in one small module, at most (a group of them; one function may be more). */
export const GROUP_VALUES = 20_000;
/** …and at least, unless fewer are left: a small module costs its declarations and a read back (splice.ts). */
export const MIN_GROUP_VALUES = 5_000;

/** The IR values per group for a build of `total`: about an eighth of it, between MIN_GROUP_VALUES and GROUP_VALUES,
 *  so that a build of a few big functions (Lua app.lua: 35 of ~80k values, its main chunk 22k) still has groups
 *  enough for the threads to share evenly, biggest first. */
export function groupValuesFor(total: number): number {
  return Math.min(GROUP_VALUES, Math.max(MIN_GROUP_VALUES, Math.ceil(total / 8)));
}

/** The output without reading the module into binaryen: the specialized functions optimized apart in small modules
 *  (optimize-apart.ts), in groups of about groupValuesFor(total) IR values (the same groups whatever the thread count: which
 *  functions share a group changes no function's bytes, but the groups stay put so that a test sees it), here and
 *  on worker threads when the source offers them, and spliced into the snapshot's bytes (splice.ts). */
async function spliceSpecialized(
  info: WasmModuleInfo,
  results: RequestResults,
  intrinsics: Map<number, string>,
  opts: SpecializeOptions,
): Promise<{ wasm: Uint8Array; rawBytes?: number; optimizeWorkers?: number }> {
  const emitted = results.filter((r) => r.body);
  const { types, jobs, total } = apartJobs(info, emitted, opts);
  const spliced = (smalls: Uint8Array[]) => {
    const space = new OutputSpace(info, intrinsics, emitted.length);
    const bodies = new Map<number, Uint8Array>();
    for (const small of smalls) for (const [k, body] of bodiesOf(small, space)) bodies.set(k, body);
    return spliceModule(
      space,
      intrinsics,
      types.map((typeIndex, k) => ({ typeIndex, body: bodies.get(k)! })),
    );
  };
  const elsewhere =
    jobs.length > 1 ? opts.requestSource?.optimizeElsewhere?.(jobs, total, !!opts.reportRawSize) : undefined;
  // Loaded once the other threads have their first groups (binaryen's import takes ~0.4 s of CPU).
  const b = await loadBinaryen();
  const { smalls, raws } = await optimizeJobs(b, info, jobs, elsewhere, opts);
  const rawBytes = opts.reportRawSize ? spliced(raws).length : undefined;
  return { wasm: spliced(smalls), rawBytes, optimizeWorkers: elsewhere?.workers };
}

/** The emitted functions' small-module jobs (their table indices checked against the plan, leaves to inline marked in
 *  their stats), their type indices, and their total size in IR values. */
function apartJobs(
  info: WasmModuleInfo,
  emitted: RequestResults,
  opts: SpecializeOptions,
): { types: number[]; jobs: ApartJob[]; total: number } {
  const optimizeLevel = opts.optimizeLevel ?? 3;
  const first = info.functions.length;
  const types = emitted.map((r) => info.functions[info.table0.get(r.req.func)!].typeIndex);
  const tableBase = info.tables[0].initial;
  emitted.forEach((r, k) => {
    if (r.stats.tableIndex !== tableBase + k)
      throw new InternalError(`request ${k}: planned table index ${r.stats.tableIndex}, emitted at ${tableBase + k}`);
  });
  const sizes = emitted.map((r) => r.stats.size ?? Infinity);
  const total = sizes.reduce((n, x) => n + (Number.isFinite(x) ? x : 0), 0);
  const inlined =
    optimizeLevel > 0 && !opts.noInline
      ? leavesToInline(
          emitted.map((r) => r.body),
          sizes,
          first,
        )
      : new Set<number>();
  for (const k of inlined) emitted[k].stats.inlined = true;
  const functions = emitted.map((r): ApartFunction => {
    const plan = r.stats.optimize ?? "none";
    return {
      body: r.body!,
      plan,
      structured: !opts.relooper && structuredLayout(plan, r.stats.size ?? Infinity, opts.relooperMaxValues),
      size: r.stats.size ?? 0,
    };
  });
  const shared = {
    types,
    inlined: [...inlined],
    optimizeLevel,
    simplifyGlobals: optimizeLevel > 0 && inlined.size > 0,
    segmentBlocks: opts.segmentBlocks,
  };
  const groups = groupsOf(
    emitted.map((r) => r.stats.size ?? 0),
    opts.groupValues ?? groupValuesFor(total),
  );
  const jobs = groups.map((g) => apartJob(functions, first, g, shared));
  return { types, jobs, total };
}

/** Each job's optimized small module (and its unoptimized one when raw sizes are reported): those the other threads
 *  made, the rest here, yielding to the event loop every 20 ms so the threads' messages get through. */
async function optimizeJobs(
  b: Binaryen,
  info: WasmModuleInfo,
  jobs: ApartJob[],
  elsewhere: OptimizeElsewhere | undefined,
  opts: SpecializeOptions,
): Promise<{ smalls: Uint8Array[]; raws: Uint8Array[] }> {
  const smalls: Uint8Array[] = [];
  const raws: Uint8Array[] = [];
  let done = 0;
  const here = (j: number) => {
    opts.onProgress?.("binaryen", done++, jobs.length);
    smalls[j] = optimizeApart(b, info, jobs[j], opts.reportRawSize ? (m) => (raws[j] = m) : undefined);
  };
  if (elsewhere) {
    let yielded = performance.now();
    for (let j = elsewhere.next(); j !== undefined; j = elsewhere.next()) {
      here(j);
      if (performance.now() - yielded > 20) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yielded = performance.now();
      }
    }
    (await elsewhere.results).forEach((m, j) => {
      if (m && (m.raw || !opts.reportRawSize)) [smalls[j], raws[j]] = [m.wasm, m.raw!];
      else if (!smalls[j]) here(j);
    });
  } else jobs.forEach((_, j) => here(j));
  opts.onProgress?.("binaryen", jobs.length, jobs.length);
  return { smalls, raws };
}

/** Contiguous groups of ks of about `groupValues` values each. */
function groupsOf(sizes: number[], groupValues: number): number[][] {
  const groups: number[][] = [];
  let cur: number[] = [];
  let values = 0;
  sizes.forEach((size, k) => {
    cur.push(k);
    values += size;
    if (values >= groupValues) {
      groups.push(cur);
      cur = [];
      values = 0;
    }
  });
  if (cur.length) groups.push(cur);
  return groups;
}

/** Emits each specialized body as a new function, at the table index linked-requests.ts planned (the end of table 0,
 *  in request order), and grows table 0 to hold them. */
function addSpecialized(
  b: Binaryen,
  mod: BinaryenModule,
  info: WasmModuleInfo,
  results: RequestResults,
  names: ModuleNames,
  opts: SpecializeOptions,
): Added[] {
  const sigs = callSignatures(info);
  // New functions go at the end of table 0.
  const table = info.tables[0];
  if (!table && results.some((r) => r.body))
    throw new UserError("the module has no table to put specialized functions in");
  let next = table?.initial ?? 0;
  const added: Added[] = [];
  // The new functions' names and types first: specialized code calls them directly by the indices
  // linked-requests.ts planned (the module's function count, then one each in request order).
  if (names.functions.length !== info.functions.length)
    throw new InternalError(`binaryen reads ${names.functions.length} functions, the decoder ${info.functions.length}`);
  results.forEach((r, i) => {
    if (!r.body) return;
    names.functions.push(`weval.specialized.${r.req.userId}.${i}`);
    sigs.functions.push(info.functions[info.table0.get(r.req.func)!].type);
  });
  results.forEach((r, i) => {
    if (!r.body) return;
    const name = `weval.specialized.${r.req.userId}.${i}`;
    const structured =
      !opts.relooper && structuredLayout(r.stats.optimize ?? "none", r.stats.size ?? Infinity, opts.relooperMaxValues);
    emitFunction(b, mod, names, sigs, r.body, name, opts.segmentBlocks, structured);
    added.push({ name, plan: r.stats.optimize ?? "none", structured, size: r.stats.size ?? 0 });
    if (r.stats.tableIndex !== next++)
      throw new InternalError(`request ${i}: planned table index ${r.stats.tableIndex}, emitted at ${next - 1}`);
  });
  if (added.length) {
    const tableName = names.tables[0];
    mod.addActiveElementSegment(
      tableName,
      "weval.specialized",
      added.map((a) => a.name),
      mod.i32.const(table.initial),
    );
    const raw = b as unknown as {
      _BinaryenTableSetInitial(t: number, n: number): void;
      _BinaryenTableSetMax(t: number, n: number): void;
    };
    const tref = mod.getTable(tableName);
    raw._BinaryenTableSetInitial(tref, next);
    if (table.max !== undefined && table.max < next) raw._BinaryenTableSetMax(tref, next);
  }
  return added;
}

/** The intrinsics become their stubs, and the weval imports go. */
function stubIntrinsics(
  b: Binaryen,
  mod: BinaryenModule,
  info: WasmModuleInfo,
  names: ModuleNames,
  intrinsics: Map<number, string>,
): void {
  for (const [index, name] of intrinsics) {
    const fname = names.functions[index];
    const type = info.functions[index].type;
    mod.removeFunction(fname);
    const behaviour = stubBehaviour(name);
    const body =
      behaviour === "nothing"
        ? mod.nop()
        : behaviour === "identity"
          ? mod.local.get(0, b[type.params[0]])
          : mod.unreachable();
    const params = type.params.length === 0 ? b.none : b.createType(type.params.map((t) => b[t]));
    const resultsType = type.results.length === 0 ? b.none : b[type.results[0]];
    mod.addFunction(fname, params, resultsType, [], body);
  }
}

/** Small leaf callees go into their callers (inline-leaves.ts), before each function's one optimization; marks
 *  the inlined requests' stats. Whether any was inlined. */
function inlineLeaves(
  b: Binaryen,
  mod: BinaryenModule,
  info: WasmModuleInfo,
  results: RequestResults,
  names: ModuleNames,
  added: Added[],
): boolean {
  const emitted = results.filter((r) => r.body);
  const leaves = leavesToInline(
    emitted.map((r) => r.body),
    emitted.map((r) => r.stats.size ?? Infinity),
    info.functions.length,
  );
  inlineFunctions(b, mod, names.functions, new Set([...leaves].map((i) => added[i].name)));
  for (const i of leaves) emitted[i].stats.inlined = true;
  emitted.forEach((r, k) => {
    const calls = directCallSites(r.body!, info.functions.length);
    added[k].inlinedInto = [...leaves].some((leaf) => calls.has(leaf));
  });
  return leaves.size > 0;
}

/** Memory: slots, unlinked requests, the is-wevaled flag — as data segments laid over the snapshot's. */
function memoryPatches(
  results: RequestResults,
  memory: Uint8Array,
  headAddr: number,
  flagAddr: number | undefined,
): { offset: number; bytes: Uint8Array }[] {
  // The writes, laid over copies of the few ranges they touch: a copy of the whole memory (Lua's is 67 MB) took
  // ~0.2 s of CPU.
  const writes = new Map<number, number>(); // byte address → value
  const u32 = (at: number, value: number) => {
    for (let i = 0; i < 4; i++) writes.set(at + i, (value >>> (8 * i)) & 0xff);
  };
  for (const r of results) {
    u32(r.req.specializedSlot, r.stats.tableIndex);
    u32(r.req.addr + REQ.next, 0);
    u32(r.req.addr + REQ.prev, 0);
  }
  u32(headAddr, 0);
  if (flagAddr !== undefined) writes.set(flagAddr, 1);
  const patched = (at: number, length: number) => {
    const bytes = memory.slice(at, at + length);
    for (let i = 0; i < length; i++) {
      const w = writes.get(at + i);
      if (w !== undefined) bytes[i] = w;
    }
    return bytes;
  };
  const patches: { offset: number; bytes: Uint8Array }[] = [];
  const requestAt = new Set(results.map((r) => r.req.addr));
  const touched = new Set<number>([headAddr, ...results.flatMap((r) => [r.req.specializedSlot, r.req.addr])]);
  for (const at of touched) patches.push({ offset: at, bytes: patched(at, requestAt.has(at) ? 8 : 4) });
  if (flagAddr !== undefined) patches.push({ offset: flagAddr, bytes: patched(flagAddr, 1) });
  return patches;
}
