// The assembler: text assembly (.asm) → a Program and its bytes. One pass collects instructions and labels, a
// second resolves labels, so forward jumps work. Syntax, one statement per line:
//
//   ; a comment runs to the end of the line      loop:            a label (letters, digits, _ and .)
//   .locals N      declare N locals (default: highest local index used + 1)
//   .string "s"    append a string-table entry (the disassembler writes these so tables round-trip exactly)
//   MNEMONIC a, b  an instruction; operands: integers in decimal or 0x hex (a leading - wraps modulo 2^64),
//                  labels, and "strings" with escapes \n \t \r \0 \\ \" \xHH \u{H…}; #N names string entry N
//
// Expectations live in the program as comments (clox style) and are returned with it:
//   ; expect: TEXT        one line of expected standard output (TEXT then a newline)
//   ; expect-halt: N      the accumulator at HALT
// Every error is a SourceError at file:line:col.
import { SourceError, type SourcePos } from "../util/errors.ts";
import { encodeProgram, MAX_LOCALS, type Program } from "./format.ts";
import { OPCODE_BY_NAME, OPERAND_SIZE, instructionSize, type OpcodeInfo, type OperandKind } from "./opcodes.ts";

export interface Expectations {
  /** Expected standard output, or undefined when the program states none. */
  stdout?: string;
  /** Expected accumulator at HALT. */
  halt?: bigint;
}

export interface Assembled {
  program: Program;
  bytes: Uint8Array;
  expect: Expectations;
  /** Source line of the instruction at each code offset (for traces and error messages). */
  lineAt: Map<number, number>;
}

type Operand =
  | { kind: "int"; value: bigint; pos: SourcePos }
  | { kind: "label"; name: string; pos: SourcePos }
  | { kind: "string"; text: string; pos: SourcePos }
  | { kind: "stringIndex"; index: number; pos: SourcePos };

interface Statement {
  op: OpcodeInfo;
  operands: Operand[];
  offset: number;
  pos: SourcePos;
}

/** A word of a line (a mnemonic, directive or label) and where it starts. */
type Word = { text: string; pos: SourcePos };

const LABEL = /^[A-Za-z_.][A-Za-z0-9_.]*$/;
const U64_MAX = (1n << 64n) - 1n;

/** Assemble `source`; `file` names it in error messages. */
export function assemble(source: string, file = "<input>"): Assembled {
  const asm = new Assembler(file);
  source.split(/\r?\n/).forEach((text, li) => asm.line(new LineLexer(text, file, li + 1)));
  return asm.finish();
}

/** The assembler's state: a first pass over the lines (`line`) collects statements, labels, strings and
 *  expectations; `finish` resolves labels and encodes. */
class Assembler {
  private readonly statements: Statement[] = [];
  private readonly labels = new Map<string, { offset: number; pos: SourcePos }>();
  private readonly strings: string[] = [];
  /** Each text's first index in `strings` (what strings.indexOf gives, without a scan per PRINT). */
  private readonly stringIndex = new Map<string, number>();
  private readonly expectLines: string[] = [];
  private halt: bigint | undefined;
  private declaredLocals: { count: number; pos: SourcePos } | undefined;
  /** Code offset of the next instruction. */
  private offset = 0;

  constructor(private readonly file: string) {}

  private addString(text: string): number {
    if (!this.stringIndex.has(text)) this.stringIndex.set(text, this.strings.length);
    return this.strings.push(text) - 1;
  }

  /** One source line: an expectation comment, labels, then a directive, an instruction or nothing. */
  line(lexer: LineLexer): void {
    const comment = lexer.comment();
    if (comment !== undefined) {
      const m = /^\s*expect(-halt)?:\s?(.*)$/.exec(comment.text);
      if (m && m[1])
        this.halt = parseInteger(m[2].trim(), { ...comment.pos, col: comment.pos.col + m[0].length - m[2].length });
      else if (m) this.expectLines.push(m[2]);
    }
    this.labelsAt(lexer);
    const head = lexer.word();
    if (!head) lexer.expectEnd();
    else if (head.text.startsWith(".")) this.directive(head, lexer);
    else this.instruction(head, lexer);
  }

  /** Labels: `name:` at the start of a line, possibly several. */
  private labelsAt(lexer: LineLexer): void {
    for (;;) {
      const save = lexer.at;
      const word = lexer.word();
      if (word && lexer.peek() === ":") {
        lexer.next();
        if (!LABEL.test(word.text)) throw new SourceError(word.pos, `invalid label name '${word.text}'`);
        const prior = this.labels.get(word.text);
        if (prior) throw new SourceError(word.pos, `label '${word.text}' is already defined at line ${prior.pos.line}`);
        this.labels.set(word.text, { offset: this.offset, pos: word.pos });
        continue;
      }
      lexer.at = save;
      break;
    }
  }

