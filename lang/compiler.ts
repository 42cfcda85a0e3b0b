// Fern's compiler: syntax tree → bytecode, one function at a time (the top-level statements are function 0,
// `main`; then the top-level functions; then nested functions and `fn` expressions, numbered as they are met).
// It tracks the operand-stack depth at every instruction and checks that every jump lands at the depth its target
// already has, so each pc has ONE depth — the property that lets the specializer keep stack slots in registers.
//
// Names: locals (parameters first, then each `let`) are numbered per function and scoped by blocks. A name a
// nested function uses from an enclosing function is a captured variable: the enclosing function keeps it in a
// box (BOX, GET_BOXED/SET_BOXED) and the closure holds the box (GET_UPVAL/SET_UPVAL through the closure, which the
// caller passes in the slot after the parameters). Which variables need boxes is only known after the nested
// functions are compiled, so a function whose variable turned out captured is compiled again with that variable
// boxed (the order of declarations is the same in every pass). Top-level variables that any function uses become
// globals (GET_GLOBAL/SET_GLOBAL); the others stay main's locals, i.e. registers once specialized. Calls to a
// top-level function by name are direct (CALL); anything else calls a value (CALL_VALUE). Built-ins are opcodes.
// Fused instructions (lang/opcodes.ts) replace the commonest sequences: an operator's right operand that is a local
// or an integer literal (`ADD_L i`, `ADD_K k`), a comparison that decides a jump (`JUMP_IF_NOT_LT_K t k`, and `&&`
// in a condition as two jumps), `x = x ± k` and `x = x + y` on locals (`INCR`, `INCR_L`) and an index that is a local (`INDEX_L`); with
// `superinstructions: false` the compiler emits the plain stack code they stand for.
// Errors carry file:line:col.
import { InternalError, SourceError } from "../util/errors.ts";
import type { Expr, FnDecl, Pos, ProgramAst, Stmt } from "./ast.ts";
import { ALLOCATING_BUILTINS, stringFreeExpr, stringFreeNames } from "./string-free.ts";
import {
  FERN_BUILTINS,
  FERN_BY_NAME,
  FERN_OPERAND_SIZE,
  MAX_LOCALS,
  MAX_STACK,
  fusedForms,
  jumpForms,
  type FusedForms,
} from "./opcodes.ts";

/** The statement of one kind. */
type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;

export interface CompiledFunction {
  name: string;
  /** Values the caller puts in the frame: the arity, plus the closure for a function with captured variables. */
  nparams: number;
  arity: number;
  nlocals: number;
  maxStack: number;
  code: Uint8Array;
  /** Source line of each instruction's pc. */
  lines: Map<number, number>;
  /** Stack depth before each instruction (for tests and the disassembler). */
  depths: Map<number, number>;
}

export interface CompiledProgram {
  functions: CompiledFunction[];
  /** String literals, one char per byte. */
  strings: string[];
  nglobals: number;
}

type Binding =
  | { kind: "local"; slot: number; boxed: boolean; decl: number; outermostMain: boolean }
  | { kind: "global"; index: number };
type Resolved = Binding | { kind: "upval"; index: number };

const ARITH: Record<string, string> = {
  "+": "ADD",
  "-": "SUB",
  "*": "MUL",
  "/": "DIV",
  "%": "MOD",
  "<": "LT",
  "<=": "LE",
  ">": "GT",
  ">=": "GE",
  "==": "EQ",
  "!=": "NE",
};
const BUILTIN_ID = new Map(FERN_BUILTINS.map((b, i) => [b.name, i]));

/** Values an instruction pops: from the table, or from its count operand for the variable ones. */
export function fernPops(name: string, operands: readonly (number | bigint)[], fixed: number): number {
  if (name === "CALL" || name === "CLOSURE" || name === "BUILTIN") return Number(operands[1]);
  if (name === "CALL_VALUE") return Number(operands[0]) + 1;
  if (name === "ARRAY_LIT") return Number(operands[0]);
  return fixed;
}

