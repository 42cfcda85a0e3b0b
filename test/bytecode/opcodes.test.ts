// The opcode table is consistent, and the AssemblyScript constants generated from it are the committed ones.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OPCODES, OPCODE_BY_CODE, OPCODE_BY_NAME, instructionSize } from "../../bytecode/opcodes.ts";
import { generatedFiles } from "../../pipeline/generated.ts";

describe("opcode table", () => {
  it("has unique codes and names, and the seed's ten instructions", () => {
    expect(OPCODE_BY_CODE.size).toBe(OPCODES.length);
    expect(OPCODE_BY_NAME.size).toBe(OPCODES.length);
    expect(OPCODES.map((o) => o.name)).toEqual([
      "LOAD_IMMEDIATE",
      "STORE_LOCAL",
      "LOAD_LOCAL",
      "PRINT",
      "PRINTI",
      "JMPNZ",
      "INC",
      "DEC",
      "ADD",
      "HALT",
    ]);
    for (const o of OPCODES) {
      expect(o.code).toBeGreaterThan(0);
      expect(o.code).toBeLessThan(256);
      expect(o.doc.length).toBeGreaterThan(0);
    }
  });

  it("sizes instructions from their operands", () => {
    expect(instructionSize(OPCODE_BY_NAME.get("LOAD_IMMEDIATE")!)).toBe(9);
    expect(instructionSize(OPCODE_BY_NAME.get("ADD")!)).toBe(3);
    expect(instructionSize(OPCODE_BY_NAME.get("HALT")!)).toBe(1);
  });

  it("matches the committed AssemblyScript constants (regenerate with `npm run build:interp`)", () => {
    const { path, content } = generatedFiles().find((f) => f.path.endsWith("toy-opcodes.ts"))!;
    expect(readFileSync(path, "utf8")).toBe(content);
    for (const o of OPCODES)
      expect(content).toContain(`export const OP_${o.name}: u8 = 0x${o.code.toString(16).padStart(2, "0")};`);
  });
});
