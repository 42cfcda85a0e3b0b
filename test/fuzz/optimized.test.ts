// A few fixed cases of `npm run fuzz:optimized` (optimized.ts): toy, Brainfuck and Fern interpreters that wasm-opt
// went over (-O2, --flatten --rereloop, -Os), specialized at level 0 and at level 3 on the structured layout, on
// random programs: interpreted and wevaled agree, and the toy and Brainfuck runs agree with the reference.
import { describe, expect, it } from "vitest";
import { checkCase, FLAG_SETS, OptimizedInterpreters, type Lang } from "./optimized.ts";

const interps = new OptimizedInterpreters();
// Case k of a run from seed 7000: flag set k mod FLAG_SETS.length, build floor(k / FLAG_SETS.length) mod 2.
const CASES: [Lang, number[]][] = [
  ["toy", [0, 3, FLAG_SETS.length + 3, 2 * FLAG_SETS.length]],
  ["bf", [2, FLAG_SETS.length + 2]],
  ["fern", [0]],
];

describe("interpreters optimized by wasm-opt, then specialized", () => {
  for (const [lang, ks] of CASES)
    it.each(ks)(
      `${lang}, case %i from seed 7000`,
      async (k) => {
        const { c, flags, build, problem } = await checkCase(interps, lang, 7000, k);
        expect(problem, `${c.name} through wasm-opt ${flags.join(" ")}, ${build}`).toBeUndefined();
      },
      120_000,
    );
});
