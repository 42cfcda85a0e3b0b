// The inspect hook (what explorer/ draws from): each request's generic, specialized and cleaned IR, and where each
// specialized block came from — a context with a pc of the program and a block of the generic function.
import { describe, expect, it } from "vitest";
import { corpus, runCollect, wevaled } from "../helpers.ts";

describe("specializeModule's inspect hook", () => {
  it("hands over the three phases of sum's request, with a pc and a generic block for every specialized block", async () => {
    const p = corpus().find((x) => x.file.endsWith("sum.asm"))!;
    const phases: string[] = [];
    const blocks: number[] = [];
    const pcs = new Set<number>();
    let genericBlocks = 0;
    const built = await wevaled(p.bytes, {
      inspect: (req, phase, body, o) => {
        expect(req.args.find((a) => a.ty === "buffer")?.bytes).toBeDefined();
        phases.push(phase);
        const order = body.reversePostorder();
        blocks.push(order.length);
        if (phase === "generic") genericBlocks = body.blocks.length;
        if (phase !== "specialized") return;
        for (const b of order) {
          expect(o!.orig[b]).toBeGreaterThanOrEqual(0);
          expect(o!.orig[b]).toBeLessThan(genericBlocks);
          expect(o!.describe(o!.context[b])).toMatch(/^\[[\d, ]*\]$/);
          const pc = o!.pc(o!.context[b]);
          if (pc !== undefined) pcs.add(pc);
        }
      },
    });
    expect(phases).toEqual(["generic", "specialized", "cleaned"]);
    // Every instruction of the program has copies, in a context of its pc; cleanup leaves fewer blocks.
    expect([...pcs].sort((a, b) => a - b)).toEqual([...p.lineAt!.keys()].sort((a, b) => a - b));
    expect(blocks[2]).toBeLessThan(blocks[1]);
    expect(await runCollect(built.wasm, p.bytes)).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
  });
});
