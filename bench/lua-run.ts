// One timed run of a Lua module (a WASI command with the script in its snapshot): a fresh instance, `_start` timed
// alone. Shared by bench/lua.ts (first calls), its warm child (bench/lua-warm-child.ts) and bench/compare-builds.ts;
// it imports no compiler, so the warm child's heap holds only what it times.
import { BufferedOutput, InterpreterHost } from "../interp/host.ts";
import { WasiShim } from "../util/wasi-shim.ts";
import { atDepth } from "./stack-placement.ts";

/** The V8 flags of the warm tier's process (bench/lua-warm-child.ts), said in the bench's report. */
export const LUA_WARM_FLAGS = ["--no-liftoff", "--expose-gc"];

/** One run of a WASI command module: a fresh instance, `_start`, the captured output; ms of `_start` alone (the
 *  instantiation, the same for every variant, copies the memory image and is left out), by `clock` (default the
 *  wall clock; bench/compare-builds.ts passes the process's CPU time). `depth`: `_start` is called that many JS
 *  frames down (bench/stack-placement.ts); `beforeRun` runs after the instantiation, untimed (the warm child's
 *  full GC); `cpu`, a second clock read around the same call (the warm child's thread CPU time), gives `cpuMs`. */
export async function runOnce(
  module: WebAssembly.Module,
  clock: () => number = () => performance.now(),
  opts: { depth?: number; beforeRun?: () => void; cpu?: () => number } = {},
): Promise<{ ms: number; cpuMs?: number; out: string; code: number }> {
  const chunks: Uint8Array[] = [];
  const wasi = new WasiShim({ args: ["lua"], stdout: (b) => chunks.push(b), stderr: (b) => chunks.push(b) });
  const host = new InterpreterHost(new Uint8Array(0), new BufferedOutput());
  const instance = await WebAssembly.instantiate(module, {
    ...host.imports,
    wasi_snapshot_preview1: wasi.wasiImport,
  } as WebAssembly.Imports);
  host.bind(instance);
  opts.beforeRun?.();
  const cpu = opts.cpu;
  const { ms, cpuMs, code } = atDepth(opts.depth ?? 0, () => {
    const c = cpu?.();
    const t = clock();
    const code = wasi.start(instance);
    const ms = clock() - t;
    return { ms, cpuMs: c === undefined ? undefined : cpu!() - c, code };
  });
  return { ms, cpuMs, out: new TextDecoder().decode(Buffer.concat(chunks)), code };
}
