// `futamura asm` and `futamura dis`. Relies on bytecode/.
import { disassemble } from "../bytecode/disassembler.ts";
import { loadProgramFile } from "../bytecode/index.ts";
import { writeFileAtomic } from "../util/files.ts";

export async function asmCommand(file: string, opts: { out?: string }): Promise<number> {
  const loaded = loadProgramFile(file);
  const out = opts.out ?? file.replace(/\.asm$/, "") + ".fbc";
  writeFileAtomic(out, loaded.bytes, [file]);
  process.stdout.write(`${out}: ${loaded.bytes.length} bytes, ${loaded.program.instructions.length} instructions\n`);
  return 0;
}

export async function disCommand(file: string, opts: { out?: string }): Promise<number> {
  const loaded = loadProgramFile(file);
  const text = disassemble(loaded.program);
  if (opts.out) writeFileAtomic(opts.out, text, [file]);
  else process.stdout.write(text);
  return 0;
}
