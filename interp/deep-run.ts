// Running an interpreter module on a thread with a large native stack, for deep recursion. Fern calls are Wasm
// calls (weval's model: one specialized function per bytecode function), so a Fern recursion 100,000 deep is
// 100,000 Wasm frames, ~100-200 bytes each, while V8 gives the main thread about 1 MB: the program would die with
// V8's "Maximum call stack size exceeded" at a few thousand frames. A worker thread's stack size is ours to choose
// (resourceLimits.stackSizeMb), so the run happens there and the interpreter's own depth limit (interp/as/fern.ts
// MAX_DEPTH) is what a too-deep program meets, as a Fern runtime error naming the function and line.
//
// One worker is kept and reused (sequential runs; it does not keep the process alive). Output is posted back as
// it is written; errors come back with whether they were the user's (a UserError), exits with their code. The
// program's ProgramHost (its loader's imports and error messages) holds functions, so the worker makes its own
// from the module the program names (HostedProgram.deepStack: a loader's `host(bytes)`, e.g. lang/loader.ts).
// Input is bytes given up front (the program's or --input's); without them `futamura.read` sees end of input.
// Which interpreters run here is their manifest's "deepStack" (interp/manifest.ts), not a guess from the program.
// Node only: the browser explorer runs modules in-process with interp/host.ts.
import { Worker } from "node:worker_threads";
import { ProgramExit, ProgramRuntimeError, type HostedProgram, type Output } from "./host.ts";
import { InternalError } from "../util/errors.ts";

const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** The worker's native stack. Thread stacks are reserved, not committed: only the depth actually used costs memory. */
export const DEEP_STACK_MB = 4096;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
let hostModule, UserError;
parentPort.on("message", async ({ id, wasm, program, input, programHostModule, programHostExport }) => {
  if (!hostModule && workerData.tsx) (await import("tsx/esm/api")).register();
  hostModule ??= await import(workerData.host);
  UserError ??= (await import(workerData.errors)).UserError;
  const { InterpreterHost, instantiate, INIT_EXPORT, ProgramExit, bytesInput } = hostModule;
  const out = {
    write: (text) => parentPort.postMessage({ id, bytes: new TextEncoder().encode(text) }),
    writeBytes: (bytes) => parentPort.postMessage({ id, bytes: bytes.slice() }),
  };
  try {
    // A loader without host(bytes) adds nothing on the worker (its load() host still describes errors here).
    const makeHost = programHostModule ? (await import(programHostModule))[programHostExport ?? "host"] : undefined;
    const programHost = typeof makeHost === "function" ? makeHost(program) : undefined;
    const host = new InterpreterHost(program, out, { host: programHost, input: input ? bytesInput(input) : undefined });
    const instance = await instantiate(wasm, host);
    instance.exports[INIT_EXPORT]?.();
    const r = instance.exports.run();
    const halt = r === undefined ? 0n : typeof r === "bigint" ? BigInt.asUintN(64, r) : BigInt(r >>> 0);
    parentPort.postMessage({ id, done: true, halt: String(halt) });
  } catch (e) {
    if (e instanceof ProgramExit) return parentPort.postMessage({ id, done: true, exit: e.code });
    parentPort.postMessage({ id, done: true, error: String(e && e.message), code: e?.code, pc: e?.pc, user: e instanceof UserError, trap: e instanceof WebAssembly.RuntimeError, stackOverflow: e instanceof RangeError && /call stack/.test(e.message) });
  }
});
`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<
  number,
  {
    out: Output;
    resolve: (halt: bigint) => void;
    reject: (e: Error) => void;
    label: string;
    describe?: (code: number, pc: number) => string | undefined;
  }
>();

function getWorker(): Worker {
  if (worker) return worker;
  const here = import.meta.url;
  const fromSources = EXT === ".ts";
  const host = new URL(`./host${EXT}`, here).href;
  const errors = new URL(`../util/errors${EXT}`, here).href;
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { host, errors, tsx: fromSources },
    resourceLimits: { stackSizeMb: DEEP_STACK_MB },
  });
  w.unref();
  w.on(
    "message",
    (m: {
      id: number;
      bytes?: Uint8Array;
      done?: boolean;
      halt?: string;
      exit?: number;
      error?: string;
      code?: number;
      pc?: number;
      user?: boolean;
      trap?: boolean;
      stackOverflow?: boolean;
    }) => {
      const job = pending.get(m.id);
      if (!job) return;
      if (m.bytes !== undefined) {
        if (job.out.writeBytes) job.out.writeBytes(m.bytes);
        else job.out.write(new TextDecoder().decode(m.bytes));
      }
      if (!m.done) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.exit !== undefined) job.reject(new ProgramExit(m.exit));
      else if (m.error === undefined) job.resolve(BigInt(m.halt!));
      else if (m.stackOverflow) {
        // The native stack ran out before the interpreter's depth limit (very large frames): still the user's error.
        job.reject(
          new ProgramRuntimeError(`${job.label}: runtime error: stack overflow (the native stack is exhausted)`),
        );
      } else if (m.trap) {
        // A trap, as on the main thread (cli/run-command.ts): the interpreter stopped on this program.
        job.reject(new ProgramRuntimeError(`${job.label}: error: the interpreter trapped: ${m.error}`));
      } else if (m.user) {
        // futamura.error(code, pc): described here by the program's own host when it has one (its loader's, with the
        // source's lines), else as the worker's host said it.
        let described: string | undefined;
        try {
          described = m.code !== undefined && m.pc !== undefined ? job.describe?.(m.code, m.pc) : undefined;
        } catch (e) {
          // The loader's own bug, inside this event handler: the run's error (a host error), never an uncaught one.
          return job.reject(e instanceof Error ? e : new InternalError(String(e)));
        }
        job.reject(new ProgramRuntimeError(described ?? m.error, m.code, m.pc));
      } else job.reject(new InternalError(m.error));
    },
  );
  const failAll = (e: Error) => {
    for (const job of pending.values()) job.reject(e);
    pending.clear();
    worker = undefined;
  };
  w.on("error", failAll);
  w.on("exit", (code) => failAll(new InternalError(`the interpreter's worker thread exited (code ${code})`)));
  worker = w;
  return w;
}

/** Run a module (init when it has one, then `run`) on the large-stack worker; output goes to `out` as written.
 *  `label` names the program in the messages of a trap or an exhausted native stack (its file); runtime errors are
 *  described by `program.host` when it has describeError (the worker's own host, made from the bytes, otherwise).
 *  Rejects like runModule: ProgramRuntimeError for the program's errors, ProgramExit for futamura.exit. */
export function runModuleDeep(
  wasm: Uint8Array | WebAssembly.Module,
  program: HostedProgram,
  out: Output,
  label = "<program>",
): Promise<bigint> {
  const w = getWorker();
  const id = nextId++;
  return new Promise<bigint>((resolve, reject) => {
    pending.set(id, { out, resolve, reject, label, describe: program.host?.describeError?.bind(program.host) });
    w.ref();
    w.postMessage({
      id,
      wasm,
      program: program.bytes,
      input: program.input,
      programHostModule: program.deepStack?.hostModule,
      programHostExport: program.deepStack?.hostExport,
    });
  });
}
