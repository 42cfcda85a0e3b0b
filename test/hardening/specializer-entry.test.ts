// The library entry `specializeModule` (issue 25, items 2 and 3): a module using tail calls outside the specialized
// function specializes and runs; a malformed module (200 seeded byte mutations of a small valid one) gives the
// result or a UserError, never a TypeError, RangeError or decoder error. In-process.
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { UserError } from "../../util/errors.ts";
import { abiFixture, specializeMutants } from "../specializer/abi/fixture.ts";

const abiModule = (edit?: (wat: string) => string) => abiFixture("specialize-value", edit);

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
    const { user, other } = await specializeMutants(await abiModule(), 200);
    expect(other).toEqual([]);
    expect(user).toBeGreaterThan(100);
    await expect(specializeModule("not bytes" as unknown as Uint8Array)).rejects.toThrow(UserError);
  });
});
