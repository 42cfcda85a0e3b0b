// Parser for the IR's text form (see print.ts for the grammar by example): parseFunction(printFunction(f))
// rebuilds f — the same block and value ids, operators, immediates, types, terminators; preds/succs recomputed.
// Value ids need not be dense (gaps become `none` definitions); block ids must be 0..n-1 in order. Errors name the
// line and column. The result is not verified: call verifyFunction. Relies on ir.ts, opcodes.ts, types.ts.
import { FunctionBody, type Operator, type Target, type Terminator, type ValueDef, type ValueId } from "./ir.ts";
import { opInfo } from "./opcodes.ts";
import { isValType, parseConst, type ValType } from "./types.ts";

export class IrParseError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super(`IR text line ${line}, column ${col}: ${detail}`);
    this.name = "IrParseError";
  }
}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|->|[(),:=[\]{}.]|[^\s(),:=[\]{}.";]+(?:\.[^\s(),:=[\]{}.";]+)*)/y;

class Line {
  pos = 0;
  constructor(
    readonly text: string,
    readonly no: number,
  ) {}
  fail(detail: string): never {
    throw new IrParseError(this.no, this.pos + 1, detail);
  }
  peek(): string | undefined {
    TOKEN.lastIndex = this.pos;
    const m = TOKEN.exec(this.text);
    return m ? m[1] : undefined;
  }
  next(): string {
    TOKEN.lastIndex = this.pos;
    const m = TOKEN.exec(this.text);
    if (!m) this.fail(this.text.slice(this.pos).trim() ? `unexpected '${this.text.slice(this.pos).trim()}'` : "unexpected end of line");
    this.pos = TOKEN.lastIndex;
    return m[1];
  }
  expect(tok: string): void {
    const at = this.pos;
    const t = this.next();
    if (t !== tok) {
      this.pos = at;
      this.fail(`expected '${tok}', found '${t}'`);
    }
  }
  eat(tok: string): boolean {
    if (this.peek() !== tok) return false;
    this.next();
    return true;
  }
  end(): void {
    if (this.peek() !== undefined) this.fail(`unexpected '${this.peek()}'`);
  }
  value(): ValueId {
    const t = this.next();
    if (!/^v\d+$/.test(t)) this.fail(`expected a value like v3, found '${t}'`);
    return Number(t.slice(1));
  }
  block(): number {
    const t = this.next();
    if (!/^block\d+$/.test(t)) this.fail(`expected a block like block2, found '${t}'`);
    return Number(t.slice(5));
  }
  type(): ValType {
    const t = this.next();
    if (!isValType(t)) this.fail(`expected a value type, found '${t}'`);
    return t;
  }
  typeList(): ValType[] {
    this.expect("(");
    const out: ValType[] = [];
    if (this.eat(")")) return out;
    do out.push(this.type());
    while (this.eat(","));
    this.expect(")");
    return out;
  }
  list<T>(item: () => T): T[] {
    const out: T[] = [];
    do out.push(item());
    while (this.eat(","));
    return out;
  }
  target(): Target {
    const block = this.block();
    const args = this.eat("(") ? this.list(() => this.value()) : [];
    if (args.length) this.expect(")");
    return { block, args };
  }
}

