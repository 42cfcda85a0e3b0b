// The toy interpreter's loader (interp/manifests/toy.json): an .asm source or .fbc binary → the binary program,
// with the `; expect:` / `; expect-halt:` comments as expectations and a trace line per step for `run --trace`.
import type { LoadedProgram } from "../interp/loaded-program.ts";
import { formatInstruction } from "./disassembler.ts";
import { loadProgramSource } from "./index.ts";

export function load(file: string, data: Uint8Array): LoadedProgram {
  const loaded = loadProgramSource(data, file);
  const byPc = loaded.program.indexOfPc;
  return {
    bytes: loaded.bytes,
    expect: { stdout: loaded.expect.stdout, result: loaded.expect.halt?.toString() },
    formatTrace: (pc, acc) => {
      const ins = loaded.program.instructions[byPc.get(pc)!];
      const line = loaded.lineAt?.get(pc);
      return `${String(pc).padStart(6)}  ${formatInstruction(ins, loaded.program.strings, true).padEnd(30)} acc=${acc}${line ? `  (line ${line})` : ""}`;
    },
  };
}
