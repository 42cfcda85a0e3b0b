// Fern's binary program: what the interpreter's init reads.
//
//   0  "FERN"   4 u16 version   6 u16 function count
//   8  function count × { u32 offset of the function's blob, u32 blob length }
//   …  blobs: { u8 nparams, u8 nlocals, u8 maxStack, u8 function index, u32 code length } then the code
//   …  debug info (names and line tables, JSON), which only the host reads: u32 length, then the bytes
//
// Each blob is exactly the constant buffer of that function's weval request. Relies on compiler.ts, opcodes.ts.
import type { CompiledFunction } from "./compiler.ts";
import { FUNC_HEADER } from "./opcodes.ts";

export const FERN_MAGIC = [0x46, 0x45, 0x52, 0x4e]; // "FERN"
export const FERN_VERSION = 1;

export interface FernDebug {
  file: string;
  functions: { name: string; lines: [number, number][] }[];
}

export function encodeFern(functions: CompiledFunction[], file: string): Uint8Array {
  const table = 8 + functions.length * 8;
  const blobs = functions.map((f, i) => {
    const b = new Uint8Array(FUNC_HEADER.size + f.code.length);
    b[FUNC_HEADER.nparams] = f.nparams;
    b[FUNC_HEADER.nlocals] = f.nlocals;
    b[FUNC_HEADER.maxStack] = f.maxStack;
    b[FUNC_HEADER.index] = i;
    new DataView(b.buffer).setUint32(FUNC_HEADER.codeLength, f.code.length, true);
    b.set(f.code, FUNC_HEADER.size);
    return b;
  });
  const debug: FernDebug = { file, functions: functions.map((f) => ({ name: f.name, lines: [...f.lines] })) };
  const debugBytes = new TextEncoder().encode(JSON.stringify(debug));
  const total = table + blobs.reduce((n, b) => n + b.length, 0) + 4 + debugBytes.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(FERN_MAGIC, 0);
  view.setUint16(4, FERN_VERSION, true);
  view.setUint16(6, functions.length, true);
  let at = table;
  blobs.forEach((b, i) => {
    view.setUint32(8 + i * 8, at, true);
    view.setUint32(12 + i * 8, b.length, true);
    out.set(b, at);
    at += b.length;
  });
  view.setUint32(at, debugBytes.length, true);
  out.set(debugBytes, at + 4);
  return out;
}

export function isFern(bytes: Uint8Array): boolean {
  return FERN_MAGIC.every((b, i) => bytes[i] === b);
}

/** The host's view of a program's debug info, for runtime error messages. */
export function fernDebug(bytes: Uint8Array): FernDebug | undefined {
  if (!isFern(bytes)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint16(6, true);
  const lastOffset = count ? view.getUint32(8 + (count - 1) * 8, true) + view.getUint32(12 + (count - 1) * 8, true) : 8;
  const len = view.getUint32(lastOffset, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(lastOffset + 4, lastOffset + 4 + len)));
}

export function lineOf(debug: FernDebug | undefined, func: number, pc: number): { name: string; line?: number } {
  const f = debug?.functions[func];
  if (!f) return { name: `function ${func}` };
  let line: number | undefined;
  for (const [at, l] of f.lines) if (at <= pc) line = l;
  return { name: f.name, line };
}
