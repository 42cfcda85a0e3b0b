// The table of Wasm instructions the IR knows, one row per instruction: binary opcode, text name, operand and
// result types, binaryen's operator constant (for numeric instructions) and what the instruction may do (effects).
// The frontend decodes with it, the backend emits with it, the folder and the specializer look up effects in it.
// Binaryen operator names are strings, resolved against the loaded binaryen at emit time.
import type { ValType } from "./types.ts";

export type OpClass = "numeric" | "load" | "store" | "other";

export interface OpInfo {
  /** Text name, as in the Wasm text format: `i32.add`, `i64.load8_u`. */
  name: string;
  /** Opcode: one byte, or 0xfc00 + sub-opcode for the 0xFC prefix. */
  code: number;
  params: ValType[];
  results: ValType[];
  cls: OpClass;
  /** binaryen's operator constant for unary/binary numeric instructions. */
  binaryen?: string;
  /** May trap (division, float-to-int truncation, memory access). */
  traps?: boolean;
  /** Memory access width in bytes (loads and stores). */
  bytes?: number;
  /** Loads: sign-extend the loaded bytes. */
  signed?: boolean;
}

const T = { i: "i32", I: "i64", f: "f32", F: "f64" } as const;
const sig = (s: string): ValType[] => [...s].map((c) => T[c as keyof typeof T]);

const rows: OpInfo[] = [];
function numeric(code: number, name: string, params: string, result: string, binaryen: string, traps = false): void {
  rows.push({ name, code, params: sig(params), results: sig(result), cls: "numeric", binaryen, traps });
}

