// Tail calls (return_call, return_call_indirect) in a specialized function: the specializer reads them, keeps a tail
// call to a constant generic target a tail call, turns one through the request's slot into a direct tail call of the
// specialized function, and the result equals the generic function's on a loop a million tail calls deep; a tail
// call of a weval intrinsic aborts the request by name; a mutated module gives a result or a UserError, never a crash.
import { describe, expect, it } from "vitest";
import { abiFixture, specializeMutants } from "./abi/fixture.ts";
import { specializeModule } from "../../specializer/index.ts";

const tailCallModule = (edit?: (wat: string) => string) => abiFixture("tail-call", edit);

const expected = (n: number) => {
  let acc = 0;
  for (let k = 1; k <= n; k++) acc += k & 7;
  return acc * 2;
};

describe("tail calls in a specialized function", () => {
  it("stay tail calls, the one through its own slot a direct one, and run a million deep", async () => {
    const wasm = await tailCallModule();
    const ir: Record<string, string> = {};
    const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => (ir[file] = text) });
    const [stats] = r.requests;
    expect(stats.aborted).toBeUndefined();
    const specialized = ir["request9-specialized.ir"];
    expect(specialized).not.toMatch(/return_call_indirect/);
    expect(specialized.match(/^\s+return_call \d+ /gm)).toHaveLength(2);
    const stubs = { weval: { "push.context": () => {}, "specialize.value": (v: number) => v } };
    const generic = (await WebAssembly.instantiate(wasm as BufferSource, stubs)).instance.exports.run as (
      n: number,
    ) => number;
    const wevaled = (await WebAssembly.instantiate(r.wasm as BufferSource)).instance.exports.run as (
      n: number,
    ) => number;
    for (const n of [0, 1, 9, 1_000_000]) {
      expect(generic(n), `n = ${n}`).toBe(expected(n));
      expect(wevaled(n), `n = ${n}`).toBe(expected(n));
    }
  });

  it("aborts the request by name on a tail call of a weval intrinsic", async () => {
    const wasm = await tailCallModule((w) =>
      w.replace(
        "(return_call $finish (local.get $acc))",
        "(return_call $spec (local.get $acc) (i32.const 0) (i32.const 3))",
      ),
    );
    const r = await specializeModule(wasm, { verify: true });
    expect(r.requests[0].abortKind).toBe("unsupported-intrinsic");
    expect(r.requests[0].aborted).toMatch(/tail call \(return_call\) of weval\.specialize\.value/);
    expect(r.requests[0].tableIndex).toBe(0);
  });

  it("throws only UserErrors on the module with bytes mutated", async () => {
    const { other } = await specializeMutants(await tailCallModule(), 100);
    expect(other).toEqual([]);
  });
});