/** What every function's compilation shares: the top-level names, globals, string literals and the output. */
class ProgramContext {
  readonly functions = new Map<string, { index: number; arity: number }>();
  /** Names declared by `let` at the top level of main (candidates for globals). */
  readonly topLevelLets = new Set<string>();
  readonly globals = new Map<string, number>();
  readonly strings = new Map<string, number>();
  readonly out: CompiledFunction[] = [];
  private readonly nestedIndex = new Map<FnDecl, number>();
  constructor(
    readonly file: string,
    readonly options: CompileOptions,
  ) {}

  global(name: string): number {
    let g = this.globals.get(name);
    if (g === undefined) this.globals.set(name, (g = this.globals.size));
    return g;
  }

  string(s: string): number {
    let k = this.strings.get(s);
    if (k === undefined) this.strings.set(s, (k = this.strings.size));
    return k;
  }

  /** A nested function's index, the same in every compilation pass of its parent. */
  nested(decl: FnDecl): number {
    let i = this.nestedIndex.get(decl);
    if (i === undefined) {
      i = this.out.length;
      this.nestedIndex.set(decl, i);
      this.out.push(undefined as unknown as CompiledFunction);
    }
    return i;
  }
}

interface Loop {
  /** Whether the body can make new objects, so the back-edge must be a garbage-collection safe point. */
  allocates: boolean;
  breaks: number[];
  continues: number[];
}

class FunctionCompiler {
  private bytes: number[] = [];
  private depth = 0;
  maxStack = 0;
  private scopes: Map<string, Binding>[] = [new Map()];
  nlocals = 0;
  private decls = 0;
  readonly upvalues: { fromLocal?: number; fromUpval?: number; key: string }[] = [];
  /** Declarations (by order) found captured in this pass; a new one means compiling again. */
  recompile = false;
  readonly lines = new Map<number, number>();
  readonly depths = new Map<number, number>();
  private labelDepth = new Map<number, number>();
  private jumpDepth = new Map<number, number>();
  private loops: Loop[] = [];

  constructor(
    private readonly ctx: ProgramContext,
    private readonly parent: FunctionCompiler | undefined,
    private readonly isMain: boolean,
    /** Declarations (by order) to keep in boxes. */
    readonly boxed: Set<number>,
    /** Names that never hold a string (lang/string-free.ts), for deciding which loops allocate. */
    private readonly stringFreeNames: ReadonlySet<string> = new Set(),
  ) {}

  /** Whether an expression can never be a string: then `+` with it cannot concatenate (allocate). */
  private stringFree(e: Expr): boolean {
    return stringFreeExpr(e, {
      has: (name) => {
        if (!this.stringFreeNames.has(name)) return false;
        const b = this.lookupLocal(name);
        return b?.kind === "local" && !b.boxed;
      },
    });
  }

  /** Whether to emit the fused instructions (CompileOptions.superinstructions). */
  private get fuse(): boolean {
    return this.ctx.options.superinstructions !== false;
  }

  fail(pos: Pos, msg: string): never {
    throw new SourceError({ file: this.ctx.file, line: pos.line, col: pos.col }, msg);
  }

  get pc(): number {
    return this.bytes.length;
  }

  /** Declare a local (or, at main's top level, a global when a function uses it). */
  declare(name: string, pos: Pos): Binding {
    const scope = this.scopes[this.scopes.length - 1];
    if (scope.has(name)) this.fail(pos, `'${name}' is already declared in this block`);
    const outermostMain = this.isMain && this.scopes.length === 1;
    if (outermostMain && this.ctx.globals.has(name)) {
      const b: Binding = { kind: "global", index: this.ctx.globals.get(name)! };
      scope.set(name, b);
      return b;
    }
    if (this.nlocals >= MAX_LOCALS) this.fail(pos, `more than ${MAX_LOCALS} local variables in one function`);
    const decl = this.decls++;
    const b: Binding = { kind: "local", slot: this.nlocals++, boxed: this.boxed.has(decl), decl, outermostMain };
    scope.set(name, b);
    return b;
  }

