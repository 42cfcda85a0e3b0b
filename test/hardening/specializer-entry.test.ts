// The library entry `specializeModule` (issue 25, items 2 and 3): a module using tail calls outside the specialized
// function specializes and runs; a malformed module (200 seeded byte mutations of a small valid one) gives the
// result or a UserError, never a TypeError, RangeError or decoder error. In-process.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, projectFeatures } from "../../util/binaryen.ts";
import { UserError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { prng } from "../fuzz/mutate.ts";

async function abiModule(edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", "specialize-value.wat"), "utf8")));
  mod.setFeatures(projectFeatures(b) | b.Features.TailCall);
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

describe("specializeModule's input", () => {
  it("specializes a module with return_call_indirect outside the specialized function", async () => {
    const tail =
      '(func (export "tail") (param i32) (result i32) (return_call_indirect (param i32) (result i32) (local.get 0) (i32.const 1)))\n  (func (export "run")';
    const r = await specializeModule(await abiModule((w) => w.replace('(func (export "run")', tail)), { verify: true });
    expect(r.requests[0].aborted).toBeUndefined();
    const { instance } = await WebAssembly.instantiate(r.wasm as BufferSource);
    expect((instance.exports.run as (x: number) => number)(2)).toBe(122);
    expect((instance.exports.tail as (x: number) => number)(3)).toBe(133);
  });

  it("throws only UserErrors on malformed modules", async () => {
    const wasm = await abiModule();
    const other: string[] = [];
    let user = 0;
    for (let seed = 0; seed < 200; seed++) {
      const random = prng(seed);
      const bytes = wasm.slice();
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        await specializeModule(bytes);
      } catch (e) {
        if (e instanceof UserError && !e.message.includes("\n")) user++;
        else other.push(`seed ${seed}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(other).toEqual([]);
    expect(user).toBeGreaterThan(100);
    await expect(specializeModule("not bytes" as unknown as Uint8Array)).rejects.toThrow(UserError);
  });
});
