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
  return new Parser(tokens, file).program();
}

/** The parser's state: the tokens, the next one's index and the current nesting depth. */
class Parser {
  private i = 0;
  private nesting = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private fail(t: Pos, msg: string): never {
    throw new SourceError({ file: this.file, line: t.line, col: t.col }, msg);
  }
  private is(text: string): boolean {
    return (this.peek().kind === "op" || this.peek().kind === "keyword") && this.peek().text === text;
  }
  private eat(text: string): Token {
    const t = this.peek();
    if (!this.is(text)) this.fail(t, `expected '${text}', found '${t.text}'`);
    this.i++;
    return t;
  }
  private name(): Token {
    const t = this.peek();
    if (t.kind !== "name") this.fail(t, `expected a name, found '${t.text}'`);
    this.i++;
    return t;
  }

  private nested<T>(t: Token, inner: () => T): T {
    if (++this.nesting > MAX_NESTING)
      this.fail(t, `nested too deep (more than ${MAX_NESTING} levels of parentheses, calls, operators or blocks)`);
    const result = inner();
    this.nesting--;
    return result;
  }

  private block(): Stmt[] {
    return this.nested(this.peek(), () => {
      this.eat("{");
      const body: Stmt[] = [];
      while (!this.is("}")) {
        if (this.peek().kind === "eof") this.fail(this.peek(), "expected '}' before the end of the file");
        body.push(this.statement());
      }
      this.eat("}");
      return body;
    });
  }

  private fnRest(t: Token, fnName: string): FnDecl {
    this.eat("(");
    const params: string[] = [];
    while (!this.is(")")) {
      const p = this.name();
      if (params.includes(p.text)) this.fail(p, `parameter '${p.text}' is declared twice`);
      params.push(p.text);
      if (!this.is(")")) this.eat(",");
    }
    this.eat(")");
    return { name: fnName, params, body: this.block(), line: t.line, col: t.col };
  }

  /** An assignment, compound assignment or expression, without its ';' (also a `for` header's init and update). */
  private simple(): Stmt {
    const t = this.peek();
    const pos = { line: t.line, col: t.col };
    const e = this.expression();
    const op = this.peek();
    if (this.is("=") || (op.kind === "op" && COMPOUND.includes(op.text))) {
      this.i++;
      let value = this.expression();
      if (e.kind !== "name" && e.kind !== "index")
        return this.fail(op, "only a variable or an element (a[i], m[k]) can be assigned to");
      if (op.text !== "=") {
        const bin = op.text.slice(0, 1);
        if (e.kind === "index") return { kind: "update", array: e.array, index: e.index, op: bin, value, ...pos };
        value = { kind: "binary", op: bin, left: e, right: value, line: op.line, col: op.col };
      }
      if (e.kind === "name") return { kind: "assign", name: e.name, value, ...pos };
      return { kind: "store", array: e.array, index: e.index, value, ...pos };
    }
    return { kind: "expr", expr: e, ...pos };
  }

  private letStatement(): Stmt {
    const t = this.eat("let");
    const n = this.name();
    this.eat("=");
    const init = this.expression();
    return { kind: "let", name: n.text, init, line: t.line, col: t.col };
  }

  private statement(): Stmt {
    const t = this.peek();
    const pos = { line: t.line, col: t.col };
    if (this.is("let")) {
      const s = this.letStatement();
      this.eat(";");
      return s;
    }
    if (this.is("if")) {
      this.i++;
      this.eat("(");
      const cond = this.expression();
      this.eat(")");
      const then = this.block();
      let otherwise: Stmt[] | undefined;
      if (this.is("else")) {
        this.i++;
        otherwise = this.is("if") ? [this.statement()] : this.block();
      }
      return { kind: "if", cond, then, else: otherwise, ...pos };
    }
    if (this.is("while")) {
      this.i++;
      this.eat("(");
      const cond = this.expression();
      this.eat(")");
      return { kind: "while", cond, body: this.block(), ...pos };
    }
    if (this.is("for")) {
      this.i++;
      this.eat("(");
      const init = this.is(";") ? undefined : this.is("let") ? this.letStatement() : this.simple();
      this.eat(";");
      const cond = this.is(";") ? undefined : this.expression();
      this.eat(";");
      const update = this.is(")") ? undefined : this.simple();
      this.eat(")");
      return { kind: "for", init, cond, update, body: this.block(), ...pos };
    }
    if (this.is("break") || this.is("continue")) {
      this.i++;
      this.eat(";");
      return { kind: t.text as "break" | "continue", ...pos };
    }
    if (this.is("return")) {
      this.i++;
      const value = this.is(";") ? undefined : this.expression();
      this.eat(";");
      return { kind: "return", value, ...pos };
    }
    if (this.is("fn") && this.tokens[this.i + 1]?.kind === "name") {
      this.i++;
      return { kind: "fn", fn: this.fnRest(t, this.name().text), ...pos };
    }
    const s = this.simple();
    this.eat(";");
    return s;
  }