// Comparisons and tests.
numeric(0x45, "i32.eqz", "i", "i", "EqZInt32");
[
  ["eq", "EqInt32"],
  ["ne", "NeInt32"],
  ["lt_s", "LtSInt32"],
  ["lt_u", "LtUInt32"],
  ["gt_s", "GtSInt32"],
  ["gt_u", "GtUInt32"],
  ["le_s", "LeSInt32"],
  ["le_u", "LeUInt32"],
  ["ge_s", "GeSInt32"],
  ["ge_u", "GeUInt32"],
].forEach(([n, b], i) => numeric(0x46 + i, `i32.${n}`, "ii", "i", b));
numeric(0x50, "i64.eqz", "I", "i", "EqZInt64");
[
  ["eq", "EqInt64"],
  ["ne", "NeInt64"],
  ["lt_s", "LtSInt64"],
  ["lt_u", "LtUInt64"],
  ["gt_s", "GtSInt64"],
  ["gt_u", "GtUInt64"],
  ["le_s", "LeSInt64"],
  ["le_u", "LeUInt64"],
  ["ge_s", "GeSInt64"],
  ["ge_u", "GeUInt64"],
].forEach(([n, b], i) => numeric(0x51 + i, `i64.${n}`, "II", "i", b));
["eq", "ne", "lt", "gt", "le", "ge"].forEach((n, i) =>
  numeric(0x5b + i, `f32.${n}`, "ff", "i", `${n[0].toUpperCase()}${n[1]}Float32`),
);
["eq", "ne", "lt", "gt", "le", "ge"].forEach((n, i) =>
  numeric(0x61 + i, `f64.${n}`, "FF", "i", `${n[0].toUpperCase()}${n[1]}Float64`),
);
// Integer arithmetic.
for (const [base, w, t, B] of [
  [0x67, "i32", "i", "Int32"],
  [0x79, "i64", "I", "Int64"],
] as const) {
  ["clz", "ctz", "popcnt"].forEach((n, i) =>
    numeric(base + i, `${w}.${n}`, t, t, `${n[0].toUpperCase()}${n.slice(1)}${B}`),
  );
  const bin: [string, string, boolean][] = [
    ["add", "Add", false],
    ["sub", "Sub", false],
    ["mul", "Mul", false],
    ["div_s", "DivS", true],
    ["div_u", "DivU", true],
    ["rem_s", "RemS", true],
    ["rem_u", "RemU", true],
    ["and", "And", false],
    ["or", "Or", false],
    ["xor", "Xor", false],
    ["shl", "Shl", false],
    ["shr_s", "ShrS", false],
    ["shr_u", "ShrU", false],
    ["rotl", "RotL", false],
    ["rotr", "RotR", false],
  ];
  bin.forEach(([n, b, traps], i) => numeric(base + 3 + i, `${w}.${n}`, t + t, t, `${b}${B}`, traps));
}
// Float arithmetic.
for (const [base, w, t, B] of [
  [0x8b, "f32", "f", "Float32"],
  [0x99, "f64", "F", "Float64"],
] as const) {
  [
    ["abs", "Abs"],
    ["neg", "Neg"],
    ["ceil", "Ceil"],
    ["floor", "Floor"],
    ["trunc", "Trunc"],
    ["nearest", "Nearest"],
    ["sqrt", "Sqrt"],
  ].forEach(([n, b], i) => numeric(base + i, `${w}.${n}`, t, t, `${b}${B}`));
  [
    ["add", "Add"],
    ["sub", "Sub"],
    ["mul", "Mul"],
    ["div", "Div"],
    ["min", "Min"],
    ["max", "Max"],
    ["copysign", "CopySign"],
  ].forEach(([n, b], i) => numeric(base + 7 + i, `${w}.${n}`, t + t, t, `${b}${B}`));
}
// Conversions.
numeric(0xa7, "i32.wrap_i64", "I", "i", "WrapInt64");
numeric(0xa8, "i32.trunc_f32_s", "f", "i", "TruncSFloat32ToInt32", true);
numeric(0xa9, "i32.trunc_f32_u", "f", "i", "TruncUFloat32ToInt32", true);
numeric(0xaa, "i32.trunc_f64_s", "F", "i", "TruncSFloat64ToInt32", true);
numeric(0xab, "i32.trunc_f64_u", "F", "i", "TruncUFloat64ToInt32", true);
numeric(0xac, "i64.extend_i32_s", "i", "I", "ExtendSInt32");
numeric(0xad, "i64.extend_i32_u", "i", "I", "ExtendUInt32");
numeric(0xae, "i64.trunc_f32_s", "f", "I", "TruncSFloat32ToInt64", true);
numeric(0xaf, "i64.trunc_f32_u", "f", "I", "TruncUFloat32ToInt64", true);
numeric(0xb0, "i64.trunc_f64_s", "F", "I", "TruncSFloat64ToInt64", true);
numeric(0xb1, "i64.trunc_f64_u", "F", "I", "TruncUFloat64ToInt64", true);
numeric(0xb2, "f32.convert_i32_s", "i", "f", "ConvertSInt32ToFloat32");
numeric(0xb3, "f32.convert_i32_u", "i", "f", "ConvertUInt32ToFloat32");
numeric(0xb4, "f32.convert_i64_s", "I", "f", "ConvertSInt64ToFloat32");
numeric(0xb5, "f32.convert_i64_u", "I", "f", "ConvertUInt64ToFloat32");
numeric(0xb6, "f32.demote_f64", "F", "f", "DemoteFloat64");
numeric(0xb7, "f64.convert_i32_s", "i", "F", "ConvertSInt32ToFloat64");
numeric(0xb8, "f64.convert_i32_u", "i", "F", "ConvertUInt32ToFloat64");
numeric(0xb9, "f64.convert_i64_s", "I", "F", "ConvertSInt64ToFloat64");
numeric(0xba, "f64.convert_i64_u", "I", "F", "ConvertUInt64ToFloat64");
numeric(0xbb, "f64.promote_f32", "f", "F", "PromoteFloat32");
numeric(0xbc, "i32.reinterpret_f32", "f", "i", "ReinterpretFloat32");
numeric(0xbd, "i64.reinterpret_f64", "F", "I", "ReinterpretFloat64");
numeric(0xbe, "f32.reinterpret_i32", "i", "f", "ReinterpretInt32");
numeric(0xbf, "f64.reinterpret_i64", "I", "F", "ReinterpretInt64");
// Sign extension.
numeric(0xc0, "i32.extend8_s", "i", "i", "ExtendS8Int32");
numeric(0xc1, "i32.extend16_s", "i", "i", "ExtendS16Int32");
numeric(0xc2, "i64.extend8_s", "I", "I", "ExtendS8Int64");
numeric(0xc3, "i64.extend16_s", "I", "I", "ExtendS16Int64");
numeric(0xc4, "i64.extend32_s", "I", "I", "ExtendS32Int64");
// Non-trapping float-to-int (0xFC 0..7).
[
  ["i32.trunc_sat_f32_s", "f", "i", "TruncSatSFloat32ToInt32"],
  ["i32.trunc_sat_f32_u", "f", "i", "TruncSatUFloat32ToInt32"],
  ["i32.trunc_sat_f64_s", "F", "i", "TruncSatSFloat64ToInt32"],
  ["i32.trunc_sat_f64_u", "F", "i", "TruncSatUFloat64ToInt32"],
  ["i64.trunc_sat_f32_s", "f", "I", "TruncSatSFloat32ToInt64"],
  ["i64.trunc_sat_f32_u", "f", "I", "TruncSatUFloat32ToInt64"],
  ["i64.trunc_sat_f64_s", "F", "I", "TruncSatSFloat64ToInt64"],
  ["i64.trunc_sat_f64_u", "F", "I", "TruncSatUFloat64ToInt64"],
].forEach(([n, p, r, b], i) => numeric(0xfc00 + i, n, p, r, b));

