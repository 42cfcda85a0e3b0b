// Fern's stack bytecode: the single opcode table for the compiler, the disassembler and (through the generated
// interp/as/fern-opcodes.ts) the AssemblyScript interpreter. Each entry says what it pops and pushes, so the
// compiler can give every pc a constant stack depth — which the specializer needs to turn stack slots into
// registers.

export type FernOperand = "i64" | "f64" | "u8" | "u16" | "u32";

export const FERN_OPERAND_SIZE: Record<FernOperand, number> = { i64: 8, f64: 8, u8: 1, u16: 2, u32: 4 };

export interface FernOpcode {
  code: number;
  name: string;
  operands: FernOperand[];
  /** Values popped and pushed (CALL's, CALL_VALUE's, CLOSURE's, ARRAY_LIT's and BUILTIN's pops depend on an operand
   *  and are computed by the compiler). */
  pops: number;
  pushes: number;
  doc: string;
}

/** The binary operators with fused forms (lang/compiler.ts emits them; fusedOpcodes() below numbers them), by name. */
const FUSABLE = ["ADD", "SUB", "MUL", "DIV", "MOD", "LT", "LE", "GT", "GE", "EQ", "NE"] as const;
const COMPARISONS = ["LT", "LE", "GT", "GE", "EQ", "NE"] as const;

/** Where each fused form's opcodes start; an opcode is its form's base plus the operator's index in FUSABLE (or in
 *  COMPARISONS for the jumps), so the form is `op & 0xf0` (binary) or `op & 0xf8` (jumps) and the operator
 *  `op & 15` or `op & 7`: the interpreter's specialized body decodes them with that arithmetic (fern.ts). */
export const FUSED_BASE = { local: 0x40, constant: 0x50, localLocal: 0x80, localConstant: 0x90 } as const;
export const JUMP_BASE = { stack: 0x60, local: 0x68, constant: 0x70, localLocal: 0xa0, localConstant: 0xa8 } as const;

