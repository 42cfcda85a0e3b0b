// weval.assume.alias.class (abi/weval.ts; futamura's own intrinsic): a store through a pointer of one declared class
// leaves what is known about the bytes of another class, so store forwarding keeps a header field across a store
// into elements (Fern's arrays: interp/as/fern.ts), and keeps nothing across a store of the same class or of none;
// weval.assume.alias.region: one class's objects never overlap, so accesses through two of them at disjoint offsets
// are apart too (Fern: `b[3] -= ...` between two reads of `c[6]`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";

async function module(edit: (wat: string) => string = (w) => w, file = "alias-class.wat"): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const text = edit(readFileSync(join(ROOT, "test", "specializer", "abi", file), "utf8"));
  const mod = withFeatures(b, b.parseText(text));
  const wasm = mod.emitBinary();
  mod.dispose();
  return wasm;
}

/** The specialized module's loads after cleanup, and its results next to the generic code's. */
async function specialize(edit?: (wat: string) => string, file?: string): Promise<number> {
  const wasm = await module(edit, file);
  const ir: Record<string, string> = {};
  const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => (ir[file] = text) });
  expect(r.requests[0].aborted).toBeUndefined();
  const stubs = { weval: { "assume.alias.class": (p: number) => p, "assume.alias.region": (p: number) => p } };
  const generic = (await WebAssembly.instantiate(wasm as BufferSource, stubs)).instance.exports.run as (
    x: number,
  ) => number;
  const wevaled = (await WebAssembly.instantiate(r.wasm as BufferSource)).instance.exports.run as (x: number) => number;
  for (const x of [0, 5, -3]) expect(wevaled(x)).toBe(generic(x));
  expect(wevaled(1)).toBe(5005);
  const cleaned = Object.keys(ir).find((f) => /request9-cleaned/.test(f));
  expect(cleaned, Object.keys(ir).join(" ")).toBeDefined();
  return ir[cleaned!].match(/i32\.load/g)?.length ?? 0;
}

describe("weval.assume.alias.class", () => {
  it("keeps a load of one class known across a store of another", async () => {
    // The two pointers (at 300, 304) and one load through the header pointer.
    expect(await specialize()).toBe(3);
  });

  it("keeps nothing across a store of the same class, or through an undeclared pointer", async () => {
    expect(await specialize((w) => w.replace("(i32.const 304)) (i32.const 2)", "(i32.const 304)) (i32.const 1)"))).toBe(
      4,
    );
    expect(
      await specialize((w) =>
        w.replace("(call $class (i32.load (i32.const 304)) (i32.const 2))", "(i32.load (i32.const 304))"),
      ),
    ).toBe(4);
  });

  it("keeps a load through one region pointer across a store through another of its class at other offsets", async () => {
    expect(await specialize(undefined, "alias-region.wat")).toBe(3);
  });

  it("keeps nothing across a store at the same offset of another region, or of a class without regions", async () => {
    const region = (edit: (w: string) => string) => specialize(edit, "alias-region.wat");
    expect(await region((w) => w.replace("i32.store offset=56", "i32.store offset=96"))).toBe(4);
    expect(await region((w) => w.replaceAll("(call $region (i32.load", "(call $class (i32.load"))).toBe(4);
  });

  it("aborts the request when the class is not a constant", async () => {
    const wasm = await module((w) => w.replace("(i32.const 304)) (i32.const 2)", "(i32.const 304)) (local.get $x)"));
    expect((await specializeModule(wasm)).requests[0].abortKind).toBe("not-constant");
  });
});
