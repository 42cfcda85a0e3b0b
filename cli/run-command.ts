// `futamura run`: run a program on the toy interpreter (generic body, or the traced body with --trace), or run a
// module that futamura built. Output streams to standard output; the exit code is 0 (or 1 when --expect finds a
// mismatch). Relies on bytecode/ and interp/.
import { formatInstruction } from "../bytecode/disassembler.ts";
import { loadProgramFile } from "../bytecode/index.ts";
import { buildInterpreter } from "../interp/build.ts";
import { BufferedOutput, runModule, type Output } from "../interp/host.ts";
import { readUserFile } from "../util/files.ts";

export async function runCommand(file: string, opts: { trace?: boolean; interp?: string; expect?: boolean }): Promise<number> {
  const loaded = loadProgramFile(file);
  const interp = opts.interp ? readUserFile(opts.interp) : (await buildInterpreter("toy")).wasm;
  const captured = new BufferedOutput();
  const out: Output = {
    write: (t) => {
      process.stdout.write(t);
      if (opts.expect) captured.write(t);
    },
  };
  let trace: ((pc: number, acc: bigint) => void) | undefined;
  if (opts.trace) {
    const byPc = loaded.program.indexOfPc;
    trace = (pc, acc) => {
      const ins = loaded.program.instructions[byPc.get(pc)!];
      const line = loaded.lineAt?.get(pc);
      process.stderr.write(`${String(pc).padStart(6)}  ${formatInstruction(ins, loaded.program.strings, true).padEnd(30)} acc=${acc}${line ? `  (line ${line})` : ""}\n`);
    };
  }
  const halt = await runModule(interp, loaded.bytes, out, { traced: opts.trace, trace });
  if (opts.trace) process.stderr.write(`halt: acc=${halt}\n`);
  if (opts.expect) {
    const problems: string[] = [];
    if (loaded.expect.stdout !== undefined && captured.text() !== loaded.expect.stdout)
      problems.push(`stdout ${JSON.stringify(captured.text())} != expected ${JSON.stringify(loaded.expect.stdout)}`);
    if (loaded.expect.halt !== undefined && halt !== loaded.expect.halt) problems.push(`halt ${halt} != expected ${loaded.expect.halt}`);
    for (const p of problems) process.stderr.write(`${file}: expectation failed: ${p}\n`);
    return problems.length ? 1 : 0;
  }
  return 0;
}
