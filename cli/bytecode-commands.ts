// `futamura asm` and `futamura dis` (the toy machine's programs; `dis` also lists a Fern program's compiled
// functions, what the interpreter and the specializer see). Relies on bytecode/ and lang/.
import { extname } from "node:path";
import { disassemble } from "../bytecode/disassembler.ts";
import { loadProgramFile } from "../bytecode/index.ts";
import { disassembleFern } from "../lang/disassembler.ts";
import { loadFernFile } from "../lang/index.ts";
import { writeFileAtomic } from "../util/files.ts";

/** A Fern program's bytecode, function by function: pc, instruction with operands, and the source line it came from. */
export function fernListing(file: string): string {
  const program = loadFernFile(file);
  const out = [`; ${file}: ${program.functions.length} function(s), Fern bytecode (lang/opcodes.ts)`];
  program.functions.forEach((f, index) => {
    out.push("", `fn ${f.name} (function ${index}; ${f.arity} parameter(s), ${f.nlocals} local slot(s), stack up to ${f.maxStack})`);
    for (const i of disassembleFern(f.code)) {
      const line = f.lines.get(i.pc);
      out.push(`${String(i.pc).padStart(6)}  ${line === undefined ? i.text : `${i.text.padEnd(28)} ; line ${line}`}`);
    }
  });
  return out.join("\n") + "\n";
}

export async function asmCommand(file: string, opts: { out?: string }): Promise<number> {
  const loaded = loadProgramFile(file);
  const out = opts.out ?? file.replace(/\.asm$/, "") + ".fbc";
  writeFileAtomic(out, loaded.bytes, [file]);
  process.stdout.write(`${out}: ${loaded.bytes.length} bytes, ${loaded.program.instructions.length} instructions\n`);
  return 0;
}

export async function disCommand(file: string, opts: { out?: string }): Promise<number> {
  const text = extname(file) === ".fern" ? fernListing(file) : disassemble(loadProgramFile(file).program);
  if (opts.out) writeFileAtomic(opts.out, text, [file]);
  else process.stdout.write(text);
  return 0;
}
