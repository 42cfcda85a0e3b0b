// The one constant folder, shared by the specializer and the tests: evaluates a numeric operator on constant
// operands with exact Wasm semantics — integers wrap, shift and rotate counts are taken modulo the width,
// comparisons give i32 0/1. What it must not decide it leaves unfolded (returns undefined): anything that would
// trap (division by zero, signed overflow of div_s, trapping float-to-int out of range or NaN), and float results
// that are NaN (Wasm lets engines pick NaN bits, so folding would fix bits the engine might not), and i64→f32
// conversions of integers above 2^53 (JS would round twice). Bit-level float operators (abs, neg, copysign,
// reinterpret) are exact, NaN payloads included. `readConst` is the other half: the constant a load reads from known
// bytes.
import { f32FromNumber, f32ToNumber, f64FromNumber, f64ToNumber, i32, i64, type Const, type ValType } from "./types.ts";
import { OPS_BY_NAME } from "./wasm-ops.ts";

const M32 = 0xffffffff;
const b2i = (b: boolean): Const => ({ type: "i32", bits: b ? 1 : 0 });
const u32 = (x: number): Const => ({ type: "i32", bits: x >>> 0 });
const u64 = (x: bigint): Const => ({ type: "i64", bits: BigInt.asUintN(64, x) });
const s32 = (x: number) => x | 0;
const s64 = (x: bigint) => BigInt.asIntN(64, x);

function f32(x: number): Const | undefined {
  const r = Math.fround(x);
  return Number.isNaN(r) ? undefined : f32FromNumber(r);
}
function f64(x: number): Const | undefined {
  return Number.isNaN(x) ? undefined : f64FromNumber(x);
}

/** Round half to even (Wasm `nearest`). */
function nearest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const r = Math.round(x);
  const rounded = Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
  return rounded === 0 ? (x < 0 ? -0 : 0) : rounded;
}

function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}
function popcnt32(x: number): number {
  let n = 0;
  for (x >>>= 0; x; x &= x - 1) n++;
  return n;
}
function clz64(x: bigint): number {
  const hi = Number(x >> 32n);
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(x & 0xffffffffn));
}
function ctz64(x: bigint): number {
  const lo = Number(x & 0xffffffffn);
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(Number(x >> 32n));
}

/** Truncate a float toward zero into [lo, hi], or undefined (trap) outside it or for NaN. */
function truncChecked(x: number, lo: number, hi: number): number | undefined {
  if (Number.isNaN(x)) return undefined;
  const t = Math.trunc(x);
  return t < lo || t > hi ? undefined : t;
}
function truncSat(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(Math.max(Math.trunc(x), lo), hi);
}
function truncCheckedBig(x: number, signed: boolean): bigint | undefined {
  if (Number.isNaN(x) || !Number.isFinite(x)) return undefined;
  const t = BigInt(Math.trunc(x));
  const [lo, hi] = signed ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
  return t < lo || t > hi ? undefined : t;
}
function truncSatBig(x: number, signed: boolean): bigint {
  if (Number.isNaN(x)) return 0n;
  const [lo, hi] = signed ? [-(1n << 63n), (1n << 63n) - 1n] : [0n, (1n << 64n) - 1n];
  if (x === Infinity) return hi;
  if (x === -Infinity) return lo;
  const t = BigInt(Math.trunc(x));
  return t < lo ? lo : t > hi ? hi : t;
}

const F32_SIGN = 0x80000000;
const F64_SIGN = 1n << 63n;

/** A folder of an i32 operator on i32 operands, on their bits (u32 numbers): the result's bits, or undefined where it
 *  traps. */
export type I32Fold = (a: number, b: number) => number | undefined;

const bit = (x: boolean): number => (x ? 1 : 0);

/** The i32 operators on i32 operands, as `fold` evaluates them: a table, so that the specializer looks its operator's
 *  folder up once per generic instruction and folds on numbers (weval/operators.ts), not through `fold`'s lookups
 *  and a new constant per result. */
