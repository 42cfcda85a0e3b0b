// The validator rejects every malformed binary with one message naming the byte offset.
import { describe, expect, it } from "vitest";
import { assemble } from "../../bytecode/assembler.ts";
import { encodeProgram, HEADER_SIZE } from "../../bytecode/format.ts";
import { loadProgram } from "../../bytecode/validator.ts";
import { BinaryError } from "../../util/errors.ts";
import { expectUserError } from "../helpers.ts";

const good = assemble(
  '.locals 2\n LOAD_IMMEDIATE 1\n STORE_LOCAL 1\n JMPNZ end\n PRINT "hi"\nend: HALT\n',
  "g.asm",
).bytes;

function mutate(f: (b: Uint8Array, v: DataView) => Uint8Array | void): Uint8Array {
  const b = good.slice();
  return f(b, new DataView(b.buffer)) ?? b;
}

function rejects(bytes: Uint8Array, message: string): void {
  expectUserError(() => loadProgram(bytes, "p.fbc"), BinaryError, message);
}

describe("validator", () => {
  it("accepts a good program", () => {
    expect(loadProgram(good).instructions.length).toBe(5);
  });

  const code = (bytes: number[], strings: string[] = [], localCount = 1) =>
    encodeProgram({ localCount, code: new Uint8Array(bytes), strings });

  it.each<[string, Uint8Array, string]>([
    [
      "bad magic",
      mutate((b) => void (b[0] = 0x7f)),
      'p.fbc: byte 0 (0x0): error: bad magic: not a futamura program (expected "FUTA")',
    ],
    ["truncated header", good.slice(0, 10), "p.fbc: byte 10 (0xa): error: truncated header: 10 bytes, need 16"],
    [
      "wrong version",
      mutate((_b, v) => v.setUint16(4, 9, true)),
      "p.fbc: byte 4 (0x4): error: unsupported format version 9 (this futamura reads version 1)",
    ],
    [
      "code past the end",
      mutate((_b, v) => v.setUint32(8, 9999, true)),
      `p.fbc: byte 8 (0x8): error: code length 9999 runs past the end of the file (${good.length} bytes)`,
    ],
    ["unknown opcode", code([0x0a, 0xee, 0x0a]), "p.fbc: byte 17 (0x11): error: unknown opcode 0xee at pc 1"],
    [
      "truncated operand",
      code([0x01, 1, 2, 3]),
      "p.fbc: byte 17 (0x11): error: truncated u64 operand of LOAD_IMMEDIATE at pc 0",
    ],
    [
      "local out of range",
      code([0x02, 3, 0x0a], [], 2),
      "p.fbc: byte 17 (0x11): error: STORE_LOCAL at pc 0: local index 3 is out of range (the program has 2 locals)",
    ],
    [
      "string out of range",
      code([0x04, 2, 0, 0, 0, 0x0a], ["a"]),
      "p.fbc: byte 17 (0x11): error: PRINT at pc 0: string index 2 is out of range (the table has 1)",
    ],
    [
      "jump outside the code",
      code([0x06, 99, 0, 0, 0, 0x0a]),
      "p.fbc: byte 17 (0x11): error: JMPNZ at pc 0: jump target 99 is outside the code (length 6)",
    ],
    [
      "jump into an instruction",
      code([0x06, 2, 0, 0, 0, 0x0a]),
      "p.fbc: byte 17 (0x11): error: JMPNZ at pc 0: jump target 2 is not on an instruction boundary",
    ],
    [
      "falling off the end",
      code([0x0a, 0x07]),
      "p.fbc: byte 17 (0x11): error: the last instruction (pc 1) is INC, not HALT: control would fall off the end",
    ],
    [
      "no code",
      code([]),
      `p.fbc: byte ${HEADER_SIZE} (0x10): error: the program has no instructions (it must end with HALT)`,
    ],
    [
      "trailing garbage",
      (() => {
        const b = code([0x0a], ["ab"]);
        const c = new Uint8Array(b.length + 3);
        c.set(b);
        return c;
      })(),
      "p.fbc: byte 27 (0x1b): error: 3 bytes of trailing garbage after the string data",
    ],
    [
      "string table past the end",
      mutate((_b, v) => v.setUint32(12, 50, true)),
      `p.fbc: byte ${HEADER_SIZE + 22} (0x${(HEADER_SIZE + 22).toString(16)}): error: string table of 50 entries runs past the end of the file`,
    ],
    [
      "string data past the end",
      (() => {
        const b = code([0x0a], ["abc"]);
        return b.slice(0, b.length - 1);
      })(),
      "p.fbc: byte 21 (0x15): error: string 0 (3 bytes) runs past the end of the file",
    ],
    [
      "strings out of order",
      (() => {
        const b = code([0x0a], ["a", "b"]);
        new DataView(b.buffer).setUint32(17 + 8, 5, true);
        return b;
      })(),
      "p.fbc: byte 25 (0x19): error: string 1 starts at data offset 5, expected 1 (strings are stored back to back)",
    ],
    [
      "invalid UTF-8",
      (() => {
        const b = code([0x0a], ["ab"]);
        b[b.length - 1] = 0xff;
        return b;
      })(),
      "p.fbc: byte 25 (0x19): error: string 0 is not valid UTF-8",
    ],
    [
      "too many locals",
      mutate((_b, v) => v.setUint16(6, 257, true)),
      "p.fbc: byte 6 (0x6): error: local count 257 is more than 256",
    ],
  ])("rejects %s", (_name, bytes, message) => rejects(bytes, message));
});
