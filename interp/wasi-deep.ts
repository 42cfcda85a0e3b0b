// WASI commands on a thread with a large native stack (interp/deep-run.ts's reason, for clang-built interpreters):
// a wevaled Lua makes every Lua call a Wasm call, so a 100,000-deep recursion needs far more than the ~1 MB V8 gives
// the main thread, and the interpreter's own limit ("stack overflow") must be what a too-deep program meets. The
// worker runs interp/wasi.ts's runWasiCommand as it is: node:wasi writes to the process's standard output and error
// file descriptors directly (or captures them), and the exit code comes back. One worker is kept and reused.
// The worker imports interp/wasi.ts: from dist/ as JavaScript, or from the sources through tsx.
import { Worker } from "node:worker_threads";
import { DEEP_STACK_MB } from "./deep-run.ts";
import type { WasiRunOptions, WasiRunResult } from "./wasi.ts";
import { InternalError } from "../util/errors.ts";

const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
let wasi;
parentPort.on("message", async ({ id, wasm, opts }) => {
  try {
    if (!wasi && workerData.tsx) (await import("tsx/esm/api")).register();
    wasi ??= await import(workerData.wasi);
    parentPort.postMessage({ id, result: await wasi.runWasiCommand(wasm, opts) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message), trap: e instanceof WebAssembly.RuntimeError, stackOverflow: e instanceof RangeError && /call stack/.test(e.message) });
  }
});
`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: WasiRunResult) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { wasi: new URL(`./wasi${EXT}`, import.meta.url).href, tsx: EXT === ".ts" },
    resourceLimits: { stackSizeMb: DEEP_STACK_MB },
  });
  w.unref();
  w.on(
    "message",
    (m: { id: number; result?: WasiRunResult; error?: string; trap?: boolean; stackOverflow?: boolean }) => {
      const job = pending.get(m.id);
      if (!job) return;
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      if (m.result) return job.resolve(m.result);
      // A trap stays a trap (the callers report it as the module's); V8's own stack overflow says what ran out.
      if (m.trap) job.reject(new WebAssembly.RuntimeError(m.error));
      else if (m.stackOverflow)
        job.reject(new WebAssembly.RuntimeError(`stack overflow (the native stack is exhausted: ${m.error})`));
      else job.reject(new InternalError(m.error ?? "the WASI worker failed"));
    },
  );
  const failAll = (e: Error) => {
    for (const job of pending.values()) job.reject(e);
    pending.clear();
    worker = undefined;
  };
  w.on("error", failAll);
  w.on("exit", (code) => failAll(new InternalError(`the WASI worker thread exited (code ${code})`)));
  worker = w;
  return w;
}

/** runWasiCommand on the large-stack worker (same options and result; `program` is not supported there). */
export function runWasiCommandDeep(
  wasm: Uint8Array | WebAssembly.Module,
  opts: Omit<WasiRunOptions, "program"> = {},
): Promise<WasiRunResult> {
  const w = getWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, wasm, opts });
  });
}
