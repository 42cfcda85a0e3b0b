// The toy accumulator machine's opcode table: the single source of truth for the assembler, disassembler,
// validator, reference evaluator and (through a generated file, interp/as/toy-opcodes.ts) the AssemblyScript
// interpreter. The ISA is the one in "Compilers for free with weval" (shared/seeds/002): an unsigned 64-bit
// accumulator that wraps, and up to 256 unsigned 64-bit locals that start at zero.

/** What an operand means and how it is encoded (little-endian, no alignment). */
export type OperandKind = "u64" | "local" | "label" | "string";

/** Bytes each operand kind takes in the binary format. */
export const OPERAND_SIZE: Record<OperandKind, number> = {
  u64: 8, // an immediate, 0..2^64-1
  local: 1, // a local index, 0..255 (and < the program's local count)
  label: 4, // an absolute byte offset into the code, on an instruction boundary
  string: 4, // an index into the program's string table
};

export interface OpcodeInfo {
  readonly code: number;
  readonly name: string;
  readonly operands: readonly OperandKind[];
  /** The instruction's effect in one line of pseudo-code. */
  readonly effect: string;
  readonly doc: string;
}

export const OPCODES: readonly OpcodeInfo[] = [
  {
    code: 0x01,
    name: "LOAD_IMMEDIATE",
    operands: ["u64"],
    effect: "acc = v",
    doc: "Load an immediate into the accumulator.",
  },
  {
    code: 0x02,
    name: "STORE_LOCAL",
    operands: ["local"],
    effect: "locals[i] = acc",
    doc: "Store the accumulator into a local.",
  },
  {
    code: 0x03,
    name: "LOAD_LOCAL",
    operands: ["local"],
    effect: "acc = locals[i]",
    doc: "Load a local into the accumulator.",
  },
  {
    code: 0x04,
    name: "PRINT",
    operands: ["string"],
    effect: "print strings[s]",
    doc: "Print a string from the string table.",
  },
  {
    code: 0x05,
    name: "PRINTI",
    operands: [],
    effect: "print decimal(acc)",
    doc: "Print the accumulator as an unsigned decimal.",
  },
  {
    code: 0x06,
    name: "JMPNZ",
    operands: ["label"],
    effect: "if acc != 0: pc = target",
    doc: "Jump when the accumulator is not zero.",
  },
  { code: 0x07, name: "INC", operands: [], effect: "acc = acc + 1", doc: "Increment the accumulator (wraps)." },
  { code: 0x08, name: "DEC", operands: [], effect: "acc = acc - 1", doc: "Decrement the accumulator (wraps)." },
  {
    code: 0x09,
    name: "ADD",
    operands: ["local", "local"],
    effect: "acc = locals[i] + locals[j]",
    doc: "Add two locals into the accumulator (wraps).",
  },
  {
    code: 0x0a,
    name: "HALT",
    operands: [],
    effect: "stop, result = acc",
    doc: "Stop; the accumulator is the program's result.",
  },
];

export const OPCODE_BY_CODE: ReadonlyMap<number, OpcodeInfo> = new Map(OPCODES.map((o) => [o.code, o]));
export const OPCODE_BY_NAME: ReadonlyMap<string, OpcodeInfo> = new Map(OPCODES.map((o) => [o.name, o]));

/** Encoded size of an instruction: one opcode byte plus its operands. */
export function instructionSize(op: OpcodeInfo): number {
  return 1 + op.operands.reduce((n, k) => n + OPERAND_SIZE[k], 0);
}

/** The opcode's operand offsets, relative to the opcode byte. */
export function operandOffsets(op: OpcodeInfo): number[] {
  const offsets: number[] = [];
  let at = 1;
  for (const k of op.operands) {
    offsets.push(at);
    at += OPERAND_SIZE[k];
  }
  return offsets;
}

/** Opcodes by name for code that wants constants (`Op.HALT`). */
export const Op = Object.fromEntries(OPCODES.map((o) => [o.name, o.code])) as Record<
  "LOAD_IMMEDIATE" | "STORE_LOCAL" | "LOAD_LOCAL" | "PRINT" | "PRINTI" | "JMPNZ" | "INC" | "DEC" | "ADD" | "HALT",
  number
>;
