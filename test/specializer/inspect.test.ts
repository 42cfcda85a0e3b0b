// The inspect hook (what explorer/ draws from): each request's generic, specialized and cleaned IR, and where each
// specialized block came from — every (context, generic block) copy it holds, with a pc of the program and a block
// of the generic function. The hook observes: the module built with it is byte-identical to the one built without.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { manifestForFile } from "../../interp/manifest.ts";
import { buildProgram } from "../../pipeline/build.ts";
import { loadProgram } from "../../pipeline/program.ts";
import { specializeModule } from "../../specializer/index.ts";
import { ROOT } from "../../util/root.ts";
import { corpus, runCollect, wevaled } from "../helpers.ts";

describe("specializeModule's inspect hook", () => {
  it("hands over the three phases of sum's request, with a pc and a generic block for every copy", async () => {
    const p = corpus().find((x) => x.file.endsWith("sum.asm"))!;
    const phases: string[] = [];
    const blocks: number[] = [];
    const pcs = new Set<number>();
    let genericBlocks = 0;
    let straight = 0;
    const built = await wevaled(p.bytes, {
      inspect: (req, phase, body, o) => {
        expect(req.args.find((a) => a.ty === "buffer")?.bytes).toBeDefined();
        phases.push(phase);
        const order = body.reversePostorder();
        blocks.push(order.length);
        if (phase === "generic") genericBlocks = body.blocks.length;
        if (phase !== "specialized") return;
        for (const b of order) {
          const copies = o!.copies(b);
          expect(copies[0]).toEqual({ context: o!.context[b], orig: o!.orig[b], firstInst: 0 });
          straight += copies.length - 1;
          let last = 0;
          for (const c of copies) {
            expect(c.orig).toBeGreaterThanOrEqual(0);
            expect(c.orig).toBeLessThan(genericBlocks);
            expect(o!.describe(c.context)).toMatch(/^\[[\d, ]*\]$/);
            expect(c.firstInst).toBeGreaterThanOrEqual(last);
            expect(c.firstInst).toBeLessThanOrEqual(body.blocks[b].insts.length);
            last = c.firstInst;
            const pc = o!.pc(c.context);
            if (pc !== undefined) pcs.add(pc);
          }
        }
      },
    });
    expect(phases).toEqual(["generic", "specialized", "cleaned"]);
    // Every instruction of the program has copies, in a context of its pc, most of them continued into in a
    // straight line; cleanup leaves fewer blocks.
    expect([...pcs].sort((a, b) => a - b)).toEqual([...p.lineAt!.keys()].sort((a, b) => a - b));
    expect(straight).toBeGreaterThan(blocks[1]);
    expect(blocks[2]).toBeLessThan(blocks[1]);
    expect(await runCollect(built.wasm, p.bytes)).toEqual({ stdout: p.expect.stdout, halt: p.expect.halt });
  });

  it("observes only: the module built with the hook is byte-identical to the one built without", async () => {
    // A toy program with nested loops, and a Fern program of several requests calling each other.
    for (const file of ["bytecode/programs/nested.asm", "lang/programs/closures.fern"]) {
      const m = manifestForFile(join(ROOT, file));
      const program = await loadProgram(m, join(ROOT, file));
      const snap = (await buildProgram((await buildInterpreter(m.name)).wasm, program, { cache: false })).snapshot;
      let seen = 0;
      // The IR after each stage too: cleanup and binaryen could hide a different specialization.
      const ir = [new Map<string, string>(), new Map<string, string>()];
      const without = await specializeModule(snap, { dumpIr: (name, text) => ir[0].set(name, text) });
      const withHook = await specializeModule(snap, {
        dumpIr: (name, text) => ir[1].set(name, text),
        inspect: () => void seen++,
      });
      expect(seen, file).toBe(3 * without.requests.length);
      expect(ir[0].size).toBe(3 * without.requests.length);
      for (const [name, text] of ir[0]) expect(ir[1].get(name) === text, `${file}: ${name} with the hook`).toBe(true);
      expect(
        Buffer.from(withHook.wasm).equals(Buffer.from(without.wasm)),
        `${file}: the same module with the hook`,
      ).toBe(true);
    }
  });
});
