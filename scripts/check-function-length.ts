// Long functions: lists every TypeScript function (declaration, method, arrow or function expression with a block
// body) longer than MAX_LINES lines, from the line its name is on to its closing brace, unless the comment right
// above it says it is a dispatch switch or a table-shaped switch (STYLE.md: such a function "says so"). A lexer,
// not a parser: it skips comments, strings, template literals and regular expressions, matches brackets, and takes
// a `{` for a function body when it follows `=>` or a parameter list (with its return type) that follows a name,
// `function` or a method's name — enough for this code base, whose formatting prettier fixes. Run:
// `node --import tsx scripts/check-function-length.ts`; test/function-length.test.ts holds the rule in the suite.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../util/root.ts";

export const MAX_LINES = 80;
const SKIP = new Set(["node_modules", "dist", "build", "results", "docs", ".git", ".futamura-cache", "test"]);
/** AssemblyScript sources (interpreters and the template): compiled by asc, their dispatch loops are the point. */
const NOT_CHECKED = ["interp/as", "interp/template"];
/** Words in the comment above a function that exempt it: STYLE.md's dispatch loop or table-shaped switch. */
const SAYS_SO = /\bdispatch (switch|loop)|table-shaped/i;

export interface LongFunction {
  file: string;
  name: string;
  line: number;
  lines: number;
}

interface Token {
  kind: "name" | "punct" | "literal" | "comment";
  text: string;
  line: number;
}

const PUNCT3 = ["===", "!==", "...", "**=", "<<=", ">>=", "&&=", "||=", "??="];
const PUNCT2 = ["=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "**"];
/** After these tokens a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(["return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw"]);

/** The tokens of a TypeScript source; comments are kept (for the exemption), whitespace dropped. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let line = 1;
  /** Open `{` and `${`: a `}` closing a `${` resumes the template literal. */
  const braces: ("{" | "${")[] = [];
  const push = (kind: Token["kind"], start: number, startLine: number) =>
    tokens.push({ kind, text: src.slice(start, at), line: startLine });
  const advanceTo = (end: number) => {
    for (; at < end; at++) if (src[at] === "\n") line++;
  };
  /** Scan a template literal's text from `at` (just after "`" or a `}`) to its end or its next `${`. */
  const templateText = () => {
    const start = at;
    const startLine = line;
    for (;;) {
      if (at >= src.length) break;
      const c = src[at];
      if (c === "\\") advanceTo(at + 2);
      else if (c === "`") {
        advanceTo(at + 1);
        break;
      } else if (c === "$" && src[at + 1] === "{") {
        advanceTo(at + 2);
        braces.push("${");
        break;
      } else advanceTo(at + 1);
    }
    push("literal", start, startLine);
  };
  while (at < src.length) {
    const c = src[at];
    const start = at;
    const startLine = line;
    if (/\s/.test(c)) advanceTo(at + 1);
    else if (c === "/" && src[at + 1] === "/") {
      const end = src.indexOf("\n", at);
      advanceTo(end < 0 ? src.length : end);
      push("comment", start, startLine);
    } else if (c === "/" && src[at + 1] === "*") {
      const end = src.indexOf("*/", at + 2);
      advanceTo(end < 0 ? src.length : end + 2);
      push("comment", start, startLine);
    } else if (c === '"' || c === "'") {
      at++;
      while (at < src.length && src[at] !== c) at += src[at] === "\\" ? 2 : 1;
      at++;
      push("literal", start, startLine);
    } else if (c === "`") {
      at++;
      templateText();
    } else if (c === "/" && regexMayStart(tokens)) {
      advanceTo(regexEnd(src, at));
      push("literal", start, startLine);
    } else if (/[A-Za-z_$\d]/.test(c) || c.charCodeAt(0) > 127) {
      while (at < src.length && (/[A-Za-z_$\d]/.test(src[at]) || src.charCodeAt(at) > 127)) at++;
      push(/\d/.test(c) ? "literal" : "name", start, startLine);
    } else {
      const three = src.slice(at, at + 3);
      const two = src.slice(at, at + 2);
      at += PUNCT3.includes(three) ? 3 : PUNCT2.includes(two) ? 2 : 1;
      const text = src.slice(start, at);
      if (text === "{") braces.push("{");
      if (text === "}" && braces.pop() === "${") {
        templateText();
        continue;
      }
      push("punct", start, startLine);
    }
  }
  return tokens;
}

function regexMayStart(tokens: Token[]): boolean {
  const prev = lastCode(tokens, tokens.length);
  if (!prev) return true;
  if (prev.kind === "literal") return false;
  if (prev.kind === "name") return BEFORE_REGEX.has(prev.text);
  if (prev.text === "!") {
    // `x! / y`: a non-null assertion, then a division
    const before = lastCode(tokens, tokens.length - 1);
    if (before && (before.kind !== "punct" || before.text === ")" || before.text === "]")) return false;
  }
  return ![")", "]", "}"].includes(prev.text);
}

function regexEnd(src: string, at: number): number {
  let inClass = false;
  for (at++; at < src.length && src[at] !== "\n"; at++) {
    const c = src[at];
    if (c === "\\") at++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) break;
  }
  at++;
  while (at < src.length && /[a-z]/.test(src[at])) at++;
  return at;
}

function lastCode(tokens: Token[], before: number): Token | undefined {
  for (let i = before - 1; i >= 0; i--) if (tokens[i].kind !== "comment") return tokens[i];
  return undefined;
}

const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CONTROL = new Set(["if", "for", "while", "switch", "catch", "with", "return", "typeof", "await", "new"]);

