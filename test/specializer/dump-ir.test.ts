// --dump-ir's file names (specializer/index.ts): one set per request, `request<user id>-<phase>.ir`, with the
// request's position added when user ids repeat (every Fern function's request carries the same one); with
// dumpStages, the IR after each stage the stage runner (specializer/ssa/stage-runner.ts) ran, timed in the stats.
import { describe, expect, it } from "vitest";
import { corpus } from "../helpers.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { StageRunner } from "../../specializer/ssa/stage-runner.ts";
import { IrVerifyError } from "../../specializer/ssa/verify.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { buildProgram } from "../../pipeline/build.ts";

describe("--dump-ir file names", () => {
  it("give each request its own files when user ids repeat", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const program = fernLoaded(compileFern("fn twice(x) {\n  return x * 2;\n}\nprint(twice(21));\n", "twice.fern"));
    const files = new Map<string, string>();
    const built = await buildProgram(interp, program, { cache: false, dumpIr: (file, text) => files.set(file, text) });
    const ids = built.specialize!.requests.map((r) => r.userId);
    expect(ids.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(1);
    expect(files.size).toBe(3 * ids.length);
    ids.forEach((id, i) => {
      for (const phase of ["generic", "specialized", "cleaned"])
        expect(files.has(`request${id}-${i + 1}-${phase}.ir`)).toBe(true);
    });
  });

  it("with dumpStages all, writes the IR after every stage — cleanup's passes by name, a second run numbered — and times each", async () => {
    const interp = (await buildInterpreter("toy")).wasm;
    const files = new Map<string, string>();
    const built = await buildProgram(interp, corpus().find((p) => p.file.endsWith("sum.asm"))!.bytes, {
      cache: false,
      dumpStages: ["all"],
      dumpIr: (file, text) => files.set(file, text),
    });
    const stages = [
      "frontend",
      "split-at-intrinsic",
      "generic",
      "specialized",
      "dead-blocks",
      "copy-propagation",
      "peel-loops",
      "store-forwarding",
      "redundant-stores",
      "redundant-params",
      "redundant-params-2",
      "float-params",
      "dead-values",
      "dead-values-2",
      "unused-frame",
      "merge-blocks",
      "merge-blocks-2",
      "cleaned",
    ];
    expect([...files.keys()].sort()).toEqual(stages.map((s) => `request1-${s}.ir`).sort());
    // The last cleanup pass leaves what the cleanup stage hands on.
    expect(files.get("request1-merge-blocks-2.ir")).toBe(files.get("request1-cleaned.ir"));
    const ms = built.specialize!.requests[0].stages!;
    expect(Object.keys(ms)).toEqual([
      "frontend",
      "split-at-intrinsic",
      "max-ssa",
      "specialize",
      "dead-blocks",
      "copy-propagation",
      "peel-loops",
      "store-forwarding",
      "redundant-stores",
      "redundant-params",
      "float-params",
      "dead-values",
      "unused-frame",
      "merge-blocks",
      "cleanup",
    ]);
    for (const t of Object.values(ms)) expect(t).toBeGreaterThanOrEqual(0);
  });
});

describe("the stage runner", () => {
  it("verifies after a stage when asked, naming the stage that broke the IR", () => {
    // block2 returns v3, which only block1 defines.
    const broken = parseFunction(
      "function f(i32) -> i32 {\nblock0(v0:i32):\n  cond v0, block1(v0), block2()\nblock1(v3:i32):\n  return v3\nblock2():\n  return v3\n}",
    );
    const seen: string[] = [];
    expect(() => new StageRunner({ verify: true }).run("breaker", broken, () => 0)).toThrow(
      new RegExp(`^after the breaker stage: `),
    );
    expect(() => new StageRunner({ verify: true }).run("breaker", broken, () => 0)).toThrow(IrVerifyError);
    new StageRunner({ observe: (stage) => seen.push(stage) }).run("breaker", broken, () => 0);
    expect(seen).toEqual(["breaker"]);
  });
});