export const FERN_OPCODES: readonly FernOpcode[] = [
  { code: 0x01, name: "INT", operands: ["i64"], pops: 0, pushes: 1, doc: "push an integer constant" },
  { code: 0x02, name: "FLOAT", operands: ["f64"], pops: 0, pushes: 1, doc: "push a float constant" },
  { code: 0x03, name: "TRUE", operands: [], pops: 0, pushes: 1, doc: "push true" },
  { code: 0x04, name: "FALSE", operands: [], pops: 0, pushes: 1, doc: "push false" },
  { code: 0x05, name: "NIL", operands: [], pops: 0, pushes: 1, doc: "push nil" },
  { code: 0x06, name: "GET", operands: ["u16"], pops: 0, pushes: 1, doc: "push local i" },
  { code: 0x07, name: "SET", operands: ["u16"], pops: 1, pushes: 0, doc: "pop into local i" },
  { code: 0x08, name: "POP", operands: [], pops: 1, pushes: 0, doc: "drop the top value" },
  { code: 0x09, name: "DUP", operands: [], pops: 1, pushes: 2, doc: "duplicate the top value" },
  { code: 0x0a, name: "DUP2", operands: [], pops: 2, pushes: 4, doc: "duplicate the top two values" },
  {
    code: 0x0b,
    name: "GET_GLOBAL",
    operands: ["u32"],
    pops: 0,
    pushes: 1,
    doc: "push global g (a top-level variable a function uses)",
  },
  { code: 0x0c, name: "SET_GLOBAL", operands: ["u32"], pops: 1, pushes: 0, doc: "pop into global g" },
  {
    code: 0x0d,
    name: "STRING",
    operands: ["u32"],
    pops: 0,
    pushes: 1,
    doc: "push string literal k (init replaces k by the string's address)",
  },
  {
    code: 0x10,
    name: "ADD",
    operands: [],
    pops: 2,
    pushes: 1,
    doc: "a + b (int, or float if either is; strings concatenate)",
  },
  { code: 0x11, name: "SUB", operands: [], pops: 2, pushes: 1, doc: "a - b" },
  { code: 0x12, name: "MUL", operands: [], pops: 2, pushes: 1, doc: "a * b" },
  {
    code: 0x13,
    name: "DIV",
    operands: [],
    pops: 2,
    pushes: 1,
    doc: "a / b (integer division truncates; by zero is an error)",
  },
  { code: 0x14, name: "MOD", operands: [], pops: 2, pushes: 1, doc: "a % b (integers)" },
  { code: 0x15, name: "NEG", operands: [], pops: 1, pushes: 1, doc: "-a" },
  { code: 0x16, name: "NOT", operands: [], pops: 1, pushes: 1, doc: "!a (nil and false are falsy)" },
  { code: 0x17, name: "LT", operands: [], pops: 2, pushes: 1, doc: "a < b (numbers, or strings by bytes)" },
  { code: 0x18, name: "LE", operands: [], pops: 2, pushes: 1, doc: "a <= b" },
  { code: 0x19, name: "GT", operands: [], pops: 2, pushes: 1, doc: "a > b" },
  { code: 0x1a, name: "GE", operands: [], pops: 2, pushes: 1, doc: "a >= b" },
  {
    code: 0x1b,
    name: "EQ",
    operands: [],
    pops: 2,
    pushes: 1,
    doc: "a == b (strings by content, other objects by identity)",
  },
  { code: 0x1c, name: "NE", operands: [], pops: 2, pushes: 1, doc: "a != b" },
  { code: 0x20, name: "JUMP", operands: ["u32"], pops: 0, pushes: 0, doc: "jump forward to the offset" },
  { code: 0x21, name: "JUMP_IF_FALSE", operands: ["u32"], pops: 1, pushes: 0, doc: "pop; jump when falsy" },
  {
    code: 0x22,
    name: "CALL",
    operands: ["u32", "u16", "u8"],
    pops: 0,
    pushes: 1,
    doc: "call top-level function f with n arguments from the stack; then a feedback byte for the result (see FEEDBACK)",
  },
  { code: 0x23, name: "RETURN", operands: [], pops: 1, pushes: 0, doc: "return the top value" },
  {
    code: 0x24,
    name: "LOOP",
    operands: ["u32"],
    pops: 0,
    pushes: 0,
    doc: "jump back to a loop's head (a garbage-collection safe point)",
  },
  {
    code: 0x25,
    name: "CALL_VALUE",
    operands: ["u16", "u8"],
    pops: 0,
    pushes: 1,
    doc: "call the function value under n arguments; then a feedback byte for the result (see FEEDBACK)",
  },
  { code: 0x26, name: "FUNCTION", operands: ["u32"], pops: 0, pushes: 1, doc: "push function f as a value" },
  {
    code: 0x27,
    name: "CLOSURE",
    operands: ["u32", "u16"],
    pops: 0,
    pushes: 1,
    doc: "pop n boxes; push a closure of function f over them",
  },
  {
    code: 0x28,
    name: "BOX",
    operands: [],
    pops: 1,
    pushes: 1,
    doc: "pop a value; push a new box holding it (a captured variable)",
  },
  { code: 0x29, name: "GET_BOXED", operands: ["u16"], pops: 0, pushes: 1, doc: "push the value in the box in local i" },
  { code: 0x2a, name: "SET_BOXED", operands: ["u16"], pops: 1, pushes: 0, doc: "pop into the box in local i" },
  {
    code: 0x2b,
    name: "GET_UPVAL",
    operands: ["u16"],
    pops: 0,
    pushes: 1,
    doc: "push the value of the running closure's captured variable i",
  },
  {
    code: 0x2c,
    name: "SET_UPVAL",
    operands: ["u16"],
    pops: 1,
    pushes: 0,
    doc: "pop into the running closure's captured variable i",
  },
  {
    code: 0x2d,
    name: "GET_UPBOX",
    operands: ["u16"],
    pops: 0,
    pushes: 1,
    doc: "push the running closure's box i itself (to capture it again)",
  },
  { code: 0x30, name: "ARRAY", operands: [], pops: 1, pushes: 1, doc: "pop n; push a new array of n nils" },
  {
    code: 0x31,
    name: "INDEX",
    operands: ["u8"],
    pops: 2,
    pushes: 1,
    doc: "pop container, key; push the element (array, map: nil when absent, string: one-byte string); the operand is a feedback byte (see FEEDBACK)",
  },
  {
    code: 0x32,
    name: "STORE",
    operands: ["u8"],
    pops: 3,
    pushes: 0,
    doc: "pop container, key, value; store (array or map); the operand is a feedback byte (see FEEDBACK)",
  },
  { code: 0x33, name: "LEN", operands: [], pops: 1, pushes: 1, doc: "pop an array, string or map; push its length" },
  {
    code: 0x34,
    name: "PRINT",
    operands: ["u8"],
    pops: 1,
    pushes: 0,
    doc: "pop and print a value, then a newline (operand 0) or a space (1)",
  },
  { code: 0x35, name: "ARRAY_LIT", operands: ["u16"], pops: 0, pushes: 1, doc: "pop n values; push an array of them" },
  { code: 0x36, name: "MAP", operands: [], pops: 0, pushes: 1, doc: "push a new empty map" },
  {
    code: 0x37,
    name: "BUILTIN",
    operands: ["u8", "u8"],
    pops: 0,
    pushes: 1,
    doc: "call built-in b (lang/opcodes.ts FERN_BUILTINS) with n arguments",
  },
  {
    code: 0x38,
    name: "INDEX_L",
    operands: ["u16", "u8"],
    pops: 1,
    pushes: 1,
    doc: "pop container; push its element at the key in local i (GET i + INDEX in one); then a feedback byte (see FEEDBACK)",
  },
  {
    code: 0x39,
    name: "INCR",
    operands: ["u16", "i64"],
    pops: 0,
    pushes: 0,
    doc: "local i += k (an integer constant; `i = i + k` in one)",
  },
  {
    code: 0x3a,
    name: "INCR_L",
    operands: ["u16", "u16"],
    pops: 0,
    pushes: 0,
    doc: "local i += local j (`i = i + j` in one; strings concatenate)",
  },
  ...fusedOpcodes(),
];

