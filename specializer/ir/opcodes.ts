// The opcode table: the one source of truth for every Wasm instruction the IR knows. Each row gives the binary
// opcode (0xFC-prefixed ones as 0xFC00 + sub-opcode), the text name (also the IR operator name), the immediate
// kind, the fixed signature where there is one, and the effect class. The frontend decodes with it, the printer
// and parser check names against it, effects.ts derives effects from it, the folder and the backend dispatch on
// its names. Control instructions (block, br, local.get, …) are listed too, with kind "control": they become CFG
// edges and SSA values, never IR operators. Relies on types.ts.
import type { ValType } from "./types.ts";

export type ImmKind =
  | "none"
  | "memarg"
  | "const"
  | "func" // call: function index
  | "call_indirect" // type index, table index
  | "global"
  | "local"
  | "blocktype"
  | "label"
  | "br_table"
  | "memory" // memory.size/grow: memory index (must be 0)
  | "memory.init" // data index, memory index
  | "data" // data.drop
  | "memory.copy" // two memory indexes
  | "select_t"; // vector of value types

/** What an operator may do besides computing its results (see effects.ts). */
export type EffectClass =
  | "pure"
  | "trap" // pure, but may trap (div, rem, trapping float→int)
  | "load"
  | "store"
  | "global.get"
  | "global.set"
  | "call"
  | "memory.size"
  | "memory.grow"
  | "memory.bulk" // memory.copy/fill/init: read+write memory, may trap
  | "data.drop"
  | "control";

export interface OpInfo {
  code: number;
  name: string;
  imm: ImmKind;
  /** Fixed operand and result types; absent for ops whose signature depends on immediates (calls, globals, select). */
  params?: ValType[];
  results?: ValType[];
  effect: EffectClass;
  /** Loads/stores: the access width in bytes (the natural alignment's upper bound). */
  bytes?: number;
}

const T: Record<string, ValType> = { i: "i32", I: "i64", f: "f32", F: "f64" };
function sig(s: string): { params: ValType[]; results: ValType[] } {
  const [p, r] = s.split(">");
  return { params: [...p].map((c) => T[c]), results: [...r].map((c) => T[c]) };
}

const rows: OpInfo[] = [];
function add(code: number, name: string, imm: ImmKind, signature: string | undefined, effect: EffectClass, bytes?: number) {
  rows.push({ code, name, imm, ...(signature === undefined ? {} : sig(signature)), effect, ...(bytes ? { bytes } : {}) });
}

// Control and variable instructions (handled structurally by the frontend).
add(0x00, "unreachable", "none", undefined, "control");
add(0x01, "nop", "none", undefined, "control");
add(0x02, "block", "blocktype", undefined, "control");
add(0x03, "loop", "blocktype", undefined, "control");
add(0x04, "if", "blocktype", undefined, "control");
add(0x05, "else", "none", undefined, "control");
add(0x0b, "end", "none", undefined, "control");
add(0x0c, "br", "label", undefined, "control");
add(0x0d, "br_if", "label", undefined, "control");
add(0x0e, "br_table", "br_table", undefined, "control");
add(0x0f, "return", "none", undefined, "control");
add(0x1a, "drop", "none", undefined, "control");
add(0x20, "local.get", "local", undefined, "control");
add(0x21, "local.set", "local", undefined, "control");
add(0x22, "local.tee", "local", undefined, "control");

// Operators that become IR values.
add(0x10, "call", "func", undefined, "call");
add(0x11, "call_indirect", "call_indirect", undefined, "call");
add(0x1b, "select", "none", undefined, "pure");
add(0x1c, "select", "select_t", undefined, "pure"); // typed select: same IR operator
add(0x23, "global.get", "global", undefined, "global.get");
add(0x24, "global.set", "global", undefined, "global.set");

const loads: [number, string, string, number][] = [
  [0x28, "i32.load", "i>i", 4], [0x29, "i64.load", "i>I", 8], [0x2a, "f32.load", "i>f", 4], [0x2b, "f64.load", "i>F", 8],
  [0x2c, "i32.load8_s", "i>i", 1], [0x2d, "i32.load8_u", "i>i", 1], [0x2e, "i32.load16_s", "i>i", 2], [0x2f, "i32.load16_u", "i>i", 2],
  [0x30, "i64.load8_s", "i>I", 1], [0x31, "i64.load8_u", "i>I", 1], [0x32, "i64.load16_s", "i>I", 2], [0x33, "i64.load16_u", "i>I", 2],
  [0x34, "i64.load32_s", "i>I", 4], [0x35, "i64.load32_u", "i>I", 4],
];
for (const [c, n, s, b] of loads) add(c, n, "memarg", s, "load", b);
const stores: [number, string, string, number][] = [
  [0x36, "i32.store", "ii>", 4], [0x37, "i64.store", "iI>", 8], [0x38, "f32.store", "if>", 4], [0x39, "f64.store", "iF>", 8],
  [0x3a, "i32.store8", "ii>", 1], [0x3b, "i32.store16", "ii>", 2], [0x3c, "i64.store8", "iI>", 1], [0x3d, "i64.store16", "iI>", 2],
  [0x3e, "i64.store32", "iI>", 4],
];
for (const [c, n, s, b] of stores) add(c, n, "memarg", s, "store", b);
add(0x3f, "memory.size", "memory", ">i", "memory.size");
add(0x40, "memory.grow", "memory", "i>i", "memory.grow");
add(0x41, "i32.const", "const", ">i", "pure");
add(0x42, "i64.const", "const", ">I", "pure");
add(0x43, "f32.const", "const", ">f", "pure");
add(0x44, "f64.const", "const", ">F", "pure");

