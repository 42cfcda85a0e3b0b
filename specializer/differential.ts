// The generic differential tester: any interpreter module that follows futamura's ABI (init as
// `wizer.initialize` reading its program through futamura.program_length/program_read, weval requests, a `run`
// export) plus a set of programs → each program run interpreted (its snapshot) and wevaled, output and errors
// compared. A new language gets correctness checking for free: `futamura diff --interp lang.wasm progs…` or
// this function from a test. Relies on specializer/build.ts and interp/host.ts.
import { BufferedOutput, runModule } from "../interp/host.ts";
import { buildProgram } from "./build.ts";
import type { SpecializeOptions } from "./index.ts";

export interface DiffProgram {
  name: string;
  bytes: Uint8Array;
}

export interface RunOutcome {
  stdout: string;
  /** The error the run ended with (a trap or a host error), if any. */
  error?: string;
  result?: bigint;
}

export interface DiffResult {
  name: string;
  interpreted: RunOutcome;
  wevaled: RunOutcome;
  same: boolean;
  /** Requests that were not specialized, with the reason. */
  aborted: string[];
}

export async function runOutcome(wasm: Uint8Array, program: Uint8Array): Promise<RunOutcome> {
  const out = new BufferedOutput();
  try {
    const result = await runModule(wasm, program, out);
    return { stdout: out.text(), result };
  } catch (e) {
    return { stdout: out.text(), error: (e as Error).message };
  }
}

export async function differential(interp: Uint8Array, programs: DiffProgram[], opts: SpecializeOptions = {}): Promise<DiffResult[]> {
  const results: DiffResult[] = [];
  for (const p of programs) {
    const built = await buildProgram(interp, p.bytes, { cache: false, ...opts });
    const interpreted = await runOutcome(built.snapshot, p.bytes);
    const wevaled = await runOutcome(built.wasm, p.bytes);
    const same = interpreted.stdout === wevaled.stdout && interpreted.error === wevaled.error && interpreted.result === wevaled.result;
    const aborted = (built.specialize?.requests ?? []).filter((r) => r.aborted).map((r) => `request ${r.userId}: ${r.aborted}`);
    results.push({ name: p.name, interpreted, wevaled, same, aborted });
  }
  return results;
}
