// binaryen's C++ exceptions (values that are no Error) become InternalErrors naming the entry point, the C++ type
// and its message (util/binaryen.ts), instead of reaching the user as "[object Object]"; and the glue binaryen.js is
// loaded with (util/binaryen-glue.ts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { binaryenEntry, fasterGlue } from "../../util/binaryen-glue.ts";
import { InternalError } from "../../util/errors.ts";

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("did not throw");
};

describe("binaryen's C++ exceptions", () => {
  it("a std::runtime_error (binaryen's Fatal) from reading a broken module", async () => {
    const b = await loadBinaryen();
    const e = thrown(() => b.readBinary(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60])));
    expect(e).toBeInstanceOf(InternalError);
    expect((e as Error).message).toMatch(
      /^binaryen's BinaryenModuleRead\w* threw std::runtime_error: .*error in parsing wasm binary$/,
    );
  });

  it("a wasm::ParseException (no what(): its text read from binaryen's memory) from the Relooper", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(b, new b.Module());
    try {
      // Two blocks named alike make the Relooper rename labels (UniqueNameMapper::uniquify), which throws on a
      // branch to a label it does not see defined.
      const code = mod.block(null, [mod.block("a", [mod.block("a", [])]), mod.br("nowhere")]);
      const rl = new b.Relooper(mod);
      const entry = rl.addBlock(code);
      const e = thrown(() => rl.renderAndDispose(entry, 0));
      expect(e).toBeInstanceOf(InternalError);
      expect((e as Error).message).toBe(
        "binaryen's RelooperRenderAndDispose threw wasm::ParseException: bad label in sourceToUnique: nowhere",
      );
    } finally {
      mod.dispose();
    }
  });
});

describe("binaryen.js's glue", () => {
  const glue = readFileSync(createRequire(import.meta.url).resolve("binaryen"), "utf8");

  it("is the one fasterGlue knows (another release: look at util/binaryen-glue.ts)", () => {
    const faster = fasterGlue(glue, "x.wasm")!;
    expect(faster).toBeDefined();
    expect(faster.js.length).toBeLessThan(glue.length / 50); // the literal is gone
    expect(faster.js).not.toContain("JA=[],l=r=>{var G=JA[r];return G||");
    expect(Array.from(faster.wasm.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    expect(fasterGlue(faster.js, "x.wasm")).toBeUndefined();
    expect(fasterGlue(glue + glue, "x.wasm")).toBeUndefined(); // twice: not the one place it should be
  });

  it("loads from the faster copy, which works", async () => {
    const entry = binaryenEntry();
    expect(entry).toMatch(/^file:.*\/build\/binaryen\/binaryen-[0-9.]+-[0-9]+\.mjs$/);
    const copy = fileURLToPath(entry);
    expect(readFileSync(copy, "utf8")).toBe(fasterGlue(glue, basename(copy).replace(/\.mjs$/, ".wasm"))!.js);
    const b = await loadBinaryen();
    const mod = withFeatures(b, new b.Module());
    try {
      mod.addFunction("f", b.none, b.i32, [], mod.i32.add(mod.i32.const(2), mod.i32.const(3)));
      mod.runPassesOnFunction("f", ["precompute"]);
      expect(mod.validate()).toBeTruthy();
      expect(mod.emitText()).toContain("(i32.const 5)");
    } finally {
      mod.dispose();
    }
  });
});
