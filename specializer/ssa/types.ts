// Value types and the bit-exact constant representation shared by the IR, the constant folder, the frontend,
// the backend and the specializer. Floats are kept as their bit patterns so NaN payloads survive folding.

export type ValType = "i32" | "i64" | "f32" | "f64";

/** A constant: i32 and f32 as u32 bit patterns in a number, i64 and f64 as u64 bit patterns in a BigInt. */
export type Const =
  | { type: "i32"; bits: number }
  | { type: "i64"; bits: bigint }
  | { type: "f32"; bits: number }
  | { type: "f64"; bits: bigint };

export const i32 = (v: number): Const => ({ type: "i32", bits: v >>> 0 });
export const i64 = (v: bigint): Const => ({ type: "i64", bits: BigInt.asUintN(64, v) });

const scratch = new DataView(new ArrayBuffer(8));

export function f32FromNumber(x: number): Const {
  scratch.setFloat32(0, x, true);
  return { type: "f32", bits: scratch.getUint32(0, true) };
}
export function f64FromNumber(x: number): Const {
  scratch.setFloat64(0, x, true);
  return { type: "f64", bits: scratch.getBigUint64(0, true) };
}
export function f32ToNumber(bits: number): number {
  scratch.setUint32(0, bits >>> 0, true);
  return scratch.getFloat32(0, true);
}
export function f64ToNumber(bits: bigint): number {
  scratch.setBigUint64(0, bits, true);
  return scratch.getFloat64(0, true);
}

export function constEquals(a: Const, b: Const): boolean {
  return a.type === b.type && a.bits === b.bits;
}

export function zero(type: ValType): Const {
  return type === "i32" || type === "f32" ? ({ type, bits: 0 } as Const) : ({ type, bits: 0n } as Const);
}

/** Text form used by the IR printer and parser: `i32 7`, `i64 -1` (signed decimal), `f32 0x7fc00000` (bits). */
export function formatConst(c: Const): string {
  switch (c.type) {
    case "i32":
      return `${c.bits | 0}`;
    case "i64":
      return `${BigInt.asIntN(64, c.bits)}`;
    case "f32":
      return `0x${c.bits.toString(16).padStart(8, "0")}`;
    case "f64":
      return `0x${c.bits.toString(16).padStart(16, "0")}`;
  }
}

export function parseConst(type: ValType, text: string): Const {
  switch (type) {
    case "i32":
      return i32(Number(BigInt.asIntN(32, BigInt(text))));
    case "i64":
      return i64(BigInt(text));
    case "f32":
      return { type, bits: Number(BigInt(text)) >>> 0 };
    case "f64":
      return { type, bits: BigInt.asUintN(64, BigInt(text)) };
  }
}

/** Is the unsigned value of an integer constant zero? */
export function isZero(c: Const): boolean {
  return c.type === "i32" || c.type === "f32" ? c.bits === 0 : c.bits === 0n;
}