const I32_FOLDS: ReadonlyMap<string, I32Fold> = new Map<string, I32Fold>([
  ["i32.eqz", (a) => bit(a === 0)],
  ["i32.eq", (a, b) => bit(a === b)],
  ["i32.ne", (a, b) => bit(a !== b)],
  ["i32.lt_s", (a, b) => bit(s32(a) < s32(b))],
  ["i32.lt_u", (a, b) => bit(a < b)],
  ["i32.gt_s", (a, b) => bit(s32(a) > s32(b))],
  ["i32.gt_u", (a, b) => bit(a > b)],
  ["i32.le_s", (a, b) => bit(s32(a) <= s32(b))],
  ["i32.le_u", (a, b) => bit(a <= b)],
  ["i32.ge_s", (a, b) => bit(s32(a) >= s32(b))],
  ["i32.ge_u", (a, b) => bit(a >= b)],
  ["i32.clz", (a) => Math.clz32(a)],
  ["i32.ctz", (a) => ctz32(a)],
  ["i32.popcnt", (a) => popcnt32(a)],
  ["i32.add", (a, b) => (a + b) >>> 0],
  ["i32.sub", (a, b) => (a - b) >>> 0],
  ["i32.mul", (a, b) => Math.imul(a, b) >>> 0],
  [
    "i32.div_s",
    (a, b) => (b === 0 || (s32(a) === -0x80000000 && s32(b) === -1) ? undefined : Math.trunc(s32(a) / s32(b)) >>> 0),
  ],
  ["i32.div_u", (a, b) => (b === 0 ? undefined : Math.trunc(a / b) >>> 0)],
  ["i32.rem_s", (a, b) => (b === 0 ? undefined : (s32(b) === -1 ? 0 : s32(a) % s32(b)) >>> 0)],
  ["i32.rem_u", (a, b) => (b === 0 ? undefined : (a % b) >>> 0)],
  ["i32.and", (a, b) => (a & b) >>> 0],
  ["i32.or", (a, b) => (a | b) >>> 0],
  ["i32.xor", (a, b) => (a ^ b) >>> 0],
  ["i32.shl", (a, b) => (a << (b & 31)) >>> 0],
  ["i32.shr_s", (a, b) => (s32(a) >> (b & 31)) >>> 0],
  ["i32.shr_u", (a, b) => a >>> (b & 31)],
  ["i32.rotl", (a, b) => ((a << (b & 31)) | (a >>> ((32 - (b & 31)) & 31))) >>> 0],
  ["i32.rotr", (a, b) => ((a >>> (b & 31)) | (a << ((32 - (b & 31)) & 31))) >>> 0],
  ["i32.extend8_s", (a) => ((a << 24) >> 24) >>> 0],
  ["i32.extend16_s", (a) => ((a << 16) >> 16) >>> 0],
]);

/** The folder of `op` when it is an i32 operator on i32 operands (see I32_FOLDS). */
export const i32Fold = (op: string): I32Fold | undefined => I32_FOLDS.get(op);

/** Fold `op` over constant operands; undefined when it does not fold (see the header). The i32 operators by
 *  I32_FOLDS, the others by a table-shaped switch, one line per numeric operator: its length is the operator set's,
 *  not logic (STYLE.md's exception). */
