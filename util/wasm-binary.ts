// Minimal Wasm binary plumbing shared by stages that edit modules at the byte level: LEB128 encoding, a growable
// byte buffer (ByteWriter) to write sections into, splitting a module into its top-level sections, and appending
// active data segments (later segments overwrite earlier ones at instantiation, so a patch is just one more
// segment). Everything else about a module is edited through binaryen. Byte arrays of input size (data segments,
// code) are only ever copied with Uint8Array.set, never spread into a call's arguments (that overflows the stack
// past ~100 KB). The format: the Wasm core spec §5.

/** Unsigned LEB128 as a small array (at most 10 bytes); ByteWriter.uleb writes it into a buffer instead. */
export function uleb(n: number | bigint): number[] {
  return Array.from(new ByteWriter(16).uleb(n).finish());
}

/** Signed LEB128 as a small array (at most 10 bytes); ByteWriter.sleb writes it into a buffer instead. */
export function sleb(n: number | bigint): number[] {
  return Array.from(new ByteWriter(16).sleb(n).finish());
}

/** A growable byte buffer: append bytes, LEB128 numbers and names; the capacity doubles as needed, so writing n
 *  bytes costs O(n) whatever their number or size. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(capacity = 64) {
    this.buf = new Uint8Array(Math.max(capacity, 16));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer. */
  uleb(n: number | bigint): this {
    if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) {
      while (n >= 0x80) {
        this.u8((n % 0x80) | 0x80);
        n = Math.floor(n / 0x80);
      }
      return this.u8(n);
    }
    let v = BigInt(n);
    if (v < 0n) throw new RangeError(`uleb: ${v} is negative`);
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (v !== 0n);
    return this;
  }

  /** Signed LEB128. */
  sleb(n: number | bigint): this {
    if (typeof n === "number" && (n | 0) === n) {
      let v = n;
      for (;;) {
        const byte = v & 0x7f;
        v >>= 7;
        if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) return this.u8(byte);
        this.u8(byte | 0x80);
      }
    }
    let v = BigInt(n);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) return this.u8(byte);
      this.u8(byte | 0x80);
    }
  }

  /** Append bytes as they are (a Uint8Array is copied in one set, of any size). */
  bytes(b: Uint8Array | readonly number[]): this {
    this.reserve(b.length);
    if (b instanceof Uint8Array) this.buf.set(b, this.len);
    else for (let i = 0; i < b.length; i++) this.buf[this.len + i] = b[i] & 0xff;
    this.len += b.length;
    return this;
  }

  /** A Wasm name (or any byte vector): its length as uleb, then its bytes; strings are written as UTF-8. */
  vec(b: Uint8Array | string): this {
    const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
    return this.uleb(bytes.length).bytes(bytes);
  }

  /** The bytes written, as a new array of exactly that length. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** A module the decoder cannot read (malformed, or using what futamura does not read). Not one of the three kinds
 *  itself: the entry points turn it into a UserError naming the module (specializer/index.ts), or an abort when one
 *  function of a request cannot be read. */
export class WasmDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WasmDecodeError";
  }
}

export function readUleb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new WasmDecodeError(`truncated LEB128 at byte ${at}`);
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value: result, next: at };
  }
}

export interface Section {
  id: number;
  /** The section's payload (without id and size). */
  payload: Uint8Array<ArrayBufferLike>;
}

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  dataCount: 12,
} as const;

export function splitSections(wasm: Uint8Array): Section[] {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d)
    throw new WasmDecodeError("not a Wasm module (bad magic)");
  const sections: Section[] = [];
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at];
    const { value: size, next } = readUleb(wasm, at + 1);
    if (next + size > wasm.length)
      throw new WasmDecodeError(`section ${id} at byte ${at} runs past the end of the module`);
    sections.push({ id, payload: wasm.subarray(next, next + size) });
    at = next + size;
  }
  return sections;
}

export function joinSections(sections: Section[]): Uint8Array {
  const w = new ByteWriter(8 + sections.reduce((n, s) => n + 6 + s.payload.length, 0));
  w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const s of sections) w.u8(s.id).vec(s.payload);
  return w.finish();
}

/** Write one active data segment for memory 0 at a constant offset (flags 0, `i32.const offset`, `end`, bytes). */
export function writeActiveSegment(w: ByteWriter, offset: number, bytes: Uint8Array): ByteWriter {
  return w
    .u8(0x00)
    .u8(0x41)
    .sleb(offset | 0)
    .u8(0x0b)
    .vec(bytes);
}

/** Append active data segments for memory 0 at constant offsets; keeps the data-count section in step. */
export function appendDataSegments(wasm: Uint8Array, patches: { offset: number; bytes: Uint8Array }[]): Uint8Array {
  if (patches.length === 0) return wasm;
  const sections = splitSections(wasm);
  let data: Section | undefined = sections.find((s) => s.id === SECTION.data);
  let oldCount = 0;
  let oldBody: Uint8Array = new Uint8Array(0);
  if (data) {
    const { value, next } = readUleb(data.payload, 0);
    oldCount = value;
    oldBody = data.payload.subarray(next);
  } else {
    data = { id: SECTION.data, payload: new Uint8Array(0) };
    // The data section goes after code (and before custom sections that follow code).
    const codeAt = sections.findIndex((s) => s.id === SECTION.code);
    sections.splice(codeAt >= 0 ? codeAt + 1 : sections.length, 0, data);
  }
  const count = oldCount + patches.length;
  const w = new ByteWriter(16 + oldBody.length + patches.reduce((n, p) => n + 16 + p.bytes.length, 0));
  w.uleb(count).bytes(oldBody);
  for (const p of patches) writeActiveSegment(w, p.offset, p.bytes);
  data.payload = w.finish();
  const dc = sections.find((s) => s.id === SECTION.dataCount);
  if (dc) dc.payload = new ByteWriter().uleb(count).finish();
  return joinSections(sections);
}

/** Export kinds in the export section. */
export const EXPORT_KIND = { func: 0, table: 1, memory: 2, global: 3 } as const;

/** Append exports to a module's export section (which must exist); the rest of the module is kept byte for byte. */
export function appendExports(
  wasm: Uint8Array,
  exports: { name: string; kind: number; index: number }[],
): Uint8Array | undefined {
  const sections = splitSections(wasm);
  const section = sections.find((s) => s.id === SECTION.export);
  if (!section) return undefined;
  const { value: count, next } = readUleb(section.payload, 0);
  const w = new ByteWriter(section.payload.length + 16 + exports.length * 48);
  w.uleb(count + exports.length).bytes(section.payload.subarray(next));
  for (const e of exports) w.vec(e.name).u8(e.kind).uleb(e.index);
  section.payload = w.finish();
  return joinSections(sections);
}
