// The node flags of a process that specializes (SPECIALIZING_NODE_FLAGS, and buildNodeFlags for one that only builds):
// the young generation's size and TurboFan's inlining budget. There is no forced collection any more: a full gc() after
// a request of 500k+ values (added when Fern's one function of 10,000 statements peaked at 1.1 GB) was one atomic
// mark-compact on the main thread where V8 otherwise runs an incremental one, marked mostly on its helper threads.
// Measured 2026-12-07 on that build (557k values now, --trace-gc, load ~30): the forced collection paused the main
// thread 982 ms; without it the same fourth mark-compact paused 78 ms plus 228 ms of incremental steps, five
// mark-compacts either way, and the peak (maxRSS) 625-631 MB with it, 633-651 MB without. At load 7-8 (alternating, 4
// runs each): the main thread's GC pauses (perf_hooks "gc" entries) 1,197-1,424 -> 1,015-1,264 ms, its CPU time the
// same within noise (3.79-4.06 against 3.97-4.02 s): the pause was mostly waiting for the helper threads, which only a
// free core makes wall time.

/** The semi-space size of a process or worker thread that specializes (MB; V8's default is 16). 32 was measured
 *  against it (2026-12-07, load 11-16, CPU, interleaved): Lua app.lua's main thread 3.42 -> 3.30 s (5 runs each),
 *  Fern 1,000 functions the same, Fern's one function of 10,000 statements 5.59 -> 5.66 s (process 8.8 -> 9.1 s):
 *  no clear gain, so 64 stays. It is the size from the start too (`--min-semi-space-size`): V8 otherwise starts
 *  small and doubles it at its collections — Lua's 300-line script's build ran 32-35 scavenges instead of 11-15.
 *  Measured 2026-12-07 (load ~10, with and without the minimum, interleaved, 3 runs each): app.lua's main thread
 *  3.36-3.54 -> 3.34-3.41 s, its process 6.73-7.04 -> 6.43-6.68 s; the 30-line script's CPU the same, its peak RSS
 *  243-252 -> 301-307 MB. */
export const SEMI_SPACE_MB = 64;

/** TurboFan's budget of bytecode inlined into one optimized function (V8's default is 920). A build is a short
 *  process whose hot code is the IR passes, and TurboFan, on V8's background threads, took ~2.5 s of CPU of Lua
 *  app.lua's 7.4 s, more than half of it compiling functions again after a deopt ("wrong map": an IR pass optimized
 *  for the terminators or value kinds it had seen meets another; an inlined helper such as targetsOf deopts every
 *  function it was inlined into). Less inlining is fewer and smaller compilations for code as fast: measured
 *  2026-12-07 (2 cores, load 11-15, CPU of the specializing node, interleaved runs, main thread read from
 *  /proc/<pid>/task/<pid>/stat): Lua app.lua main thread 3.48-3.54 -> 3.27-3.29 s, process 7.47-7.50 -> 6.39-6.52 s;
 *  Fern 1,000 functions main 4.97 -> 4.87 s, process 8.40 -> 7.60-7.64 s; Fern one function of 10,000 statements
 *  main 5.34-5.57 -> 5.46-5.68 s, process 9.25-9.30 -> 8.63-9.14 s; toy 100,000 instructions main 2.27 -> 2.10-2.24
 *  s, process 4.10 -> 3.64-3.81 s. 150 did no better than 300; no inlining at all
 *  (--no-turbo-inlining) cut the process as much but cost Fern 1,000 functions' main thread 4% (4.97 -> 5.15-5.18
 *  s); Maglev, --max-lazy and a later Wasm tier-up changed nothing beyond noise. */
export const INLINED_BYTECODE_BUDGET = 300;

/** Node's flags for a process that specializes (bin/futamura.mjs's second node, bench --compile's children, so that
 *  the benchmark times what a user runs): a bigger young generation — the
 *  specializer allocates much short-lived IR, and V8's default (16 MB semi-spaces) cost Lua app.lua's build 11.0 s of
 *  CPU against 9.7 s with 64 MB (2026-12-07) — and INLINED_BYTECODE_BUDGET. Node reads them only at start-up; they
 *  hold for the process's worker threads too. */
export const SPECIALIZING_NODE_FLAGS = [
  `--max-semi-space-size=${SEMI_SPACE_MB}`,
  `--min-semi-space-size=${SEMI_SPACE_MB}`,
  `--max-inlined-bytecode-size-cumulative=${INLINED_BYTECODE_BUDGET}`,
];

/** Node's flags for a process that builds and then runs no program of its own (the CLI's `build` and `specialize`,
 *  bench --compile's children, which time what `build` runs) on a machine of `cores` cores: SPECIALIZING_NODE_FLAGS,
 *  V8's --liftoff-only, so that no Wasm is tiered up to TurboFan, and V8's background threads (v8PoolSize).
 *  binaryen's 9.9 MB of Wasm, the interpreter the snapshot runs and the training run's are compiled by Liftoff
 *  only (lazily, as V8 does by default): in a build V8 otherwise compiled
 *  the binaryen functions it found hot again with TurboFan on its background threads (~0.5 s of CPU on toy's
 *  100,000 instructions, in the last second of the build), which took the second core from the specializer's main
 *  thread and never paid back within one build. Node 20's --no-wasm-tier-up leaves dynamic tiering on (no change),
 *  and V8 fixes no tier per module (--liftoff-only set only while binaryen's module compiled, then unset, still
 *  tiered it up), so it is for the whole process: commands that run a wevaled program (run --aot, diff, bench)
 *  keep SPECIALIZING_NODE_FLAGS. Measured 2026-12-07 on 2 cores, the build's process at top CPU priority (the
 *  machine otherwise at load ~25), alternating runs, median (min-max) wall and process CPU of buildProgram:
 *  toy 100,000 instructions (5-6 runs each, three series) 2,132 -> 1,894 ms (1,928-2,279 -> 1,848-2,253), CPU
 *  3,130 -> 2,608 ms; Lua's 300-line script 3,068 -> 2,550 ms wall, 4,835 -> 3,769 ms CPU (3 runs); Fern's one
 *  function of 10,000 statements 5,333 -> 4,947 ms, 7,198 -> 6,496 ms CPU (3 runs); `futamura build --train` of
 *  Fern's nbody 1.54 -> 1.15 s wall (CPU 2.2 -> 1.5 s) with its training run 100 -> 128 ms, trees 1.0 -> 0.69 s. */
export function buildNodeFlags(cores: number): string[] {
  return [...SPECIALIZING_NODE_FLAGS, "--liftoff-only", `--v8-pool-size=${v8PoolSize(cores)}`];
}

/** V8's background threads (TurboFan, the collector's helpers) for a build on `cores` cores: one core is the
 *  specializer's main thread, so one fewer, and at most Node's default of 4. On 2 cores Node's 4 took turns with the
 *  main thread, and its build waited: measured 2026-12-07 (2 cores, the build's process at top CPU priority,
 *  alternating runs, with --liftoff-only; wall median (min-max), main thread's CPU median) toy 100,000
 *  instructions 2,047 (1,868-2,072) -> 1,854 (1,703-1,995) ms (6 runs), main 1,757 -> 1,812 ms; Lua's 300-line
 *  script 3,371 (3,292-3,520) -> 2,961 (2,644-3,322) ms (4 runs); Fern's one function of 10,000 statements 6,017
 *  (5,381-7,539) -> 5,457 (5,392-6,640) ms (3 runs). */
export function v8PoolSize(cores: number): number {
  return Math.min(4, Math.max(1, cores - 1));
}
