// Fern's parser: tokens → syntax tree, by recursive descent with one function per precedence level
// (|| < && < equality < comparison < additive < multiplicative < unary < postfix). Errors carry file:line:col.
// Relies on lexer.ts and ast.ts.
import { SourceError } from "../util/errors.ts";
import type { Expr, FnDecl, ProgramAst, Stmt } from "./ast.ts";
import type { Token } from "./lexer.ts";

/** How deep parentheses, calls, indexing, unary operators and blocks may nest, and how deep an expression tree may get (a long
 * operator chain is as deep as it is long): deeper input would overflow the JavaScript stack of the parser or of a
 * later pass, so it is a source error at the place it gets too deep. */
export const MAX_NESTING = 256;
export const MAX_TREE_DEPTH = 1000;

export function parse(tokens: Token[], file: string): ProgramAst {
  let i = 0;
  let nesting = 0;
  const peek = () => tokens[i];
  const fail = (t: Token, msg: string): never => {
    throw new SourceError({ file, line: t.line, col: t.col }, msg);
  };
  const is = (text: string) => (peek().kind === "op" || peek().kind === "keyword") && peek().text === text;
  const eat = (text: string): Token => {
    const t = peek();
    if (!is(text)) fail(t, `expected '${text}', found '${t.text}'`);
    i++;
    return t;
  };
  const name = (): Token => {
    const t = peek();
    if (t.kind !== "name") fail(t, `expected a name, found '${t.text}'`);
    i++;
    return t;
  };

  const nested = <T>(t: Token, inner: () => T): T => {
    if (++nesting > MAX_NESTING) fail(t, `nested too deep (more than ${MAX_NESTING} levels of parentheses, calls, operators or blocks)`);
    const result = inner();
    nesting--;
    return result;
  };

  const block = (): Stmt[] =>
    nested(peek(), () => {
      eat("{");
      const body: Stmt[] = [];
      while (!is("}")) {
        if (peek().kind === "eof") fail(peek(), "expected '}' before the end of the file");
        body.push(statement());
      }
      eat("}");
      return body;
    });

  const statement = (): Stmt => {
    const t = peek();
    const pos = { line: t.line, col: t.col };
    if (is("let")) {
      i++;
      const n = name();
      eat("=");
      const init = expression();
      eat(";");
      return { kind: "let", name: n.text, init, ...pos };
    }
    if (is("if")) {
      i++;
      eat("(");
      const cond = expression();
      eat(")");
      const then = block();
      let otherwise: Stmt[] | undefined;
      if (is("else")) {
        i++;
        otherwise = is("if") ? [statement()] : block();
      }
      return { kind: "if", cond, then, else: otherwise, ...pos };
    }
    if (is("while")) {
      i++;
      eat("(");
      const cond = expression();
      eat(")");
      return { kind: "while", cond, body: block(), ...pos };
    }
    if (is("return")) {
      i++;
      const value = is(";") ? undefined : expression();
      eat(";");
      return { kind: "return", value, ...pos };
    }
    if (is("fn")) fail(t, "functions can only be declared at the top level");
    const e = expression();
    if (is("=")) {
      const eq = peek();
      i++;
      const value = expression();
      eat(";");
      if (e.kind === "name") return { kind: "assign", name: e.name, value, ...pos };
      if (e.kind === "index") return { kind: "store", array: e.array, index: e.index, value, ...pos };
      return fail(eq, "only a variable or an array element can be assigned to");
    }
    eat(";");
    return { kind: "expr", expr: e, ...pos };
  };

  const binary = (ops: string[], next: () => Expr) => (): Expr => {
    let left = next();
    while (peek().kind === "op" && ops.includes(peek().text)) {
      const t = tokens[i++];
      left = { kind: "binary", op: t.text, left, right: next(), line: t.line, col: t.col };
    }
    return left;
  };
  const unary = (): Expr => {
    const t = peek();
    if (is("-") || is("!")) {
      i++;
      return { kind: "unary", op: t.text as "-" | "!", operand: nested(t, unary), line: t.line, col: t.col };
    }
    return postfix();
  };
  const postfix = (): Expr => {
    let e = primary();
    while (is("[")) {
      const t = eat("[");
      const index = nested(t, expression);
      eat("]");
      e = { kind: "index", array: e, index, line: t.line, col: t.col };
    }
    return e;
  };
  const primary = (): Expr => {
    const t = peek();
    const pos = { line: t.line, col: t.col };
    i++;
    if (t.kind === "int") {
      const value = BigInt(t.text);
      if (value >= 1n << 63n) fail(t, `${t.text} does not fit in a 64-bit integer`);
      return { kind: "int", value, ...pos };
    }
    if (t.kind === "float") return { kind: "float", value: Number(t.text), ...pos };
    if (t.kind === "keyword" && (t.text === "true" || t.text === "false")) return { kind: "bool", value: t.text === "true", ...pos };
    if (t.kind === "keyword" && t.text === "nil") return { kind: "nil", ...pos };
    if (t.kind === "name") {
      if (!is("(")) return { kind: "name", name: t.text, ...pos };
      eat("(");
      const args: Expr[] = [];
      while (!is(")")) {
        args.push(nested(t, expression));
        if (!is(")")) eat(",");
      }
      eat(")");
      return { kind: "call", callee: t.text, args, ...pos };
    }
    if (t.kind === "op" && t.text === "(") {
      const e = nested(t, expression);
      eat(")");
      return e;
    }
    return fail(t, `expected an expression, found '${t.text}'`);
  };
  const multiplicative = binary(["*", "/", "%"], unary);
  const additive = binary(["+", "-"], multiplicative);
  const comparison = binary(["<", "<=", ">", ">="], additive);
  const equality = binary(["==", "!="], comparison);
  const and = binary(["&&"], equality);
  const expression = binary(["||"], and);

  const functions: FnDecl[] = [];
  const main: Stmt[] = [];
  while (peek().kind !== "eof") {
    if (is("fn")) {
      const t = tokens[i++];
      const n = name();
      eat("(");
      const params: string[] = [];
      while (!is(")")) {
        params.push(name().text);
        if (!is(")")) eat(",");
      }
      eat(")");
      functions.push({ name: n.text, params, body: block(), line: t.line, col: t.col });
    } else main.push(statement());
  }
  const ast = { functions, main };
  checkDepth(ast, file);
  return ast;
}

/** A long operator chain (`1 + 1 + … + 1`) parses in a loop but builds a tree as deep as the chain, which the
 * compiler walks recursively: find the first node deeper than MAX_TREE_DEPTH, without recursing, and reject it there.
 * Walks every object property, so new node kinds need no change here. */
function checkDepth(ast: ProgramAst, file: string): void {
  const stack: [unknown, number][] = [[ast, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    const n = node as { kind?: string; line?: number; col?: number };
    if (n.kind !== undefined && depth > MAX_TREE_DEPTH && n.line !== undefined)
      throw new SourceError({ file, line: n.line, col: n.col ?? 1 }, `expression too deep (more than ${MAX_TREE_DEPTH} nested operations; split it with variables)`);
    for (const child of Object.values(node)) if (typeof child === "object" && child !== null) stack.push([child, n.kind !== undefined ? depth + 1 : depth]);
  }
}
