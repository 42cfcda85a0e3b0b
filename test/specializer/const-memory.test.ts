// weval.assume.const.memory (and .transitive): loads at constant addresses through the pointer read the
// snapshot's memory; with .transitive so do loads through the pointers read that way (weval's const_memory tags).
// weval.assert.const.memory checks the assumption. ~3 s on 2026-12-06 (most of it loading binaryen).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";

async function module(edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = withFeatures(
    b,
    b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", "const-memory.wat"), "utf8"))),
  );
  const wasm = mod.emitBinary();
  mod.dispose();
  return wasm;
}

describe("weval.assume.const.memory", () => {
  it("folds loads through the pointer, and through loaded pointers only when transitive", async () => {
    const wasm = await module();
    const ir: Record<string, string> = {};
    const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => (ir[file] = text) });
    expect(r.requests[0].aborted).toBeUndefined();
    // Of the four loads only the one through the pointer the plain assumption read is left.
    expect(ir["request9-specialized.ir"].match(/i32\.load/g)).toHaveLength(1);
    const stubs = {
      weval: {
        "assume.const.memory": (p: number) => p,
        "assume.const.memory.transitive": (p: number) => p,
        "assert.const.memory": () => {},
      },
    };
    const generic = (await WebAssembly.instantiate(wasm as BufferSource, stubs)).instance.exports.run as (
      x: number,
    ) => number;
    const wevaled = (await WebAssembly.instantiate(r.wasm as BufferSource)).instance.exports.run as (
      x: number,
    ) => number;
    for (const x of [0, 5, -3]) expect(wevaled(x)).toBe(generic(x));
    expect(wevaled(1)).toBe(7010);
  });

  it("never reads a request's slot from the snapshot (the specializer fills it), even where slots do not fold", async () => {
    // A SIMD function (unreadable: it might store anywhere) stops the slots folding; the slot at 24 read through
    // the assumption must stay a load, not the snapshot's 0.
    const wasm = await module((w) =>
      w
        .replace("(local.get $x)))", "(i32.add (local.get $x) (i32.load (call $assume (i32.const 24))))))")
        .replace(
          '(func (export "run")',
          '(func (export "simd") (param i32) (result i32) (i32x4.extract_lane 0 (i32x4.splat (local.get 0))))\n  (func (export "run")',
        ),
    );
    const r = await specializeModule(wasm, { verify: true });
    expect(r.requests[0].aborted).toBeUndefined();
    const e = (await WebAssembly.instantiate(r.wasm as BufferSource)).instance.exports as {
      run(x: number): number;
      memory: WebAssembly.Memory;
    };
    const slot = new Uint32Array(e.memory.buffer, 24, 1)[0];
    expect(slot).not.toBe(0);
    expect(e.run(1)).toBe(7010 + slot);
  });

  it("aborts the request when assert.const.memory's pointer is not into constant memory", async () => {
    const wasm = await module((w) => w.replace("(call $assert (local.get $t)", "(call $assert (local.get $x)"));
    const r = await specializeModule(wasm);
    expect(r.requests[0].abortKind).toBe("not-const-memory");
  });
});
