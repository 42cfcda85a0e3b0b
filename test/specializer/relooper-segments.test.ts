// The backend's Relooper segments on a graph reduced from a fuzzed Lua program: the segment exit's branch out must
// survive binaryen renaming the Relooper's duplicate labels, and the function computes what the IR does.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { emitFunction, ModuleNames } from "../../specializer/ssa/backend.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { interpretIR, toConsts } from "./ir-run.ts";

const FIXTURE = new URL("./fixtures/relooper-segment-exit.ir", import.meta.url);

describe("Relooper segments", () => {
  it("exits a segment whose Relooper output has duplicate labels, and runs as the IR does", async () => {
    const b = await loadBinaryen();
    const f = parseFunction(readFileSync(FIXTURE, "utf8"));
    f.recomputePreds();
    const mod = withFeatures(b, new b.Module());
    let bytes: Uint8Array;
    try {
      emitFunction(b, mod, new ModuleNames(), { functions: [], types: [] }, f, "g", 1);
      mod.addFunctionExport("g", "g");
      const text = mod.emitText();
      expect(text).toContain("futamura$segment$exit"); // laid out in segments
      expect(text).toMatch(/\$block\$\d+\$break\d/); // a label binaryen renamed
      expect(mod.validate()).toBeTruthy();
      bytes = mod.emitBinary();
    } finally {
      mod.dispose();
    }
    const { instance } = await WebAssembly.instantiate(bytes as BufferSource);
    const g = instance.exports.g as (x: number) => number;
    for (let x = -1; x < 28; x++) {
      const expected = interpretIR(f, toConsts(["i32"], [x]));
      let got: string;
      try {
        got = `return ${g(x)}`;
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        got = "trap";
      }
      expect(got, `g(${x})`).toBe(expected.result);
    }
  });
});
