// Fern's disassembler reads back what the compiler wrote: one instruction at every pc the compiler gave a line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { disassembleFern } from "../../lang/disassembler.ts";
import { compileFern } from "../../lang/program.ts";
import { ROOT } from "../../util/root.ts";

describe("disassembleFern", () => {
  it("lists every instruction of every function of a program, with its operands", () => {
    const file = join(ROOT, "lang", "bench", "fib.fern");
    const p = compileFern(readFileSync(file, "utf8"), file);
    for (const f of p.functions) {
      const listing = disassembleFern(f.code);
      expect(listing.map((i) => i.pc)).toEqual([...f.lines.keys()]);
    }
    const fib = disassembleFern(p.functions.find((f) => f.name === "fib")!.code).map((i) => i.text);
    // `if (n < 2)` is one compare-and-branch; `n - 1` one instruction with its local (slot 0) and constant.
    expect(fib.some((t) => /^JUMP_IF_NOT_LT_LK \d+ 0 2$/.test(t))).toBe(true);
    expect(fib).toContain("SUB_LK 0 1");
    expect(fib.some((t) => /^CALL \d+ 1 0$/.test(t))).toBe(true); // the last operand: the (untrained) feedback byte
    expect(fib.at(-1)).toBe("RETURN");
  });

  it("names an unknown opcode and its pc", () => {
    expect(() => disassembleFern(new Uint8Array([0x03, 0xff]))).toThrow("unknown opcode 0xff at pc 1");
  });
});
