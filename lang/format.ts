// Fern's binary program: what the interpreter's init reads.
//
//   0  "FERN"   4 u16 version   6 u16 0   8 u32 function count   12 u32 global count   16 u32 string count
//   20 u32 offset of the debug info
//   24 function count × { u32 offset of the function's blob, u32 blob length }
//   …  string count × { u32 offset of the literal's bytes, u32 length }
//   …  blobs: { u16 nparams, u16 nlocals, u16 maxStack, u16 arity, u32 function index, u32 code length } then code
//   …  string literal bytes
//   …  debug info (names and line tables, JSON), which only the host reads: u32 length, then the bytes
//
// Each blob is exactly the constant buffer of that function's weval request (after init has replaced each STRING
// operand by its literal's address).
import type { CompiledProgram } from "./compiler.ts";
import { FUNC_HEADER, PROGRAM_HEADER } from "./opcodes.ts";

export const FERN_MAGIC = [0x46, 0x45, 0x52, 0x4e]; // "FERN"
export const FERN_VERSION = 4;

export interface FernDebug {
  file: string;
  functions: { name: string; lines: [number, number][] }[];
}

export function encodeFern(program: CompiledProgram, file: string): Uint8Array {
  const { functions, strings } = program;
  const stringBytes = strings.map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)));
  const funcTable = PROGRAM_HEADER.size;
  const stringTable = funcTable + functions.length * 8;
  const blobs = functions.map((f, i) => {
    const b = new Uint8Array(FUNC_HEADER.size + f.code.length);
    const v = new DataView(b.buffer);
    v.setUint16(FUNC_HEADER.nparams, f.nparams, true);
    v.setUint16(FUNC_HEADER.nlocals, f.nlocals, true);
    v.setUint16(FUNC_HEADER.maxStack, f.maxStack, true);
    v.setUint16(FUNC_HEADER.arity, f.arity, true);
    v.setUint32(FUNC_HEADER.index, i, true);
    v.setUint32(FUNC_HEADER.codeLength, f.code.length, true);
    b.set(f.code, FUNC_HEADER.size);
    return b;
  });
  const debug: FernDebug = { file, functions: functions.map((f) => ({ name: f.name, lines: [...f.lines] })) };
  const debugBytes = new TextEncoder().encode(JSON.stringify(debug));
  const dataStart = stringTable + strings.length * 8;
  const debugAt = dataStart + blobs.reduce((n, b) => n + b.length, 0) + stringBytes.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(debugAt + 4 + debugBytes.length);
  const view = new DataView(out.buffer);
  out.set(FERN_MAGIC, 0);
  view.setUint16(4, FERN_VERSION, true);
  view.setUint32(PROGRAM_HEADER.nfuncs, functions.length, true);
  view.setUint32(PROGRAM_HEADER.nglobals, program.nglobals, true);
  view.setUint32(PROGRAM_HEADER.nstrings, strings.length, true);
  view.setUint32(PROGRAM_HEADER.debug, debugAt, true);
  let at = dataStart;
  blobs.forEach((b, i) => {
    view.setUint32(funcTable + i * 8, at, true);
    view.setUint32(funcTable + 4 + i * 8, b.length, true);
    out.set(b, at);
    at += b.length;
  });
  stringBytes.forEach((b, i) => {
    view.setUint32(stringTable + i * 8, at, true);
    view.setUint32(stringTable + 4 + i * 8, b.length, true);
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
  const at = view.getUint32(PROGRAM_HEADER.debug, true);
  const len = view.getUint32(at, true);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + len)));
}

export function lineOf(debug: FernDebug | undefined, func: number, pc: number): { name: string; line?: number } {
  const f = debug?.functions[func];
  if (!f) return { name: `function ${func}` };
  let line: number | undefined;
  for (const [at, l] of f.lines) if (at <= pc) line = l;
  return { name: f.name, line };
}
