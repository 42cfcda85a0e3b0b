// weval's virtual operand stack and locals (push/pop/read/write/sync.stack, read/write.local) and
// read.specialization.global, on a hand-written module (abi/virtual-stack.wat): the specialized function keeps the
// entries in SSA values, cancels a popped entry's store, stores what a join drops on the path that had it, stores
// everything at sync.stack and on return, and reads the global as a constant. The expected results and memory are
// weval's semantics worked out by hand for each of the four paths.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { specializeModule } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";

async function fixture(edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = withFeatures(
    b,
    b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", "virtual-stack.wat"), "utf8"))),
  );
  try {
    expect(mod.validate()).toBeTruthy();
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

describe("the virtual stack and locals", () => {
  it("lifts entries to SSA values and stores them where weval does", async () => {
    const wasm = await fixture();
    const ir: Record<string, string> = {};
    const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => (ir[file] = text) });
    expect(r.requests[0].aborted).toBeUndefined();
    const cleaned = ir["request11-cleaned.ir"];
    expect(cleaned).not.toMatch(/call /); // every intrinsic is gone
    expect(cleaned).toMatch(/const 47\b/); // global 0 (42) + n (5) folded
    const { instance } = await WebAssembly.instantiate(r.wasm as BufferSource);
    const mem = new BigUint64Array((instance.exports.memory as WebAssembly.Memory).buffer);
    const call = instance.exports.call as (base: number) => bigint;
    const base = 4096 / 8;
    // [pop on one path, sync on the other] -> result, memory at +0, +8, +16 and local 0 (+64)
    const cases: [number, number, bigint, bigint[]][] = [
      [0, 0, 50_097n, [10n, 20n, 30n, 50n]], // depth 3 joins depth 2: the bottom entry is stored before the join
      [1, 0, 31_078n, [10n, 21n, 0n, 31n]], // the popped entry (30 at +16) is never stored
      [0, 1, 50_097n, [10n, 20n, 30n, 50n]], // sync.stack stores all; read.local then loads from memory
      [1, 1, 31_078n, [10n, 21n, 0n, 31n]],
    ];
    for (const [pop, sync, result, memory] of cases) {
      mem.fill(0n, base, base + 32);
      mem[base + 25] = BigInt(pop);
      mem[base + 26] = BigInt(sync);
      expect(call(4096), `pop ${pop}, sync ${sync}`).toBe(result);
      expect(
        [0, 1, 2, 8].map((i) => mem[base + i]),
        `pop ${pop}, sync ${sync}`,
      ).toEqual(memory);
    }
  });

  it("aborts the request at a fatal abort.specialization (weval's fatal = 1)", async () => {
    const fatal = await fixture((w) =>
      w.replace("(call $abort (i32.const 77) (i32.const 0))", "(call $abort (i32.const 77) (i32.const 1))"),
    );
    const r = await specializeModule(fatal);
    expect(r.requests[0].abortKind).toBe("interpreter-abort");
    expect(r.requests[0].aborted).toMatch(
      /^the interpreter called weval\.abort\.specialization \(line 77\) in block\d+ in context \[\]$/,
    );
  });
});