export function parseFunction(text: string): FunctionBody {
  const lines = text.split("\n").map((l, i) => new Line(stripComment(l), i + 1)).filter((l) => l.text.trim() !== "");
  if (lines.length === 0) throw new IrParseError(1, 1, "empty input");
  const head = lines[0];
  head.expect("function");
  const nameTok = head.next();
  if (!nameTok.startsWith('"')) head.fail("expected the function name as a quoted string");
  const name = JSON.parse(nameTok) as string;
  const params = head.typeList();
  head.expect("->");
  const results = head.typeList();
  head.expect("{");
  head.end();
  const last = lines[lines.length - 1];
  last.expect("}");
  last.end();

  const body = new FunctionBody(name, params, results);
  const defs = new Map<ValueId, { def: ValueDef; line: Line }>();
  const define = (l: Line, v: ValueId, def: ValueDef) => {
    if (defs.has(v)) l.fail(`v${v} is defined twice (first on line ${defs.get(v)!.line.no})`);
    defs.set(v, { def, line: l });
  };
  let cur = -1;
  let terminated = true;
  for (const l of lines.slice(1, -1)) {
    const first = l.peek()!;
    if (/^block\d+$/.test(first)) {
      if (!terminated) l.fail(`block${cur} has no terminator`);
      const id = l.block();
      if (id !== body.blocks.length) l.fail(`expected block${body.blocks.length} (blocks are numbered in order)`);
      cur = body.addBlock();
      if (l.eat("(")) {
        const ps = l.list(() => {
          const v = l.value();
          l.expect(":");
          return [v, l.type()] as const;
        });
        l.expect(")");
        ps.forEach(([v, type], index) => {
          define(l, v, { kind: "blockparam", block: cur, index, type });
          body.blocks[cur].params.push(v);
        });
      }
      l.expect(":");
      if (l.eat("entry")) body.entry = cur;
      l.end();
      terminated = false;
      continue;
    }
    if (cur < 0) l.fail("instruction outside a block");
    if (terminated) l.fail(`instruction after block${cur}'s terminator`);
    if (/^v\d+$/.test(first)) {
      const v = l.value();
      define(l, v, parseDef(l));
      body.blocks[cur].insts.push(v);
    } else {
      body.blocks[cur].term = parseTerminator(l);
      terminated = true;
    }
    l.end();
  }
  if (!terminated) last.fail(`block${cur} has no terminator`);
  const size = Math.max(-1, ...defs.keys()) + 1;
  body.values = Array.from({ length: size }, (_, v) => defs.get(v)?.def ?? { kind: "none" });
  body.recomputePreds();
  return body;
}

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== "\\") inString = !inString;
    if (c === ";" && !inString) return line.slice(0, i);
  }
  return line;
}

function parseDef(l: Line): ValueDef {
  let types: ValType[] = [];
  if (l.eat(":")) types = l.peek() === "(" ? l.typeList() : [l.type()];
  l.expect("=");
  const name = l.next();
  if (name === "pick") {
    if (types.length !== 1) l.fail("pick has exactly one result type");
    const m = /^v(\d+)\.(\d+)$/.exec(l.next());
    if (!m) l.fail("expected a result like v4.0 after pick");
    return { kind: "pick", value: Number(m[1]), index: Number(m[2]), type: types[0] };
  }
  if (name === "alias") return { kind: "alias", to: l.value() };
  if (!opInfo(name)) l.fail(`unknown operator '${name}'`);
  const op: Operator = { name };
  if (name.endsWith(".const")) {
    const tok = l.next();
    const value = parseConst(name.slice(0, 3) as ValType, tok);
    if (!value) l.fail(`bad ${name} literal '${tok}'`);
    op.value = value;
  }
  for (let key = l.peek(); key && /^(offset|align|func|type|global|data|table)$/.test(key); key = l.peek()) {
    l.next();
    l.expect("=");
    const n = Number(l.next());
    if (!Number.isInteger(n) || n < 0) l.fail(`bad ${key} immediate`);
    if (key === "offset" || key === "align" || key === "table") op[key] = n;
    else op.index = n;
  }
  const args = l.peek() === undefined ? [] : l.list(() => l.value());
  return { kind: "op", op, args, types };
}

function parseTerminator(l: Line): Terminator {
  const kw = l.next();
  switch (kw) {
    case "br":
      return { kind: "br", target: l.target() };
    case "br_if": {
      const cond = l.value();
      l.expect(",");
      const then = l.target();
      l.expect(",");
      return { kind: "br_if", cond, then, else: l.target() };
    }
    case "br_table": {
      const index = l.value();
      l.expect(",");
      l.expect("[");
      const targets = l.peek() === "]" ? [] : l.list(() => l.target());
      l.expect("]");
      l.expect(",");
      return { kind: "br_table", index, targets, default: l.target() };
    }
    case "return":
      return { kind: "return", values: l.peek() === undefined ? [] : l.list(() => l.value()) };
    case "unreachable":
      return { kind: "unreachable" };
    default:
      return l.fail(`expected an instruction or a terminator, found '${kw}'`);
  }
}
