// futamura's library API (`import { build, run, diff } from "futamura"`): what the CLI does, as functions over files
// and bytes, for any interpreter a manifest describes. Errors are the CLI's: a UserError (the caller's mistake, a
// message that says where, shown as is) or anything else (a bug in futamura). Nothing here prints; aborted
// specialization requests come back in `aborted` (or, with `strict`, as a UserError).
import { buildInterpreter as buildInterpreterModule } from "../interp/build.ts";
import { resolveInterpreterSpec } from "../interp/manifest.ts";
import {
  abortedRequests,
  buildProgram,
  builtModuleProgram,
  differential,
  interpreterAndProgram,
  resolveInterpreter,
  runOutcome,
  withManifestSection,
  withProgramSection,
  type AbortedRequest,
  type DiffResult,
  type Expectations,
  type Interpreter,
  type Program,
  type RunOutcome,
} from "../pipeline/index.ts";
import { trainingFuel } from "../pipeline/train.ts";
import { snapshot as snapshotModule } from "../snapshot/index.ts";
import { specializeModule, type SpecializeModuleResult } from "../specializer/index.ts";
import { BufferedOutput, InterpreterHost, type HostedProgram } from "../interp/host.ts";
import { hostAccess } from "../interp/wasi.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { readUserFile } from "../util/files.ts";

export { BinaryError, SourceError, UserError } from "../util/errors.ts";
export type { Manifest } from "../interp/manifest.ts";
export type { AbortedRequest, DiffResult, Expectations, Interpreter, RunOutcome } from "../pipeline/index.ts";
export type { RequestStats, SpecializeModuleResult } from "../specializer/index.ts";

/** Which interpreter: a name (toy, fern, bf, or a project's), a manifest .json, an AssemblyScript entry .ts or a
 *  built .wasm; default: the one that takes the program file's extension. */
export interface InterpreterOption {
  interp?: string;
}

export interface BuildOptions extends InterpreterOption {
  /** Cache folder, or false for none (default: .futamura-cache/ in the project, or $FUTAMURA_CACHE_DIR). */
  cache?: string | false;
  /** The init export (default wizer.initialize, else wizer-initialize). */
  init?: string;
  /** Profile-guided speculation: true, or the training fuel (interpreters with training exports, such as fern). */
  train?: boolean | number;
  /** An aborted request is a UserError instead of a partially interpreted module. */
  strict?: boolean;
  /** Run the IR verifier after every transform. */
  verify?: boolean;
}

export interface Built {
  /** The wevaled module, with the program and its interpreter recorded (what `futamura build -o` writes). */
  wasm: Uint8Array;
  /** The interpreter snapshotted with the program loaded (what runs interpreted). */
  snapshot: Uint8Array;
  interpreter: string;
  cached: boolean;
  /** Requests the specializer gave up on: the interpreter runs them. */
  aborted: AbortedRequest[];
  /** Per-request statistics (stored with the cache entry on a hit). */
  stats?: SpecializeModuleResult;
}

export interface RunOptions extends BuildOptions {
  /** Compile first (snapshot + specialize, cached) and run the wevaled module. */
  aot?: boolean;
  /** What the program reads (default: the input its loader gives, else none). */
  input?: Uint8Array | string;
}

export interface RunResult extends RunOutcome {
  /** With `aot`: the requests that ran interpreted. */
  aborted: AbortedRequest[];
  /** What the program says it should do (its loader's `expect`). */
  expect?: Expectations;
}

const fuel = (train: BuildOptions["train"]) =>
  train === undefined || train === false ? undefined : trainingFuel(true, train === true ? undefined : String(train));
const inputBytes = (input: RunOptions["input"]) =>
  typeof input === "string" ? new TextEncoder().encode(input) : input;

/** Build (or reuse) an interpreter module: a name, a manifest .json or an entry .ts. */
export async function buildInterpreter(spec: string, opts: { force?: boolean } = {}): Promise<Interpreter> {
  const r = resolveInterpreterSpec(spec);
  if ("wasmFile" in r) return resolveInterpreter(spec);
  const built = await buildInterpreterModule(r.manifest, opts);
  return { name: r.manifest.name, manifest: r.manifest, wasm: built.wasm, path: built.path };
}

/** The pipeline's options for building `file` on `interp`, as every call here that builds gives them. */
function pipelineOptions(interp: Interpreter, file: string, opts: BuildOptions) {
  return {
    init: opts.init,
    train: fuel(opts.train),
    strict: opts.strict,
    verify: opts.verify,
    interpreterName: interp.name,
    label: file,
  };
}

/** The pipeline's build of `program` on `interp` (build, run --aot, time). */
function compile(interp: Interpreter, program: Program, file: string, opts: BuildOptions) {
  return buildProgram(interp.wasm, program, { cache: opts.cache, ...pipelineOptions(interp, file, opts) });
}

/** Compile a program: snapshot its interpreter with it loaded, then specialize (cached). */
export async function build(file: string, opts: BuildOptions = {}): Promise<Built> {
  const { interp, program } = await interpreterAndProgram(opts.interp, file);
  const r = await compile(interp, program, file, opts);
  const wasm = withManifestSection(withProgramSection(r.wasm, interp.name, program.bytes), interp.manifest.file, file);
  return {
    wasm,
    snapshot: r.snapshot,
    interpreter: interp.name,
    cached: r.cached,
    aborted: r.aborted,
    stats: r.specialize,
  };
}

/** Run a program interpreted, or with `aot` compiled; output is captured, never printed. A runtime error of the
 *  program is in `error` (with exitCode 1); `hostError` says the run failed outside the program. */
