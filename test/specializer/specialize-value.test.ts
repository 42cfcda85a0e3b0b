// weval.specialize.value forks the specialized function per value: one copy per value in lo..hi (inclusive), each
// with the value constant (so what depends on it folds); as in weval, a value outside the range takes the last
// value's copy (the interpreter's contract broken), never a generic path.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";

describe("specialize.value", () => {
  it("forks per value and folds what depends on it, with the same results as the generic function", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(
      b,
      b.parseText(readFileSync(join(ROOT, "test", "specializer", "abi", "specialize-value.wat"), "utf8")),
    );
    const wasm = mod.emitBinary();
    mod.dispose();
    const ir: Record<string, string> = {};
    const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => (ir[file] = text) });
    const [stats] = r.requests;
    expect(stats.aborted).toBeUndefined();
    expect(stats.contexts).toBeGreaterThanOrEqual(6); // root, [0], and [0, value=0..3]
    // The fork is the only br_table: the inner one on the value folds in all four copies.
    expect(ir["request9-specialized.ir"].match(/^\s+table /gm)).toHaveLength(1);
    const stubs = { weval: { "push.context": () => {}, "specialize.value": (v: number) => v } };
    const generic = (await WebAssembly.instantiate(wasm as BufferSource, stubs)).instance.exports.run as (
      x: number,
    ) => number;
    const wevaled = (await WebAssembly.instantiate(r.wasm as BufferSource)).instance.exports.run as (
      x: number,
    ) => number;
    for (const x of [0, 1, 2, 3]) expect(wevaled(x), `x = ${x}`).toBe(generic(x));
    expect(wevaled(2)).toBe(122);
    // Out of range: weval's default target, the last value (3).
    for (const x of [4, 7, -1]) expect(wevaled(x), `x = ${x}`).toBe(133);
  });
});