  /** Reserve a slot no name refers to (a nested function's closure slot). */
  reserve(): number {
    return this.nlocals++;
  }

  private lookupLocal(name: string): Binding | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const b = this.scopes[s].get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** A variable by name: a local, a captured variable or a global; undefined when there is none. */
  resolveVariable(name: string, fromNested = false): Resolved | undefined {
    const local = this.lookupLocal(name);
    if (local) return local;
    if (this.parent) {
      const outer = this.parent.resolveVariable(name, true);
      if (!outer || outer.kind === "global") return outer;
      if (outer.kind === "local" && outer.outermostMain) {
        // main's top-level variable used by a function: it becomes a global; main is compiled again.
        this.ctx.global(name);
        this.parent.recompile = true;
        return { kind: "global", index: this.ctx.global(name) };
      }
      if (outer.kind === "local" && !outer.boxed) {
        this.parent.boxed.add(outer.decl);
        this.parent.recompile = true;
      }
      const key = outer.kind === "local" ? `l${outer.slot}` : `u${outer.index}`;
      let index = this.upvalues.findIndex((u) => u.key === key);
      if (index < 0) {
        index = this.upvalues.length;
        this.upvalues.push(outer.kind === "local" ? { fromLocal: outer.slot, key } : { fromUpval: outer.index, key });
      }
      return { kind: "upval", index };
    }
    // A function (or main's nested function) may use a top-level variable declared anywhere at the top level.
    if (this.ctx.topLevelLets.has(name) && (!this.isMain || fromNested))
      return { kind: "global", index: this.ctx.global(name) };
    return undefined;
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
    const pops = fernPops(name, operands, op.pops);
    if (name === "ARRAY" || name === "ARRAY_LIT" || name === "MAP" || name === "BOX" || name === "CLOSURE")
      this.allocates();
    this.depth += op.pushes - pops;
    if (this.depth > MAX_STACK) this.fail(pos, `expression too deep (more than ${MAX_STACK} stack slots)`);
    this.maxStack = Math.max(this.maxStack, this.depth);
    return at;
  }

  /** Emit a forward jump (any jump whose target is operand 0) with a placeholder target; patch() fills it in. */
  jump(name: string, pos: Pos, ...operands: (number | bigint)[]): number {
    const at = this.emit(name, pos, 0, ...operands);
    this.jumpDepth.set(at, this.depth);
    return at;
  }

  /** A backward jump to a loop's head: LOOP (a garbage-collection safe point) when the body can allocate. */
  loopBack(loop: Loop, top: number, pos: Pos): void {
    this.emit(loop.allocates ? "LOOP" : "JUMP", pos, top);
    this.checkDepth(top, this.depth);
  }

  /** The code being emitted makes a new object: every enclosing loop's back-edge must be a safe point. */
  allocates(): void {
    for (const l of this.loops) l.allocates = true;
  }

  patch(jumpAt: number, target = this.pc): void {
    for (let k = 0; k < 4; k++) this.bytes[jumpAt + 1 + k] = (target >>> (8 * k)) & 0xff;
    this.checkDepth(target, this.jumpDepth.get(jumpAt)!);
  }

