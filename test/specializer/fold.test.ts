// The constant folder: exact Wasm semantics for every family, and what it must leave unfolded. A golden table of
// results (bless with `npx vitest -u`) covers every numeric operator on edge-case operands.
import { describe, expect, it } from "vitest";
import { absorb, absorbs, fold, isNeutral, onSameOperands } from "../../specializer/ssa/fold.ts";
import {
  f32FromNumber,
  f64FromNumber,
  formatConst,
  i32,
  i64,
  type Const,
  type ValType,
} from "../../specializer/ssa/types.ts";
import { ALL_TABLE_OPS, OPS_BY_NAME } from "../../specializer/ssa/wasm-ops.ts";

const f32 = (x: number) => f32FromNumber(x);
const f64 = (x: number) => f64FromNumber(x);

describe("constant folder", () => {
  it.each<[string, Const[], Const | undefined]>([
    ["i32.add", [i32(0x7fffffff), i32(1)], i32(0x80000000)],
    ["i32.mul", [i32(0x10000), i32(0x10000)], i32(0)],
    ["i32.shl", [i32(1), i32(33)], i32(2)],
    ["i32.shr_s", [i32(0x80000000), i32(31)], i32(0xffffffff)],
    ["i32.rotl", [i32(0x80000001), i32(1)], i32(3)],
    ["i32.div_s", [i32(0x80000000), i32(0xffffffff)], undefined],
    ["i32.div_u", [i32(5), i32(0)], undefined],
    ["i32.rem_s", [i32(0x80000000), i32(0xffffffff)], i32(0)],
    ["i32.rem_s", [i32(-7), i32(2)], i32(-1)],
    ["i32.clz", [i32(0)], i32(32)],
    ["i32.ctz", [i32(0x80000000)], i32(31)],
    ["i64.add", [i64(-1n), i64(1n)], i64(0n)],
    ["i64.shl", [i64(1n), i64(65n)], i64(2n)],
    ["i64.div_s", [i64(-(1n << 63n)), i64(-1n)], undefined],
    ["i64.rem_u", [i64(10n), i64(3n)], i64(1n)],
    ["i64.clz", [i64(1n)], i64(63n)],
    ["i64.popcnt", [i64(-1n)], i64(64n)],
    ["i64.lt_s", [i64(-1n), i64(0n)], i32(1)],
    ["i64.lt_u", [i64(-1n), i64(0n)], i32(0)],
    ["i32.wrap_i64", [i64(0x1_0000_0005n)], i32(5)],
    ["i64.extend_i32_s", [i32(-2)], i64(-2n)],
    ["i32.extend8_s", [i32(0x80)], i32(-128)],
    ["f64.add", [f64(0.1), f64(0.2)], f64(0.1 + 0.2)],
    ["f32.add", [f32(0.1), f32(0.2)], f32(Math.fround(Math.fround(0.1) + Math.fround(0.2)))],
    ["f64.div", [f64(0), f64(0)], undefined],
    ["f64.min", [f64(0), f64(-0)], f64(-0)],
    ["f64.nearest", [f64(2.5)], f64(2)],
    ["f64.nearest", [f64(-3.5)], f64(-4)],
    ["f32.nearest", [f32(-0.5)], f32(-0)],
    ["f64.neg", [{ type: "f64", bits: 0x7ff8000000000001n }], { type: "f64", bits: 0xfff8000000000001n }],
    ["f32.copysign", [{ type: "f32", bits: 0x7fc00001 }, f32(-1)], { type: "f32", bits: 0xffc00001 }],
    ["i32.trunc_f64_s", [f64(-2147483648.9)], i32(-2147483648)],
    ["i32.trunc_f64_s", [f64(2147483648)], undefined],
    ["i32.trunc_f64_u", [f64(NaN)], undefined],
    ["i32.trunc_sat_f64_s", [f64(1e20)], i32(0x7fffffff)],
    ["i32.trunc_sat_f64_u", [f64(-5)], i32(0)],
    ["i64.trunc_sat_f64_s", [f64(NaN)], i64(0n)],
    ["i64.trunc_f64_u", [f64(1.8446744073709552e19)], undefined],
    ["f32.convert_i64_u", [i64(-1n)], undefined],
    ["f64.convert_i64_u", [i64(-1n)], f64(18446744073709551615)],
    ["f64.eq", [f64(NaN), f64(NaN)], i32(0)],
    ["f64.ne", [f64(NaN), f64(NaN)], i32(1)],
    ["i64.reinterpret_f64", [f64(-0)], i64(1n << 63n)],
    ["f32.demote_f64", [f64(NaN)], undefined],
  ])("%s #%#", (op, args, expected) => {
    expect(fold(op, args)).toEqual(expected);
  });

  it("refuses operands of the wrong type and non-numeric operators", () => {
    expect(fold("i32.add", [i64(1n), i32(1)])).toBeUndefined();
    expect(fold("i32.load", [i32(0)])).toBeUndefined();
  });

  it("agrees with V8 on every numeric operator wherever it folds", async () => {
    const { loadBinaryen } = await import("../../util/binaryen.ts");
    const b = await loadBinaryen();
    const ops = ALL_TABLE_OPS.filter((o) => o.cls === "numeric");
    const text = `(module ${ops.map((o, i) => `(func (export "f${i}") ${o.params.map((t) => `(param ${t})`).join(" ")} (result ${o.results[0]}) (${o.name} ${o.params.map((_, k) => `(local.get ${k})`).join(" ")}))`).join("\n")})`;
    const mod = b.parseText(text);
    mod.setFeatures(b.Features.All);
    const { instance } = await WebAssembly.instantiate(mod.emitBinary() as BufferSource);
    mod.dispose();
    const toJs = (c: Const): number | bigint =>
      c.type === "i32"
        ? c.bits | 0
        : c.type === "i64"
          ? BigInt.asIntN(64, c.bits)
          : c.type === "f32"
            ? new Float32Array(new Uint32Array([c.bits]).buffer)[0]
            : new Float64Array(new BigUint64Array([c.bits]).buffer)[0];
    const fromJs = (t: ValType, x: number | bigint): Const =>
      t === "i32"
        ? i32(x as number)
        : t === "i64"
          ? i64(x as bigint)
          : t === "f32"
            ? f32(x as number)
            : f64(x as number);
    const samples: Record<ValType, Const[]> = {
      i32: [i32(0), i32(1), i32(-1), i32(0x80000000), i32(12345), i32(31), i32(-7)],
      i64: [i64(0n), i64(1n), i64(-1n), i64(1n << 63n), i64(0x123456789n), i64(63n), i64(-7n)],
      f32: [f32(0), f32(-0), f32(1.5), f32(-2.5), f32(Infinity), f32(3e9), f32(-0.75)],
      f64: [f64(0), f64(-0), f64(2.5), f64(-3.5), f64(1e300), f64(-Infinity), f64(4294967295.5), f64(-9.3e18)],
    };
    let checked = 0;
    ops.forEach((o, i) => {
      const fn = instance.exports[`f${i}`] as (...a: (number | bigint)[]) => number | bigint;
      const combos =
        o.params.length === 1
          ? samples[o.params[0]].map((a) => [a])
          : samples[o.params[0]].flatMap((a) => samples[o.params[1]].map((c) => [a, c]));
      for (const args of combos) {
        const folded = fold(o.name, args);
        if (!folded) continue;
        const engine = fromJs(o.results[0], fn(...args.map(toJs)));
        expect(formatConst(folded), `${o.name}(${args.map(formatConst)})`).toBe(formatConst(engine));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(3000);
  });

  it("matches the golden table over every numeric operator", async () => {
    const samples: Record<ValType, Const[]> = {
      i32: [i32(0), i32(1), i32(-1), i32(0x80000000), i32(12345)],
      i64: [i64(0n), i64(1n), i64(-1n), i64(1n << 63n), i64(0x123456789n)],
      f32: [f32(0), f32(-0), f32(1.5), f32(-2.5), f32(Infinity), { type: "f32", bits: 0x7fc00000 }],
      f64: [f64(0), f64(-0), f64(1.5), f64(-2.5), f64(1e300), f64(-Infinity)],
    };
    const lines: string[] = [];
    for (const op of ALL_TABLE_OPS.filter((o) => o.cls === "numeric")) {
      const [p0, p1] = op.params;
      const firsts = samples[p0];
      const pairs = p1
        ? firsts.flatMap((a, i) => [
            [a, samples[p1][i % samples[p1].length]],
            [a, samples[p1][(i + 2) % samples[p1].length]],
          ])
        : firsts.map((a) => [a]);
      const results = pairs.map((args) => {
        const r = fold(op.name, args);
        return `${args.map(formatConst).join(",")}=>${r ? formatConst(r) : "_"}`;
      });
      lines.push(`${op.name}: ${results.join("  ")}`);
    }
    await expect(lines.join("\n") + "\n").toMatchFileSnapshot("golden/fold.txt");
  });
});

describe("identities with one constant operand", () => {
  // Every binary integer operator, every operand position, every special constant, against fold on many others.
  const binary = [...OPS_BY_NAME.values()].filter(
    (o) =>
      o.cls === "numeric" && o.params.length === 2 && o.params[0] === o.params[1] && /^i(32|64)$/.test(o.params[0]),
  );
  const samples = (t: ValType): Const[] =>
    t === "i32"
      ? [0, 1, 2, 3, 31, 32, 33, 63, 64, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x12345678].map(i32)
      : [0n, 1n, 2n, 31n, 32n, 63n, 64n, 65n, (1n << 63n) - 1n, 1n << 63n, -2n, -1n, 0x123456789abcdefn].map(i64);
  const same = (a: Const | undefined, b: Const | undefined) => a?.type === b?.type && a?.bits === b?.bits;

  it("absorb and isNeutral agree with fold whatever the other operand, and never hide a trap", () => {
    let absorbing = 0;
    let neutral = 0;
    const absorbingOps = new Set<string>();
    for (const o of binary) {
      const xs = samples(o.params[0]);
      for (const c of xs) {
        for (const i of [0, 1]) {
          const r = absorb(o.name, i, c);
          if (r) absorbingOps.add(o.name);
          const n = isNeutral(o.name, i, c);
          expect(r === undefined || !n).toBe(true);
          for (const x of xs) {
            const got = fold(o.name, i === 0 ? [c, x] : [x, c]);
            if (r) expect(same(got, r), `${o.name} ${i} ${formatConst(c)} on ${formatConst(x)}`).toBe(true);
            if (n) expect(same(got, x), `${o.name} ${i} ${formatConst(c)} on ${formatConst(x)}`).toBe(true);
          }
          if (r) absorbing++;
          if (n) neutral++;
        }
      }
      const eq = onSameOperands(o.name);
      if (eq) for (const x of xs) expect(same(fold(o.name, [x, x]), eq), `${o.name} x x`).toBe(true);
    }
    expect([absorbing, neutral]).toEqual([50, 61]);
    // absorbs() names exactly the operators with some absorbing operand.
    expect(binary.filter((o) => absorbs(o.name)).map((o) => o.name)).toEqual([...absorbingOps]);
  });

  it("leaves floats and division by a constant that may be 0 alone", () => {
    expect(absorb("f64.mul", 1, f64(0))).toBeUndefined();
    expect(isNeutral("f64.add", 1, f64(0))).toBe(false);
    expect(absorb("i32.div_u", 0, i32(0))).toBeUndefined();
    expect(absorb("i32.div_s", 0, i32(0))).toBeUndefined();
    expect(onSameOperands("f64.eq")).toBeUndefined();
    expect(onSameOperands("i32.div_u")).toBeUndefined();
  });
});
