// The abort path: a request that hits a limit, or whose pc is not constant, is not specialized — its slot stays 0,
// the interpreter runs, the output is unchanged, and the reason is reported.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";
import { corpus, runCollect, wevaled } from "../helpers.ts";

describe("aborted requests", () => {
  it("a request over the context limit runs interpreted, with the same output, and says why", async () => {
    const p = corpus().find((x) => x.file.endsWith("fib.asm"))!;
    const built = await wevaled(p.bytes, { limits: { maxContexts: 4 } });
    const [stats] = built.specialize!.requests;
    expect(stats.abortKind).toBe("max-contexts");
    expect(stats.aborted).toBeTruthy();
    expect(stats.tableIndex).toBe(0);
    expect(await runCollect(built.wasm, p.bytes)).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
  });

  it("a request over the block limit aborts too", async () => {
    const p = corpus().find((x) => x.file.endsWith("nested.asm"))!;
    const built = await wevaled(p.bytes, { limits: { maxBlocks: 10 } });
    expect(built.specialize!.requests[0].abortKind).toBe("max-blocks");
    expect(await runCollect(built.wasm, p.bytes)).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
  });

  it("a pc that is not constant is reported with the function and location, on a module not made by AssemblyScript", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(
      b,
      b.parseText(readFileSync(join(ROOT, "test", "specializer", "abi", "runtime-pc.wat"), "utf8")),
    );
    const wasm = mod.emitBinary();
    mod.dispose();
    const r = await specializeModule(wasm);
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].userId).toBe(7);
    expect(r.requests[0].abortKind).toBe("runtime-pc");
    // The reason names the function and the location, and the cause.
    expect(r.requests[0].aborted).toMatch(
      /weval\.update\.context in \$\d+, block\d+ in context \[\]: the pc is not a constant \(runtime \(parameter 0 is a run-time argument\)\)/,
    );
    const { instance } = await WebAssembly.instantiate(r.wasm as BufferSource);
    expect((instance.exports.run as (x: number) => number)(5)).toBe(15);
    const mem = new DataView((instance.exports.memory as WebAssembly.Memory).buffer);
    expect(mem.getUint32(24, true)).toBe(0); // slot untouched
    expect(mem.getUint32(16, true)).toBe(0); // request unlinked
    expect(mem.getUint8(20)).toBe(1); // wevaled
  });
});