/** Superinstructions: one dispatch instead of two to four for the shapes loops are made of. `OP_L j` is `GET j; OP`
 *  and `OP_K k` is `INT k; OP` (the left operand on the stack); `OP_LL i j` and `OP_LK i k` take the left operand
 *  from local i too. `JUMP_IF_NOT_CMP t` is `CMP; JUMP_IF_FALSE t`, and its `_L`/`_K`/`_LL`/`_LK` forms take their
 *  operands the same way. The jump target is always operand 0, as for JUMP. */
function fusedOpcodes(): FernOpcode[] {
  return [...FUSABLE.flatMap(fusedOperator), ...COMPARISONS.flatMap(fusedJump)];
}

/** The `_L`, `_K`, `_LL` and `_LK` forms of the k-th fusable operator. */
function fusedOperator(op: string, k: number): FernOpcode[] {
  const [L, K, LL, LK] = [FUSED_BASE.local, FUSED_BASE.constant, FUSED_BASE.localLocal, FUSED_BASE.localConstant];
  return [
    {
      code: L + k,
      name: `${op}_L`,
      operands: ["u16"],
      pops: 1,
      pushes: 1,
      doc: `a ${op} local i (GET i + ${op} in one)`,
    },
    {
      code: K + k,
      name: `${op}_K`,
      operands: ["i64"],
      pops: 1,
      pushes: 1,
      doc: `a ${op} the integer constant k (INT k + ${op} in one)`,
    },
    {
      code: LL + k,
      name: `${op}_LL`,
      operands: ["u16", "u16"],
      pops: 0,
      pushes: 1,
      doc: `push local i ${op} local j (GET i + GET j + ${op} in one)`,
    },
    {
      code: LK + k,
      name: `${op}_LK`,
      operands: ["u16", "i64"],
      pops: 0,
      pushes: 1,
      doc: `push local i ${op} the integer constant k (GET i + INT k + ${op} in one)`,
    },
  ];
}

/** `JUMP_IF_NOT_CMP` and its `_L`, `_K`, `_LL` and `_LK` forms for the k-th comparison. */
function fusedJump(op: string, k: number): FernOpcode[] {
  return [
    {
      code: JUMP_BASE.stack + k,
      name: `JUMP_IF_NOT_${op}`,
      operands: ["u32"],
      pops: 2,
      pushes: 0,
      doc: `pop a, b; jump unless a ${op} b (${op} + JUMP_IF_FALSE in one)`,
    },
    {
      code: JUMP_BASE.local + k,
      name: `JUMP_IF_NOT_${op}_L`,
      operands: ["u32", "u16"],
      pops: 1,
      pushes: 0,
      doc: `pop a; jump unless a ${op} local i`,
    },
    {
      code: JUMP_BASE.constant + k,
      name: `JUMP_IF_NOT_${op}_K`,
      operands: ["u32", "i64"],
      pops: 1,
      pushes: 0,
      doc: `pop a; jump unless a ${op} the integer constant k`,
    },
    {
      code: JUMP_BASE.localLocal + k,
      name: `JUMP_IF_NOT_${op}_LL`,
      operands: ["u32", "u16", "u16"],
      pops: 0,
      pushes: 0,
      doc: `jump unless local i ${op} local j`,
    },
    {
      code: JUMP_BASE.localConstant + k,
      name: `JUMP_IF_NOT_${op}_LK`,
      operands: ["u32", "u16", "i64"],
      pops: 0,
      pushes: 0,
      doc: `jump unless local i ${op} the integer constant k`,
    },
  ];
}

/** The fused forms of a binary operator (by its plain opcode's name), or undefined when it has none. */
export function fusedForms(op: string): FusedForms | undefined {
  return (FUSABLE as readonly string[]).includes(op)
    ? { stack: op, local: `${op}_L`, constant: `${op}_K`, localLocal: `${op}_LL`, localConstant: `${op}_LK` }
    : undefined;
}

/** An operation's opcode names by where its operands are: both on the stack; the right one a local or an integer
 *  constant (the left on the stack); the left one a local too. */
export interface FusedForms {
  stack: string;
  local: string;
  constant: string;
  localLocal: string;
  localConstant: string;
}

