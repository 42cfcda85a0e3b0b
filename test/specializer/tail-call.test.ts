// Tail calls (return_call, return_call_indirect) in a specialized function: the specializer reads them, keeps a tail
// call to a constant generic target a tail call, turns one through the request's slot into a direct tail call of the
// specialized function, and the result equals the generic function's on a loop a million tail calls deep; a tail
// call of a weval intrinsic aborts the request by name; a mutated module gives a result or a UserError, never a crash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, projectFeatures } from "../../util/binaryen.ts";
import { UserError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { prng } from "../fuzz/mutate.ts";

async function tailCallModule(edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", "tail-call.wat"), "utf8")));
  mod.setFeatures(projectFeatures(b) | b.Features.TailCall);
  try {
    if (!mod.validate()) throw new Error("tail-call.wat does not validate");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

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
    const wasm = await tailCallModule();
    const other: string[] = [];
    for (let seed = 0; seed < 100; seed++) {
      const random = prng(seed);
      const bytes = wasm.slice();
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        await specializeModule(bytes);
      } catch (e) {
        if (!(e instanceof UserError) || e.message.includes("\n"))
          other.push(`seed ${seed}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    expect(other).toEqual([]);
  });
});