  /** Every path into `pc` must arrive with the same stack depth. */
  checkDepth(pc: number, depth: number): void {
    const known = this.labelDepth.get(pc);
    if (known !== undefined && known !== depth)
      throw new InternalError(`the compiler counted stack depth ${depth} vs ${known} at pc ${pc}`);
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

  /** Store the top of the stack into a variable. */
  assignTo(r: Resolved, pos: Pos): void {
    if (r.kind === "global") this.emit("SET_GLOBAL", pos, r.index);
    else if (r.kind === "upval") this.emit("SET_UPVAL", pos, r.index);
    else this.emit(r.boxed ? "SET_BOXED" : "SET", pos, r.slot);
  }

  /** Initialize a just-declared variable from the top of the stack (boxing it when captured). */
  initialize(b: Binding, pos: Pos): void {
    if (b.kind === "local" && b.boxed) {
      this.emit("BOX", pos);
      this.emit("SET", pos, b.slot);
    } else this.assignTo(b, pos);
  }

  /** One statement; the compound ones have a method each below. */
  statement(s: Stmt): void {
    switch (s.kind) {
      case "let": {
        this.expression(s.init);
        this.initialize(this.declare(s.name, s), s);
        break;
      }
      case "fn":
        this.fnDeclaration(s);
        break;
      case "assign":
        this.assignment(s);
        break;
      case "store":
        this.expression(s.array);
        this.expression(s.index);
        this.expression(s.value);
        this.emit("STORE", s, 0);
        break;
      case "update":
        this.expression(s.array);
        this.expression(s.index);
        this.emit("DUP2", s);
        this.emit("INDEX", s, 0);
        this.expression(s.value);
        if (s.op === "+" && !this.stringFree(s.value)) this.allocates();
        this.emit(ARITH[s.op], s);
        this.emit("STORE", s, 0);
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
      case "if":
        this.ifElse(s);
        break;
      case "while":
        this.whileLoop(s);
        break;
      case "for":
        this.forLoop(s);
        break;
      case "break":
      case "continue": {
        const loop = this.loops.at(-1);
        if (!loop) this.fail(s, `'${s.kind}' outside a loop`);
        const at = this.jump("JUMP", s);
        (s.kind === "break" ? loop!.breaks : loop!.continues).push(at);
        this.resumeAt(0);
        break;
      }
    }
  }

  /** `fn name(…) {…}` as a statement: a closure bound to a new variable. */
  private fnDeclaration(s: StmtOf<"fn">): void {
    // Declared first so the function can call itself; boxed when it does (it captures itself).
    const b = this.declare(s.fn.name, s);
    if (b.kind === "local" && b.boxed) {
      this.emit("NIL", s);
      this.initialize(b, s);
      this.closure(s.fn);
      this.assignTo(b, s);
    } else {
      this.closure(s.fn);
      this.initialize(b, s);
    }
  }

  /** `name = value`, as one INCR/INCR_L when it adds to an unboxed local. */
  private assignment(s: StmtOf<"assign">): void {
    const r = this.resolveVariable(s.name);
    if (!r) {
      if (this.ctx.functions.has(s.name)) this.fail(s, `cannot assign to function '${s.name}'`);
      this.fail(s, `undefined variable '${s.name}'`);
    }
    const target = r!;
    const incr = target.kind === "local" && !target.boxed ? this.increment(target.slot, s.value) : undefined;
    if (target.kind === "local" && incr !== undefined) {
      if (incr.local !== undefined) this.emit("INCR_L", s.value, target.slot, incr.local);
      else this.emit("INCR", s.value, target.slot, incr.k!);
      return;
    }
    this.expression(s.value);
    this.assignTo(r!, s);
  }

  private ifElse(s: StmtOf<"if">): void {
    const toElse = this.jumpUnless(s.cond, s);
    this.block(s.then);
    if (s.else) {
      const toEnd = this.jump("JUMP", s);
      for (const j of toElse) this.patch(j);
      this.resumeAt(0);
      this.block(s.else);
      this.patch(toEnd);
    } else for (const j of toElse) this.patch(j);
    this.here();
  }

  /** A while loop: the condition at the top, `continue`s jump back to it. */
  private whileLoop(s: StmtOf<"while">): void {
    const loop = this.enterLoop();
    const top = this.here();
    const exit = this.jumpUnless(s.cond, s);
    this.block(s.body);
    this.loops.pop();
    for (const c of loop.continues) this.loopBackPatch(loop, c, top);
    this.loopBack(loop, top, s);
    for (const j of exit) this.patch(j);
    for (const b of loop.breaks) this.patch(b);
    this.resumeAt(0);
    this.here();
  }

  /** A for loop in its own scope: `continue`s jump to the update. */
  private forLoop(s: StmtOf<"for">): void {
    this.scopes.push(new Map());
    if (s.init) this.statement(s.init);
    const loop = this.enterLoop();
    const top = this.here();
    const exit = s.cond ? this.jumpUnless(s.cond, s) : [];
    this.block(s.body);
    for (const c of loop.continues) this.patch(c);
    this.here();
    if (s.update) this.statement(s.update);
    this.loops.pop();
    this.loopBack(loop, top, s);
    for (const j of exit) this.patch(j);
    for (const b of loop.breaks) this.patch(b);
    this.resumeAt(0);
    this.here();
    this.scopes.pop();
  }

  /** Start a loop (its condition, body and update are inside it: break, continue and allocations). */
  private enterLoop(): Loop {
    const loop: Loop = { allocates: false, breaks: [], continues: [] };
    this.loops.push(loop);
    return loop;
  }

  /** A `continue` in a while loop goes back to the condition: its forward JUMP becomes a LOOP when needed. */
  private loopBackPatch(loop: Loop, jumpAt: number, top: number): void {
    if (loop.allocates) this.bytes[jumpAt] = FERN_BY_NAME.get("LOOP")!.code;
    this.patch(jumpAt, top);
  }

  /** Push a function value for a nested declaration or `fn` expression: FUNC, or CLOSURE over its captures. */
  closure(decl: FnDecl): void {
    const index = this.ctx.nested(decl);
    const child = compileFunction(this.ctx, decl, this, false);
    this.ctx.out[index] = child.compiled;
    for (const u of child.upvalues) {
      if (u.fromLocal !== undefined) this.emit("GET", decl, u.fromLocal);
      else this.emit("GET_UPBOX", decl, u.fromUpval!);
    }
    if (child.upvalues.length) this.emit("CLOSURE", decl, index, child.upvalues.length);
    else this.emit("FUNCTION", decl, index);
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
      case "string":
        this.emit("STRING", e, this.ctx.string(e.value));
        return;
      case "name": {
        const r = this.resolveVariable(e.name);
        if (r?.kind === "global") this.emit("GET_GLOBAL", e, r.index);
        else if (r?.kind === "upval") this.emit("GET_UPVAL", e, r.index);
        else if (r) this.emit(r.boxed ? "GET_BOXED" : "GET", e, r.slot);
        else if (this.ctx.functions.has(e.name)) this.emit("FUNCTION", e, this.ctx.functions.get(e.name)!.index);
        else if (BUILTIN_ID.has(e.name)) this.fail(e, `built-in '${e.name}' can only be called, not used as a value`);
        else this.fail(e, `undefined variable '${e.name}'`);
        return;
      }
      case "index": {
        this.expression(e.array);
        const slot = this.localSlot(e.index);
        if (slot !== undefined) this.emit("INDEX_L", e, slot, 0);
        else {
          this.expression(e.index);
          this.emit("INDEX", e, 0);
        }
        return;
      }
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
        if (e.op === "+" && !this.stringFree(e.left) && !this.stringFree(e.right)) this.allocates();
        this.operands(fusedForms(ARITH[e.op])!, e.left, e.right, e);
        return;
      }
      case "array":
        for (const item of e.items) this.expression(item);
        this.emit("ARRAY_LIT", e, e.items.length);
        return;
      case "map":
        this.emit("MAP", e);
        for (const [k, v] of e.entries) {
          this.emit("DUP", k);
          this.expression(k);
          this.expression(v);
          this.emit("STORE", k, 0);
        }
        return;
      case "fn":
        this.closure(e.fn);
        return;
      case "call":
        this.call(e);
        return;
    }
  }

  /** The slot of an expression that is just a local variable (not boxed), for the fused `_L` forms; else undefined. */
  private localSlot(e: Expr): number | undefined {
    if (e.kind !== "name" || !this.fuse) return undefined;
    const r = this.resolveVariable(e.name);
    return r?.kind === "local" && !r.boxed ? r.slot : undefined;
  }

  /** For `x = x + k` or `x = x - k` (k an integer literal) on the local in `slot`: the k to add (INCR); for
   *  `x = x + y` (y a local): y's slot (INCR_L); else undefined. */
  private increment(slot: number, value: Expr): { k?: bigint; local?: number } | undefined {
    if (!this.fuse || value.kind !== "binary" || (value.op !== "+" && value.op !== "-")) return undefined;
    if (this.localSlot(value.left) !== slot) return undefined;
    const y = this.localSlot(value.right);
    if (value.op === "+" && y !== undefined) return { local: y };
    if (value.right.kind !== "int") return undefined;
    const k = value.right.value;
    if (value.op === "+") return { k };
    // x - k is x + (-k) for ints (wrapping) and floats alike, except k = -2^63, whose negation wraps to itself.
    return k === -(1n << 63n) ? undefined : { k: BigInt.asIntN(64, -k) };
  }

  /** Compile a condition as jumps taken when it is false (returns them, to patch): a comparison becomes one
   *  compare-and-branch instruction, `a && b` two conditions, anything else the value and JUMP_IF_FALSE. */
  private jumpUnless(cond: Expr, pos: Pos): number[] {
    if (this.fuse && cond.kind === "binary" && cond.op === "&&")
      return [...this.jumpUnless(cond.left, pos), ...this.jumpUnless(cond.right, pos)];
    const forms = cond.kind === "binary" && this.fuse ? jumpForms(ARITH[cond.op] ?? "") : undefined;
    if (cond.kind !== "binary" || !forms) {
      this.expression(cond);
      return [this.jump("JUMP_IF_FALSE", pos)];
    }
    return [this.operands(forms, cond.left, cond.right, cond, true)];
  }

  /** Emit a binary operation (or compare-and-branch, `jump`) in the form that takes its operands where they are:
   *  a local or an integer literal as an operand, anything else evaluated onto the stack. Returns the pc. */
  private operands(forms: FusedForms, left: Expr, right: Expr, pos: Pos, jump = false): number {
    const emit = (name: string, ...operands: (number | bigint)[]) =>
      jump ? this.jump(name, pos, ...operands) : this.emit(name, pos, ...operands);
    const a = this.localSlot(left);
    const b = this.localSlot(right);
    const k = right.kind === "int" && this.fuse ? right.value : undefined;
    if (a !== undefined && b !== undefined) return emit(forms.localLocal, a, b);
    if (a !== undefined && k !== undefined) return emit(forms.localConstant, a, k);
    this.expression(left);
    if (b !== undefined) return emit(forms.local, b);
    if (k !== undefined) return emit(forms.constant, k);
    this.expression(right);
    return emit(forms.stack);
  }

  private call(e: Extract<Expr, { kind: "call" }>): void {
    const callee = e.callee;
    if (callee.kind === "name" && !this.resolveVariable(callee.name)) {
      const fn = this.ctx.functions.get(callee.name);
      if (fn) {
        for (const a of e.args) this.expression(a);
        this.emit("CALL", e, fn.index, e.args.length, 0);
        return;
      }
      if (BUILTIN_ID.has(callee.name)) return this.builtin(callee.name, e);
      this.fail(e, `undefined function '${callee.name}'`);
    }
    this.expression(callee);
    for (const a of e.args) this.expression(a);
    this.emit("CALL_VALUE", e, e.args.length, 0);
  }

  private builtin(name: string, e: Extract<Expr, { kind: "call" }>): void {
    if (name === "print") {
      if (!e.args.length) {
        this.emit("STRING", e, this.ctx.string(""));
        this.emit("PRINT", e, 0);
      }
      e.args.forEach((a, k) => {
        this.expression(a);
        this.emit("PRINT", e, k === e.args.length - 1 ? 0 : 1);
      });
      this.emit("NIL", e); // print(…) is an expression whose value is nil
      return;
    }
    const id = BUILTIN_ID.get(name)!;
    const arity = FERN_BUILTINS[id].arity;
    if (e.args.length !== arity)
      this.fail(e, `${name}() takes ${arity} argument${arity === 1 ? "" : "s"}, got ${e.args.length}`);
    for (const a of e.args) this.expression(a);
    if (ALLOCATING_BUILTINS.has(name)) this.allocates();
    if (name === "array") this.emit("ARRAY", e);
    else if (name === "len") this.emit("LEN", e);
    else this.emit("BUILTIN", e, id, e.args.length);
  }

  finish(name: string, nparams: number, arity: number): CompiledFunction {
    return {
      name,
      nparams,
      arity,
      nlocals: this.nlocals,
      maxStack: this.maxStack,
      code: new Uint8Array(this.bytes),
      lines: this.lines,
      depths: this.depths,
    };
  }
}