/** The compare-and-branch forms of a comparison (by its plain opcode's name), or undefined for other operators. */
export function jumpForms(op: string): FusedForms | undefined {
  const j = `JUMP_IF_NOT_${op}`;
  return (COMPARISONS as readonly string[]).includes(op)
    ? { stack: j, local: `${j}_L`, constant: `${j}_K`, localLocal: `${j}_LL`, localConstant: `${j}_LK` }
    : undefined;
}

export const FERN_BY_NAME: ReadonlyMap<string, FernOpcode> = new Map(FERN_OPCODES.map((o) => [o.name, o]));
export const FERN_BY_CODE: ReadonlyMap<number, FernOpcode> = new Map(FERN_OPCODES.map((o) => [o.code, o]));

export function fernInstructionSize(op: FernOpcode): number {
  return 1 + op.operands.reduce((n, k) => n + FERN_OPERAND_SIZE[k], 0);
}

/** Value tags, shared with the interpreter (a value is a tag and 64 bits; for objects the bits are an address). */
export const TAG = {
  nil: 0,
  int: 1,
  float: 2,
  bool: 3,
  array: 4,
  string: 5,
  map: 6,
  function: 7,
  closure: 8,
  box: 9,
} as const;

/** Feedback bytes: the last operand of INDEX, INDEX_L, STORE, CALL and CALL_VALUE, and one per parameter passed as
 *  a Wasm parameter in the function header (`feedback`, the first four): 0 from the compiler; a training run of
 *  the generic interpreter (`futamura build --train`) ORs in what each met, and the specialized body reads them as
 *  constants. Where only one tag was met (one bit below `other`) it assumes that tag — an INDEX's element (when it
 *  only met an array with an int key), a call's result, a parameter on entry — and exits to the generic interpreter
 *  when a run proves it wrong; likewise for a STORE that only met an array (`array`). Bits: 1 << tag for a value's
 *  tag (nil .. string), `other` for any other tag, `slow` for a container that is not an array or a key that is not
 *  an int. */
export const FEEDBACK = { other: 0x40, slow: 0x80, array: 0x01, maxTagBit: 5 } as const;

/** Runtime error kinds, shared with the interpreter and the host's messages. */
export const FERN_ERRORS = [
  "type error",
  "division by zero",
  "index out of range",
  "wrong number of arguments",
  "stack overflow",
  "not an array",
  "not a function",
  "out of memory",
  "not a number",
  "pop from an empty array",
] as const;

/** Built-in functions, by id: name and argument count. Implemented in the interpreter (no host call). */
export const FERN_BUILTINS: readonly { name: string; arity: number; doc: string }[] = [
  { name: "str", arity: 1, doc: "any value as a string (as print shows it)" },
  { name: "int", arity: 1, doc: "a float truncated, or a decimal string parsed, as an integer" },
  { name: "float", arity: 1, doc: "a number or a decimal string as a float" },
  { name: "sqrt", arity: 1, doc: "square root (a float)" },
  { name: "abs", arity: 1, doc: "absolute value" },
  { name: "floor", arity: 1, doc: "the largest integer not above a number" },
  { name: "push", arity: 2, doc: "append a value to an array; returns nil" },
  { name: "pop", arity: 1, doc: "remove and return an array's last element" },
  { name: "keys", arity: 1, doc: "a map's keys, in insertion order, as an array" },
  { name: "has", arity: 2, doc: "whether a map has a key" },
  { name: "substr", arity: 3, doc: "substr(s, start, end): the bytes from start up to (not including) end" },
  { name: "ord", arity: 1, doc: "the first byte of a string as an integer" },
  { name: "chr", arity: 1, doc: "a one-byte string from an integer 0..255" },
  { name: "type", arity: 1, doc: "the type name of a value: nil, int, float, bool, array, string, map, function" },
  { name: "array", arity: 1, doc: "a new array of n nils" },
  { name: "len", arity: 1, doc: "the length of an array, string or map" },
  { name: "print", arity: -1, doc: "print the arguments separated by one space, then a newline" },
];

/** The function header inside the program and inside each request's constant buffer. `nparams` counts the values
 *  the caller puts in the frame: the arity, plus the closure itself for a function with captured variables. */
export const FUNC_HEADER = {
  nparams: 0,
  nlocals: 2,
  maxStack: 4,
  arity: 6,
  index: 8,
  codeLength: 12,
  feedback: 16,
  size: 20,
} as const;

/** The program header: magic, version, counts; the function table follows at `size`. */
export const PROGRAM_HEADER = { version: 4, nfuncs: 8, nglobals: 12, nstrings: 16, debug: 20, size: 24 } as const;

/** Limits of the format: locals and stack slots are u16 operands; functions and globals are u32. */
export const MAX_LOCALS = 65535;
export const MAX_STACK = 65535;
