// Wasm features: the specializer reads a module with the features it says it uses (its target_features section)
// plus SIMD, so SIMD outside the specialized function is fine (the C interpreter's tests cover clang -msimd128);
// a feature futamura cannot handle, or SIMD inside the function to specialize, is a one-line user error.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, moduleFeatures, projectFeatures } from "../../util/binaryen.ts";
import { UserError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { ByteWriter, joinSections, splitSections } from "../../util/wasm-binary.ts";

async function specializeValueModule(edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", "specialize-value.wat"), "utf8")));
  mod.setFeatures(projectFeatures(b) | b.Features.SIMD128);
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** `wasm` with a target_features section naming `features` as used. */
function withTargetFeatures(wasm: Uint8Array, features: string[]): Uint8Array {
  const w = new ByteWriter().vec("target_features").uleb(features.length);
  for (const f of features) w.u8("+".charCodeAt(0)).vec(f);
  return joinSections([...splitSections(wasm), { id: 0, payload: w.finish() }]);
}

describe("Wasm features", () => {
  it("takes the features a module names, and refuses the ones futamura cannot handle", async () => {
    const b = await loadBinaryen();
    expect(moduleFeatures(b, ["simd128", "bulk-memory", "relaxed-simd"]) & b.Features.RelaxedSIMD).toBeTruthy();
    expect(() => moduleFeatures(b, ["memory64"])).toThrow(UserError);
    const wasm = withTargetFeatures(await specializeValueModule(), ["sign-ext", "simd128", "gc"]);
    await expect(specializeModule(wasm)).rejects.toThrow(
      /^the module uses the Wasm feature 'gc' \(its target_features section says so\), which futamura does not support; supported: /,
    );
    const ok = await specializeModule(withTargetFeatures(await specializeValueModule(), ["sign-ext", "simd128"]));
    expect(ok.requests[0].aborted).toBeUndefined();
  });

  it("specializes a module with SIMD outside the specialized function, and names SIMD inside it", async () => {
    const simdElsewhere = await specializeValueModule((w) =>
      w.replace(
        '(func (export "run")',
        '(func (export "simd") (param i32) (result i32) (i32x4.extract_lane 0 (i32x4.splat (local.get 0))))\n  (func (export "run")',
      ),
    );
    const r = await specializeModule(simdElsewhere, { verify: true });
    expect(r.requests[0].aborted).toBeUndefined();
    const { instance } = await WebAssembly.instantiate(r.wasm as BufferSource);
    expect((instance.exports.run as (x: number) => number)(2)).toBe(122);
    expect((instance.exports.simd as (x: number) => number)(7)).toBe(7);
    const simdInside = await specializeValueModule((w) =>
      w.replace(
        "(i32.mul (local.get $r) (i32.const 1000))",
        "(i32.mul (i32x4.extract_lane 0 (i32x4.splat (local.get $r))) (i32.const 1000))",
      ),
    );
    await expect(specializeModule(simdInside)).rejects.toThrow(
      /^weval request 9: cannot read the generic function: function \S+ \(index \d+\): unsupported SIMD instruction \(prefix 0xfd\) at byte \d+$/,
    );
  });
});
