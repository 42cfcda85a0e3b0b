// Fern's lexer: source text → tokens with 1-based line:col. Comments are `//` to end of line and `/* … */` (not
// nested); `// expect: …` comments are expectations, collected by index.ts. Integers are decimal or hexadecimal
// (`0xff`); string literals are double-quoted with the escapes \n \t \r \0 \\ \" and \xHH, and their token text
// is the decoded bytes, one char per byte (UTF-8 for ordinary characters; \xHH is one byte; the interpreter indexes bytes).
import { SourceError } from "../util/errors.ts";

export type TokenKind = "int" | "float" | "string" | "name" | "keyword" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  col: number;
}

export const KEYWORDS = new Set([
  "fn",
  "let",
  "if",
  "else",
  "while",
  "for",
  "break",
  "continue",
  "return",
  "true",
  "false",
  "nil",
]);
const OPS = [
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">",
  "!",
  "=",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  ",",
  ";",
  ":",
];
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", '"': '"' };

const UTF8 = new TextEncoder();

export function lex(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  /** Fails at index k of the source, on the current line. */
  const failAt = (k: number, msg: string): never => {
    throw new SourceError({ file, line, col: k - lineStart + 1 }, msg);
  };
  while (i < source.length) {
    const c = source[i];
    if (c === "\n") {
      line++;
      lineStart = ++i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith("//", i)) {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      if (end < 0) failAt(i, "unterminated block comment");
      for (let k = i; k < end; k++) {
        if (source[k] === "\n") {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
      continue;
    }
    if (c === '"') {
      const { text, close } = stringLiteral(source, i, failAt);
      tokens.push({ kind: "string", text, line, col });
      i = close + 1;
      continue;
    }
    const word = numberOrWord(source, i, failAt);
    if (word) {
      tokens.push({ kind: word.kind, text: word.text, line, col });
      i += word.length;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) failAt(i, `unexpected character '${c}'`);
    tokens.push({ kind: "op", text: op!, line, col });
    i += op!.length;
  }
  tokens.push({ kind: "eof", text: "end of file", line, col: i - lineStart + 1 });
  return tokens;
}

/** The text of the string literal whose `"` is at `open` (escapes decoded, non-ASCII characters as their UTF-8
 *  bytes, one char per byte) and the index of its closing `"`; a literal ends on its line. */
function stringLiteral(
  source: string,
  open: number,
  failAt: (k: number, msg: string) => never,
): { text: string; close: number } {
  let text = "";
  let k = open + 1;
  while (true) {
    if (k >= source.length || source[k] === "\n") failAt(open, "unterminated string literal");
    const ch = source[k];
    if (ch === '"') break;
    if (ch === "\\") {
      const e = source[k + 1];
      if (e === "x" && /^[0-9a-fA-F]{2}$/.test(source.slice(k + 2, k + 4))) {
        text += String.fromCharCode(parseInt(source.slice(k + 2, k + 4), 16));
        k += 4;
        continue;
      }
      if (e === undefined || !(e in ESCAPES)) failAt(k, `unknown escape '\\${e ?? ""}' in a string literal`);
      text += ESCAPES[e];
      k += 2;
      continue;
    }
    const cp = source.codePointAt(k)!;
    if (cp < 0x80) {
      // A run of plain ASCII is its own bytes: appended at once (a character at a time, a 16 MB literal took 73 s).
      let end = k + 1;
      for (
        let d = source.charCodeAt(end);
        end < source.length && d !== 34 && d !== 92 && d !== 10 && d < 0x80;
        d = source.charCodeAt(++end)
      );
      text += source.slice(k, end);
      k = end;
      continue;
    }
    for (const b of UTF8.encode(String.fromCodePoint(cp))) text += String.fromCharCode(b);
    k += cp > 0xffff ? 2 : 1;
  }
  return { text, close: k };
}

/** The number (hex or decimal int, float) or name or keyword at index i, with its length in the source (a hex
 *  literal's `_` separators are dropped from its text), or undefined when none starts there. */
function numberOrWord(
  source: string,
  i: number,
  failAt: (k: number, msg: string) => never,
): { kind: TokenKind; text: string; length: number } | undefined {
  const hex = /^0[xX]([0-9a-fA-F_]*)/.exec(source.slice(i, i + 64));
  if (hex) {
    if (!/^[0-9a-fA-F]/.test(hex[1])) failAt(i, `expected hexadecimal digits after '${hex[0]}'`);
    return { kind: "int", text: hex[0].replace(/_/g, ""), length: hex[0].length };
  }
  const m = /^(\d+\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+))/.exec(source.slice(i, i + 64));
  if (m) return { kind: "float", text: m[1], length: m[1].length };
  const n = /^\d+/.exec(source.slice(i, i + 32));
  if (n) return { kind: "int", text: n[0], length: n[0].length };
  const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
  if (w) return { kind: KEYWORDS.has(w[0]) ? "keyword" : "name", text: w[0], length: w[0].length };
  return undefined;
}
