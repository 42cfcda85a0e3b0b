// Wasm → IR → Wasm: every function of the .wat corpus and of the interpreter, differential on the exported
// functions (same results, same memory afterwards), the output valid for binaryen and V8; and the round-tripped
// interpreter runs sum-to-100M.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { roundTripModule } from "../../specializer/ssa/roundtrip.ts";
import { corpus, runCollect } from "../helpers.ts";
import { wat, watCorpus } from "./wat.ts";

const SAMPLE_ARGS: Record<string, (number | bigint)[]> = {
  i32: [0, 1, 7, -1, 0x7fffffff, -0x80000000, 12345],
  i64: [0n, 1n, -1n, 63n, 1n << 62n],
  f32: [0, -0, 1.5, -2.75, NaN, Infinity],
  f64: [0, -0, 2.5, -1e300, NaN, -Infinity],
};

const SMALL_COUNTS = [0, 1, 2, 7, 12, 100];

async function exercise(wasm: Uint8Array) {
  const log: number[] = [];
  const { instance } = await WebAssembly.instantiate(wasm as BufferSource, {
    env: { log: (x: number) => log.push(x) },
  });
  const mod = new WebAssembly.Module(wasm as BufferSource);
  const results: Record<string, unknown[]> = {};
  for (const e of WebAssembly.Module.exports(mod)) {
    const fn = instance.exports[e.name];
    if (typeof fn !== "function") continue;
    const out: unknown[] = [];
    // Call with each sample value in every parameter position of the parameter's type.
    const params = (fn as { length: number }).length;
    for (let k = 0; k < 6; k++) {
      const args = Array.from({ length: params }, (_, i) => {
        // Loops count down their argument: give them small counts.
        const pool = e.name.startsWith("f")
          ? SAMPLE_ARGS.f64
          : e.name.startsWith("i64")
            ? SAMPLE_ARGS.i64
            : e.name.startsWith("loop")
              ? SMALL_COUNTS
              : SAMPLE_ARGS.i32;
        return pool[(k + i) % pool.length];
      });
      try {
        const r = (fn as (...a: unknown[]) => unknown)(...args);
        out.push(typeof r === "number" && Number.isNaN(r) ? "NaN" : r);
      } catch (err) {
        out.push(`trap: ${(err as Error).message}`);
      }
    }
    results[e.name] = out;
  }
  const memory = instance.exports.memory as WebAssembly.Memory | undefined;
  return { results, log, memory: memory ? new Uint8Array(memory.buffer).slice() : undefined };
}

describe("round trip through the IR", () => {
  it.each(watCorpus())("%s behaves the same", async (file) => {
    const original = await wat(file);
    for (const optimize of [false, true]) {
      const rt = await roundTripModule(original, { verify: true, optimize });
      expect(WebAssembly.validate(rt as BufferSource)).toBe(true);
      // i64 params need BigInt arguments: only modules whose exports take i32/f64 are called with numbers.
      if (file === "integer.wat") continue;
      expect(await exercise(rt)).toEqual(await exercise(original));
    }
  });

  it("integer.wat's i32 functions give the same results", async () => {
    const original = await wat("integer.wat");
    const rt = await roundTripModule(original, { verify: true });
    const a = (await WebAssembly.instantiate(original as BufferSource)).instance.exports as Record<
      string,
      (...x: unknown[]) => unknown
    >;
    const b = (await WebAssembly.instantiate(rt as BufferSource)).instance.exports as Record<
      string,
      (...x: unknown[]) => unknown
    >;
    for (const x of SAMPLE_ARGS.i32 as number[])
      for (const y of SAMPLE_ARGS.i32 as number[]) {
        expect(b.i32ops(x, y)).toBe(a.i32ops(x, y));
        expect(b.i32cmp(x, y)).toBe(a.i32cmp(x, y));
        expect(b.divs(x, y)).toBe(a.divs(x, y));
        expect(b.sext(x)).toBe(a.sext(x));
        expect(b.i32bits(x)).toBe(a.i32bits(x));
      }
    for (const x of SAMPLE_ARGS.i64 as bigint[])
      for (const y of SAMPLE_ARGS.i64 as bigint[]) expect(b.i64ops(x, y)).toBe(a.i64ops(x, y));
  });

  it("tail calls stay tail calls: a million-deep return_call loop and return_call_indirect recursion run", async () => {
    const original = await wat("tail-calls.wat");
    const exportsOf = async (wasm: Uint8Array) =>
      (await WebAssembly.instantiate(wasm as BufferSource, { env: { log: () => {} } })).instance.exports as Record<
        string,
        (...x: number[]) => number
      >;
    const o = await exportsOf(original);
    for (const optimize of [false, true]) {
      const e = await exportsOf(await roundTripModule(original, { verify: true, optimize }));
      expect(e.loop_count(1_000_000, 0)).toBe(3_000_000);
      for (const n of [0, 1, 2, 999_999, 1_000_000]) expect(e.loop_parity(n)).toBe(o.loop_parity(n));
      expect(e.loop_nested(9)).toBe(24); // count(5, 9)
      expect(e.loop_nested(3)).toBe(3);
    }
  });

  it("the round-tripped interpreter runs every program, sum-to-100M included", async () => {
    const interp = (await buildInterpreter("toy")).wasm;
    const rt = await roundTripModule(interp, { verify: true, optimize: true });
    for (const p of corpus())
      expect(await runCollect(rt, p.bytes), p.file).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
  });
});
