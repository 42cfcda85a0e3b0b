// A cursor over Wasm binary bytes: LEB128 integers, float bits, names, value types. Every failure throws a
// WasmDecodeError naming the byte offset and what was being read (the caller adds the function and opcode).
// Relies on types.ts (core spec §5.2 for the encodings).
import type { ValType } from "./types.ts";

export class WasmDecodeError extends Error {
  constructor(
    readonly offset: number,
    readonly detail: string,
  ) {
    super(`byte ${offset} (0x${offset.toString(16)}): ${detail}`);
    this.name = "WasmDecodeError";
  }
}

const VALTYPE_BYTES: Record<number, ValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };
const REF_OR_VECTOR_NAMES: Record<number, string> = { 0x7b: "v128", 0x70: "funcref", 0x6f: "externref" };

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
    readonly end = bytes.length,
  ) {}

  fail(detail: string, at = this.pos): never {
    throw new WasmDecodeError(at, detail);
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail("unexpected end of input");
    return this.bytes[this.pos++];
  }

  u32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
      shift += 7;
      if (shift > 28 + 7) this.fail("u32 LEB128 too long", start);
    }
    if (result > 0xffffffff) this.fail("u32 LEB128 out of range", start);
    return result;
  }

  /** Signed LEB128 of up to `bits` bits, as a BigInt. */
  sleb(bits: number): bigint {
    let result = 0n;
    let shift = 0n;
    const start = this.pos;
    let b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (shift > BigInt(bits) + 7n) this.fail(`s${bits} LEB128 too long`, start);
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return BigInt.asIntN(bits, result);
  }

  s32(): number {
    return Number(this.sleb(32));
  }

  f32bits(): number {
    if (this.pos + 4 > this.end) this.fail("unexpected end of input in f32");
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getUint32(0, true);
    this.pos += 4;
    return v;
  }

  f64bits(): bigint {
    if (this.pos + 8 > this.end) this.fail("unexpected end of input in f64");
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 8).getBigUint64(0, true);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail(`${n} bytes run past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  name(): string {
    return new TextDecoder().decode(this.take(this.u32()));
  }

  valtype(): ValType {
    const at = this.pos;
    const b = this.u8();
    const t = VALTYPE_BYTES[b];
    if (!t) this.fail(`unsupported value type ${REF_OR_VECTOR_NAMES[b] ?? "0x" + b.toString(16)}`, at);
    return t;
  }
}
