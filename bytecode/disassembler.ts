// The disassembler: a binary program → assembly text that assembles back to the very same bytes. Jump targets get
// labels `L<pc>`; the string table is written as `.string` directives in table order, and PRINT names its string
// by text, or as #N where another entry has the same text. Also formats single instructions for traces.
import { loadProgram, type Instruction, type LoadedProgram } from "./validator.ts";

/** Quote a string with the assembler's escapes. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

/** Each text's first index in a string table (what indexOf gives), computed once per table and rebuilt if the table
 *  grew, so formatting every PRINT of a program (or every traced step) costs a lookup, not a scan of the table. */
const firstIndexCache = new WeakMap<readonly string[], { length: number; first: Map<string, number> }>();
function firstIndex(strings: readonly string[], text: string): number {
  let c = firstIndexCache.get(strings);
  if (!c || c.length !== strings.length) {
    const first = new Map<string, number>();
    strings.forEach((s, i) => first.has(s) || first.set(s, i));
    c = { length: strings.length, first };
    firstIndexCache.set(strings, c);
  }
  return c.first.get(text) ?? -1;
}

/** One instruction as text; jump targets as labels `L<pc>` unless `numericTargets`. */
export function formatInstruction(ins: Instruction, strings: readonly string[], numericTargets = false): string {
  const parts = ins.op.operands.map((kind, i) => {
    const v = ins.operands[i];
    switch (kind) {
      case "u64":
      case "local":
        return String(v);
      case "label":
        return numericTargets ? `@${v}` : `L${v}`;
      case "string": {
        const index = v as number;
        return firstIndex(strings, strings[index]) === index ? quote(strings[index]) : `#${index}`;
      }
    }
  });
  return parts.length ? `${ins.op.name} ${parts.join(", ")}` : ins.op.name;
}

/** Disassemble a whole program. */
export function disassemble(bytesOrProgram: Uint8Array | LoadedProgram, file = "<program>"): string {
  const p = bytesOrProgram instanceof Uint8Array ? loadProgram(bytesOrProgram, file) : bytesOrProgram;
  const targets = new Set<number>();
  for (const ins of p.instructions)
    ins.op.operands.forEach((k, i) => k === "label" && targets.add(ins.operands[i] as number));
  const lines = [`.locals ${p.localCount}`];
  for (const s of p.strings) lines.push(`.string ${quote(s)}`);
  for (const ins of p.instructions) {
    if (targets.has(ins.pc)) lines.push(`L${ins.pc}:`);
    lines.push(`  ${formatInstruction(ins, p.strings).padEnd(32)} ; pc ${ins.pc}`);
  }
  return lines.join("\n") + "\n";
}
