// Shared by the random differential tests: N random programs (fixed seeds) through the reference evaluator, the
// interpreter (snapshot) and the wevaled module, which must all agree. Optimization level 0 keeps 1,000 programs
// inside `npm test`'s budget; the transform under test is the same at every level (binaryen's optimizer is not ours).
import { expect } from "vitest";
import { loadProgramSource } from "../../bytecode/index.ts";
import { randomProgram } from "../../bytecode/random.ts";
import { evaluate } from "../../bytecode/reference.ts";
import type { SpecializeOptions } from "../../specializer/index.ts";
import { runCollect, wevaled } from "../helpers.ts";

export async function differential(
  seeds: number[],
  optimizeLevel: number,
  segmentBlocks?: number,
  extra: SpecializeOptions = {},
): Promise<void> {
  for (const seed of seeds) {
    const p = loadProgramSource(randomProgram(seed), `random seed ${seed}`);
    const ref = evaluate(p.program, 1_000_000);
    const built = await wevaled(p.bytes, { optimizeLevel, verify: seed % 10 === 0, segmentBlocks, ...extra });
    expect(built.specialize!.requests[0].aborted, `seed ${seed}`).toBeUndefined();
    const got = await runCollect(built.wasm, p.bytes);
    expect(got, `seed ${seed}: wevaled vs reference`).toEqual({ stdout: ref.stdout, halt: ref.halt });
  }
}

export const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
