// The assembler: every program round-trips through the disassembler byte for byte, random programs too, and each
// kind of source error is reported at its file:line:col.
import { describe, expect, it } from "vitest";
import { assemble } from "../../bytecode/assembler.ts";
import { disassemble } from "../../bytecode/disassembler.ts";
import { encodeProgram } from "../../bytecode/format.ts";
import { randomProgram } from "../../bytecode/random.ts";
import { loadProgram } from "../../bytecode/validator.ts";
import { SourceError } from "../../util/errors.ts";
import { corpus, expectUserError } from "../helpers.ts";

function roundTrip(bytes: Uint8Array): void {
  const text = disassemble(bytes);
  expect(assemble(text, "dis.asm").bytes).toEqual(bytes);
}

describe("assemble/disassemble round trip", () => {
  it.each(corpus().map((p) => [p.file, p] as const))("%s", (_f, p) => roundTrip(p.bytes));

  it("round-trips 300 random programs", () => {
    for (let seed = 1; seed <= 300; seed++) roundTrip(assemble(randomProgram(seed), `seed${seed}`).bytes);
  });

  it("keeps duplicate and unused string-table entries exactly", () => {
    const bytes = encodeProgram({
      localCount: 0,
      code: new Uint8Array([0x04, 1, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x0a]),
      strings: ["a", "a", "unused"],
    });
    loadProgram(bytes);
    roundTrip(bytes);
    expect(disassemble(bytes)).toContain("PRINT #1");
  });
});

describe("assembler syntax", () => {
  it("reads hex, negative and underscored immediates, labels on instruction lines, and expectations", () => {
    const a = assemble(
      "; expect: 1\n; expect: two\n; expect-halt: 0x10\nstart: LOAD_IMMEDIATE 0x10\n LOAD_IMMEDIATE -1\n load_immediate 1_000\n HALT\n",
      "t.asm",
    );
    expect(a.expect).toEqual({ stdout: "1\ntwo\n", halt: 16n });
    const p = loadProgram(a.bytes);
    expect(p.instructions.map((i) => i.operands[0])).toEqual([16n, 2n ** 64n - 1n, 1000n, undefined]);
  });

  it("infers the local count from the highest index used", () => {
    expect(assemble("STORE_LOCAL 5\nHALT", "t").program.localCount).toBe(6);
    expect(assemble("HALT", "t").program.localCount).toBe(0);
  });
});

describe("assembler errors carry file:line:col", () => {
  const cases: [string, string, string][] = [
    ["unknown instruction", "  HALT\n  FROB 1\n", "t.asm:2:3: error: unknown instruction 'FROB'"],
    ["missing operand", "  LOAD_IMMEDIATE\n  HALT", "t.asm:1:3: error: LOAD_IMMEDIATE takes 1 operand (u64), got 0"],
    ["extra operand", "  INC 3\n  HALT", "t.asm:1:7: error: INC takes no operands, got 1"],
    [
      "not an integer",
      "  LOAD_IMMEDIATE 12x\n  HALT",
      "t.asm:1:18: error: '12x' is not an integer (decimal or 0x hex)",
    ],
    [
      "too big",
      "  LOAD_IMMEDIATE 0x1ffffffffffffffff\n  HALT",
      "t.asm:1:18: error: 0x1ffffffffffffffff does not fit in 64 bits",
    ],
    ["undefined label", "  JMPNZ nowhere\n  HALT", "t.asm:1:9: error: undefined label 'nowhere'"],
    ["duplicate label", "a: INC\na: HALT", "t.asm:2:1: error: label 'a' is already defined at line 1"],
    [
      "local out of range",
      ".locals 2\n  STORE_LOCAL 2\n  HALT",
      "t.asm:2:15: error: local index 2 is out of range (the program has 2 locals)",
    ],
    ["too many locals", ".locals 300\nHALT", "t.asm:1:9: error: .locals 300 is more than 256"],
    ["unterminated string", '  PRINT "abc\n  HALT', "t.asm:1:9: error: unterminated string"],
    ["bad escape", '  PRINT "a\\qb"\n  HALT', "t.asm:1:11: error: unknown escape '\\q'"],
    [
      "wrong operand kind",
      '  STORE_LOCAL "x"\n  HALT',
      "t.asm:1:15: error: STORE_LOCAL needs a local index, not a string",
    ],
    [
      "no HALT at the end",
      "  INC\n  DEC\n",
      "t.asm:2:3: error: the last instruction is DEC, not HALT: control would fall off the end",
    ],
    ["empty program", "; nothing\n", "t.asm:1:1: error: the program has no instructions (it must end with HALT)"],
    ["missing string entry", "  PRINT #3\n  HALT", "t.asm:1:9: error: string #3 does not exist (the table has 0)"],
    ["unknown directive", ".frob 1\nHALT", "t.asm:1:1: error: unknown directive '.frob'"],
    [
      "label after the last instruction",
      "  JMPNZ end\n  HALT\nend:",
      "t.asm:1:9: error: label 'end' is at the end of the program, after the last instruction",
    ],
  ];
  it.each(cases)("%s", (_name, source, message) =>
    expectUserError(() => assemble(source, "t.asm"), SourceError, message),
  );
});
