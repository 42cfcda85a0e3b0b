// Fern's parser: tokens → syntax tree, by recursive descent with one function per precedence level
// (|| < && < equality < comparison < additive < multiplicative < unary < postfix). Compound assignments
// (`x += e`) become plain ones (`x = x + e`), except on an element (`a[i] += e`), which evaluates a and i once.
// A `-` directly before an integer literal makes a negative literal, so the minimum integer can be written.
// Errors carry file:line:col.
import { SourceError } from "../util/errors.ts";
import type { Expr, FnDecl, Pos, ProgramAst, Stmt } from "./ast.ts";
import type { Token } from "./lexer.ts";

const COMPOUND = ["+=", "-=", "*=", "/=", "%="];

/** How deep parentheses, calls, indexing, unary operators and blocks may nest, and how deep an expression tree may get (a long
 * operator chain is as deep as it is long): deeper input would overflow the JavaScript stack of the parser or of a
 * later pass, so it is a source error at the place it gets too deep. */
export const MAX_NESTING = 256;
export const MAX_TREE_DEPTH = 1000;

export function parse(tokens: Token[], file: string): ProgramAst {
  let i = 0;
  let nesting = 0;
  const peek = () => tokens[i];
  const fail = (t: Pos, msg: string): never => {
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
    if (++nesting > MAX_NESTING)
      fail(t, `nested too deep (more than ${MAX_NESTING} levels of parentheses, calls, operators or blocks)`);
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

  const fnRest = (t: Token, fnName: string): FnDecl => {
    eat("(");
    const params: string[] = [];
    while (!is(")")) {
      const p = name();
      if (params.includes(p.text)) fail(p, `parameter '${p.text}' is declared twice`);
      params.push(p.text);
      if (!is(")")) eat(",");
    }
    eat(")");
    return { name: fnName, params, body: block(), line: t.line, col: t.col };
  };

  /** An assignment, compound assignment or expression, without its ';' (also a `for` header's init and update). */
  const simple = (): Stmt => {
    const t = peek();
    const pos = { line: t.line, col: t.col };
    const e = expression();
    const op = peek();
    if (is("=") || (op.kind === "op" && COMPOUND.includes(op.text))) {
      i++;
      let value = expression();
      if (e.kind !== "name" && e.kind !== "index")
        return fail(op, "only a variable or an element (a[i], m[k]) can be assigned to");
      if (op.text !== "=") {
        const bin = op.text.slice(0, 1);
        if (e.kind === "index") return { kind: "update", array: e.array, index: e.index, op: bin, value, ...pos };
        value = { kind: "binary", op: bin, left: e, right: value, line: op.line, col: op.col };
      }
      if (e.kind === "name") return { kind: "assign", name: e.name, value, ...pos };
      return { kind: "store", array: e.array, index: e.index, value, ...pos };
    }
    return { kind: "expr", expr: e, ...pos };
  };

  const letStatement = (): Stmt => {
    const t = eat("let");
    const n = name();
    eat("=");
    const init = expression();
    return { kind: "let", name: n.text, init, line: t.line, col: t.col };
  };

  const statement = (): Stmt => {
    const t = peek();
    const pos = { line: t.line, col: t.col };
    if (is("let")) {
      const s = letStatement();
      eat(";");
      return s;
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
    if (is("for")) {
      i++;
      eat("(");
      const init = is(";") ? undefined : is("let") ? letStatement() : simple();
      eat(";");
      const cond = is(";") ? undefined : expression();
      eat(";");
      const update = is(")") ? undefined : simple();
      eat(")");
      return { kind: "for", init, cond, update, body: block(), ...pos };
    }
    if (is("break") || is("continue")) {
      i++;
      eat(";");
      return { kind: t.text as "break" | "continue", ...pos };
    }
    if (is("return")) {
      i++;
      const value = is(";") ? undefined : expression();
      eat(";");
      return { kind: "return", value, ...pos };
    }
    if (is("fn") && tokens[i + 1]?.kind === "name") {
      i++;
      return { kind: "fn", fn: fnRest(t, name().text), ...pos };
    }
    const s = simple();
    eat(";");
    return s;
  };

  const binary = (ops: string[], next: () => Expr) => (): Expr => {
    let left = next();
    while (peek().kind === "op" && ops.includes(peek().text)) {
      const t = tokens[i++];
      left = { kind: "binary", op: t.text, left, right: next(), line: t.line, col: t.col };
    }
    return left;
  };
  const intLiteral = (t: Token, negative: boolean, at: Pos = t): Expr => {
    let value = BigInt(t.text);
    if (/^0[xX]/.test(t.text)) {
      if (value >= 1n << 64n) fail(t, `${t.text} does not fit in 64 bits`);
      value = BigInt.asIntN(64, value);
    } else if (value > (negative ? 1n << 63n : (1n << 63n) - 1n))
      fail(at, `${negative ? "-" : ""}${t.text} does not fit in a 64-bit integer`);
    return { kind: "int", value: negative ? BigInt.asIntN(64, -value) : value, line: t.line, col: t.col };
  };
  const unary = (): Expr => {
    const t = peek();
    if (is("-") && tokens[i + 1].kind === "int") {
      i++;
      const lit = tokens[i];
      // `-5[0]` or `-f` stay ordinary negations; a plain literal folds (and may be the minimum integer).
      if (!(tokens[i + 1].kind === "op" && tokens[i + 1].text === "[")) {
        i++;
        return { ...intLiteral(lit, true, t), line: t.line, col: t.col };
      }
      i--;
    }
    if (is("-") || is("!")) {
      i++;
      return { kind: "unary", op: t.text as "-" | "!", operand: nested(t, unary), line: t.line, col: t.col };
    }
    return postfix();
  };
  const list = (close: string, item: () => void): void => {
    while (!is(close)) {
      if (peek().kind === "eof") fail(peek(), `expected '${close}' before the end of the file`);
      item();
      if (!is(close)) eat(",");
    }
    eat(close);
  };
  const postfix = (): Expr => {
    let e = primary();
    while (is("[") || is("(")) {
      const t = tokens[i++];
      if (t.text === "[") {
        const index = nested(t, expression);
        eat("]");
        e = { kind: "index", array: e, index, line: t.line, col: t.col };
      } else {
        const args: Expr[] = [];
        list(")", () => args.push(nested(t, expression)));
        e = { kind: "call", callee: e, args, line: e.line, col: e.col };
      }
    }
    return e;
  };
  const primary = (): Expr => {
    const t = peek();
    const pos = { line: t.line, col: t.col };
    i++;
    if (t.kind === "int") return intLiteral(t, false);
    if (t.kind === "float") return { kind: "float", value: Number(t.text), ...pos };
    if (t.kind === "string") return { kind: "string", value: t.text, ...pos };
    if (t.kind === "keyword" && (t.text === "true" || t.text === "false"))
      return { kind: "bool", value: t.text === "true", ...pos };
    if (t.kind === "keyword" && t.text === "nil") return { kind: "nil", ...pos };
    if (t.kind === "keyword" && t.text === "fn") return { kind: "fn", fn: fnRest(t, ""), ...pos };
    if (t.kind === "name") return { kind: "name", name: t.text, ...pos };
    if (t.kind === "op" && t.text === "(") {
      const e = nested(t, expression);
      eat(")");
      return e;
    }
    if (t.kind === "op" && t.text === "[") {
      const items: Expr[] = [];
      list("]", () => items.push(nested(t, expression)));
      return { kind: "array", items, ...pos };
    }
    if (t.kind === "op" && t.text === "{") {
      const entries: [Expr, Expr][] = [];
      list("}", () => {
        const k = nested(t, expression);
        eat(":");
        entries.push([k, nested(t, expression)]);
      });
      return { kind: "map", entries, ...pos };
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
    if (is("fn") && tokens[i + 1]?.kind === "name") {
      const t = tokens[i++];
      functions.push(fnRest(t, name().text));
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
  const stack: [unknown, number, number][] = [[ast, 0, 0]];
  while (stack.length) {
    const [node, depth, chain] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    const n = node as { kind?: string; line?: number; col?: number; else?: { kind?: string }[] };
    if (n.kind !== undefined && depth > MAX_TREE_DEPTH && n.line !== undefined)
      throw new SourceError(
        { file, line: n.line, col: n.col ?? 1 },
        `expression too deep (more than ${MAX_TREE_DEPTH} nested operations; split it with variables)`,
      );
    if (chain > MAX_TREE_DEPTH && n.line !== undefined)
      throw new SourceError(
        { file, line: n.line, col: n.col ?? 1 },
        `'else if' chain too long (more than ${MAX_TREE_DEPTH} branches; split it, or look the value up in a map)`,
      );
    // An `else if` is a chain, not nesting: the `if` in an else branch is as deep as the `if` it continues (the
    // compiler still recurses along it, so the chain has a limit of its own).
    const elseIf = n.kind === "if" && n.else?.length === 1 && n.else[0].kind === "if" ? n.else[0] : undefined;
    if (elseIf) stack.push([elseIf, depth, chain + 1]);
    for (const [key, child] of Object.entries(node)) {
      if (typeof child === "object" && child !== null && !(elseIf && key === "else"))
        stack.push([child, n.kind !== undefined ? depth + 1 : depth, 0]);
    }
  }
}