export function fold(op: string, args: Const[]): Const | undefined {
  const info = OPS_BY_NAME.get(op);
  if (!info || info.cls !== "numeric" || args.length !== info.params.length) return undefined;
  for (let i = 0; i < args.length; i++) if (args[i].type !== info.params[i]) return undefined;
  const [a, b] = args;
  const onI32 = a.type === "i32" ? I32_FOLDS.get(op) : undefined;
  if (onI32) {
    const r = onI32(a.bits as number, (b?.bits as number) ?? 0);
    return r === undefined ? undefined : { type: "i32", bits: r };
  }
  const ia = a.type === "i32" ? (a.bits as number) : 0;
  const la = a.type === "i64" ? (a.bits as bigint) : 0n;
  const lb = b?.type === "i64" ? (b.bits as bigint) : 0n;
  const fa = a.type === "f32" ? f32ToNumber(a.bits as number) : a.type === "f64" ? f64ToNumber(a.bits as bigint) : 0;
  const fb = b?.type === "f32" ? f32ToNumber(b.bits as number) : b?.type === "f64" ? f64ToNumber(b.bits as bigint) : 0;
  const anyNaN = Number.isNaN(fa) || Number.isNaN(fb);
  switch (op) {
    // ---- i64 ----
    case "i64.eqz":
      return b2i(la === 0n);
    case "i64.eq":
      return b2i(la === lb);
    case "i64.ne":
      return b2i(la !== lb);
    case "i64.lt_s":
      return b2i(s64(la) < s64(lb));
    case "i64.lt_u":
      return b2i(la < lb);
    case "i64.gt_s":
      return b2i(s64(la) > s64(lb));
    case "i64.gt_u":
      return b2i(la > lb);
    case "i64.le_s":
      return b2i(s64(la) <= s64(lb));
    case "i64.le_u":
      return b2i(la <= lb);
    case "i64.ge_s":
      return b2i(s64(la) >= s64(lb));
    case "i64.ge_u":
      return b2i(la >= lb);
    case "i64.clz":
      return u64(BigInt(clz64(la)));
    case "i64.ctz":
      return u64(BigInt(ctz64(la)));
    case "i64.popcnt":
      return u64(BigInt(popcnt32(Number(la >> 32n)) + popcnt32(Number(la & 0xffffffffn))));
    case "i64.add":
      return u64(la + lb);
    case "i64.sub":
      return u64(la - lb);
    case "i64.mul":
      return u64(la * lb);
    case "i64.div_s":
      return lb === 0n || (s64(la) === -(1n << 63n) && s64(lb) === -1n) ? undefined : u64(s64(la) / s64(lb));
    case "i64.div_u":
      return lb === 0n ? undefined : u64(la / lb);
    case "i64.rem_s":
      return lb === 0n ? undefined : u64(s64(lb) === -1n ? 0n : s64(la) % s64(lb));
    case "i64.rem_u":
      return lb === 0n ? undefined : u64(la % lb);
    case "i64.and":
      return u64(la & lb);
    case "i64.or":
      return u64(la | lb);
    case "i64.xor":
      return u64(la ^ lb);
    case "i64.shl":
      return u64(la << (lb & 63n));
    case "i64.shr_s":
      return u64(s64(la) >> (lb & 63n));
    case "i64.shr_u":
      return u64(la >> (lb & 63n));
    case "i64.rotl": {
      const k = lb & 63n;
      return u64((la << k) | (la >> ((64n - k) & 63n)));
    }
    case "i64.rotr": {
      const k = lb & 63n;
      return u64((la >> k) | (la << ((64n - k) & 63n)));
    }
    // ---- floats: comparisons are defined for NaN ----
    case "f32.eq":
    case "f64.eq":
      return b2i(fa === fb);
    case "f32.ne":
    case "f64.ne":
      return b2i(fa !== fb);
    case "f32.lt":
    case "f64.lt":
      return b2i(fa < fb);
    case "f32.gt":
    case "f64.gt":
      return b2i(fa > fb);
    case "f32.le":
    case "f64.le":
      return b2i(fa <= fb);
    case "f32.ge":
    case "f64.ge":
      return b2i(fa >= fb);
    // ---- bit-level float operators: exact, NaN payloads included ----
    case "f32.abs":
      return { type: "f32", bits: ((a.bits as number) & ~F32_SIGN) >>> 0 };
    case "f32.neg":
      return { type: "f32", bits: ((a.bits as number) ^ F32_SIGN) >>> 0 };
    case "f32.copysign":
      return { type: "f32", bits: (((a.bits as number) & ~F32_SIGN) | ((b.bits as number) & F32_SIGN)) >>> 0 };
    case "f64.abs":
      return { type: "f64", bits: (a.bits as bigint) & ~F64_SIGN };
    case "f64.neg":
      return { type: "f64", bits: (a.bits as bigint) ^ F64_SIGN };
    case "f64.copysign":
      return { type: "f64", bits: ((a.bits as bigint) & ~F64_SIGN) | ((b.bits as bigint) & F64_SIGN) };
    case "i32.reinterpret_f32":
      return { type: "i32", bits: a.bits as number };
    case "f32.reinterpret_i32":
      return { type: "f32", bits: a.bits as number };
    case "i64.reinterpret_f64":
      return { type: "i64", bits: a.bits as bigint };
    case "f64.reinterpret_i64":
      return { type: "f64", bits: a.bits as bigint };
  }
  // ---- float arithmetic: NaN results stay unfolded ----
  if (anyNaN && !op.includes("convert") && !op.startsWith("i")) return undefined;
  switch (op) {
    case "f32.ceil":
      return f32(Math.ceil(fa));
    case "f32.floor":
      return f32(Math.floor(fa));
    case "f32.trunc":
      return f32(Math.trunc(fa));
    case "f32.nearest":
      return f32(nearest(fa));
    case "f32.sqrt":
      return f32(Math.sqrt(fa));
    case "f32.add":
      return f32(fa + fb);
    case "f32.sub":
      return f32(fa - fb);
    case "f32.mul":
      return f32(fa * fb);
    case "f32.div":
      return f32(fa / fb);
    case "f32.min":
      return f32(Math.min(fa, fb));
    case "f32.max":
      return f32(Math.max(fa, fb));
    case "f64.ceil":
      return f64(Math.ceil(fa));
    case "f64.floor":
      return f64(Math.floor(fa));
    case "f64.trunc":
      return f64(Math.trunc(fa));
    case "f64.nearest":
      return f64(nearest(fa));
    case "f64.sqrt":
      return f64(Math.sqrt(fa));
    case "f64.add":
      return f64(fa + fb);
    case "f64.sub":
      return f64(fa - fb);
    case "f64.mul":
      return f64(fa * fb);
    case "f64.div":
      return f64(fa / fb);
    case "f64.min":
      return f64(Math.min(fa, fb));
    case "f64.max":
      return f64(Math.max(fa, fb));
    // ---- conversions ----
    case "i32.wrap_i64":
      return u32(Number(la & 0xffffffffn));
    case "i64.extend_i32_s":
      return u64(BigInt(s32(ia)));
    case "i64.extend_i32_u":
      return u64(BigInt(ia));
    case "i64.extend8_s":
      return u64(BigInt.asIntN(8, la));
    case "i64.extend16_s":
      return u64(BigInt.asIntN(16, la));
    case "i64.extend32_s":
      return u64(BigInt.asIntN(32, la));
    case "i32.trunc_f32_s":
    case "i32.trunc_f64_s": {
      const t = truncChecked(fa, -0x80000000, 0x7fffffff);
      return t === undefined ? undefined : u32(t);
    }
    case "i32.trunc_f32_u":
    case "i32.trunc_f64_u": {
      const t = truncChecked(fa, 0, M32);
      return t === undefined ? undefined : u32(t);
    }
    case "i64.trunc_f32_s":
    case "i64.trunc_f64_s": {
      const t = truncCheckedBig(fa, true);
      return t === undefined ? undefined : u64(t);
    }
    case "i64.trunc_f32_u":
    case "i64.trunc_f64_u": {
      const t = truncCheckedBig(fa, false);
      return t === undefined ? undefined : u64(t);
    }
    case "i32.trunc_sat_f32_s":
    case "i32.trunc_sat_f64_s":
      return u32(truncSat(fa, -0x80000000, 0x7fffffff));
    case "i32.trunc_sat_f32_u":
    case "i32.trunc_sat_f64_u":
      return u32(truncSat(fa, 0, M32));
    case "i64.trunc_sat_f32_s":
    case "i64.trunc_sat_f64_s":
      return u64(truncSatBig(fa, true));
    case "i64.trunc_sat_f32_u":
    case "i64.trunc_sat_f64_u":
      return u64(truncSatBig(fa, false));
    case "f32.convert_i32_s":
      return f32(s32(ia));
    case "f32.convert_i32_u":
      return f32(ia);
    case "f64.convert_i32_s":
      return f64(s32(ia));
    case "f64.convert_i32_u":
      return f64(ia);
    case "f32.convert_i64_s": {
      const x = s64(la);
      return x > 1n << 53n || x < -(1n << 53n) ? undefined : f32(Number(x));
    }
    case "f32.convert_i64_u":
      return la > 1n << 53n ? undefined : f32(Number(la));
    case "f64.convert_i64_s":
      return f64(Number(s64(la)));
    case "f64.convert_i64_u":
      return f64(Number(la));
    case "f32.demote_f64":
      return f32(fa);
    case "f64.promote_f32":
      return f64(fa);
  }
  return undefined;
}