/** Compile one function (main when decl is undefined), again while new captured variables are found. */
function compileFunction(
  ctx: ProgramContext,
  decl: FnDecl | undefined,
  parent: FunctionCompiler | undefined,
  isMain: boolean,
  body?: Stmt[],
): { compiled: CompiledFunction; upvalues: FunctionCompiler["upvalues"] } {
  const boxed = new Set<number>();
  const freeNames = stringFreeNames(decl?.params ?? [], decl ? decl.body : body!);
  for (let pass = 0; ; pass++) {
    const c = new FunctionCompiler(ctx, parent, isMain, boxed, freeNames);
    const params = decl ? decl.params.map((p) => c.declare(p, decl)) : [];
    const selfSlot = parent ? c.reserve() : -1;
    const pos = decl ?? { line: body?.[0]?.line ?? 1, col: 1 };
    for (const b of params) {
      if (b.kind === "local" && b.boxed) {
        c.emit("GET", pos, b.slot);
        c.initialize(b, pos);
      }
    }
    if (decl) c.block(decl.body);
    else for (const st of body!) c.statement(st); // main's top level is its outermost scope (globals live there)
    const end = decl ? decl : { line: body!.at(-1)?.line ?? 1, col: 1 };
    c.emit("NIL", end);
    c.emit("RETURN", end);
    if (c.recompile && pass < 1000) continue;
    void selfSlot;
    const arity = decl?.params.length ?? 0;
    const name = isMain ? "main" : decl!.name || `<fn at line ${decl!.line}>`;
    return { compiled: c.finish(name, arity + (c.upvalues.length ? 1 : 0), arity), upvalues: c.upvalues };
  }
}

