// The bytecode stage's front door: load a program from a file or text, whichever form it is in (assembly text or
// the binary format, told apart by the magic), always validated. Relies on assembler.ts and validator.ts.
import { readUserFile } from "../util/files.ts";
import { assemble, type Expectations } from "./assembler.ts";
import { looksBinary } from "./format.ts";
import { loadProgram, type LoadedProgram } from "./validator.ts";

export interface ProgramFile {
  file: string;
  /** The binary program. */
  bytes: Uint8Array;
  program: LoadedProgram;
  /** Expectations written in the source (empty for binaries). */
  expect: Expectations;
  /** Source line of each instruction's pc, when loaded from assembly. */
  lineAt?: Map<number, number>;
}

export function loadProgramSource(data: Uint8Array | string, file: string): ProgramFile {
  if (typeof data !== "string" && looksBinary(data)) return { file, bytes: data, program: loadProgram(data, file), expect: {} };
  const text = typeof data === "string" ? data : new TextDecoder().decode(data);
  const a = assemble(text, file);
  return { file, bytes: a.bytes, program: loadProgram(a.bytes, file), expect: a.expect, lineAt: a.lineAt };
}

export function loadProgramFile(path: string): ProgramFile {
  return loadProgramSource(readUserFile(path), path);
}

export { assemble } from "./assembler.ts";
export { disassemble, formatInstruction } from "./disassembler.ts";
export { loadProgram } from "./validator.ts";
export { evaluate } from "./reference.ts";
