// The worker thread of parallel.ts: loads binaryen while it waits for the snapshot (the pool may start before the
// snapshot exists), reads the snapshot once when sent it (specializer/index.ts's requestSpecializer), then
// specializes the request indices it is sent, or optimizes the group of specialized functions it is sent, and posts
// each result back as a structured clone (the IR's arrays and objects, bigints included, exactly; parallel.ts gives
// the function body its class back). A request that throws is posted as failed: the main thread specializes it
// again and reports its error as a serial build does.
import { parentPort, workerData } from "node:worker_threads";
import { requestSpecializer, type SpecializeOptions } from "../specializer/index.ts";
import type { ApartJob } from "../specializer/optimize-apart.ts";
import { FunctionBody } from "../specializer/ssa/ir.ts";
import { loadBinaryen } from "../util/binaryen.ts";

const { options } = workerData as { options: SpecializeOptions };
const port = parentPort!;
let specializer: ReturnType<typeof requestSpecializer> | undefined;
// Loaded now, on this thread's core, rather than when the first group arrives; a failure shows there.
loadBinaryen().catch(() => undefined);

// A group of specialized functions to optimize (specializer/optimize-apart.ts), posted back as its small module
// (and, with `raw`, that module before binaryen).
async function optimize(j: number, job: ApartJob, raw: boolean): Promise<void> {
  try {
    if (!specializer) throw new Error("the snapshot could not be read");
    for (const [, f] of job.functions) Object.setPrototypeOf(f.body, FunctionBody.prototype);
    const group = await specializer.optimize(job, raw);
    port.postMessage({ job: j, wasm: group.wasm, raw: group.raw });
  } catch {
    port.postMessage({ job: j, failed: true });
  }
  port.postMessage({ idle: true });
}

function specialize(indices: number[]): void {
  for (const i of indices) {
    try {
      if (!specializer) throw new Error("the snapshot could not be read");
      port.postMessage({ index: i, result: specializer.specialize(i) });
    } catch {
      port.postMessage({ index: i, failed: true });
    }
  }
  port.postMessage({ idle: true });
}

port.on("message", (message: { snapshot: Uint8Array } | number[] | { job: number; apart: ApartJob; raw: boolean }) => {
  if (Array.isArray(message)) return specialize(message);
  if ("snapshot" in message) {
    try {
      specializer = requestSpecializer(message.snapshot, options);
    } catch {
      // The main thread read the same snapshot without an error; every request it sends is then posted as failed.
    }
    return;
  }
  void optimize(message.job, message.apart, message.raw);
});
