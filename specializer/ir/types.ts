// Value types and bit-exact constants of the specializer IR. A `Const` is the one representation of a Wasm
// constant used by the frontend, the folder, the printer/parser and the backend:
//   i32: a JS number in signed form (`x | 0`)        i64: a BigInt in signed form (BigInt.asIntN(64, x))
//   f32: its bits as a u32 number (`x >>> 0`)        f64: its bits as a u64 BigInt (BigInt.asUintN(64, x))
// Floats are kept as bits so NaN payloads and -0 survive every step. Relies on nothing.

export type ValType = "i32" | "i64" | "f32" | "f64";
export const VAL_TYPES: readonly ValType[] = ["i32", "i64", "f32", "f64"];

export type Const =
  | { type: "i32"; bits: number }
  | { type: "i64"; bits: bigint }
  | { type: "f32"; bits: number }
  | { type: "f64"; bits: bigint };

const scratch = new DataView(new ArrayBuffer(8));

export function i32Const(n: number): Const {
  return { type: "i32", bits: n | 0 };
}
export function i64Const(n: bigint): Const {
  return { type: "i64", bits: BigInt.asIntN(64, n) };
}
export function f32ConstBits(bits: number): Const {
  return { type: "f32", bits: bits >>> 0 };
}
export function f64ConstBits(bits: bigint): Const {
  return { type: "f64", bits: BigInt.asUintN(64, bits) };
}
/** An f32 constant from a JS number (rounded to f32). NaN becomes the canonical quiet NaN. */
export function f32Const(x: number): Const {
  scratch.setFloat32(0, x, true);
  return f32ConstBits(scratch.getUint32(0, true));
}
export function f64Const(x: number): Const {
  scratch.setFloat64(0, x, true);
  return f64ConstBits(scratch.getBigUint64(0, true));
}
export function f32BitsToNumber(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}
export function f64BitsToNumber(bits: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, bits), true);
  return scratch.getFloat64(0, true);
}

/** The all-zero constant of a type (what a declared local holds before its first write). */
export function zeroConst(type: ValType): Const {
  switch (type) {
    case "i32":
      return i32Const(0);
    case "i64":
      return i64Const(0n);
    case "f32":
      return f32ConstBits(0);
    case "f64":
      return f64ConstBits(0n);
  }
}

export function constEquals(a: Const, b: Const): boolean {
  return a.type === b.type && a.bits === b.bits;
}

/** Text form used by the printer: i32/i64 in signed decimal, floats as hex bits (exact), e.g. `0x3fc00000`. */
export function formatConst(c: Const): string {
  switch (c.type) {
    case "i32":
    case "i64":
      return String(c.bits);
    case "f32":
      return "0x" + c.bits.toString(16).padStart(8, "0");
    case "f64":
      return "0x" + c.bits.toString(16).padStart(16, "0");
  }
}

/** A human reading of a float constant (for comments), or undefined for integers. */
export function describeConst(c: Const): string | undefined {
  if (c.type === "f32") return String(f32BitsToNumber(c.bits));
  if (c.type === "f64") return String(f64BitsToNumber(c.bits));
  return undefined;
}

/** Inverse of formatConst; returns undefined if `text` is not a valid constant of `type`. */
export function parseConst(type: ValType, text: string): Const | undefined {
  if (!/^-?(0x[0-9a-fA-F]+|[0-9]+)$/.test(text)) return undefined;
  const big = BigInt(text);
  switch (type) {
    case "i32":
      return big >= -(1n << 31n) && big < 1n << 32n ? i32Const(Number(big)) : undefined;
    case "i64":
      return big >= -(1n << 63n) && big < 1n << 64n ? i64Const(big) : undefined;
    case "f32":
      return big >= 0n && big < 1n << 32n ? f32ConstBits(Number(big)) : undefined;
    case "f64":
      return big >= 0n && big < 1n << 64n ? f64ConstBits(big) : undefined;
  }
}

export function isValType(s: string): s is ValType {
  return s === "i32" || s === "i64" || s === "f32" || s === "f64";
}
