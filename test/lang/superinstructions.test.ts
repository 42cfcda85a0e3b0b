// The compiler's fused instructions (ADD_K, JUMP_IF_NOT_LT_L, INCR, INDEX_L, … in lang/opcodes.ts) mean exactly
// what the plain stack code they replace means: every program, compiled with and without them, prints the same,
// ends with the same error (same kind and line) and returns the same, on the generic interpreter. With
// test/lang/lang.test.ts (interpreted vs wevaled on the fused code) this ties the wevaled code to the plain one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { disassembleFern } from "../../lang/disassembler.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { randomFern } from "../../lang/random.ts";
import { runOutcome } from "../../pipeline/differential.ts";
import { ROOT } from "../../util/root.ts";

const interp = (await buildInterpreter("fern")).wasm;
const module = await WebAssembly.compile(interp as BufferSource);

/** Run a source compiled both ways; the outcomes, and how many instructions each version has. */
async function bothWays(source: string, file: string) {
  const fused = compileFern(source, file);
  const plain = compileFern(source, file, { superinstructions: false });
  const count = (p: typeof fused) => p.functions.reduce((n, f) => n + disassembleFern(f.code).length, 0);
  return {
    fused: await runOutcome(module, fernLoaded(fused)),
    plain: await runOutcome(module, fernLoaded(plain)),
    sizes: [count(fused), count(plain)],
  };
}

describe("fused instructions", () => {
  const dir = join(ROOT, "lang", "programs");
  const files = readdirSync(dir).filter(
    (f) => f.endsWith(".fern") && !f.includes("deep") && f !== "out-of-memory.fern" && f !== "churn.fern",
  );
  it.each(files)("%s: the same with and without them", async (f) => {
    const { fused, plain, sizes } = await bothWays(readFileSync(join(dir, f), "utf8"), f);
    expect(fused).toEqual(plain);
    expect(sizes[0]).toBeLessThanOrEqual(sizes[1]);
  });

  it("the same on 150 random programs, and fewer instructions in all", async () => {
    let saved = 0;
    let errors = 0;
    for (let seed = 1000; seed < 1150; seed++) {
      const source = randomFern(seed);
      const { fused, plain, sizes } = await bothWays(source, `seed${seed}.fern`);
      expect(fused, `seed ${seed}:\n${source}`).toEqual(plain);
      saved += sizes[1] - sizes[0];
      if (plain.error) errors++;
    }
    expect(saved).toBeGreaterThan(1000);
    expect(errors).toBeGreaterThan(5);
  });
});