// Numeric instructions 0x45..0xc4, in opcode order: [name, signature, effect].
const numeric: [string, string, EffectClass?][] = [
  ["i32.eqz", "i>i"], ["i32.eq", "ii>i"], ["i32.ne", "ii>i"], ["i32.lt_s", "ii>i"], ["i32.lt_u", "ii>i"], ["i32.gt_s", "ii>i"],
  ["i32.gt_u", "ii>i"], ["i32.le_s", "ii>i"], ["i32.le_u", "ii>i"], ["i32.ge_s", "ii>i"], ["i32.ge_u", "ii>i"],
  ["i64.eqz", "I>i"], ["i64.eq", "II>i"], ["i64.ne", "II>i"], ["i64.lt_s", "II>i"], ["i64.lt_u", "II>i"], ["i64.gt_s", "II>i"],
  ["i64.gt_u", "II>i"], ["i64.le_s", "II>i"], ["i64.le_u", "II>i"], ["i64.ge_s", "II>i"], ["i64.ge_u", "II>i"],
  ["f32.eq", "ff>i"], ["f32.ne", "ff>i"], ["f32.lt", "ff>i"], ["f32.gt", "ff>i"], ["f32.le", "ff>i"], ["f32.ge", "ff>i"],
  ["f64.eq", "FF>i"], ["f64.ne", "FF>i"], ["f64.lt", "FF>i"], ["f64.gt", "FF>i"], ["f64.le", "FF>i"], ["f64.ge", "FF>i"],
  ["i32.clz", "i>i"], ["i32.ctz", "i>i"], ["i32.popcnt", "i>i"], ["i32.add", "ii>i"], ["i32.sub", "ii>i"], ["i32.mul", "ii>i"],
  ["i32.div_s", "ii>i", "trap"], ["i32.div_u", "ii>i", "trap"], ["i32.rem_s", "ii>i", "trap"], ["i32.rem_u", "ii>i", "trap"],
  ["i32.and", "ii>i"], ["i32.or", "ii>i"], ["i32.xor", "ii>i"], ["i32.shl", "ii>i"], ["i32.shr_s", "ii>i"], ["i32.shr_u", "ii>i"],
  ["i32.rotl", "ii>i"], ["i32.rotr", "ii>i"],
  ["i64.clz", "I>I"], ["i64.ctz", "I>I"], ["i64.popcnt", "I>I"], ["i64.add", "II>I"], ["i64.sub", "II>I"], ["i64.mul", "II>I"],
  ["i64.div_s", "II>I", "trap"], ["i64.div_u", "II>I", "trap"], ["i64.rem_s", "II>I", "trap"], ["i64.rem_u", "II>I", "trap"],
  ["i64.and", "II>I"], ["i64.or", "II>I"], ["i64.xor", "II>I"], ["i64.shl", "II>I"], ["i64.shr_s", "II>I"], ["i64.shr_u", "II>I"],
  ["i64.rotl", "II>I"], ["i64.rotr", "II>I"],
  ["f32.abs", "f>f"], ["f32.neg", "f>f"], ["f32.ceil", "f>f"], ["f32.floor", "f>f"], ["f32.trunc", "f>f"], ["f32.nearest", "f>f"],
  ["f32.sqrt", "f>f"], ["f32.add", "ff>f"], ["f32.sub", "ff>f"], ["f32.mul", "ff>f"], ["f32.div", "ff>f"], ["f32.min", "ff>f"],
  ["f32.max", "ff>f"], ["f32.copysign", "ff>f"],
  ["f64.abs", "F>F"], ["f64.neg", "F>F"], ["f64.ceil", "F>F"], ["f64.floor", "F>F"], ["f64.trunc", "F>F"], ["f64.nearest", "F>F"],
  ["f64.sqrt", "F>F"], ["f64.add", "FF>F"], ["f64.sub", "FF>F"], ["f64.mul", "FF>F"], ["f64.div", "FF>F"], ["f64.min", "FF>F"],
  ["f64.max", "FF>F"], ["f64.copysign", "FF>F"],
  ["i32.wrap_i64", "I>i"], ["i32.trunc_f32_s", "f>i", "trap"], ["i32.trunc_f32_u", "f>i", "trap"],
  ["i32.trunc_f64_s", "F>i", "trap"], ["i32.trunc_f64_u", "F>i", "trap"], ["i64.extend_i32_s", "i>I"], ["i64.extend_i32_u", "i>I"],
  ["i64.trunc_f32_s", "f>I", "trap"], ["i64.trunc_f32_u", "f>I", "trap"], ["i64.trunc_f64_s", "F>I", "trap"],
  ["i64.trunc_f64_u", "F>I", "trap"], ["f32.convert_i32_s", "i>f"], ["f32.convert_i32_u", "i>f"], ["f32.convert_i64_s", "I>f"],
  ["f32.convert_i64_u", "I>f"], ["f32.demote_f64", "F>f"], ["f64.convert_i32_s", "i>F"], ["f64.convert_i32_u", "i>F"],
  ["f64.convert_i64_s", "I>F"], ["f64.convert_i64_u", "I>F"], ["f64.promote_f32", "f>F"], ["i32.reinterpret_f32", "f>i"],
  ["i64.reinterpret_f64", "F>I"], ["f32.reinterpret_i32", "i>f"], ["f64.reinterpret_i64", "I>F"],
  // Sign extension (0xc0..0xc4).
  ["i32.extend8_s", "i>i"], ["i32.extend16_s", "i>i"], ["i64.extend8_s", "I>I"], ["i64.extend16_s", "I>I"], ["i64.extend32_s", "I>I"],
];
numeric.forEach(([n, s, e], i) => add(0x45 + i, n, "none", s, e ?? "pure"));
if (rows[rows.length - 1].code !== 0xc4) throw new Error("opcode table: numeric rows are misnumbered");