  /** `.locals N` or `.string "s"`. */
  private directive(head: Word, lexer: LineLexer): void {
    if (head.text === ".locals") {
      const n = lexer.operand();
      if (!n || n.kind !== "int") throw new SourceError(n?.pos ?? lexer.pos(), ".locals needs a count");
      if (n.value > BigInt(MAX_LOCALS)) throw new SourceError(n.pos, `.locals ${n.value} is more than ${MAX_LOCALS}`);
      if (this.declaredLocals)
        throw new SourceError(head.pos, `.locals is already declared at line ${this.declaredLocals.pos.line}`);
      this.declaredLocals = { count: Number(n.value), pos: head.pos };
      lexer.expectEnd();
      return;
    }
    if (head.text === ".string") {
      const s = lexer.operand();
      if (!s || s.kind !== "string") throw new SourceError(s?.pos ?? lexer.pos(), '.string needs a "quoted string"');
      this.addString(s.text);
      lexer.expectEnd();
      return;
    }
    throw new SourceError(head.pos, `unknown directive '${head.text}'`);
  }

  /** `MNEMONIC a, b`: its operand count checked (their kinds are checked when encoding, once labels are known). */
  private instruction(head: Word, lexer: LineLexer): void {
    const op = OPCODE_BY_NAME.get(head.text.toUpperCase());
    if (!op) throw new SourceError(head.pos, `unknown instruction '${head.text}'`);
    const operands: Operand[] = [];
    for (;;) {
      const o = lexer.operand();
      if (!o) break;
      operands.push(o);
      lexer.skipComma();
    }
    lexer.expectEnd();
    if (operands.length !== op.operands.length) {
      const want =
        op.operands.length === 0
          ? "no operands"
          : `${op.operands.length} operand${op.operands.length > 1 ? "s" : ""} (${op.operands.join(", ")})`;
      throw new SourceError(
        operands[op.operands.length]?.pos ?? head.pos,
        `${op.name} takes ${want}, got ${operands.length}`,
      );
    }
    this.statements.push({ op, operands, offset: this.offset, pos: head.pos });
    this.offset += instructionSize(op);
  }

  /** The program: locals counted, operands encoded, `#N` strings and the final HALT checked. */
  finish(): Assembled {
    const { statements, strings } = this;
    const localCount = this.declaredLocals?.count ?? this.highestLocal() + 1;
    const code = new Uint8Array(this.offset);
    const view = new DataView(code.buffer);
    const lineAt = new Map<number, number>();
    for (const st of statements) {
      code[st.offset] = st.op.code;
      lineAt.set(st.offset, st.pos.line);
      let at = st.offset + 1;
      st.op.operands.forEach((kind, i) => {
        this.operand(st, kind, st.operands[i], view, at, localCount);
        at += OPERAND_SIZE[kind];
      });
    }
    // String indices written as #N must exist once all strings are known.
    for (const st of statements)
      for (const o of st.operands)
        if (o.kind === "stringIndex" && o.index >= strings.length)
          throw new SourceError(o.pos, `string #${o.index} does not exist (the table has ${strings.length})`);

    const last = statements[statements.length - 1];
    if (!last)
      throw new SourceError(
        { file: this.file, line: 1, col: 1 },
        "the program has no instructions (it must end with HALT)",
      );
    if (last.op.name !== "HALT")
      throw new SourceError(
        last.pos,
        `the last instruction is ${last.op.name}, not HALT: control would fall off the end`,
      );

    const program: Program = { localCount, code, strings };
    const expect: Expectations = {};
    if (this.expectLines.length > 0) expect.stdout = this.expectLines.map((l) => l + "\n").join("");
    if (this.halt !== undefined) expect.halt = this.halt;
    return { program, bytes: encodeProgram(program), expect, lineAt };
  }

  /** The highest local index an instruction uses (locals inferred when `.locals` is not declared), or -1. */
  private highestLocal(): number {
    let maxLocal = -1;
    for (const st of this.statements)
      st.op.operands.forEach((k, i) => {
        const o = st.operands[i];
        if (k === "local" && o.kind === "int" && o.value < 256n) maxLocal = Math.max(maxLocal, Number(o.value));
      });
    return maxLocal;
  }

  /** Write operand `o` of `st`, of the table's kind `kind`, at `at`. */
  private operand(st: Statement, kind: OperandKind, o: Operand, view: DataView, at: number, localCount: number): void {
    switch (kind) {
      case "u64": {
        if (o.kind !== "int") throw new SourceError(o.pos, `${st.op.name} needs an integer, not a ${o.kind}`);
        view.setBigUint64(at, o.value, true);
        break;
      }
      case "local": {
        if (o.kind !== "int") throw new SourceError(o.pos, `${st.op.name} needs a local index, not a ${o.kind}`);
        if (o.value >= BigInt(localCount))
          throw new SourceError(
            o.pos,
            `local index ${o.value} is out of range (the program has ${localCount} local${localCount === 1 ? "" : "s"})`,
          );
        view.setUint8(at, Number(o.value));
        break;
      }
      case "label": {
        if (o.kind !== "label") throw new SourceError(o.pos, `${st.op.name} needs a label, not a ${o.kind}`);
        const target = this.labels.get(o.name);
        if (!target) throw new SourceError(o.pos, `undefined label '${o.name}'`);
        if (target.offset >= this.offset)
          throw new SourceError(o.pos, `label '${o.name}' is at the end of the program, after the last instruction`);
        view.setUint32(at, target.offset, true);
        break;
      }
      case "string": {
        let index: number;
        if (o.kind === "string") {
          index = this.stringIndex.get(o.text) ?? this.addString(o.text);
        } else if (o.kind === "stringIndex") {
          index = o.index;
        } else throw new SourceError(o.pos, `${st.op.name} needs a "string", not a ${o.kind}`);
        view.setUint32(at, index, true);
        break;
      }
    }
  }
}

