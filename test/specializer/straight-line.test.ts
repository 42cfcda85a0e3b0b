// Straight lines while specializing (weval/specialize.ts, `straightInto`): a block copy entered from one processing
// alone continues in that processing's IR block, so straight-line bytecode becomes one block as it is specialized;
// a copy that a later edge enters too (a loop header reached before its back edge) gets a block of its own and the
// processing that had continued into it is done again. The inspect hook sees the same blocks, with their copies. Checked
// by block counts and by running the output against the snapshot.
import { describe, expect, it } from "vitest";
import { assemble } from "../../bytecode/index.ts";
import { runOutcome } from "../../pipeline/differential.ts";
import { wevaled } from "../helpers.ts";

const straight = (n: number) =>
  ".locals 2\n" +
  "        LOAD_IMMEDIATE 7\n        STORE_LOCAL 0\n        ADD 0, 0\n".repeat(n) +
  "        PRINTI\n        HALT\n";

describe("straight lines while specializing", () => {
  it("straight-line bytecode is one specialized block, not a few per instruction", async () => {
    const bytes = assemble(straight(100), "straight.asm").bytes;
    const built = await wevaled(bytes);
    const [req] = built.specialize!.requests;
    expect(req.aborted).toBeUndefined();
    expect(req.contexts).toBeGreaterThan(300);
    expect(req.blocks).toBeLessThan(10);
    expect(await runOutcome(built.wasm, bytes)).toEqual(await runOutcome(built.snapshot, bytes));
  });

  it("with the inspect hook, the same blocks, each recording every copy it holds", async () => {
    const bytes = assemble(straight(100), "straight.asm").bytes;
    let copies = 0;
    const built = await wevaled(bytes, {
      inspect: (_req, phase, body, o) => {
        if (phase === "specialized") for (const b of body.reversePostorder()) copies += o!.copies(b).length;
      },
    });
    const [req] = built.specialize!.requests;
    expect(req.blocks).toBeLessThan(10);
    expect(copies).toBeGreaterThan(3 * 300);
    expect(await runOutcome(built.wasm, bytes)).toEqual(await runOutcome(built.snapshot, bytes));
  });

  it("a loop header reached in a straight line before its back edge gets a block of its own", async () => {
    // Straight code, then a counted loop whose header the straight line reaches first, then straight code again.
    const source = [
      ".locals 2",
      ...Array(20).fill("        LOAD_IMMEDIATE 3\n        STORE_LOCAL 0"),
      "        LOAD_IMMEDIATE 5",
      "        STORE_LOCAL 1",
      "loop:",
      "        ADD 0, 1",
      "        STORE_LOCAL 0",
      "        LOAD_LOCAL 1",
      "        DEC",
      "        STORE_LOCAL 1",
      "        JMPNZ loop",
      ...Array(20).fill("        ADD 0, 0\n        STORE_LOCAL 0"),
      "        LOAD_LOCAL 0",
      "        PRINTI",
      "        HALT",
    ].join("\n");
    const bytes = assemble(source + "\n", "loop.asm").bytes;
    const built = await wevaled(bytes);
    const [req] = built.specialize!.requests;
    expect(req.aborted).toBeUndefined();
    // The loop header has a block (entered from before the loop and from the back edge); the rest runs straight.
    expect(req.blocks).toBeGreaterThanOrEqual(2);
    expect(req.blocks).toBeLessThan(10);
    const interpreted = await runOutcome(built.snapshot, bytes);
    expect(interpreted.stdout).toBe(String((3 + 15) * 2 ** 20));
    expect(await runOutcome(built.wasm, bytes)).toEqual(interpreted);
  });

  it("a request over the block limit counts the copies continued into, not only the blocks", async () => {
    const bytes = assemble(straight(100), "straight.asm").bytes;
    const built = await wevaled(bytes, { limits: { maxBlocks: 50 } });
    expect(built.specialize!.requests[0].abortKind).toBe("max-blocks");
    expect(await runOutcome(built.wasm, bytes)).toEqual(await runOutcome(built.snapshot, bytes));
  });
});
