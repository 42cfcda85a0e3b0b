// What binaryen runs on each specialized function, and how the backend lays it out, by its size. The specializer's
// own cleanup (passes/) already leaves lean code, so binaryen only polishes: every function gets LEAN_PASSES (or
// INLINED_PASSES, or STRUCTURED_PASSES on the backend's own layout, HUGE_STRUCTURED_PASSES there over
// OPTIMIZE_INSTRUCTIONS_MAX_VALUES), a fixed list of passes whose cost grows with the
// function's size, not faster; a small function (at most RELOOPER_MAX_VALUES values — every hot interpreter loop in
// the benchmarks) is laid out by binaryen's Relooper, a larger one by the backend's own structured layout
// (ssa/structure.ts), since the Relooper and the passes its layout needs cost more than the function is worth.
// binaryen's whole -O pipeline ("full", optimizeFunction) is no longer the default: on 2026-12-07 (load ~15, CPU time,
// bench/compare-builds.ts, one process, interleaved, 15-31 runs) LEAN_PASSES on the Relooper's layout ran the Fern
// and Lua bench programs as fast as -O3 did within noise (±3%; Fern fib 0.82x: faster), except Fern's sort, 1.03x
// slower in every run (-O3's own pass list brings it back; LEAN_PASSES plus local-cse, plus code-pushing,
// precompute-propagate and merge-blocks, or plus pick-load-signs, merge-locals and rse did not), for a fraction of
// the compile time (Fern 1,000 functions: binaryen 9.5 -> 3.7 s). The structured layout on small functions was slower
// (fib 1.13x, trees 1.07x), so small ones keep the Relooper. The option fullOptimizeMaxValues brings -O3 back.
// History: on 2026-12-01 -O3 on a 42k-value toy function took 1.9 s, of which redundant-set elimination alone 1.0 s
// for nothing; LEAN_PASSES 0.55 s for an output 2% larger.
import type { BinaryenModule } from "../util/binaryen.ts";
import type { FunctionBody } from "./ssa/ir.ts";
import { callSites } from "./call-sites.ts";

/** The largest function (IR values) into which leaves are inlined (inline-leaves.ts). */
export const SMALL_MAX_VALUES = 5_000;

/** The largest function (IR values) the Relooper lays out (with LEAN_PASSES or INLINED_PASSES); a larger one gets
 *  the backend's structured layout and STRUCTURED_PASSES. It was SMALL_MAX_VALUES: measured 2026-12-07 (load ~12,
 *  2 cores) on Lua's 300-line script (bench/compile-programs.ts), whose 40 functions are 166-2,029 values but for
 *  the main chunk's 10,250, the build's main thread 3.26-3.38 -> 2.75-2.80 s of CPU with every function structured;
 *  but then Lua's fib.lua (its functions 393 and 451 values) ran 1.17x slower (bench/compare-builds.ts --cpu, one
 *  process, 7 runs), as Fern's fib and trees did before. With 1,000 (same measure, 9-21 runs): the Lua bench
 *  programs whose modules change (closures, hash, mandelbrot, nbody, oop, sieve, strings, trees: their functions
 *  of 1,260-4,882 values) ran 0.98-1.017x, fib, loop and coroutines are the same bytes; Fern's bench changes nbody
 *  and sort only (1.012x, 0.993x; the unchanged ones 0.95-1.02x). */
export const RELOOPER_MAX_VALUES = 1_000;

// No merge-blocks: on the Relooper's nesting for a big function its cost grows faster than the function (measured
// on mandelbrot.b through the Brainfuck interpreter, 20,646 values: 1.8 s of 2.4 s; toy 100k: 0.8 s of 1.3 s), for
// outputs 2.1% and 0.9% larger without it (block wrappers, which cost nothing at run time).
// Measured 2026-12-06 (scripts/profile-binaryen.ts, CPU, load ~10) on the structured layout: Fern's one function
// of 10,000 statements (551k values) 6.8 s warm, for an output 31% smaller (3.01 -> 2.08 MB; toy 100k: 0.5 s, 8%;
// Brainfuck 50 KB: 0.15 s, 7%); from 1,000 statements to 10,000, vacuum grew 24x, simplify-locals 10x,
// coalesce-locals 6x — vacuum is the one that grows faster than the function there.
export const LEAN_PASSES = [
  "remove-unused-brs",
  "simplify-locals",
  "optimize-instructions",
  "precompute",
  "vacuum",
  "coalesce-locals",
  "reorder-locals",
  "remove-unused-brs",
  "vacuum",
];

/** The passes for a function the backend laid out itself (structuredLayout: a big one). Not simplify-locals nor
 *  coalesce-locals: the local plan does their part (ssa/locals.ts: trees in terminators, tees, branch arguments in
 *  their parameters' locals). Measured 2026-12-07 (CPU, warm, load ~10, each list on the small module of the raw
 *  function): Fern's one function of 10,000 statements, the previous list (remove-unused-brs, simplify-locals-
 *  nostructure, optimize-instructions, vacuum, coalesce-locals, reorder-locals, remove-unused-brs, vacuum) on the
 *  previous plan 2.85 s for 1,030,096 B; this list on the new plan 0.78 s for 995,870 B (coalesce-locals would
 *  add 0.45 s for 0.8% less; simplify-locals-nostructure changes nothing after the new plan); Fern's one function
 *  of 1,000 statements 100,409 -> 96,867 B. optimize-instructions still pays (8% on the 10,000 statements),
 *  remove-unused-brs 1.7%; vacuum before it, 2.3% on Brainfuck 50 KB (97,788 -> 95,513 B). Earlier (2026-12-07):
 *  simplify-locals without "nostructure" cost most of that pass on Lua's main chunk for little, and `precompute`
 *  changed no byte on the raw modules (the specializer has folded every constant expression already). */