/** The functions of a source longer than `max` lines that do not say they are a dispatch switch. */
export function longFunctions(file: string, src: string, max = MAX_LINES): LongFunction[] {
  const all = tokenize(src);
  const code = all.filter((t) => t.kind !== "comment");
  const comments = all.filter((t) => t.kind === "comment");
  const match = matchBrackets(code);
  const out: LongFunction[] = [];
  for (let i = 0; i < code.length; i++) {
    if (code[i].text !== "(" && code[i].text !== "=>") continue;
    const fn = code[i].text === "=>" ? arrowFunction(code, i) : namedFunction(code, match, i);
    if (!fn) continue;
    const end = code[match[fn.body]];
    if (!end) throw new Error(`${file}:${code[fn.body].line}: unmatched { (the lexer lost its way)`);
    const first = code[fn.start].line;
    const lines = end.line - first + 1;
    if (lines <= max || saysSo(comments, first, statementStart(code, fn.start))) continue;
    out.push({ file, name: fn.name, line: first, lines });
  }
  return out;
}

/** Index of the matching bracket of every bracket token. */
function matchBrackets(code: Token[]): number[] {
  const match: number[] = [];
  const stack: number[] = [];
  code.forEach((t, i) => {
    if (t.kind !== "punct") return;
    if (OPEN[t.text]) stack.push(i);
    else if (t.text === ")" || t.text === "]" || t.text === "}") {
      const open = stack.pop();
      if (open !== undefined) [match[open], match[i]] = [i, open];
    }
  });
  return match;
}

/** `=> {`: the body, and a name from `name = (…) =>` or `name: (…) =>` when there is one. */
function arrowFunction(code: Token[], arrow: number): { name: string; start: number; body: number } | undefined {
  if (code[arrow + 1]?.text !== "{") return undefined;
  let start = arrow;
  let depth = 0;
  for (let j = arrow - 1; j >= 0; j--) {
    const t = code[j].text;
    if (t === ")" || t === "]" || t === ">") depth++;
    else if (t === "(" || t === "[" || t === "<") depth--;
    if (depth <= 0) {
      start = j;
      break;
    }
  }
  const before = code[start - 1];
  const name =
    (before?.text === "=" || before?.text === ":") && code[start - 2]?.kind === "name"
      ? code[start - 2].text
      : `(arrow function)`;
  return { name, start: name === "(arrow function)" ? start : start - 2, body: arrow + 1 };
}

/** `name(…) {`, `name(…): Type {`, `function (…) {` and `name<T>(…) {`: the body's `{`, or undefined when the
 *  parenthesis is a call or a control statement's. */
function namedFunction(
  code: Token[],
  match: number[],
  open: number,
): { name: string; start: number; body: number } | undefined {
  let j = open - 1;
  if (code[j]?.text === ">")
    for (let depth = 0; j >= 0; j--) {
      if (code[j].text === ">") depth++;
      else if (code[j].text === "<" && --depth === 0) break;
    }
  if (code[j]?.text === "<") j--;
  const nameTok = code[j];
  if (!nameTok || nameTok.kind !== "name" || CONTROL.has(nameTok.text)) return undefined;
  const body = bodyAfter(code, match, match[open]);
  if (body === undefined) return undefined;
  const isFunctionKeyword = nameTok.text === "function";
  return { name: isFunctionKeyword ? "(function expression)" : nameTok.text, start: j, body };
}

/** After a parameter list's `)`: the `{` of a body, skipping a return type; undefined when none follows. */
function bodyAfter(code: Token[], match: number[], close: number): number | undefined {
  let k = close + 1;
  if (code[k]?.text === "{") return k;
  if (code[k]?.text !== ":") return undefined;
  for (k++; k < code.length; k++) {
    const t = code[k];
    if (t.text === "{") {
      const prev = code[k - 1].text;
      if (![":", "|", "&", "=>", ",", "(", "<"].includes(prev)) return k;
      k = match[k] ?? k;
    } else if (t.text === "(" || t.text === "[") k = match[k] ?? k;
    else if ([";", "=", ")", "]", "}", ","].includes(t.text)) return undefined;
  }
  return undefined;
}

/** The code token before the declaration that starts at `start` (before its modifiers, `const x =` and the like). */
function statementStart(code: Token[], start: number): Token | undefined {
  let j = start - 1;
  while (j >= 0 && ![";", "{", "}", ",", "(", "["].includes(code[j].text)) j--;
  return code[j];
}

/** Whether the comment right above the function (or on its first line) says it is a dispatch switch. */
function saysSo(comments: Token[], firstLine: number, before: Token | undefined): boolean {
  const from = before?.line ?? 0;
  // A doc comment's lines joined (its line breaks and leading `*` are not words).
  const words = (c: Token) => c.text.replace(/\s*\n\s*(\*(?!\/))?\s*/g, " ");
  return comments.some((c) => c.line >= from && c.line <= firstLine && SAYS_SO.test(words(c)));
}

/** Every TypeScript source of the project outside test/ (and the AssemblyScript interpreters). */
export function sources(dir = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir))) {
    const p = dir ? `${dir}/${e}` : e;
    if (SKIP.has(e) || NOT_CHECKED.includes(p)) continue;
    if (statSync(join(ROOT, p)).isDirectory()) out.push(...sources(p));
    else if (/\.m?ts$/.test(e) && !e.endsWith(".d.ts") && dir) out.push(p);
  }
  return out;
}

/** The project's long functions, as `file:line name (N lines)`. */
export function projectLongFunctions(): LongFunction[] {
  return sources().flatMap((f) => longFunctions(f, readFileSync(join(ROOT, f), "utf8")));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = projectLongFunctions();
  for (const f of found) console.log(`${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
  process.exit(found.length ? 1 : 0);
}
