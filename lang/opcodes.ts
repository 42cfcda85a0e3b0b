// Fern's stack bytecode: the single opcode table for the compiler, the disassembler and (through the generated
// interp/as/fern-opcodes.ts) the AssemblyScript interpreter. Each entry says what it pops and pushes, so the
// compiler can give every pc a constant stack depth — which the specializer needs to turn stack slots into
// registers. Relies on nothing.

export type FernOperand = "i64" | "f64" | "u8" | "u16" | "u32";

export const FERN_OPERAND_SIZE: Record<FernOperand, number> = { i64: 8, f64: 8, u8: 1, u16: 2, u32: 4 };

export interface FernOpcode {
  code: number;
  name: string;
  operands: FernOperand[];
  /** Values popped and pushed (CALL's pops depend on its argument count and are computed by the compiler). */
  pops: number;
  pushes: number;
  doc: string;
}

export const FERN_OPCODES: readonly FernOpcode[] = [
  { code: 0x01, name: "INT", operands: ["i64"], pops: 0, pushes: 1, doc: "push an integer constant" },
  { code: 0x02, name: "FLOAT", operands: ["f64"], pops: 0, pushes: 1, doc: "push a float constant" },
  { code: 0x03, name: "TRUE", operands: [], pops: 0, pushes: 1, doc: "push true" },
  { code: 0x04, name: "FALSE", operands: [], pops: 0, pushes: 1, doc: "push false" },
  { code: 0x05, name: "NIL", operands: [], pops: 0, pushes: 1, doc: "push nil" },
  { code: 0x06, name: "GET", operands: ["u8"], pops: 0, pushes: 1, doc: "push local i" },
  { code: 0x07, name: "SET", operands: ["u8"], pops: 1, pushes: 0, doc: "pop into local i" },
  { code: 0x08, name: "POP", operands: [], pops: 1, pushes: 0, doc: "drop the top value" },
  { code: 0x09, name: "DUP", operands: [], pops: 1, pushes: 2, doc: "duplicate the top value" },
  { code: 0x10, name: "ADD", operands: [], pops: 2, pushes: 1, doc: "a + b (int, or float if either is)" },
  { code: 0x11, name: "SUB", operands: [], pops: 2, pushes: 1, doc: "a - b" },
  { code: 0x12, name: "MUL", operands: [], pops: 2, pushes: 1, doc: "a * b" },
  { code: 0x13, name: "DIV", operands: [], pops: 2, pushes: 1, doc: "a / b (integer division truncates; by zero is an error)" },
  { code: 0x14, name: "MOD", operands: [], pops: 2, pushes: 1, doc: "a % b (integers)" },
  { code: 0x15, name: "NEG", operands: [], pops: 1, pushes: 1, doc: "-a" },
  { code: 0x16, name: "NOT", operands: [], pops: 1, pushes: 1, doc: "!a (nil and false are falsy)" },
  { code: 0x17, name: "LT", operands: [], pops: 2, pushes: 1, doc: "a < b" },
  { code: 0x18, name: "LE", operands: [], pops: 2, pushes: 1, doc: "a <= b" },
  { code: 0x19, name: "GT", operands: [], pops: 2, pushes: 1, doc: "a > b" },
  { code: 0x1a, name: "GE", operands: [], pops: 2, pushes: 1, doc: "a >= b" },
  { code: 0x1b, name: "EQ", operands: [], pops: 2, pushes: 1, doc: "a == b" },
  { code: 0x1c, name: "NE", operands: [], pops: 2, pushes: 1, doc: "a != b" },
  { code: 0x20, name: "JUMP", operands: ["u32"], pops: 0, pushes: 0, doc: "jump to the offset" },
  { code: 0x21, name: "JUMP_IF_FALSE", operands: ["u32"], pops: 1, pushes: 0, doc: "pop; jump when falsy" },
  { code: 0x22, name: "CALL", operands: ["u16", "u8"], pops: 0, pushes: 1, doc: "call function f with n arguments from the stack" },
  { code: 0x23, name: "RETURN", operands: [], pops: 1, pushes: 0, doc: "return the top value" },
  { code: 0x30, name: "ARRAY", operands: [], pops: 1, pushes: 1, doc: "pop n; push a new array of n nils" },
  { code: 0x31, name: "INDEX", operands: [], pops: 2, pushes: 1, doc: "pop array, index; push the element" },
  { code: 0x32, name: "STORE", operands: [], pops: 3, pushes: 0, doc: "pop array, index, value; store" },
  { code: 0x33, name: "LEN", operands: [], pops: 1, pushes: 1, doc: "pop array; push its length" },
  { code: 0x34, name: "PRINT", operands: [], pops: 1, pushes: 0, doc: "pop and print a value and a newline" },
];

export const FERN_BY_NAME: ReadonlyMap<string, FernOpcode> = new Map(FERN_OPCODES.map((o) => [o.name, o]));
export const FERN_BY_CODE: ReadonlyMap<number, FernOpcode> = new Map(FERN_OPCODES.map((o) => [o.code, o]));

export function fernInstructionSize(op: FernOpcode): number {
  return 1 + op.operands.reduce((n, k) => n + FERN_OPERAND_SIZE[k], 0);
}

/** Value tags, shared with the interpreter (a value is a tag and 64 bits). */
export const TAG = { nil: 0, int: 1, float: 2, bool: 3, array: 4 } as const;

/** Runtime error kinds, shared with the interpreter and the host's messages. */
export const FERN_ERRORS = ["type error", "division by zero", "index out of range", "wrong number of arguments", "stack overflow", "not an array"] as const;

/** The function header inside the program and inside each request's constant buffer. */
export const FUNC_HEADER = { nparams: 0, nlocals: 1, maxStack: 2, index: 3, codeLength: 4, size: 8 } as const;

/** At most this many functions (the header keeps a function's index in one byte). */
export const MAX_FUNCTIONS = 256;