function parseInteger(text: string, pos: SourcePos): bigint {
  const m = /^(-)?(0x[0-9a-fA-F]+|[0-9]+)$/.exec(text.replaceAll("_", ""));
  if (!m) throw new SourceError(pos, `'${text}' is not an integer (decimal or 0x hex)`);
  let v = BigInt(m[2]);
  if (v > U64_MAX) throw new SourceError(pos, `${text} does not fit in 64 bits`);
  if (m[1]) {
    if (v > 1n << 63n) throw new SourceError(pos, `${text} does not fit in 64 bits`);
    v = BigInt.asUintN(64, -v);
  }
  return v;
}

/** A cursor over one line: words, operands, strings and the trailing comment, with 1-based columns. */
class LineLexer {
  at = 0;
  private readonly end: number;
  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly line: number,
  ) {
    this.end = this.findCommentStart();
  }

  pos(at = this.at): SourcePos {
    return { file: this.file, line: this.line, col: at + 1 };
  }

  private findCommentStart(): number {
    let inString = false;
    for (let i = 0; i < this.text.length; i++) {
      const c = this.text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === ";") return i;
    }
    return this.text.length;
  }

  comment(): { text: string; pos: SourcePos } | undefined {
    return this.end < this.text.length
      ? { text: this.text.slice(this.end + 1), pos: this.pos(this.end + 1) }
      : undefined;
  }

  private skipSpace(): void {
    while (this.at < this.end && /\s/.test(this.text[this.at])) this.at++;
  }

  peek(): string | undefined {
    this.skipSpace();
    return this.at < this.end ? this.text[this.at] : undefined;
  }

  next(): void {
    this.at++;
  }

  skipComma(): void {
    if (this.peek() === ",") this.at++;
  }

  word(): Word | undefined {
    this.skipSpace();
    const start = this.at;
    while (this.at < this.end && /[^\s,:;"]/.test(this.text[this.at])) this.at++;
    return this.at > start ? { text: this.text.slice(start, this.at), pos: this.pos(start) } : undefined;
  }

  operand(): Operand | undefined {
    const c = this.peek();
    if (c === undefined) return undefined;
    const pos = this.pos();
    if (c === '"') return { kind: "string", text: this.string(), pos };
    const w = this.word();
    if (!w) throw new SourceError(pos, `unexpected '${c}'`);
    if (/^#[0-9]+$/.test(w.text)) return { kind: "stringIndex", index: Number(w.text.slice(1)), pos };
    if (/^[-0-9]/.test(w.text)) return { kind: "int", value: parseInteger(w.text, pos), pos };
    if (!LABEL.test(w.text)) throw new SourceError(pos, `'${w.text}' is not an integer, label or string`);
    return { kind: "label", name: w.text, pos };
  }

  private string(): string {
    const start = this.at;
    this.at++; // opening quote
    let out = "";
    while (this.at < this.text.length) {
      const c = this.text[this.at];
      if (c === '"') {
        this.at++;
        return out;
      }
      if (c !== "\\") {
        out += c;
        this.at++;
        continue;
      }
      const escPos = this.pos();
      const e = this.text[this.at + 1];
      this.at += 2;
      switch (e) {
        case "n":
          out += "\n";
          break;
        case "t":
          out += "\t";
          break;
        case "r":
          out += "\r";
          break;
        case "0":
          out += "\0";
          break;
        case "\\":
          out += "\\";
          break;
        case '"':
          out += '"';
          break;
        case "x": {
          const hex = this.text.slice(this.at, this.at + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new SourceError(escPos, "\\x needs two hex digits");
          out += String.fromCharCode(parseInt(hex, 16));
          this.at += 2;
          break;
        }
        case "u": {
          const m = /^\{([0-9a-fA-F]{1,6})\}/.exec(this.text.slice(this.at));
          if (!m || parseInt(m[1], 16) > 0x10ffff)
            throw new SourceError(escPos, "\\u needs {hex} with a code point up to 10FFFF");
          out += String.fromCodePoint(parseInt(m[1], 16));
          this.at += m[0].length;
          break;
        }
        default:
          throw new SourceError(escPos, e === undefined ? "unterminated string" : `unknown escape '\\${e}'`);
      }
    }
    throw new SourceError(this.pos(start), "unterminated string");
  }

  expectEnd(): void {
    this.skipSpace();
    if (this.at < this.end)
      throw new SourceError(this.pos(), `unexpected '${this.text.slice(this.at, this.end).trim()}'`);
  }
}
