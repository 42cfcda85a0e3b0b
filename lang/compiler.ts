// Fern's compiler: syntax tree → bytecode, one function at a time (the top-level statements are function 0,
// `main`). It tracks the operand-stack depth at every instruction and checks that every jump lands at the depth
// its target already has, so each pc has ONE depth — the property that lets the specializer keep stack slots in
// registers. Locals (parameters first, then each `let`) are numbered per function; blocks scope names. Calls are
// resolved to function indices at compile time; builtins are array(n), len(a), print(x). Errors carry
// file:line:col. Relies on ast.ts and opcodes.ts.
import { SourceError } from "../util/errors.ts";
import type { Expr, FnDecl, Pos, ProgramAst, Stmt } from "./ast.ts";
import { FERN_BY_NAME, FERN_OPERAND_SIZE, MAX_FUNCTIONS } from "./opcodes.ts";

export interface CompiledFunction {
  name: string;
  nparams: number;
  nlocals: number;
  maxStack: number;
  code: Uint8Array;
  /** Source line of each instruction's pc. */
  lines: Map<number, number>;
  /** Stack depth before each instruction (for tests and the disassembler). */
  depths: Map<number, number>;
}

const MAX_LOCALS = 255;
const MAX_STACK = 255;

class FunctionCompiler {
  private bytes: number[] = [];
  private depth = 0;
  maxStack = 0;
  private scopes: Map<string, number>[] = [new Map()];
  nlocals = 0;
  readonly lines = new Map<number, number>();
  readonly depths = new Map<number, number>();
  /** Stack depth every path into a pc must arrive with (jump targets and fall-through joins). */
  private labelDepth = new Map<number, number>();
  /** Stack depth at each jump still to be patched, by the jump's pc. */
  private jumpDepth = new Map<number, number>();

  constructor(
    private readonly file: string,
    private readonly functions: Map<string, { index: number; arity: number }>,
  ) {}

  fail(pos: Pos, msg: string): never {
    throw new SourceError({ file: this.file, line: pos.line, col: pos.col }, msg);
  }

  get pc(): number {
    return this.bytes.length;
  }

