// The main correctness check: every program in bytecode/programs, interpreted vs wevaled (snapshot + specialize,
// fully optimized), must print the same and halt with the same accumulator; and every emitted module validates.
import { describe, expect, it } from "vitest";
import { corpus, runCollect, wevaled } from "../helpers.ts";

describe("interpreted vs wevaled on the program corpus", () => {
  it.each(corpus().map((p) => [p.file.split("/").pop()!, p] as const))("%s", async (_name, p) => {
    const built = await wevaled(p.bytes);
    expect(WebAssembly.validate(built.wasm as BufferSource)).toBe(true);
    const stats = built.specialize!.requests;
    expect(stats).toHaveLength(1);
    expect(stats[0].aborted).toBeUndefined();
    expect(stats[0].tableIndex).toBeGreaterThan(0);
    const interpreted = await runCollect(built.snapshot, p.bytes);
    const compiled = await runCollect(built.wasm, p.bytes);
    expect(interpreted).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
    expect(compiled).toEqual(interpreted);
  });

  it("removes the weval imports and sets weval.is.wevaled", async () => {
    const p = corpus().find((x) => x.file.endsWith("fib.asm"))!;
    const built = await wevaled(p.bytes);
    const mod = new WebAssembly.Module(built.wasm as BufferSource);
    expect(WebAssembly.Module.imports(mod).filter((i) => i.module === "weval")).toEqual([]);
    const { InterpreterHost, BufferedOutput, instantiate } = await import("../../interp/host.ts");
    const inst = await instantiate(mod, new InterpreterHost(p.bytes, new BufferedOutput()));
    const flag = (inst.exports["weval.is.wevaled"] as () => number)();
    const head = (inst.exports["weval.pending.head"] as () => number)();
    const mem = new DataView((inst.exports.memory as WebAssembly.Memory).buffer);
    expect(mem.getUint8(flag)).toBe(1);
    expect(mem.getUint32(head, true)).toBe(0);
  });
});