export const STRUCTURED_PASSES = ["optimize-instructions", "vacuum", "remove-unused-brs", "vacuum", "reorder-locals"];

/** The largest function (IR values) that gets all of STRUCTURED_PASSES; a larger one gets HUGE_STRUCTURED_PASSES.
 *  Over it, optimize-instructions is most of binaryen's time for a few percent of size and no run time, and
 *  reorder-locals and the second vacuum change ~150 bytes: Fern's one function of 10,000 statements (347,550
 *  values), 2026-12-07 (load ~13, the binaryen stage's CPU, one or two runs each): 1,340 -> 556 ms without
 *  optimize-instructions, the module 1,775,610 -> 1,862,291 B (+4.9%: an `& 1` on a comparison, an add of 0, eqz of
 *  eqz in a condition, constants added twice, left in), its warm run 1.41 -> 1.17 ms (compare-builds --cpu, 9 runs;
 *  V8 folds them); then 531-547 -> 443-450 ms without the other two, 1,862,440 B. The bench's next largest
 *  functions (toy's 100,000 instructions, Brainfuck's 100 KB) are under 200,000. */
export const OPTIMIZE_INSTRUCTIONS_MAX_VALUES = 200_000;

/** The passes for a structured function over OPTIMIZE_INSTRUCTIONS_MAX_VALUES. */
export const HUGE_STRUCTURED_PASSES = ["vacuum", "remove-unused-brs"];

/** The number of values (parameters and instructions) in the function's reachable blocks (of a cleaned body: see
 *  call-sites.ts). */
export function functionSize(f: FunctionBody): number {
  return callSites(f).size;
}

export type OptimizePlan = "full" | "lean" | "none";

/** The passes for a function of `size` values at optimize level `level`: -O3 only up to `fullMaxValues` (default
 *  none: an option, for comparison). */
export function optimizePlan(size: number, level: number, fullMaxValues = 0): OptimizePlan {
  if (level <= 0) return "none";
  return size <= fullMaxValues ? "full" : "lean";
}

/** Whether the backend lays the function out itself (ssa/structure.ts) rather than through binaryen's Relooper:
 *  every function over RELOOPER_MAX_VALUES, and every unoptimized one. The Relooper's cost grows faster than the
 *  function (mandelbrot.b's 20,646 values: 2.9 s of the 3.2 s the backend took; structured, 0.42 s, and 5% smaller
 *  after LEAN_PASSES), but a small function — every hot loop in the benchmarks — runs faster from the Relooper's
 *  layout (Fern fib 1.13x, trees 1.07x slower structured, both under LEAN_PASSES). */
export function structuredLayout(plan: OptimizePlan, size: number, relooperMaxValues = RELOOPER_MAX_VALUES): boolean {
  return plan === "none" || (plan === "lean" && size > relooperMaxValues);
}

/** LEAN_PASSES for a small function (the Relooper's layout) into which leaves were inlined (inline-leaves.ts):
 *  precompute-propagate first. Without it the trained calls.fern ran 1.5x slower than under -O3 (2026-12-07,
 *  compare-builds --cpu, one process, load ~2: each pass of -O3's list added to LEAN_PASSES alone, only this one
 *  brought it back, 1.005x): an inlined leaf's parameters are locals set from the caller's arguments, often
 *  constants, which only a pass that propagates through locals folds. Elsewhere the specializer has already
 *  propagated the constants it knows: on Lua app.lua's 34 small functions (nothing inlined) the output was the same
 *  text with and without the pass, which took 313 of 1,199 ms of binaryen's CPU; on other programs it changed block
 *  shapes (Fern's nbody.fern 1.3% larger without it) and no run time beyond noise (2026-12-07, compare-builds --cpu,
 *  one process, 15-31 runs, load ~12: Fern's bench untrained 0.96-1.016x, trained 0.94-1.02x; Lua's bench
 *  0.92-1.03x). It is the costliest pass on a big function too (Fern's one function of 10,000 statements: 414 of
 *  1,202 ms), so the structured layout goes without. */
export const INLINED_PASSES = ["precompute-propagate", ...LEAN_PASSES];

/** Optimize one function of `mod` as `plan` says (the optimize level must already be set on binaryen); `structured`:
 *  the backend laid it out itself (structuredLayout); `inlinedInto`: leaves were inlined into it; `size`: its IR
 *  values (functionSize). */
export function optimizeSpecialized(
  mod: BinaryenModule,
  name: string,
  plan: OptimizePlan,
  structured: boolean,
  inlinedInto: boolean,
  size: number,
): void {
  if (plan === "full") mod.optimizeFunction(name);
  else if (plan === "lean") mod.runPassesOnFunction(name, leanPasses(structured, inlinedInto, size));
}

/** The passes a "lean" plan runs on a function, by its layout, whether leaves were inlined into it, and its size. */
function leanPasses(structured: boolean, inlinedInto: boolean, size: number): string[] {
  if (structured) return size > OPTIMIZE_INSTRUCTIONS_MAX_VALUES ? HUGE_STRUCTURED_PASSES : STRUCTURED_PASSES;
  return inlinedInto ? INLINED_PASSES : LEAN_PASSES;
}
