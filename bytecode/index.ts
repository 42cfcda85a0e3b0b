// The bytecode stage's front door: load a program from a file or text, whichever form it is in (assembly text or
// the binary format, told apart by the magic), always validated.
import { readUserFile } from "../util/files.ts";
import { loadProgramSource, type ProgramFile } from "./source.ts";

export { loadProgramSource, type ProgramFile } from "./source.ts";

export function loadProgramFile(path: string): ProgramFile {
  return loadProgramSource(readUserFile(path), path);
}

export { assemble } from "./assembler.ts";
export { disassemble, formatInstruction } from "./disassembler.ts";
export { loadProgram } from "./validator.ts";
export { evaluate } from "./reference.ts";