export async function run(file: string, opts: RunOptions = {}): Promise<RunResult> {
  const { interp, program } = await interpreterAndProgram(opts.interp, file);
  const hosted: HostedProgram = {
    bytes: program.bytes,
    host: program.host,
    deepStack: program.deepStack,
    input: inputBytes(opts.input) ?? program.input,
  };
  // A WASI program (Lua) may read its own folder, the current one and its module search path, as under `futamura run`.
  const access = hostAccess(file, { searchPath: interp.manifest.searchPath });
  if (!opts.aot) {
    const wasi = { ...access, stdinPrefix: program.bytes }; // a WASI interpreter reads the script first, as under `run`
    return { ...(await runOutcome(interp.wasm, hosted, wasi)), aborted: [], expect: program.expect };
  }
  const r = await compile(interp, program, file, opts);
  return { ...(await runOutcome(r.wasm, hosted, access)), aborted: r.aborted, expect: program.expect };
}

/** Run a module `build` made (bytes or a file), from any folder: its interpreter's loader is found from the
 *  recorded manifest (or `interp`). */
export async function runBuilt(
  module: Uint8Array | string,
  opts: InterpreterOption & { input?: Uint8Array | string } = {},
): Promise<RunOutcome> {
  const bytes = typeof module === "string" ? readUserFile(module) : module;
  if (!WebAssembly.validate(bytes as BufferSource))
    throw new UserError(`${typeof module === "string" ? module : "module"}: error: not a valid WebAssembly module`);
  const compiled = await WebAssembly.compile(bytes as BufferSource);
  const { program } = await builtModuleProgram(compiled, opts.interp);
  return runOutcome(compiled, { ...program, input: inputBytes(opts.input) });
}

/** An interpreter's init run with a program loaded, memory and globals captured (like wizer). */
export async function snapshot(file: string, opts: InterpreterOption & { init?: string } = {}): Promise<Uint8Array> {
  const { interp, program } = await interpreterAndProgram(opts.interp, file);
  const host = new InterpreterHost(program.bytes, new BufferedOutput(), { host: program.host });
  return (
    await snapshotModule(interp.wasm, { imports: host.imports, onInstance: (i) => host.bind(i), initExport: opts.init })
  ).wasm;
}

/** Specialize a snapshot's pending weval requests (our weval). */
export async function specialize(
  snapshotWasm: Uint8Array,
  opts: { strict?: boolean; verify?: boolean } = {},
): Promise<SpecializeModuleResult & { aborted: AbortedRequest[] }> {
  const r = await specializeModule(snapshotWasm, { verify: opts.verify });
  const aborted = abortedRequests(r);
  if (opts.strict && aborted.length)
    throw new UserError(
      `error: ${aborted.length} of ${r.requests.length} request(s) not specialized (strict): ${aborted.map((a) => `request ${a.request} (${a.func}): ${a.reason}`).join("; ")}`,
    );
  return { ...r, aborted };
}

/** Differential test: each program run interpreted and wevaled with the same input, outcomes compared. */
export async function diff(
  files: string[],
  opts: BuildOptions & { input?: Uint8Array | string } = {},
): Promise<(DiffResult & { interpreter: string })[]> {
  const results: (DiffResult & { interpreter: string })[] = [];
  for (const file of files) {
    const { interp, program } = await interpreterAndProgram(opts.interp, file);
    const input = inputBytes(opts.input) ?? program.input;
    const [r] = await differential(
      interp.wasm,
      [
        {
          name: file,
          bytes: program.bytes,
          host: program.host,
          input,
          deepStack: program.deepStack,
          access: hostAccess(file, { searchPath: interp.manifest.searchPath }),
        },
      ],
      pipelineOptions(interp, file, opts),
    );
    results.push({ ...r, interpreter: interp.name });
  }
  return results;
}

export interface Timing {
  /** Wall time of each measured run (instantiate + run, after `warmups` unmeasured runs), ms. */
  interpretedMs: number[];
  wevaledMs: number[];
  /** Median interpreted over median wevaled. */
  speedup: number;
  aborted: AbortedRequest[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Time a program interpreted and wevaled, in this process (V8; warm-up runs first, so mostly the optimized tier
 *  for programs made of many calls; a single long call stays in Liftoff). Runs alternate between the two. */
export async function time(
  file: string,
  opts: BuildOptions & { runs?: number; warmups?: number; input?: Uint8Array | string } = {},
): Promise<Timing> {
  const { interp, program } = await interpreterAndProgram(opts.interp, file);
  const built = await compile(interp, program, file, opts);
  const hosted: HostedProgram = {
    bytes: program.bytes,
    host: program.host,
    deepStack: program.deepStack,
    input: inputBytes(opts.input) ?? program.input,
  };
  const modules = await Promise.all([
    WebAssembly.compile(built.snapshot as BufferSource),
    WebAssembly.compile(built.wasm as BufferSource),
  ]);
  const times: [number[], number[]] = [[], []];
  const runs = opts.runs ?? 5;
  const warmups = opts.warmups ?? 2;
  for (let k = 0; k < warmups + runs; k++) {
    for (const side of [0, 1] as const) {
      const t = performance.now();
      const o = await runOutcome(modules[side], hosted);
      if (o.hostError)
        throw new InternalError(
          `${file}: the ${side ? "wevaled" : "interpreted"} run failed outside the program: ${o.error}`,
        );
      if (k >= warmups) times[side].push(performance.now() - t);
    }
  }
  return {
    interpretedMs: times[0],
    wevaledMs: times[1],
    speedup: median(times[0]) / median(times[1]),
    aborted: built.aborted,
  };
}
