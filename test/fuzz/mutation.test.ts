// A seeded slice of the mutation fuzz (`npm run fuzz:mutate` runs the long one): mutated toy assembly, Fern and
// Brainfuck programs, toy binaries, snapshots given to specialize, and output paths must give a clean user error or
// the same behaviour interpreted and wevaled — never an internal error, never a mismatch. Plus the mutator's own
// promises: deterministic per seed, a prefix of mutations when fewer are asked for (what shrinking relies on).
import { afterAll, describe, expect, it } from "vitest";
import { checkMutant, corpus, isFailure, mutant, mutateSource, Runner, wasmCorpus, type Language } from "./mutate.ts";
import { checkPathCase } from "./paths.ts";

const runner = new Runner();
afterAll(() => runner.close());

describe("the mutator", () => {
  const source = "let x = 1;\nwhile (x < 10) { x = x * 2; }\nprint(x);\n";
  it("is deterministic per seed and differs between seeds", () => {
    expect(mutateSource(source, "fern", 7, 3)).toBe(mutateSource(source, "fern", 7, 3));
    const outputs = new Set(Array.from({ length: 20 }, (_, s) => mutateSource(source, "fern", s, 2)));
    expect(outputs.size).toBeGreaterThan(10);
  });
  it("covers every committed program of both languages", () => {
    expect(corpus("toy").length).toBeGreaterThanOrEqual(8);
    expect(corpus("fern").length).toBeGreaterThanOrEqual(9);
  });
});

describe.each([
  ["toy", 1, 40, true],
  ["fern", 1, 60, true],
  ["bf", 1, 12, true],
  ["fbc", 1, 30, false],
  ["wasm", 220, 10, false], // 225: a data segment moved past memory (was a RangeError in specializeModule)
] as [Language, number, number, boolean][])(
  "mutated %s programs (seeds %i…)",
  (language, start, count, someSurvive) => {
    it("give a clean error or the same behaviour in both modes", async () => {
      const programs = language === "wasm" ? await wasmCorpus() : corpus(language);
      const failures: string[] = [];
      const tally: Record<string, number> = {};
      for (let s = start; s < start + count; s++) {
        const m = mutant(language, programs, s);
        const verdict = await checkMutant(runner, m.source, language, m.name, 20_000);
        tally[verdict.kind] = (tally[verdict.kind] ?? 0) + 1;
        if (isFailure(verdict)) failures.push(`${m.name}: ${JSON.stringify(verdict).slice(0, 300)}`);
      }
      expect(failures).toEqual([]);
      if (someSurvive) expect(tally.same ?? 0, JSON.stringify(tally)).toBeGreaterThan(0); // some mutants must survive the front end
    }, 300_000);
  },
);

describe("output paths", () => {
  it("give a one-line error or a write that left the input alone (asm and dis -o, 60 seeded paths)", async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 60; seed++) {
      const { name, verdict } = await checkPathCase(seed);
      if (isFailure(verdict)) failures.push(`${name}: ${JSON.stringify(verdict)}`);
    }
    expect(failures).toEqual([]);
  });
});
