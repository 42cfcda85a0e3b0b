// What binaryen runs on each specialized function, by its size. The specializer's own cleanup (passes/) already
// leaves lean code, so binaryen only polishes: small functions — every interpreter loop in the benchmarks — get
// binaryen's whole -O pipeline at the requested level; a function over FULL_OPTIMIZE_MAX_VALUES gets LEAN_PASSES,
// a fixed list of passes whose cost grows with the function's size, not faster (measured on 2026-12-01 on a
// 37k-instruction toy program, 42k values after cleanup: -O3 1.9 s, of which redundant-set elimination alone 1.0 s for
// nothing; LEAN_PASSES 0.55 s for an output 2% larger). So a big program's compile time stays linear in its size. The
// benchmarks' functions have 20 (sum-to-100M) to 3,143 values (Fern's n-body; sort and words ~1,350), all under
// the bound; the generated 10,000-instruction toy program's one function (5,544 values) and a 300-branch Fern
// if/else chain's (7,548) are over it: specializeModule on them took 25% and 14% less CPU with LEAN_PASSES than with
// -O3 (3 runs each, alternated), for outputs 1.2% larger and 0.3% smaller.
import type { BinaryenModule } from "../util/binaryen.ts";
import type { FunctionBody } from "./ssa/ir.ts";

export const FULL_OPTIMIZE_MAX_VALUES = 5_000;

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

/** The number of values (parameters and instructions) in the function's reachable blocks. */
export function functionSize(f: FunctionBody): number {
  let n = 0;
  for (const b of f.reversePostorder()) n += f.blocks[b].params.length + f.blocks[b].insts.length;
  return n;
}

export type OptimizePlan = "full" | "lean" | "none";

export function optimizePlan(size: number, level: number, fullMaxValues = FULL_OPTIMIZE_MAX_VALUES): OptimizePlan {
  if (level <= 0) return "none";
  return size <= fullMaxValues ? "full" : "lean";
}

/** Whether the backend lays the function out itself (ssa/structure.ts) rather than through binaryen's Relooper:
 *  every function binaryen does not fully optimize. The Relooper's cost grows faster than the function
 *  (mandelbrot.b's 20,646 values: 2.9 s of the 3.2 s the backend took; structured, 0.42 s, and 5% smaller after
 *  LEAN_PASSES), but a small function — every hot loop in the benchmarks — keeps the Relooper's layout under -O3,
 *  so its output stays byte for byte what the benchmarks measured. */
export function structuredLayout(plan: OptimizePlan): boolean {
  return plan !== "full";
}

/** Optimize one function of `mod` as `plan` says (the optimize level must already be set on binaryen). */
export function optimizeSpecialized(mod: BinaryenModule, name: string, plan: OptimizePlan): void {
  if (plan === "full") mod.optimizeFunction(name);
  else if (plan === "lean") mod.runPassesOnFunction(name, LEAN_PASSES);
}