/** The integer a load of 1, 2 or 4 bytes reads at `at` in `buf` (little-endian, as Wasm): sign-extended when
 *  `signed`, else zero-extended (a 4-byte read as a u32). Without BigInt or a DataView: the specializer reads bytecode
 *  this way, one operand at a time, and a DataView per read was most of toy's loads. */
export function readBits(buf: Uint8Array, at: number, bytes: number, signed: boolean): number {
  if (!(at >= 0 && at + bytes <= buf.length)) throw new RangeError("Offset is outside the bounds of the DataView");
  if (bytes === 1) return signed ? (buf[at] << 24) >> 24 : buf[at];
  if (bytes === 2) return signed ? ((buf[at] | (buf[at + 1] << 8)) << 16) >> 16 : buf[at] | (buf[at + 1] << 8);
  const n = buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
  return signed ? n : n >>> 0;
}

/** The constant a `bytes`-wide load of `type` reads at `at` in `buf` (little-endian, as Wasm). */
export function readConst(buf: Uint8Array, at: number, bytes: number, signed: boolean, type: ValType): Const {
  if (type === "i32" && bytes <= 4) return i32(readBits(buf, at, bytes, signed));
  if (type === "i64" && bytes <= 4) return i64(BigInt(readBits(buf, at, bytes, signed)));
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (type === "f32") return { type, bits: view.getUint32(at, true) };
  if (type === "f64") return { type, bits: view.getBigUint64(at, true) };
  // An 8-byte integer (i64.load; narrower integers are read above).
  const v = view.getBigUint64(at, true);
  return type === "i32" ? i32(Number(BigInt.asIntN(32, v))) : i64(v);
}

