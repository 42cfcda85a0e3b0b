// The byte-level Wasm plumbing (util/wasm-binary.ts): ByteWriter's LEB128 against the spec's examples and a
// BigInt reference over every boundary, its growth from 1 byte to megabytes, and splitSections, joinSections and
// appendDataSegments on a module with a data segment of several megabytes (sizes that once overflowed the stack);
// a malformed module is a WasmDecodeError, never a plain Error.
import { describe, expect, it } from "vitest";
import { OPS_BY_CODE } from "../../specializer/ssa/wasm-ops.ts";
import { IMM, immediatesOf, prefixedImmediatesOf } from "../../util/wasm-immediates.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import {
  appendDataSegments,
  ByteWriter,
  joinSections,
  readUleb,
  SECTION,
  sleb,
  splitSections,
  uleb,
  WasmDecodeError,
} from "../../util/wasm-binary.ts";

/** LEB128 the slow, obvious way, to check the writer against. */
function refUleb(v: bigint): number[] {
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v !== 0n ? byte | 0x80 : byte);
  } while (v !== 0n);
  return out;
}
function refSleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const bytesOf = (w: ByteWriter) => Array.from(w.finish());

describe("ByteWriter", () => {
  it("writes LEB128 as the spec's examples give it", () => {
    expect(bytesOf(new ByteWriter().uleb(0))).toEqual([0x00]);
    expect(bytesOf(new ByteWriter().uleb(127))).toEqual([0x7f]);
    expect(bytesOf(new ByteWriter().uleb(128))).toEqual([0x80, 0x01]);
    expect(bytesOf(new ByteWriter().uleb(624485))).toEqual([0xe5, 0x8e, 0x26]);
    expect(bytesOf(new ByteWriter().uleb(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(bytesOf(new ByteWriter().sleb(-123456))).toEqual([0xc0, 0xbb, 0x78]);
    expect(bytesOf(new ByteWriter().sleb(63))).toEqual([0x3f]);
    expect(bytesOf(new ByteWriter().sleb(64))).toEqual([0xc0, 0x00]);
    expect(bytesOf(new ByteWriter().sleb(-64))).toEqual([0x40]);
    expect(bytesOf(new ByteWriter().sleb(-65))).toEqual([0xbf, 0x7f]);
    expect(bytesOf(new ByteWriter().sleb(-(2n ** 63n)))).toEqual([
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,
    ]);
  });

  it("agrees with a BigInt reference at every power-of-two boundary, for numbers and bigints", () => {
    for (let k = 0; k <= 64; k++) {
      for (const d of [-1n, 0n, 1n]) {
        const u = (1n << BigInt(k)) + d;
        if (u >= 0n) {
          expect(bytesOf(new ByteWriter().uleb(u)), `uleb ${u}`).toEqual(refUleb(u));
          if (u <= BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(bytesOf(new ByteWriter().uleb(Number(u))), `uleb ${u} as a number`).toEqual(refUleb(u));
            expect(readUleb(new Uint8Array(refUleb(u)), 0).value, `readUleb ${u}`).toBe(Number(u));
          }
        }
        for (const s of [u, -u]) {
          expect(bytesOf(new ByteWriter().sleb(s)), `sleb ${s}`).toEqual(refSleb(s));
          if (s >= BigInt(Number.MIN_SAFE_INTEGER) && s <= BigInt(Number.MAX_SAFE_INTEGER))
            expect(bytesOf(new ByteWriter().sleb(Number(s))), `sleb ${s} as a number`).toEqual(refSleb(s));
        }
      }
    }
    expect(uleb(300)).toEqual([0xac, 0x02]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(() => new ByteWriter().uleb(-1)).toThrow(RangeError);
  });

  it("grows from a 1-byte start to megabytes, byte by byte and in one piece, and finishes at exactly its length", () => {
    const big = new Uint8Array(3 << 20).map((_, i) => (i * 7 + 3) & 0xff);
    const w = new ByteWriter(1);
    for (let i = 0; i < 100_000; i++) w.u8(i);
    w.bytes(big)
      .bytes([1, 2, 3])
      .vec("λ→")
      .vec(new Uint8Array([9]));
    const out = w.finish();
    expect(out.length).toBe(w.length);
    expect(out.length).toBe(100_000 + big.length + 3 + 1 + 5 + 1 + 1);
    for (let i = 0; i < 100_000; i++) if (out[i] !== (i & 0xff)) throw new Error(`byte ${i} is ${out[i]}`);
    expect(Buffer.from(out.subarray(100_000, 100_000 + big.length)).equals(Buffer.from(big))).toBe(true);
    expect(Array.from(out.subarray(100_000 + big.length))).toEqual([1, 2, 3, 5, 0xce, 0xbb, 0xe2, 0x86, 0x92, 1, 9]);
    out[0] = 0xaa; // finish copies: the writer is unaffected
    w.u8(0);
    expect(w.finish()[0]).toBe(0);
  });
});

describe("sections and data segments of megabytes", () => {
  // (module (memory 64) (export "memory" (memory 0)) (data (i32.const 16) "\01\02"))
  const small = new ByteWriter()
    .bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    .u8(SECTION.memory)
    .vec(new ByteWriter().uleb(1).u8(0).uleb(64).finish())
    .u8(SECTION.export)
    .vec(new ByteWriter().uleb(1).vec("memory").u8(2).uleb(0).finish())
    .u8(SECTION.data)
    .vec(
      new ByteWriter()
        .uleb(1)
        .bytes([0x00, 0x41, 0x10, 0x0b])
        .vec(new Uint8Array([1, 2]))
        .finish(),
    )
    .finish();

  it("appends a 3 MB segment, and split/join round-trips the result byte for byte", async () => {
    const payload = new Uint8Array(3 << 20).map((_, i) => (i % 251) + 1);
    const wasm = appendDataSegments(small, [
      { offset: 65536, bytes: payload },
      { offset: 17, bytes: new Uint8Array([7]) },
    ]);
    expect(WebAssembly.validate(wasm as BufferSource)).toBe(true);
    const sections = splitSections(wasm);
    expect(sections.map((s) => s.id)).toEqual([SECTION.memory, SECTION.export, SECTION.data]);
    expect(Buffer.from(joinSections(sections)).equals(Buffer.from(wasm))).toBe(true);
    const { instance } = await WebAssembly.instantiate(wasm as BufferSource);
    const mem = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer);
    expect(Array.from(mem.subarray(16, 18))).toEqual([1, 7]);
    expect(Buffer.from(mem.subarray(65536, 65536 + payload.length)).equals(Buffer.from(payload))).toBe(true);
  });
});

describe("malformed modules", () => {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  it("are WasmDecodeErrors: bad magic, a section past the end, a truncated LEB128, through the decoder too", () => {
    for (const bytes of [
      [0x00, 0x61, 0x73, 0x00, 1, 0, 0, 0],
      [...header, SECTION.type, 5, 0x01],
      [...header, SECTION.type, 0x80],
    ]) {
      expect(() => splitSections(new Uint8Array(bytes))).toThrow(WasmDecodeError);
      expect(() => decodeModule(new Uint8Array(bytes))).toThrow(WasmDecodeError);
    }
    expect(() => readUleb(new Uint8Array([0x80, 0x80]), 0)).toThrow(WasmDecodeError);
  });
});

describe("the table of immediates (util/wasm-immediates.ts)", () => {
  it("agrees with the IR's opcode table: numeric instructions have none, loads and stores a memarg", () => {
    for (const info of OPS_BY_CODE.values()) {
      const imm = info.code < 0x100 ? immediatesOf(info.code) : prefixedImmediatesOf(info.code >> 8, info.code & 0xff);
      expect([info.name, imm]).toEqual([info.name, info.cls === "numeric" ? IMM.none : IMM.memarg]);
    }
  });
});
