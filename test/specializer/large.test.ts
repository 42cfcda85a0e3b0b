// Real-sized programs through the whole pipeline, interpreted vs wevaled: generated toy programs of 1,000 and
// 10,000 instructions (bench/compile-programs.ts, the compile benchmark's own), Fern functions of hundreds of
// statements, a 300-branch if/else chain and a function of 24 parameters. The 10k program runs with the size
// thresholds divided by ten, so it takes the lean binaryen pass list and the backend's structured layout as a 100k one does; its
// unoptimized output must validate and run in V8 too (locals within the engine's limits). No timing is asserted: compile time
// is measured by `futamura bench --compile`.
import { describe, expect, it } from "vitest";
import { fernOneFunction, toyProgram } from "../../bench/compile-programs.ts";
import { assemble } from "../../bytecode/index.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { differential, runOutcome } from "../../pipeline/differential.ts";
import { RELOOPER_MAX_VALUES } from "../../specializer/optimize.ts";
import { SEGMENT_BLOCKS } from "../../specializer/ssa/backend.ts";
import { randomFern } from "../../lang/random.ts";
import { wevaled } from "../helpers.ts";
import { differential as randomToyDifferential, range } from "./fuzz-shared.ts";

describe("real-sized toy programs, interpreted vs wevaled", () => {
  it("1,000 instructions", async () => {
    const bytes = assemble(toyProgram(1000), "toy-1k.asm").bytes;
    const built = await wevaled(bytes, { verify: false });
    const [req] = built.specialize!.requests;
    expect(req.aborted).toBeUndefined();
    expect(await runOutcome(built.wasm, bytes)).toEqual(await runOutcome(built.snapshot, bytes));
  });

  it("10,000 instructions: lean binaryen passes, structured layout, and valid unoptimized output", async () => {
    const bytes = assemble(toyProgram(10_000), "toy-10k.asm").bytes;
    // Thresholds scaled down with the program, so this size takes the paths a 100k-instruction program takes.
    const scaled = { relooperMaxValues: RELOOPER_MAX_VALUES / 10, segmentBlocks: SEGMENT_BLOCKS / 10 };
    const built = await wevaled(bytes, { verify: false, reportRawSize: true, ...scaled });
    const [req] = built.specialize!.requests;
    expect(req.aborted).toBeUndefined();
    expect(req.size!).toBeGreaterThan(scaled.relooperMaxValues);
    expect(req.optimize).toBe("lean");
    expect(req.cleanup!.blocks).toBeGreaterThan(3 * scaled.segmentBlocks);
    // The specializer's own output is lean: binaryen shrinks it by less than a third.
    expect(built.specialize!.rawBytes!).toBeLessThan(1.5 * built.specialize!.outputBytes);
    const interpreted = await runOutcome(built.snapshot, bytes);
    expect(interpreted.error).toBeUndefined();
    expect(await runOutcome(built.wasm, bytes)).toEqual(interpreted);
    const raw = await wevaled(bytes, { verify: false, optimizeLevel: 0, ...scaled });
    expect(WebAssembly.validate(raw.wasm as BufferSource)).toBe(true);
    expect(await runOutcome(raw.wasm, bytes)).toEqual(interpreted);
  }, 120_000);
});

/** An if/else-if chain of `n` branches on x, called for a few x. */
function ifChain(n: number): string {
  const lines = ["fn pick(x) {"];
  for (let i = 0; i < n; i++) lines.push(`  ${i === 0 ? "if" : "} else if"} (x == ${i}) {`, `    return ${i * 7 + 1};`);
  lines.push(
    "  } else {",
    "    return -1;",
    "  }",
    "}",
    "let s = 0;",
    "let i = 0;",
    `while (i < ${n + 3}) {`,
    "  s = s + pick(i);",
    "  i = i + 1;",
    "}",
    "print(s);",
  );
  return lines.join("\n") + "\n";
}

/** A function of `n` parameters that mixes them all. */
function manyParams(n: number): string {
  const params = Array.from({ length: n }, (_, i) => `p${i}`);
  const body = params.map((p, i) => `  acc = acc * 3 + ${p} * ${i + 1};`).join("\n");
  const args = Array.from({ length: n }, (_, i) => String(i * 5 - 17));
  return `fn wide(${params.join(", ")}) {\n  let acc = 0;\n${body}\n  return acc;\n}\nprint(wide(${args.join(", ")}));\n`;
}

describe("big Fern programs, interpreted vs wevaled", () => {
  const programs = [
    { name: "one function of 300 statements", source: fernOneFunction(300) },
    { name: "a 300-branch if/else chain", source: ifChain(300) },
    { name: "a function of 24 parameters", source: manyParams(24) },
  ];
  it.each(programs)(
    "$name",
    async ({ name, source }) => {
      const interp = (await buildInterpreter("fern")).wasm;
      const [r] = await differential(interp, [{ ...fernLoaded(compileFern(source, `${name}.fern`)), name }]);
      expect(r.aborted).toEqual([]);
      expect(r.interpreted.error).toBeUndefined();
      expect(r.wevaled).toEqual(r.interpreted);
    },
    120_000,
  );
});

// A big irreducible function goes through the Relooper in segments (backend.ts segmentsOf): with segments of a few
// blocks, and the Relooper forced where the backend would lay the function out itself (`relooper`), small programs
// take that path too — cuts between loops, exits into the next segment, copies of the blocks that end the function
// (returns, error traps) in every segment that reaches them.
describe("Relooper segments, forced on small programs", () => {
  it("a 30-branch if/else chain in segments of 20 blocks, optimized and not", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const chain = fernLoaded(compileFern(ifChain(30), "chain.fern"));
    for (const optimizeLevel of [0, 3]) {
      const [r] = await differential(interp, [{ ...chain, name: "chain" }], {
        segmentBlocks: 20,
        optimizeLevel,
        relooper: true,
      });
      expect(r.wevaled).toEqual(r.interpreted);
    }
  });

  it("random toy programs in segments of 8 blocks", async () => {
    await randomToyDifferential(range(7001, 40), 0, 8, { relooper: true });
  }, 120_000);

  it("random Fern programs in segments of 8 blocks", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const programs = range(1, 30).map((seed) => ({
      ...fernLoaded(compileFern(randomFern(seed), `random-${seed}.fern`)),
      name: `random ${seed}`,
    }));
    for (const r of await differential(interp, programs, { segmentBlocks: 8, optimizeLevel: 0, relooper: true }))
      expect(r.wevaled, r.name).toEqual(r.interpreted);
  }, 120_000);
});
