// The binary program format ("futamura bytecode", .fbc): a 16-byte header, the code, then the string table.
//
//   offset 0   magic "FUTA" (46 55 54 41)
//          4   u16 version (FORMAT_VERSION)
//          6   u16 local count (0..256)
//          8   u32 code length in bytes
//         12   u32 string count
//         16   code
//          …   string table: string count × { u32 offset into the string data, u32 byte length }
//          …   string data: the strings' UTF-8 bytes, back to back, in table order; nothing follows
//
// All integers little-endian. The interpreter (interp/as/toy.ts) reads this layout directly, so its offsets come
// from here through the generated interp/as/toy-opcodes.ts.

export const MAGIC = [0x46, 0x55, 0x54, 0x41] as const; // "FUTA"
export const FORMAT_VERSION = 1;
export const HEADER_SIZE = 16;
export const STRING_ENTRY_SIZE = 8;
export const MAX_LOCALS = 256;

export const HEADER = {
  magic: 0,
  version: 4,
  localCount: 6,
  codeLength: 8,
  stringCount: 12,
} as const;

/** A program in memory: what the binary format encodes. */
export interface Program {
  localCount: number;
  code: Uint8Array;
  strings: string[];
}

const utf8 = new TextEncoder();

/** Encode a program into the binary format. Inputs are trusted (the assembler has checked them). */
export function encodeProgram(p: Program): Uint8Array {
  const encoded = p.strings.map((s) => utf8.encode(s));
  const dataLength = encoded.reduce((n, b) => n + b.length, 0);
  const total = HEADER_SIZE + p.code.length + encoded.length * STRING_ENTRY_SIZE + dataLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, HEADER.magic);
  view.setUint16(HEADER.version, FORMAT_VERSION, true);
  view.setUint16(HEADER.localCount, p.localCount, true);
  view.setUint32(HEADER.codeLength, p.code.length, true);
  view.setUint32(HEADER.stringCount, encoded.length, true);
  out.set(p.code, HEADER_SIZE);
  let entry = HEADER_SIZE + p.code.length;
  let data = entry + encoded.length * STRING_ENTRY_SIZE;
  let offset = 0;
  for (const bytes of encoded) {
    view.setUint32(entry, offset, true);
    view.setUint32(entry + 4, bytes.length, true);
    out.set(bytes, data);
    entry += STRING_ENTRY_SIZE;
    data += bytes.length;
    offset += bytes.length;
  }
  return out;
}

/** Is this file a binary program (by its magic) rather than assembly text? */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && MAGIC.every((b, i) => bytes[i] === b);
}
