// Every program in bytecode/programs, run by the reference evaluator and by the Wasm interpreter (generic and
// traced bodies), meets the expectations written in it; random programs agree between reference and interpreter.
import { describe, expect, it } from "vitest";
import { loadProgramSource } from "../../bytecode/index.ts";
import { randomProgram } from "../../bytecode/random.ts";
import { evaluate } from "../../bytecode/reference.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { corpus, runCollect } from "../helpers.ts";

const programs = corpus();
const interp = await WebAssembly.compile((await buildInterpreter("toy")).wasm);

describe("program corpus", () => {
  it("has sum.asm and at least 8 more programs that state their expectations and use every opcode", () => {
    expect(programs.map((p) => p.file.split("/").pop())).toContain("sum.asm");
    expect(programs.length).toBeGreaterThanOrEqual(9);
    const used = new Set(programs.flatMap((p) => p.program.instructions.map((i) => i.op.name)));
    expect([...used].sort()).toEqual([
      "ADD",
      "DEC",
      "HALT",
      "INC",
      "JMPNZ",
      "LOAD_IMMEDIATE",
      "LOAD_LOCAL",
      "PRINT",
      "PRINTI",
      "STORE_LOCAL",
    ]);
    for (const p of programs) {
      expect(p.expect.stdout, p.file).toBeDefined();
      expect(p.expect.halt, p.file).toBeDefined();
    }
  });

  describe.each(programs.map((p) => [p.file.split("/").pop()!, p] as const))("%s", (_name, p) => {
    it("reference evaluator meets the expectations", () => {
      const r = evaluate(p.program);
      expect(r.stdout).toBe(p.expect.stdout);
      expect(r.halt).toBe(p.expect.halt);
    });
    it("Wasm interpreter meets the expectations", async () => {
      const r = await runCollect(interp, p.bytes);
      expect(r.stdout).toBe(p.expect.stdout);
      expect(r.halt).toBe(p.expect.halt);
    });
    it.skipIf(p.file.endsWith("sum.asm"))("traced body gives the same result", async () => {
      const r = await runCollect(interp, p.bytes, true);
      expect(r).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
    });
  });
});

describe("random programs", () => {
  it("reference evaluator and Wasm interpreter agree on 300 random programs", async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const p = loadProgramSource(randomProgram(seed), `seed ${seed}`);
      const ref = evaluate(p.program, 1_000_000);
      expect(ref.halt, `seed ${seed} halts`).toBeDefined();
      const got = await runCollect(interp, p.bytes);
      expect(got, `seed ${seed}`).toEqual({ stdout: ref.stdout, halt: ref.halt });
    }
  });
});