/** An integer constant's kind for the identities below: zero, one, all ones, or none of these. */
function special(c: Const): "0" | "1" | "-1" | undefined {
  if (c.type === "i32") return c.bits === 0 ? "0" : c.bits === 1 ? "1" : c.bits === M32 ? "-1" : undefined;
  if (c.type === "i64")
    return c.bits === 0n ? "0" : c.bits === 1n ? "1" : c.bits === (1n << 64n) - 1n ? "-1" : undefined;
  return undefined;
}

/** `<ty>.<name>`'s absorbing operands: `"name i k"` means operand i equal to k makes the result `r`, whatever the
 *  other operand (`"-1"` is all ones). Integers only: no float identity is exact (NaN, -0). Division is absent (a
 *  zero divisor traps); a remainder by 1 or -1 is 0 and cannot trap. Shift and rotate counts are modulo the width,
 *  so only a shifted 0 (or an arithmetically shifted or rotated -1) absorbs. */
const ABSORBING = new Map<string, "ty0" | "ty-1" | "b0" | "b1">([
  ["and 0 0", "ty0"],
  ["and 1 0", "ty0"],
  ["or 0 -1", "ty-1"],
  ["or 1 -1", "ty-1"],
  ["mul 0 0", "ty0"],
  ["mul 1 0", "ty0"],
  ["shl 0 0", "ty0"],
  ["shr_u 0 0", "ty0"],
  ["shr_s 0 0", "ty0"],
  ["shr_s 0 -1", "ty-1"],
  ["rotl 0 0", "ty0"],
  ["rotl 0 -1", "ty-1"],
  ["rotr 0 0", "ty0"],
  ["rotr 0 -1", "ty-1"],
  ["rem_u 1 1", "ty0"],
  ["rem_s 1 1", "ty0"],
  ["rem_s 1 -1", "ty0"],
  ["lt_u 1 0", "b0"], // x < 0
  ["ge_u 1 0", "b1"], // x >= 0
  ["gt_u 0 0", "b0"], // 0 > x
  ["le_u 0 0", "b1"], // 0 <= x
  ["gt_u 1 -1", "b0"], // x > max
  ["le_u 1 -1", "b1"], // x <= max
  ["lt_u 0 -1", "b0"], // max < x
  ["ge_u 0 -1", "b1"], // max >= x
]);

