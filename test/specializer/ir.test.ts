// The IR: golden text for every function of the .wat corpus (bless with `npx vitest -u`), print → parse → print
// is the identity, the verifier accepts everything the frontend builds, unsupported instructions are named, and
// max-SSA keeps the IR valid; dead code's immediates are decoded like live code's.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { buildFunctionIR } from "../../specializer/ssa/frontend.ts";
import { toMaxSSA } from "../../specializer/ssa/max-ssa.ts";
import { decodeModule, WasmDecodeError } from "../../specializer/ssa/module.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { printFunction } from "../../specializer/ssa/print.ts";
import { verifyFunction } from "../../specializer/ssa/verify.ts";
import { wat, watCorpus } from "./wat.ts";

/** Build a function's IR and check it: verified, print → parse → print the identity, still valid as max-SSA. */
function checkedIR(info: ReturnType<typeof decodeModule>, index: number): string {
  const ir = buildFunctionIR(info, index);
  verifyFunction(ir);
  const printed = printFunction(ir);
  expect(printFunction(parseFunction(printed))).toBe(printed);
  toMaxSSA(ir);
  verifyFunction(ir);
  return printed;
}

describe("frontend golden IR", () => {
  it.each(watCorpus())("%s", async (file) => {
    const info = decodeModule(await wat(file));
    const text = info.functions
      .filter((f) => !f.import)
      .map((f) => checkedIR(info, f.index))
      .join("\n");
    await expect(text).toMatchFileSnapshot(`golden/${file.replace(/\.wat$/, ".ir")}`);
  });
});

describe("frontend on the interpreter", () => {
  it("builds, verifies, parses back and converts to max-SSA every function of the toy interpreter", async () => {
    const info = decodeModule((await buildInterpreter("toy")).wasm);
    for (const f of info.functions.filter((x) => !x.import)) checkedIR(info, f.index);
  });

  it("decodes every immediate layout in dead code and translates none of it", () => {
    // Each instruction after `unreachable`, with its immediates; a misread immediate desynchronizes the decoding.
    const dead = [
      [0x0c, 0x00], // br 0
      [0x0d, 0x00], // br_if 0
      [0x0e, 0x02, 0x00, 0x00, 0x00], // br_table 0 0 (default 0)
      [0x10, 0x00], // call 0
      [0x11, 0x00, 0x00], // call_indirect type 0, table 0
      [0x1c, 0x01, 0x7f], // select (result i32)
      [0x20, 0x00, 0x21, 0x00, 0x22, 0x00], // local.get/set/tee 0
      [0x23, 0x00, 0x24, 0x00], // global.get/set 0
      [0x3f, 0x00, 0x40, 0x00], // memory.size, memory.grow
      [0x41, 0x80, 0x01], // i32.const 128
      [0x42, 0xff, 0xff, 0xff, 0xff, 0x0f], // i64.const
      [0x43, 1, 2, 3, 4], // f32.const
      [0x44, 1, 2, 3, 4, 5, 6, 7, 8], // f64.const
      [0x28, 0x02, 0x90, 0x01], // i32.load align=4 offset=144
      [0x36, 0x02, 0x00], // i32.store
      [0xfc, 0x00], // i32.trunc_sat_f32_s
      [0xfc, 0x08, 0x00, 0x00, 0xfc, 0x09, 0x00, 0xfc, 0x0a, 0x00, 0x00, 0xfc, 0x0b, 0x00], // bulk memory
      [0x1a, 0x1b, 0x01, 0x0f], // drop, select, nop, return
      [0x02, 0x40, 0x6a, 0x0b], // block (i32.add) end
    ].flat();
    const body = (code: number[]) => [0x01, 0x01, 0x7f, 0x00, ...code, 0x0b]; // one i32 local, unreachable, …, end
    const moduleOf = (bodies: number[][]) =>
      decodeModule(
        new Uint8Array([
          ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
          ...[0x01, 0x04, 0x01, 0x60, 0x00, 0x00], // type 0: [] -> []
          ...[0x03, 1 + bodies.length, bodies.length, ...bodies.map(() => 0x00)], // functions of type 0
          ...[0x05, 0x03, 0x01, 0x00, 0x01], // one memory
          ...[0x0a, 1 + bodies.reduce((n, b) => n + 1 + b.length, 0), bodies.length],
          ...bodies.flatMap((b) => [b.length, ...b]),
        ]),
      );
    const info = moduleOf([body(dead), body([])]);
    const unnamed = (i: number) => checkedIR(info, i).replace(info.functions[i].name, "f");
    expect(unnamed(0)).toBe(unnamed(1));
    // Dead 0xfc 12 (table.init) cannot be decoded: the error names it as in live code.
    expect(() => buildFunctionIR(moduleOf([body([0xfc, 0x0c, 0x00, 0x00])]), 0)).toThrow(
      /unsupported instruction 0xfc 12 \(table\/reference-type operations\) at byte \d+/,
    );
  });

  it("names the function and opcode of an unsupported instruction", async () => {
    const { loadBinaryen } = await import("../../util/binaryen.ts");
    const b = await loadBinaryen();
    const info = decodeModule(await wat("simd.wat", b.Features.SIMD128));
    expect(() => buildFunctionIR(info, 0)).toThrow(WasmDecodeError);
    expect(() => buildFunctionIR(info, 0)).toThrow(
      /function vec \(index 0\): unsupported SIMD instruction \(prefix 0xfd\) at byte \d+/,
    );
  });
});
