// The generic differential tester: any interpreter module that follows futamura's ABI (init as
// `wizer.initialize` reading its program through futamura.program_length/program_read, weval requests, a `run`
// export) plus a set of programs → each program run interpreted (its snapshot) and wevaled on the same input,
// output bytes, result, runtime error and exit code compared, with the time of each run. A new language gets
// correctness checking for free: `futamura diff --interp NAME progs…` or this function from a test. A WASI command
// interpreter (init reads the program from standard input, `_start` runs it after the snapshot, like
// interp/c/toy.c) runs through node:wasi: its standard output is the output, its exit code the exit code, and its
// standard error the error when it exits non-zero. Programs whose interpreter's manifest asks for it (Fern) run on a
// large-stack worker (interp/deep-run.ts).
import { runModuleDeep } from "../interp/deep-run.ts";
import {
  asHosted,
  BufferedOutput,
  ProgramExit,
  ProgramRuntimeError,
  runModule,
  type HostedProgram,
} from "../interp/host.ts";
import { isWasiCommand, runWasiCommand, type WasiRunOptions } from "../interp/wasi.ts";
import { runWasiCommandDeep } from "../interp/wasi-deep.ts";
import { buildProgram, type AbortedRequest, type BuildOptions } from "./build.ts";

export interface DiffProgram extends HostedProgram {
  name: string;
  /** A WASI program's host directories and environment (interp/wasi.ts's hostAccess), the same on both sides. */
  access?: Pick<WasiRunOptions, "files" | "env">;
}

export interface RunOutcome {
  /** The output decoded as UTF-8 (compare `bytes` for binary output). */
  stdout: string;
  bytes: Uint8Array;
  /** futamura.exit's code, or 0 (1 when the run ended with an error). */
  exitCode: number;

  /** The error the run ended with (a trap or a host error), if any. */
  error?: string;
  /** The error is not the program's own (a runtime error, a trap, an exit) but the host's or JavaScript's (a
   *  missing import, a loader's bug): nothing about the program was compared. */
  hostError?: boolean;
  result?: bigint;
}

export interface DiffResult {
  name: string;
  interpreted: RunOutcome;
  wevaled: RunOutcome;
  /** Same outcome on both sides, neither of them a host error. */
  same: boolean;
  /** A side ended with a host or JavaScript error (RunOutcome.hostError): not a comparison of the program. */
  hostFailure: boolean;
  /** Requests that were not specialized, with the reason. */
  aborted: AbortedRequest[];
  /** Snapshot + specialize + binaryen, ms. */
  buildMs: number;
  /** Wall time of each run (instantiate and the first call of `run`, so mostly Liftoff code), ms. */
  interpretedMs: number;
  wevaledMs: number;
}

export async function runOutcome(
  wasm: Uint8Array | WebAssembly.Module,
  program: Uint8Array | HostedProgram,
  access?: DiffProgram["access"] & Pick<WasiRunOptions, "stdinPrefix">,
): Promise<RunOutcome> {
  if (isWasiCommand(wasm)) {
    try {
      // A WASI interpreter that recurses deeply (Lua wevaled: a Wasm call per Lua call) runs on the large-stack worker.
      // Its standard input is the program's input (after `stdinPrefix`: the script, for an interpreter not yet
      // snapshotted with it).
      const opts = { capture: true, stdin: asHosted(program).input, ...access };
      const r = asHosted(program).deepStack ? await runWasiCommandDeep(wasm, opts) : await runWasiCommand(wasm, opts);
      const bytes = new TextEncoder().encode(r.stdout);
      return {
        stdout: r.stdout!,
        bytes,
        exitCode: r.exitCode,
        error: r.exitCode && r.stderr ? r.stderr.trim() : undefined,
      };
    } catch (e) {
      return { stdout: "", bytes: new Uint8Array(0), exitCode: 1, error: (e as Error).message };
    }
  }
  const out = new BufferedOutput();
  const done = (rest: Partial<RunOutcome>): RunOutcome => ({
    stdout: out.text(),
    bytes: out.bytes(),
    exitCode: 0,
    ...rest,
  });
  try {
    // Programs that may recurse deeply (Fern's 200,000 calls) run on a thread with a large native stack.
    const p = asHosted(program);
    if (p.deepStack) return done({ result: await runModuleDeep(wasm, p, out) });
    return done({ result: await runModule(wasm, program, out) });
  } catch (e) {
    if (e instanceof ProgramExit) return done({ exitCode: e.code });
    const own = e instanceof ProgramRuntimeError || e instanceof WebAssembly.RuntimeError;
    return done({ error: (e as Error)?.message ?? String(e), exitCode: 1, ...(own ? {} : { hostError: true }) });
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Same output bytes, result, error and exit code (the times may differ). */
export function sameOutcome(a: RunOutcome, b: RunOutcome): boolean {
  return sameBytes(a.bytes, b.bytes) && a.error === b.error && a.result === b.result && a.exitCode === b.exitCode;
}

export async function differential(
  interp: Uint8Array,
  programs: DiffProgram[],
  opts: Omit<BuildOptions, "cache"> = {},
): Promise<DiffResult[]> {
  const results: DiffResult[] = [];
  for (const p of programs) {
    const program = asHosted(p);
    const t = performance.now();
    const built = await buildProgram(interp, program, { cache: false, ...opts });
    const buildMs = performance.now() - t;
    // Compiled before the clock starts: the times are instantiate + init-free run, first call (Liftoff).
    const [snapshotModule, wevaledModule] = await Promise.all([
      WebAssembly.compile(built.snapshot as BufferSource),
      WebAssembly.compile(built.wasm as BufferSource),
    ]);
    const t1 = performance.now();
    const interpreted = await runOutcome(snapshotModule, program, p.access);
    const t2 = performance.now();
    const wevaled = await runOutcome(wevaledModule, program, p.access);
    const wevaledMs = performance.now() - t2;
    const hostFailure = !!(interpreted.hostError || wevaled.hostError);
    const same = !hostFailure && sameOutcome(interpreted, wevaled);
    results.push({
      name: p.name,
      interpreted,
      wevaled,
      same,
      hostFailure,
      aborted: built.aborted,
      buildMs,
      interpretedMs: t2 - t1,
      wevaledMs,
    });
  }
  return results;
}