/** `<ty>.<name>`'s neutral operands: `"name i k"` means operand i equal to k makes the result the other operand. */
const NEUTRAL = new Set([
  "and 0 -1",
  "and 1 -1",
  "or 0 0",
  "or 1 0",
  "xor 0 0",
  "xor 1 0",
  "add 0 0",
  "add 1 0",
  "sub 1 0",
  "mul 0 1",
  "mul 1 1",
  "div_s 1 1",
  "div_u 1 1",
]);
const SHIFTS = new Set(["shl", "shr_s", "shr_u", "rotl", "rotr"]);

/** The operator names (after `i32.`/`i64.`) that have an absorbing operand. */
const ABSORBING_NAMES = new Set([...ABSORBING.keys()].map((k) => k.split(" ")[0]));

/** Whether `absorb` can give a constant for operator `op` on some operand (false for `add`, `sub`, … : the specializer
 *  asks once per generic instruction, not per evaluation). */
export function absorbs(op: string): boolean {
  const dot = op.indexOf(".");
  const ty = op.slice(0, dot);
  return (ty === "i32" || ty === "i64") && ABSORBING_NAMES.has(op.slice(dot + 1));
}

/** The constant a binary integer operator gives when operand `i` is `c`, whatever the other operand (`and x 0` is 0,
 *  `or x -1` is -1, `lt_u x 0` is 0 …); undefined when the result depends on the other operand. Exact: it never
 *  removes a trap and leaves floats alone. */
export function absorb(op: string, i: number, c: Const): Const | undefined {
  const dot = op.indexOf(".");
  const ty = op.slice(0, dot);
  if (c.type !== ty || (ty !== "i32" && ty !== "i64")) return undefined;
  const k = special(c);
  if (k === undefined) return undefined;
  const r = ABSORBING.get(`${op.slice(dot + 1)} ${i} ${k}`);
  if (r === undefined) return undefined;
  if (r === "b0" || r === "b1") return b2i(r === "b1");
  if (ty === "i32") return u32(r === "ty0" ? 0 : M32);
  return u64(r === "ty0" ? 0n : -1n);
}

/** Whether a binary integer operator returns its other operand unchanged when operand `i` is `c` (`and x -1`,
 *  `or x 0`, `add x 0`, `mul x 1`, a shift by a multiple of the width …). */
export function isNeutral(op: string, i: number, c: Const): boolean {
  const dot = op.indexOf(".");
  const ty = op.slice(0, dot);
  if (c.type !== ty || (ty !== "i32" && ty !== "i64")) return false;
  const name = op.slice(dot + 1);
  if (SHIFTS.has(name))
    return i === 1 && (c.type === "i32" ? ((c.bits as number) & 31) === 0 : ((c.bits as bigint) & 63n) === 0n);
  const k = special(c);
  return k !== undefined && NEUTRAL.has(`${name} ${i} ${k}`);
}

/** `<ty>.<name>` on two equal operands: the constant it gives whatever they are (`sub x x` is 0, `le_s x x` is 1). */
const SAME_OPERANDS = new Map<string, number>([
  ["sub", 0],
  ["xor", 0],
  ["eq", 1],
  ["ne", 0],
  ["lt_s", 0],
  ["lt_u", 0],
  ["gt_s", 0],
  ["gt_u", 0],
  ["le_s", 1],
  ["le_u", 1],
  ["ge_s", 1],
  ["ge_u", 1],
]);

/** The constant a binary integer operator gives on one value as both operands, or undefined. */
export function onSameOperands(op: string): Const | undefined {
  const dot = op.indexOf(".");
  const ty = op.slice(0, dot);
  if (ty !== "i32" && ty !== "i64") return undefined;
  const name = op.slice(dot + 1);
  const r = SAME_OPERANDS.get(name);
  if (r === undefined) return undefined;
  if (name === "sub" || name === "xor") return ty === "i32" ? u32(0) : u64(0n);
  return b2i(r === 1);
}
