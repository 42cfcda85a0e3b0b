// Loading a program from text or bytes already in memory, whichever form it is in (assembly text or the binary
// format, told apart by the magic), always validated. Browser-safe (no node: modules): explorer/ uses it directly;
// index.ts adds loading from a file.
import { assemble, type Expectations } from "./assembler.ts";
import { looksBinary } from "./format.ts";
import { loadProgram, type LoadedProgram } from "./validator.ts";
import { sourceText } from "../util/text.ts";

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
  if (typeof data !== "string" && looksBinary(data))
    return { file, bytes: data, program: loadProgram(data, file), expect: {} };
  const text =
    typeof data === "string"
      ? data
      : sourceText(data, file, "a toy program is assembly text, or a .fbc binary (which starts with FUTA)");
  const a = assemble(text, file);
  return { file, bytes: a.bytes, program: loadProgram(a.bytes, file), expect: a.expect, lineAt: a.lineAt };
}