export interface CompileOptions {
  /** Emit the fused instructions (`ADD_K`, `JUMP_IF_NOT_LT_L`, `INCR`, …) for the shapes they cover (default true);
   *  false gives the plain stack code, the reference the fused code is tested against. */
  superinstructions?: boolean;
}

export function compile(ast: ProgramAst, file: string, options: CompileOptions = {}): CompiledProgram {
  const ctx = new ProgramContext(file, options);
  for (const s of ast.main) if (s.kind === "let") ctx.topLevelLets.add(s.name);
  ctx.out.push(undefined as unknown as CompiledFunction); // main
  ast.functions.forEach((f) => {
    if (BUILTIN_ID.has(f.name))
      throw new SourceError(
        { file, line: f.line, col: f.col },
        `'${f.name}' is a built-in function; give yours another name`,
      );
    if (ctx.functions.has(f.name))
      throw new SourceError({ file, line: f.line, col: f.col }, `function '${f.name}' is already defined`);
    if (ctx.topLevelLets.has(f.name))
      throw new SourceError(
        { file, line: f.line, col: f.col },
        `'${f.name}' is declared both as a function and as a top-level variable`,
      );
    ctx.functions.set(f.name, { index: ctx.out.length, arity: f.params.length });
    ctx.out.push(undefined as unknown as CompiledFunction);
  });
  for (const f of ast.functions)
    ctx.out[ctx.functions.get(f.name)!.index] = compileFunction(ctx, f, undefined, false).compiled;
  ctx.out[0] = compileFunction(ctx, undefined, undefined, true, ast.main).compiled;
  return { functions: ctx.out, strings: [...ctx.strings.keys()], nglobals: ctx.globals.size };
}