  /** One precedence level: a left-associative chain of `ops` between operands of the next level. */
  private binary(ops: string[], next: () => Expr): Expr {
    let left = next();
    while (this.peek().kind === "op" && ops.includes(this.peek().text)) {
      const t = this.tokens[this.i++];
      left = { kind: "binary", op: t.text, left, right: next(), line: t.line, col: t.col };
    }
    return left;
  }
  private intLiteral(t: Token, negative: boolean, at: Pos = t): Expr {
    let value = BigInt(t.text);
    if (/^0[xX]/.test(t.text)) {
      if (value >= 1n << 64n) this.fail(t, `${t.text} does not fit in 64 bits`);
      value = BigInt.asIntN(64, value);
    } else if (value > (negative ? 1n << 63n : (1n << 63n) - 1n))
      this.fail(at, `${negative ? "-" : ""}${t.text} does not fit in a 64-bit integer`);
    return { kind: "int", value: negative ? BigInt.asIntN(64, -value) : value, line: t.line, col: t.col };
  }
  private unary(): Expr {
    const t = this.peek();
    if (this.is("-") && this.tokens[this.i + 1].kind === "int") {
      this.i++;
      const lit = this.tokens[this.i];
      // `-5[0]` or `-f` stay ordinary negations; a plain literal folds (and may be the minimum integer).
      if (!(this.tokens[this.i + 1].kind === "op" && this.tokens[this.i + 1].text === "[")) {
        this.i++;
        return { ...this.intLiteral(lit, true, t), line: t.line, col: t.col };
      }
      this.i--;
    }
    if (this.is("-") || this.is("!")) {
      this.i++;
      return {
        kind: "unary",
        op: t.text as "-" | "!",
        operand: this.nested(t, () => this.unary()),
        line: t.line,
        col: t.col,
      };
    }
    return this.postfix();
  }
  private list(close: string, item: () => void): void {
    while (!this.is(close)) {
      if (this.peek().kind === "eof") this.fail(this.peek(), `expected '${close}' before the end of the file`);
      item();
      if (!this.is(close)) this.eat(",");
    }
    this.eat(close);
  }
  private postfix(): Expr {
    let e = this.primary();
    while (this.is("[") || this.is("(")) {
      const t = this.tokens[this.i++];
      if (t.text === "[") {
        const index = this.nested(t, () => this.expression());
        this.eat("]");
        e = { kind: "index", array: e, index, line: t.line, col: t.col };
      } else {
        const args: Expr[] = [];
        this.list(")", () => args.push(this.nested(t, () => this.expression())));
        e = { kind: "call", callee: e, args, line: e.line, col: e.col };
      }
    }
    return e;
  }
  private primary(): Expr {
    const t = this.peek();
    const pos = { line: t.line, col: t.col };
    this.i++;
    if (t.kind === "int") return this.intLiteral(t, false);
    if (t.kind === "float") return { kind: "float", value: Number(t.text), ...pos };
    if (t.kind === "string") return { kind: "string", value: t.text, ...pos };
    if (t.kind === "keyword" && (t.text === "true" || t.text === "false"))
      return { kind: "bool", value: t.text === "true", ...pos };
    if (t.kind === "keyword" && t.text === "nil") return { kind: "nil", ...pos };
    if (t.kind === "keyword" && t.text === "fn") return { kind: "fn", fn: this.fnRest(t, ""), ...pos };
    if (t.kind === "name") return { kind: "name", name: t.text, ...pos };
    if (t.kind === "op" && t.text === "(") {
      const e = this.nested(t, () => this.expression());
      this.eat(")");
      return e;
    }
    if (t.kind === "op" && t.text === "[") {
      const items: Expr[] = [];
      this.list("]", () => items.push(this.nested(t, () => this.expression())));
      return { kind: "array", items, ...pos };
    }
    if (t.kind === "op" && t.text === "{") {
      const entries: [Expr, Expr][] = [];
      this.list("}", () => {
        const k = this.nested(t, () => this.expression());
        this.eat(":");
        entries.push([k, this.nested(t, () => this.expression())]);
      });
      return { kind: "map", entries, ...pos };
    }
    return this.fail(t, `expected an expression, found '${t.text}'`);
  }
  private expression(): Expr {
    return this.binary(["||"], () => this.and());
  }
  private and(): Expr {
    return this.binary(["&&"], () => this.equality());
  }
  private equality(): Expr {
    return this.binary(["==", "!="], () => this.comparison());
  }
  private comparison(): Expr {
    return this.binary(["<", "<=", ">", ">="], () => this.additive());
  }
  private additive(): Expr {
    return this.binary(["+", "-"], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binary(["*", "/", "%"], () => this.unary());
  }

  /** The whole program: top-level functions and main's statements, then the tree's depth checked. */
  program(): ProgramAst {
    const functions: FnDecl[] = [];
    const main: Stmt[] = [];
    while (this.peek().kind !== "eof") {
      if (this.is("fn") && this.tokens[this.i + 1]?.kind === "name") {
        const t = this.tokens[this.i++];
        functions.push(this.fnRest(t, this.name().text));
      } else main.push(this.statement());
    }
    const ast = { functions, main };
    checkDepth(ast, this.file);
    return ast;
  }
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
