// Fern's lexer: source text → tokens with 1-based line:col. Comments are `//` to end of line; `// expect: …`
// comments are expectations, collected by index.ts. Relies on util/errors.ts.
import { SourceError } from "../util/errors.ts";

export type TokenKind = "int" | "float" | "name" | "keyword" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  col: number;
}

const KEYWORDS = new Set(["fn", "let", "if", "else", "while", "return", "true", "false", "nil"]);
const OPS = ["==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "!", "=", "(", ")", "{", "}", "[", "]", ",", ";"];

export function lex(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
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
    const m = /^(\d+\.\d+(?:[eE][-+]?\d+)?|\d+(?:[eE][-+]?\d+))/.exec(source.slice(i, i + 64));
    if (m) {
      tokens.push({ kind: "float", text: m[1], line, col });
      i += m[1].length;
      continue;
    }
    const n = /^\d+/.exec(source.slice(i, i + 32));
    if (n) {
      tokens.push({ kind: "int", text: n[0], line, col });
      i += n[0].length;
      continue;
    }
    const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
    if (w) {
      tokens.push({ kind: KEYWORDS.has(w[0]) ? "keyword" : "name", text: w[0], line, col });
      i += w[0].length;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) throw new SourceError({ file, line, col }, `unexpected character '${c}'`);
    tokens.push({ kind: "op", text: op, line, col });
    i += op.length;
  }
  tokens.push({ kind: "eof", text: "end of file", line, col: i - lineStart + 1 });
  return tokens;
}