  declare(name: string, pos: Pos): number {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) this.fail(pos, `'${name}' is already declared in this block`);
    if (this.nlocals >= MAX_LOCALS) this.fail(pos, `more than ${MAX_LOCALS} local variables in one function`);
    scope.set(name, this.nlocals);
    return this.nlocals++;
  }

  resolve(name: string, pos: Pos): number {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const slot = this.scopes[s].get(name);
      if (slot !== undefined) return slot;
    }
    return this.fail(pos, `undefined variable '${name}'`);
  }

  emit(name: string, pos: Pos, ...operands: (number | bigint)[]): number {
    const op = FERN_BY_NAME.get(name)!;
    const at = this.pc;
    this.lines.set(at, pos.line);
    this.depths.set(at, this.depth);
    this.bytes.push(op.code);
    const view = new DataView(new ArrayBuffer(8));
    op.operands.forEach((kind, i) => {
      const v = operands[i];
      if (kind === "i64") view.setBigInt64(0, v as bigint, true);
      else if (kind === "f64") view.setFloat64(0, v as number, true);
      else if (kind === "u32") view.setUint32(0, v as number, true);
      else if (kind === "u16") view.setUint16(0, v as number, true);
      else view.setUint8(0, v as number);
      for (let k = 0; k < FERN_OPERAND_SIZE[kind]; k++) this.bytes.push(view.getUint8(k));
    });
    const pops = name === "CALL" ? (operands[1] as number) : op.pops;
    this.depth += op.pushes - pops;
    if (this.depth > MAX_STACK) this.fail(pos, "expression too deep");
    this.maxStack = Math.max(this.maxStack, this.depth);
    return at;
  }

  /** Emit a jump with a placeholder target; patch() fills it in. */
  jump(name: "JUMP" | "JUMP_IF_FALSE", pos: Pos): number {
    const at = this.emit(name, pos, 0);
    this.jumpDepth.set(at, this.depth);
    return at;
  }

  patch(jumpAt: number, target = this.pc): void {
    for (let k = 0; k < 4; k++) this.bytes[jumpAt + 1 + k] = (target >>> (8 * k)) & 0xff;
    this.checkDepth(target, this.jumpDepth.get(jumpAt)!);
  }

  /** Every path into `pc` must arrive with the same stack depth. */
  checkDepth(pc: number, depth: number): void {
    const known = this.labelDepth.get(pc);
    if (known !== undefined && known !== depth) throw new Error(`compiler bug: stack depth ${depth} vs ${known} at pc ${pc}`);
    this.labelDepth.set(pc, depth);
  }

  here(): number {
    this.checkDepth(this.pc, this.depth);
    return this.pc;
  }

  /** After an unconditional jump or return, code continues at a label with that label's depth. */
  resumeAt(depth: number): void {
    this.depth = depth;
  }

  block(stmts: Stmt[]): void {
    this.scopes.push(new Map());
    for (const s of stmts) this.statement(s);
    this.scopes.pop();
  }

  statement(s: Stmt): void {
    switch (s.kind) {
      case "let": {
        this.expression(s.init);
        this.emit("SET", s, this.declare(s.name, s));
        break;
      }
      case "assign":
        this.expression(s.value);
        this.emit("SET", s, this.resolve(s.name, s));
        break;
      case "store":
        this.expression(s.array);
        this.expression(s.index);
        this.expression(s.value);
        this.emit("STORE", s);
        break;
      case "expr":
        this.expression(s.expr);
        this.emit("POP", s);
        break;
      case "return":
        if (s.value) this.expression(s.value);
        else this.emit("NIL", s);
        this.emit("RETURN", s);
        this.resumeAt(0);
        break;
      case "if": {
        this.expression(s.cond);
        const toElse = this.jump("JUMP_IF_FALSE", s);
        this.block(s.then);
        if (s.else) {
          const toEnd = this.jump("JUMP", s);
          this.patch(toElse);
          this.resumeAt(0);
          this.block(s.else);
          this.patch(toEnd);
        } else this.patch(toElse);
        this.here();
        break;
      }
      case "while": {
        const top = this.here();
        this.expression(s.cond);
        const exit = this.jump("JUMP_IF_FALSE", s);
        this.block(s.body);
        const back = this.jump("JUMP", s);
        this.patch(back, top);
        this.patch(exit);
        this.resumeAt(0);
        this.here();
        break;
      }
    }
  }

  expression(e: Expr): void {
    switch (e.kind) {
      case "int":
        this.emit("INT", e, e.value);
        return;
      case "float":
        this.emit("FLOAT", e, e.value);
        return;
      case "bool":
        this.emit(e.value ? "TRUE" : "FALSE", e);
        return;
      case "nil":
        this.emit("NIL", e);
        return;
      case "name":
        this.emit("GET", e, this.resolve(e.name, e));
        return;
      case "index":
        this.expression(e.array);
        this.expression(e.index);
        this.emit("INDEX", e);
        return;
      case "unary":
        this.expression(e.operand);
        this.emit(e.op === "-" ? "NEG" : "NOT", e);
        return;
      case "binary": {
        if (e.op === "&&" || e.op === "||") {
          // a && b: a, DUP, JUMP_IF_FALSE end (or for ||: NOT first), POP, b, end:
          this.expression(e.left);
          this.emit("DUP", e);
          if (e.op === "||") this.emit("NOT", e);
          const end = this.jump("JUMP_IF_FALSE", e);
          this.emit("POP", e);
          this.expression(e.right);
          this.patch(end);
          this.here();
          return;
        }
        this.expression(e.left);
        this.expression(e.right);
        const ops: Record<string, string> = { "+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "%": "MOD", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE", "==": "EQ", "!=": "NE" };
        this.emit(ops[e.op], e);
        return;
      }
      case "call": {
        const builtin: Record<string, [string, number]> = { array: ["ARRAY", 1], len: ["LEN", 1], print: ["PRINT", 1] };
        const b = builtin[e.callee];
        if (b) {
          if (e.args.length !== b[1]) this.fail(e, `${e.callee}() takes ${b[1]} argument, got ${e.args.length}`);
          for (const a of e.args) this.expression(a);
          this.emit(b[0], e);
          if (e.callee === "print") this.emit("NIL", e); // print(x) is an expression whose value is nil
          return;
        }
        const fn = this.functions.get(e.callee);
        if (!fn) this.fail(e, `undefined function '${e.callee}'`);
        for (const a of e.args) this.expression(a);
        this.emit("CALL", e, fn!.index, e.args.length);
        return;
      }
    }
  }

  finish(name: string, nparams: number): CompiledFunction {
    return { name, nparams, nlocals: this.nlocals, maxStack: this.maxStack, code: new Uint8Array(this.bytes), lines: this.lines, depths: this.depths };
  }
}

export function compile(ast: ProgramAst, file: string): CompiledFunction[] {
  const functions = new Map<string, { index: number; arity: number }>();
  if (ast.functions.length + 1 > MAX_FUNCTIONS) {
    const f = ast.functions[MAX_FUNCTIONS - 1];
    throw new SourceError({ file, line: f.line, col: f.col }, `more than ${MAX_FUNCTIONS} functions`);
  }
  ast.functions.forEach((f, i) => {
    if (functions.has(f.name) || ["array", "len", "print"].includes(f.name)) throw new SourceError({ file, line: f.line, col: f.col }, `function '${f.name}' is already defined`);
    functions.set(f.name, { index: i + 1, arity: f.params.length });
  });
  const out: CompiledFunction[] = [];
  const main = new FunctionCompiler(file, functions);
  main.block(ast.main);
  main.emit("NIL", { line: ast.main.at(-1)?.line ?? 1, col: 1 });
  main.emit("RETURN", { line: ast.main.at(-1)?.line ?? 1, col: 1 });
  out.push(main.finish("main", 0));
  for (const f of ast.functions) out.push(compileFunction(f, file, functions));
  return out;
}

function compileFunction(f: FnDecl, file: string, functions: Map<string, { index: number; arity: number }>): CompiledFunction {
  const c = new FunctionCompiler(file, functions);
  for (const p of f.params) c.declare(p, f);
  c.block(f.body);
  c.emit("NIL", f);
  c.emit("RETURN", f);
  return c.finish(f.name, f.params.length);
}

