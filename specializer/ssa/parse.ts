// Reads the text form that print.ts writes back into a FunctionBody with the same ids, so IR can be written by
// hand in tests and golden files round-trip. Errors name the line.
import { FunctionBody, type Operator, type Target, type Terminator, type ValueDef, type ValueId } from "./ir.ts";
import { parseConst, type ValType } from "./types.ts";

export class IrParseError extends Error {}

const TYPES = new Set(["i32", "i64", "f32", "f64"]);

export function parseFunction(text: string): FunctionBody {
  return new IrParser(text).parse();
}

type ParsedBlock = { params: ValueId[]; insts: ValueId[]; term: Terminator };

/** One parse: the lines, the line being read (for errors), and the blocks and values read so far. */
class IrParser {
  private readonly lines: string[];
  private ln = 0;
  private readonly values: (ValueDef | undefined)[] = [];
  private readonly blocks = new Map<number, ParsedBlock>();
  private cur: ParsedBlock | undefined;
  private entry: number | undefined;

  constructor(text: string) {
    this.lines = text.split("\n").map((l) => l.replace(/;.*$/, "").trim());
  }

  parse(): FunctionBody {
    const { lines } = this;
    while (this.ln < lines.length && !lines[this.ln]) this.ln++;
    const head =
      /^function\s+(\S+)\((.*)\)\s*->\s*(.*)\{$/.exec(lines[this.ln] ?? "") ??
      this.fail("expected `function NAME(params) -> results {`");
    const f = new FunctionBody(head[1], this.types(head[2]), this.types(head[3].trim()));
    for (this.ln++; this.ln < lines.length; this.ln++) {
      const line = lines[this.ln];
      if (!line) continue;
      if (line === "}") break;
      this.line(line);
    }
    const maxBlock = Math.max(-1, ...this.blocks.keys());
    for (let b = 0; b <= maxBlock; b++) {
      const src = this.blocks.get(b);
      const id = f.addBlock();
      if (src) Object.assign(f.blocks[id], src);
      else f.blocks[id].term = { kind: "unreachable" };
    }
    f.entry = this.entry ?? this.fail("no blocks");
    f.values = Array.from({ length: this.values.length }, (_, i) => this.values[i] ?? { kind: "none" });
    f.recomputePreds();
    return f;
  }

  /** One line of a function's body: a block header, an instruction or a terminator. */
  private line(line: string): void {
    let m: RegExpExecArray | null;
    if ((m = /^block(\d+)\((.*)\):$/.exec(line))) return this.blockHeader(Number(m[1]), m[2]);
    if (!this.cur) this.fail("instruction outside a block");
    if ((m = /^v(\d+)(?::([\w,]+))?\s*=\s*(\S+)\s*(.*)$/.exec(line))) {
      const id = Number(m[1]);
      if (this.values[id]) this.fail(`v${id} is defined twice`);
      this.values[id] = this.valueDef(m[2] ? this.types(m[2]) : [], m[3], m[4]);
      this.cur!.insts.push(id);
      return;
    }
    this.cur!.term = this.terminator(line);
  }

  private blockHeader(id: number, params: string): void {
    if (this.blocks.has(id)) this.fail(`block${id} is defined twice`);
    const cur: ParsedBlock = { params: [], insts: [], term: { kind: "none" } };
    this.cur = cur;
    this.blocks.set(id, cur);
    this.entry ??= id;
    this.split(params).forEach((p, index) => {
      const pm = /^v(\d+):(\w+)$/.exec(p) ?? this.fail(`bad block parameter '${p}'`);
      const t = this.types(pm[2])[0];
      this.values[Number(pm[1])] = { kind: "param", block: id, index, type: t };
      cur.params.push(Number(pm[1]));
    });
  }

  /** `name rest` with result types `resultTypes`: a pick, an alias or an operator with its immediates and arguments. */
  private valueDef(resultTypes: ValType[], name: string, rest: string): ValueDef {
    if (name === "pick") {
      const [of, index] = rest.split(/\s+/);
      return { kind: "pick", value: this.val(of), index: Number(index), type: resultTypes[0] };
    }
    if (name === "alias") return { kind: "alias", to: this.val(rest), type: resultTypes[0] };
    const op: Operator = { name };
    if (name === "const") {
      op.value = parseConst(resultTypes[0] ?? this.fail("const needs a result type"), rest.trim());
      rest = "";
    } else if (["call", "global.get", "global.set", "memory.init", "data.drop"].includes(name)) {
      const im = /^(\d+)\s*(.*)$/.exec(rest) ?? this.fail(`${name} needs an index`);
      op.index = Number(im[1]);
      rest = im[2];
    } else if (name === "call_indirect") {
      const im = /^(\d+)\s+(\d+)\s*(.*)$/.exec(rest) ?? this.fail("call_indirect needs a type index and a table index");
      op.index = Number(im[1]);
      op.table = Number(im[2]);
      rest = im[3];
    } else {
      const mm = /^offset=(\d+)\s+align=(\d+)\s*(.*)$/.exec(rest);
      if (mm) {
        op.memarg = { offset: Number(mm[1]), align: Number(mm[2]) };
        rest = mm[3];
      }
    }
    return { kind: "op", op, args: this.vals(rest), types: resultTypes };
  }

  private terminator(line: string): Terminator {
    const [word, ...restWords] = line.split(/\s+/);
    const rest = restWords.join(" ");
    switch (word) {
      case "br":
        return { kind: "br", target: this.tgt(rest) };
      case "cond": {
        const [c, a, b] = this.split(rest);
        return { kind: "cond", cond: this.val(c), then: this.tgt(a), else: this.tgt(b) };
      }
      case "table": {
        const [idx, list, def] = this.split(rest);
        const inner = /^\[(.*)\]$/.exec(list) ?? this.fail("table needs [targets]");
        return {
          kind: "table",
          index: this.val(idx),
          targets: this.split(inner[1]).map((t) => this.tgt(t)),
          default: this.tgt(def),
        };
      }
      case "return":
        return { kind: "return", values: this.vals(rest) };
      case "return_call":
      case "return_call_indirect": {
        const d = this.valueDef([], word.slice("return_".length), rest) as { op: Operator; args: ValueId[] };
        return { kind: "return_call", op: d.op, args: d.args };
      }
      case "unreachable":
        return { kind: "unreachable" };
      default:
        return this.fail(`cannot read '${line}'`);
    }
  }

  private fail(msg: string): never {
    throw new IrParseError(`line ${this.ln + 1}: ${msg}`);
  }

  private types(s: string): ValType[] {
    const list = s
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t && t !== "()");
    for (const t of list) if (!TYPES.has(t)) this.fail(`unknown type '${t}'`);
    return list as ValType[];
  }

  private val(s: string): ValueId {
    const m = /^v(\d+)$/.exec(s.trim()) ?? this.fail(`expected a value like v7, got '${s.trim()}'`);
    return Number(m[1]);
  }

  private vals(s: string): ValueId[] {
    return s.trim() ? s.split(",").map((x) => this.val(x)) : [];
  }

  private tgt(s: string): Target {
    const m =
      /^block(\d+)\((.*)\)$/.exec(s.trim()) ?? this.fail(`expected a target like block3(v1, v2), got '${s.trim()}'`);
    return { block: Number(m[1]), args: this.vals(m[2]) };
  }

  /** Split at top-level commas (outside parentheses and brackets). */
  private split(s: string): string[] {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      if ("([".includes(s[i])) depth++;
      else if (")]".includes(s[i])) depth--;
      else if (s[i] === "," && depth === 0) {
        parts.push(s.slice(start, i).trim());
        start = i + 1;
      }
    }
    parts.push(s.slice(start).trim());
    return parts.filter((p) => p);
  }
}
