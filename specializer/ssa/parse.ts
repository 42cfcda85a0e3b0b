// Reads the text form that print.ts writes back into a FunctionBody with the same ids, so IR can be written by
// hand in tests and golden files round-trip. Errors name the line. Relies on ir.ts, types.ts and wasm-ops.ts.
import { FunctionBody, type Operator, type Target, type Terminator, type ValueDef, type ValueId } from "./ir.ts";
import { parseConst, type ValType } from "./types.ts";

export class IrParseError extends Error {}

const TYPES = new Set(["i32", "i64", "f32", "f64"]);

export function parseFunction(text: string): FunctionBody {
  const lines = text.split("\n").map((l) => l.replace(/;.*$/, "").trim());
  let ln = 0;
  const fail = (msg: string): never => {
    throw new IrParseError(`line ${ln + 1}: ${msg}`);
  };
  const types = (s: string): ValType[] => {
    const list = s.split(",").map((t) => t.trim()).filter((t) => t && t !== "()");
    for (const t of list) if (!TYPES.has(t)) fail(`unknown type '${t}'`);
    return list as ValType[];
  };
  while (ln < lines.length && !lines[ln]) ln++;
  const head = /^function\s+(\S+)\((.*)\)\s*->\s*(.*)\{$/.exec(lines[ln] ?? "") ?? fail("expected `function NAME(params) -> results {`");
  const f = new FunctionBody(head[1], types(head[2]), types(head[3].trim()));
  const values: (ValueDef | undefined)[] = [];
  const blocks = new Map<number, { params: ValueId[]; insts: ValueId[]; term: Terminator }>();
  let cur: { params: ValueId[]; insts: ValueId[]; term: Terminator } | undefined;
  let entry: number | undefined;
  const val = (s: string): ValueId => {
    const m = /^v(\d+)$/.exec(s.trim()) ?? fail(`expected a value like v7, got '${s.trim()}'`);
    return Number(m[1]);
  };
  const vals = (s: string): ValueId[] => (s.trim() ? s.split(",").map(val) : []);
  const tgt = (s: string): Target => {
    const m = /^block(\d+)\((.*)\)$/.exec(s.trim()) ?? fail(`expected a target like block3(v1, v2), got '${s.trim()}'`);
    return { block: Number(m[1]), args: vals(m[2]) };
  };
  /** Split at top-level commas (outside parentheses and brackets). */
  const split = (s: string): string[] => {
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
  };
  for (ln++; ln < lines.length; ln++) {
    const line = lines[ln];
    if (!line) continue;
    if (line === "}") break;
    let m: RegExpExecArray | null;
    if ((m = /^block(\d+)\((.*)\):$/.exec(line))) {
      const id = Number(m[1]);
      if (blocks.has(id)) fail(`block${id} is defined twice`);
      cur = { params: [], insts: [], term: { kind: "none" } };
      blocks.set(id, cur);
      entry ??= id;
      split(m[2]).forEach((p, index) => {
        const pm = /^v(\d+):(\w+)$/.exec(p) ?? fail(`bad block parameter '${p}'`);
        const t = types(pm[2])[0];
        values[Number(pm[1])] = { kind: "param", block: id, index, type: t };
        cur!.params.push(Number(pm[1]));
      });
      continue;
    }
    if (!cur) fail("instruction outside a block");
    const block = cur!;
    if ((m = /^v(\d+)(?::([\w,]+))?\s*=\s*(\S+)\s*(.*)$/.exec(line))) {
      const id = Number(m[1]);
      if (values[id]) fail(`v${id} is defined twice`);
      const resultTypes = m[2] ? types(m[2]) : [];
      const name = m[3];
      let rest = m[4];
      let def: ValueDef;
      if (name === "pick") {
        const [of, index] = rest.split(/\s+/);
        def = { kind: "pick", value: val(of), index: Number(index), type: resultTypes[0] };
      } else if (name === "alias") {
        def = { kind: "alias", to: val(rest), type: resultTypes[0] };
      } else {
        const op: Operator = { name };
        if (name === "const") {
          op.value = parseConst(resultTypes[0] ?? fail("const needs a result type"), rest.trim());
          rest = "";
        } else if (["call", "global.get", "global.set", "memory.init", "data.drop"].includes(name)) {
          const im = /^(\d+)\s*(.*)$/.exec(rest) ?? fail(`${name} needs an index`);
          op.index = Number(im[1]);
          rest = im[2];
        } else if (name === "call_indirect") {
          const im = /^(\d+)\s+(\d+)\s*(.*)$/.exec(rest) ?? fail("call_indirect needs a type index and a table index");
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
        def = { kind: "op", op, args: vals(rest), types: resultTypes };
      }
      values[id] = def;
      block.insts.push(id);
      continue;
    }
    const [word, ...restWords] = line.split(/\s+/);
    const rest = restWords.join(" ");
    switch (word) {
      case "br":
        block.term = { kind: "br", target: tgt(rest) };
        break;
      case "cond": {
        const [c, a, b] = split(rest);
        block.term = { kind: "cond", cond: val(c), then: tgt(a), else: tgt(b) };
        break;
      }
      case "table": {
        const [idx, list, def] = split(rest);
        const inner = /^\[(.*)\]$/.exec(list) ?? fail("table needs [targets]");
        block.term = { kind: "table", index: val(idx), targets: split(inner[1]).map(tgt), default: tgt(def) };
        break;
      }
      case "return":
        block.term = { kind: "return", values: vals(rest) };
        break;
      case "unreachable":
        block.term = { kind: "unreachable" };
        break;
      default:
        fail(`cannot read '${line}'`);
    }
  }
  const maxBlock = Math.max(-1, ...blocks.keys());
  for (let b = 0; b <= maxBlock; b++) {
    const src = blocks.get(b);
    const id = f.addBlock();
    if (src) Object.assign(f.blocks[id], src);
    else f.blocks[id].term = { kind: "unreachable" };
  }
  f.entry = entry ?? fail("no blocks");
  f.values = Array.from({ length: values.length }, (_, i) => values[i] ?? { kind: "none" });
  f.recomputePreds();
  return f;
}
