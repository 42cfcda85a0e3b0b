// The calling thread's CPU time in ms (CLOCK_THREAD_CPUTIME_ID), read through node:wasi's clock_time_get: Node 20 has
// no process.threadCpuUsage, process.cpuUsage() counts V8's background threads too (TurboFan, concurrent marking),
// and /proc/thread-self/schedstat is updated only at scheduler ticks. On a machine shared with other work it leaves
// out the time the thread waits for a core, which the wall clock counts (docs/lua-memory-ops.md, "The warm tier").
import { WASI } from "node:wasi";
import { InternalError } from "../util/errors.ts";

/** A module with one page of memory exported as `memory` and nothing else: where clock_time_get writes its u64. */
const MEMORY_ONLY = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x05, 0x03, 0x01, 0x00, 0x01], // memory section: one memory, at least 1 page
  ...[0x07, 0x0a, 0x01, 0x06, ...new TextEncoder().encode("memory"), 0x02, 0x00], // export memory 0 as "memory"
]);

/** WASI preview1's clockid for the calling thread's CPU time. */
const THREAD_CPUTIME_ID = 3;

/** A clock that reads this thread's CPU time in ms (~1.4 µs a read on the bench's machine). */
export function threadCpuClock(): () => number {
  const wasi = new WASI({ version: "preview1", returnOnExit: true });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MEMORY_ONLY), {});
  wasi.initialize(instance);
  const view = new DataView((instance.exports.memory as WebAssembly.Memory).buffer);
  const clockTimeGet = (wasi.wasiImport as Record<string, (id: number, precision: bigint, at: number) => number>)
    .clock_time_get;
  return () => {
    const errno = clockTimeGet(THREAD_CPUTIME_ID, 0n, 0);
    if (errno !== 0) throw new InternalError(`clock_time_get(thread CPU time) failed: WASI errno ${errno}`);
    return Number(view.getBigUint64(0, true)) / 1e6;
  };
}
