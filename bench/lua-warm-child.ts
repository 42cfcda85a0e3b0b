// The warm tier of `futamura bench` on Lua (bench/lua.ts), in a process of its own with V8 told to compile every Wasm
// function with TurboFan: `node --no-liftoff --expose-gc dist/bench/lua-warm-child.js '<LuaWarmSpec json>'`; prints
// one LuaWarmResult as JSON. Why a process of its own, with these flags (measured 2026-12-07, docs/lua-memory-ops.md
// "The warm tier"): with V8's defaults a function runs in Liftoff until its tiering budget, which every instance of
// the module spends together, runs out, and its TurboFan code arrives from a background thread when that thread
// gets a core, so the runs after two warm-ups still met Liftoff code (luaV_execute's on a loaded machine, helpers
// tiering up in the 5th to 8th run); with --no-liftoff the untimed first run compiles everything the program calls,
// and each later run runs the same code. A full GC before each run (after the instantiation, untimed) keeps V8's
// collector from finishing its marking inside a timed run, and each run is called at its own stack depth
// (bench/stack-placement.ts). Every variant is timed the same way, interleaved run by run, by the wall clock and by
// the main thread's CPU time (bench/thread-cpu.ts). bench/lua.ts starts several of these processes (several memory
// layouts) and pools them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InternalError } from "../util/errors.ts";
import { LUA_WARM_FLAGS, runOnce } from "./lua-run.ts";
import { luaWasmPeer } from "./peers.ts";
import { atDepth, placementDepth } from "./stack-placement.ts";
import { threadCpuClock } from "./thread-cpu.ts";

export interface LuaWarmSpec {
  /** Holds `<variant>.wasm` for each module variant. */
  dir: string;
  variants: string[];
  /** The script, for the lua-wasm peer (wasmoon), timed in this process too. */
  peer?: { source: string; file: string };
  warmups: number;
  runs: number;
  /** Where this process's sequence of stack placements starts (bench/lua.ts gives each process its own). */
  placementStart?: number;
}

export interface LuaWarmResult {
  /** Per variant, the timed runs' ms (after the untimed run and the warm-ups), by the wall clock. */
  samples: Record<string, number[]>;
  /** The same runs' ms of the main thread's CPU time. */
  cpu: Record<string, number[]>;
  /** Per variant, every distinct output its runs printed (the parent checks them against the interpreted one's). */
  outputs: Record<string, string[]>;
}

type Runner = (i: number) => Promise<{ ms: number; cpuMs: number; out: string }>;

async function main(spec: LuaWarmSpec): Promise<LuaWarmResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || !LUA_WARM_FLAGS.every((f) => process.execArgv.includes(f)))
    throw new InternalError(
      `lua-warm-child: run with node ${LUA_WARM_FLAGS.join(" ")}, not ${process.execArgv.join(" ")}`,
    );
  const cpu = threadCpuClock();
  const depth = (i: number) => placementDepth((spec.placementStart ?? 0) + i);
  const runners = new Map<string, Runner>();
  for (const v of spec.variants) {
    const module = await WebAssembly.compile(readFileSync(join(spec.dir, `${v}.wasm`)));
    runners.set(v, async (i) => {
      const r = await runOnce(module, undefined, { depth: depth(i), beforeRun: gc, cpu });
      return { ...r, cpuMs: r.cpuMs! };
    });
  }
  if (spec.peer) {
    const run = await luaWasmPeer(spec.peer.source, spec.peer.file).warm();
    runners.set("lua-wasm", async (i) => {
      gc();
      return atDepth(depth(i), () => {
        const c = cpu();
        const t = performance.now();
        const out = run();
        const ms = performance.now() - t;
        return { ms, cpuMs: cpu() - c, out };
      });
    });
  }
  return timeRunners(runners, spec);
}

/** Run 0 compiles (TurboFan) what each variant calls; the warm-ups follow, then the timed runs, variants interleaved
 *  run by run. */
async function timeRunners(runners: Map<string, Runner>, spec: LuaWarmSpec): Promise<LuaWarmResult> {
  const samples: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  const outputs: Record<string, Set<string>> = {};
  const untimed = 1 + spec.warmups;
  for (let i = 0; i < untimed + spec.runs; i++)
    for (const [v, run] of runners) {
      const r = await run(i);
      (outputs[v] ??= new Set()).add(r.out);
      if (i < untimed) continue;
      (samples[v] ??= []).push(r.ms);
      (cpu[v] ??= []).push(r.cpuMs);
    }
  return { samples, cpu, outputs: Object.fromEntries(Object.entries(outputs).map(([v, s]) => [v, [...s]])) };
}

const result = await main(JSON.parse(process.argv[2]) as LuaWarmSpec);
process.stdout.write(`${JSON.stringify(result)}\n`);