// 0xFC prefix: non-trapping float-to-int and bulk memory.
const sat: [string, string][] = [
  ["i32.trunc_sat_f32_s", "f>i"], ["i32.trunc_sat_f32_u", "f>i"], ["i32.trunc_sat_f64_s", "F>i"], ["i32.trunc_sat_f64_u", "F>i"],
  ["i64.trunc_sat_f32_s", "f>I"], ["i64.trunc_sat_f32_u", "f>I"], ["i64.trunc_sat_f64_s", "F>I"], ["i64.trunc_sat_f64_u", "F>I"],
];
sat.forEach(([n, s], i) => add(0xfc00 + i, n, "none", s, "pure"));
add(0xfc08, "memory.init", "memory.init", "iii>", "memory.bulk");
add(0xfc09, "data.drop", "data", ">", "data.drop");
add(0xfc0a, "memory.copy", "memory.copy", "iii>", "memory.bulk");
add(0xfc0b, "memory.fill", "memory", "iii>", "memory.bulk");

/** Opcode → row, for the decoder. */
export const OPCODES: ReadonlyMap<number, OpInfo> = new Map(rows.map((r) => [r.code, r]));
/** IR operator name → row (typed select maps to the plain `select` row). */
export const OPS_BY_NAME: ReadonlyMap<string, OpInfo> = new Map(
  rows.filter((r) => r.effect !== "control" && r.code !== 0x1c).map((r) => [r.name, r]),
);

export function opInfo(name: string): OpInfo | undefined {
  return OPS_BY_NAME.get(name);
}

/** Names of well-known opcodes we reject, for precise "unsupported" errors. */
export function unsupportedOpcodeName(code: number): string {
  const known: Record<number, string> = {
    0x06: "try", 0x07: "catch", 0x08: "throw", 0x09: "rethrow", 0x0a: "throw_ref", 0x12: "return_call",
    0x13: "return_call_indirect", 0x14: "call_ref", 0x15: "return_call_ref", 0x18: "delegate", 0x19: "catch_all",
    0x1f: "try_table", 0x25: "table.get", 0x26: "table.set", 0xd0: "ref.null", 0xd1: "ref.is_null", 0xd2: "ref.func",
    0xfb: "GC prefix 0xfb", 0xfd: "SIMD prefix 0xfd", 0xfe: "threads prefix 0xfe",
    0xfc0c: "table.init", 0xfc0d: "elem.drop", 0xfc0e: "table.copy", 0xfc0f: "table.grow", 0xfc10: "table.size",
    0xfc11: "table.fill",
  };
  const hex = code > 0xff ? `0xfc ${code & 0xff}` : `0x${code.toString(16).padStart(2, "0")}`;
  return known[code] ? `${known[code]} (${hex})` : `unknown opcode ${hex}`;
}
