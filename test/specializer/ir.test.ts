// The IR: golden text for every function of the .wat corpus (bless with `npx vitest -u`), print → parse → print
// is the identity, the verifier accepts everything the frontend builds, unsupported instructions are named, and
// max-SSA keeps the IR valid.
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
