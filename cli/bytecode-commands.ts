// `futamura asm` and `futamura dis` (the toy machine's programs; `dis` also lists a Fern program's compiled
// functions, what the interpreter and the specializer see).
import { extname } from "node:path";
import { disassemble } from "../bytecode/disassembler.ts";
import { loadProgramFile } from "../bytecode/index.ts";
import { disassembleFern } from "../lang/disassembler.ts";
import { loadFernFile } from "../lang/index.ts";
import { manifestForFile } from "../interp/manifest.ts";
import { UserError } from "../util/errors.ts";
import { writeFileAtomic } from "../util/files.ts";

/** A Fern program's bytecode, function by function: pc, instruction with operands, and the source line it came from. */
export function fernListing(file: string): string {
  const program = loadFernFile(file);
  const out = [`; ${file}: ${program.functions.length} function(s), Fern bytecode (lang/opcodes.ts)`];
  program.functions.forEach((f, index) => {
    out.push(
      "",
      `fn ${f.name} (function ${index}; ${f.arity} parameter(s), ${f.nlocals} local slot(s), stack up to ${f.maxStack})`,
    );
    for (const i of disassembleFern(f.code)) {
      const line = f.lines.get(i.pc);
      out.push(`${String(i.pc).padStart(6)}  ${line === undefined ? i.text : `${i.text.padEnd(28)} ; line ${line}`}`);
    }
  });
  return out.join("\n") + "\n";
}

/** The language of `file` by its extension, as `run` chooses (toy and fern are the ones asm and dis read). */
function languageOf(file: string): string {
  if ([".asm", ".fbc"].includes(extname(file))) return "toy";
  if (extname(file) === ".fern") return "fern";
  try {
    return manifestForFile(file).name;
  } catch {
    return "toy"; // an extension no interpreter takes: read as toy assembly, whose errors say where it fails
  }
}

export async function asmCommand(file: string, opts: { out?: string }): Promise<number> {
  const language = languageOf(file);
  if (language !== "toy")
    throw new UserError(
      `${file}: error: asm assembles the toy machine's assembly (.asm); this is a ${language} program (by its extension)${language === "fern" ? ": `futamura dis` lists its compiled bytecode, `futamura run` runs it" : ": `futamura run` runs it"}`,
    );
  const loaded = loadProgramFile(file);
  const out = opts.out ?? file.replace(/\.asm$/, "") + ".fbc";
  writeFileAtomic(out, loaded.bytes, [file]);
  process.stdout.write(`${out}: ${loaded.bytes.length} bytes, ${loaded.program.instructions.length} instructions\n`);
  return 0;
}

export async function disCommand(file: string, opts: { out?: string }): Promise<number> {
  const language = languageOf(file);
  if (language !== "toy" && language !== "fern")
    throw new UserError(
      `${file}: error: dis lists toy (.asm, .fbc) and Fern (.fern) programs; this is a ${language} program (by its extension), which has no disassembler`,
    );
  const text = language === "fern" ? fernListing(file) : disassemble(loadProgramFile(file).program);
  if (opts.out) writeFileAtomic(opts.out, text, [file]);
  else process.stdout.write(text);
  return 0;
}