// Memory.
const loads: [number, string, string, number, boolean][] = [
  [0x28, "i32.load", "i", 4, false],
  [0x29, "i64.load", "I", 8, false],
  [0x2a, "f32.load", "f", 4, false],
  [0x2b, "f64.load", "F", 8, false],
  [0x2c, "i32.load8_s", "i", 1, true],
  [0x2d, "i32.load8_u", "i", 1, false],
  [0x2e, "i32.load16_s", "i", 2, true],
  [0x2f, "i32.load16_u", "i", 2, false],
  [0x30, "i64.load8_s", "I", 1, true],
  [0x31, "i64.load8_u", "I", 1, false],
  [0x32, "i64.load16_s", "I", 2, true],
  [0x33, "i64.load16_u", "I", 2, false],
  [0x34, "i64.load32_s", "I", 4, true],
  [0x35, "i64.load32_u", "I", 4, false],
];
for (const [code, name, r, bytes, signed] of loads)
  rows.push({ name, code, params: ["i32"], results: sig(r), cls: "load", traps: true, bytes, signed });
const stores: [number, string, string, number][] = [
  [0x36, "i32.store", "i", 4],
  [0x37, "i64.store", "I", 8],
  [0x38, "f32.store", "f", 4],
  [0x39, "f64.store", "F", 8],
  [0x3a, "i32.store8", "i", 1],
  [0x3b, "i32.store16", "i", 2],
  [0x3c, "i64.store8", "I", 1],
  [0x3d, "i64.store16", "I", 2],
  [0x3e, "i64.store32", "I", 4],
];
for (const [code, name, v, bytes] of stores)
  rows.push({ name, code, params: ["i32", ...sig(v)], results: [], cls: "store", traps: true, bytes });

export const OPS_BY_CODE: ReadonlyMap<number, OpInfo> = new Map(rows.map((r) => [r.code, r]));
export const OPS_BY_NAME: ReadonlyMap<string, OpInfo> = new Map(rows.map((r) => [r.name, r]));
export const ALL_TABLE_OPS: readonly OpInfo[] = rows;
