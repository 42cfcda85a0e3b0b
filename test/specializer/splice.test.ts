// The output written at the byte level (specializer/splice.ts, optimize-apart.ts): the specialized functions come out
// of their small modules byte for byte as the whole-module rewrite through binaryen made them (inlined leaves and
// forwarded globals included), the interpreter's functions are the snapshot's but for the call indices the dropped
// weval imports shift, and how the functions are grouped into small modules changes no byte.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { decodeModule, type WasmModuleInfo } from "../../specializer/ssa/module.ts";
import { intrinsicsOf } from "../../specializer/weval/intrinsics.ts";
import { OutputSpace } from "../../specializer/splice.ts";
import { reindexBody } from "../../util/wasm-code.ts";

/** The bodies of the functions in table 0 from `base` on, with type indices named by signature (binaryen orders a
 *  module's types its own way). */
function specializedBodies(wasm: Uint8Array, base: number): Buffer[] {
  const info = decodeModule(wasm);
  const keys = info.types.map((t) => `${t.params}->${t.results}`);
  const sorted = [...new Set(keys)].sort();
  const out: Buffer[] = [];
  for (let i = base; info.table0.has(i); i++) {
    const f = info.functions[info.table0.get(i)!];
    out.push(Buffer.from(reindexBody(wasm, f.body!.start, f.body!.end, { type: (t) => sorted.indexOf(keys[t]) })));
  }
  return out;
}

async function build(file: string, opts: Record<string, unknown> = {}) {
  const interp = (await buildInterpreter("fern")).wasm;
  const program = await loadProgram(builtinManifest("fern"), file);
  return buildProgram(interp, program, { cache: false, threads: 1, ...opts });
}

describe("splicing the specialized functions into the snapshot's bytes", () => {
  for (const name of ["calls", "nbody"])
    it(`${name}.fern: the specialized code is the whole-module rewrite's, byte for byte`, async () => {
      const spliced = await build(`lang/bench/${name}.fern`);
      const whole = await build(`lang/bench/${name}.fern`, { noSplice: true });
      const base = decodeModule(spliced.snapshot).tables[0].initial;
      const a = specializedBodies(spliced.wasm, base);
      expect(a.length).toBeGreaterThan(1);
      expect(a).toEqual(specializedBodies(whole.wasm, base));
      if (name === "calls") expect(spliced.specialize!.requests.some((r) => r.inlined)).toBe(true);
    }, 120_000);

  it("keeps the interpreter's code but for shifted call indices, and drops the weval imports", async () => {
    const r = await build("lang/bench/sum.fern");
    const snap: WasmModuleInfo = decodeModule(r.snapshot);
    const out = decodeModule(r.wasm);
    const intrinsics = intrinsicsOf(snap);
    expect(intrinsics.size).toBeGreaterThan(0);
    expect(out.functions.some((f) => f.import?.module === "weval")).toBe(false);
    const space = new OutputSpace(snap, intrinsics, 1);
    for (const f of snap.functions) {
      if (!f.body) continue;
      const g = out.functions[space.func(f.index)];
      const kept = Buffer.from(r.wasm.subarray(g.body!.start, g.body!.end));
      expect(kept.equals(Buffer.from(reindexBody(r.snapshot, f.body.start, f.body.end, { func: space.func })))).toBe(
        true,
      );
    }
    // The stubs come last, one per intrinsic.
    expect(out.functions.length).toBe(snap.functions.length + 1);
  }, 120_000);

  it("grouping the functions into small modules changes no byte (each alone, or together)", async () => {
    const together = await build("lang/bench/calls.fern");
    const alone = await build("lang/bench/calls.fern", { groupValues: 1 });
    expect(Buffer.from(alone.wasm).equals(Buffer.from(together.wasm))).toBe(true);
  }, 120_000);
});

describe("reindexBody", () => {
  it("copies every body of an interpreter unchanged under identity maps, and rewrites call indices", async () => {
    const wasm = (await buildInterpreter("fern")).wasm;
    const info = decodeModule(wasm);
    let calls = 0;
    for (const f of info.functions) {
      if (!f.body) continue;
      const same = reindexBody(wasm, f.body.start, f.body.end, { func: (i) => i, type: (i) => i, global: (i) => i });
      expect(Buffer.from(same).equals(Buffer.from(wasm.subarray(f.body.start, f.body.end)))).toBe(true);
      const shifted = reindexBody(wasm, f.body.start, f.body.end, {
        func: (i) => {
          calls++;
          return i + 200;
        },
      });
      if (shifted.length !== f.body.end - f.body.start)
        expect(shifted.length).toBeGreaterThan(f.body.end - f.body.start);
    }
    expect(calls).toBeGreaterThan(0);
  });
});
