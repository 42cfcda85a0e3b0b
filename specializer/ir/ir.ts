// The specializer's SSA IR, modeled on waffle: a function is a control-flow graph of basic blocks with block
// parameters (no phis). Blocks and values live in arena arrays and are named by numeric ids, printed `block3` and
// `v7`. Every value has exactly ONE definition, a case of `ValueDef`. A block holds its parameters, an ordered list
// of instruction values (ops and the picks of multi-result ops), and one terminator whose targets pass arguments
// to the target block's parameters. Preds and succs are kept on blocks (distinct, in first-seen order) and
// refreshed by `recomputePreds`. Which operators may be moved or deleted is in effects.ts.
// Relies on types.ts.
import type { Const, ValType } from "./types.ts";

export type ValueId = number;
export type BlockId = number;

/** An operator with its immediates. `name` is the Wasm text name (`i32.add`, `i32.const`, `call`). */
export interface Operator {
  name: string;
  /** Loads and stores: memarg (align as log2, as in the binary). */
  offset?: number;
  align?: number;
  /** call: function index; call_indirect: type index; global.get/set: global index; memory.init/data.drop: data
   *  segment index. */
  index?: number;
  /** call_indirect: table index. */
  table?: number;
  /** *.const */
  value?: Const;
}

export type ValueDef =
  | { kind: "blockparam"; block: BlockId; index: number; type: ValType }
  | { kind: "op"; op: Operator; args: ValueId[]; types: ValType[] }
  | { kind: "pick"; value: ValueId; index: number; type: ValType }
  | { kind: "alias"; to: ValueId }
  | { kind: "none" };

export interface Target {
  block: BlockId;
  args: ValueId[];
}

export type Terminator =
  | { kind: "br"; target: Target }
  | { kind: "br_if"; cond: ValueId; then: Target; else: Target }
  | { kind: "br_table"; index: ValueId; targets: Target[]; default: Target }
  | { kind: "return"; values: ValueId[] }
  | { kind: "unreachable" }
  | { kind: "none" };

export interface Block {
  params: ValueId[];
  insts: ValueId[];
  term: Terminator;
  preds: BlockId[];
  succs: BlockId[];
}

export class FunctionBody {
  blocks: Block[] = [];
  values: ValueDef[] = [];
  entry: BlockId = 0;

  constructor(
    public name: string,
    public params: ValType[],
    public results: ValType[],
  ) {}

  addBlock(): BlockId {
    this.blocks.push({ params: [], insts: [], term: { kind: "none" }, preds: [], succs: [] });
    return this.blocks.length - 1;
  }

  addValue(def: ValueDef): ValueId {
    this.values.push(def);
    return this.values.length - 1;
  }

  addBlockParam(block: BlockId, type: ValType): ValueId {
    const b = this.blocks[block];
    const v = this.addValue({ kind: "blockparam", block, index: b.params.length, type });
    b.params.push(v);
    return v;
  }

  /** Append an operator to `block`. For a multi-result op, also appends one pick per result; returns the op's
   *  value and, in `picks`, the result values (for 0 or 1 results, picks is [] or [the op value]). */
  appendOp(block: BlockId, op: Operator, args: ValueId[], types: ValType[]): ValueId {
    const v = this.addValue({ kind: "op", op, args, types });
    this.blocks[block].insts.push(v);
    if (types.length > 1) types.forEach((type, index) => this.blocks[block].insts.push(this.addValue({ kind: "pick", value: v, index, type })));
    return v;
  }

  /** The result values of an op appended by appendOp (the op itself, or its picks). */
  resultsOf(v: ValueId): ValueId[] {
    const def = this.values[v];
    if (def.kind !== "op") return [v];
    if (def.types.length === 0) return [];
    if (def.types.length === 1) return [v];
    const out: ValueId[] = [];
    for (let i = 0; i < def.types.length; i++) out.push(v + 1 + i); // appendOp allocates picks right after the op
    return out;
  }

  setTerminator(block: BlockId, term: Terminator): void {
    this.blocks[block].term = term;
  }

  /** Follow aliases to the defining value. */
  resolve(v: ValueId): ValueId {
    let seen = 0;
    for (let def = this.values[v]; def?.kind === "alias"; def = this.values[v]) {
      v = def.to;
      if (++seen > this.values.length) throw new Error(`alias cycle through v${v}`);
    }
    return v;
  }

  /** The type of a value with exactly one result. */
  typeOf(v: ValueId): ValType {
    const def = this.values[this.resolve(v)];
    switch (def.kind) {
      case "blockparam":
      case "pick":
        return def.type;
      case "op":
        if (def.types.length !== 1) throw new Error(`v${v} has ${def.types.length} results, not one`);
        return def.types[0];
      default:
        throw new Error(`v${v} has no definition`);
    }
  }

  /** Rebuild preds and succs of every block from the terminators (distinct, in first-seen order). */
  recomputePreds(): void {
    for (const b of this.blocks) {
      b.preds = [];
      b.succs = [];
    }
    this.blocks.forEach((b, id) => {
      for (const t of targetsOf(b.term)) {
        if (!b.succs.includes(t.block)) b.succs.push(t.block);
        const preds = this.blocks[t.block]?.preds;
        if (preds && !preds.includes(id)) preds.push(id);
      }
    });
  }
}

/** The targets of a terminator, in order (then before else; table targets before the default). */
export function targetsOf(term: Terminator): Target[] {
  switch (term.kind) {
    case "br":
      return [term.target];
    case "br_if":
      return [term.then, term.else];
    case "br_table":
      return [...term.targets, term.default];
    default:
      return [];
  }
}

/** The values a terminator reads (condition/index and branch or return arguments). */
export function termUses(term: Terminator): ValueId[] {
  const args = targetsOf(term).flatMap((t) => t.args);
  switch (term.kind) {
    case "br_if":
      return [term.cond, ...args];
    case "br_table":
      return [term.index, ...args];
    case "return":
      return term.values;
    default:
      return args;
  }
}

/** The values an instruction value reads. */
export function valueUses(def: ValueDef): ValueId[] {
  if (def.kind === "op") return def.args;
  if (def.kind === "pick") return [def.value];
  if (def.kind === "alias") return [def.to];
  return [];
}

/** Rewrite every use of a value (instruction args, picks, terminators) through `map`. */
export function mapUses(body: FunctionBody, map: (v: ValueId) => ValueId): void {
  for (const b of body.blocks) {
    for (const v of b.insts) {
      const def = body.values[v];
      if (def.kind === "op") def.args = def.args.map(map);
      else if (def.kind === "pick") def.value = map(def.value);
    }
    const t = b.term;
    for (const target of targetsOf(t)) target.args = target.args.map(map);
    if (t.kind === "br_if") t.cond = map(t.cond);
    else if (t.kind === "br_table") t.index = map(t.index);
    else if (t.kind === "return") t.values = t.values.map(map);
  }
}

/** Blocks reachable from the entry, in reverse postorder. */
export function reversePostorder(body: FunctionBody): BlockId[] {
  const seen = new Uint8Array(body.blocks.length);
  const post: BlockId[] = [];
  const stack: [BlockId, number][] = [[body.entry, 0]];
  seen[body.entry] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1];
    const succs = targetsOf(body.blocks[top[0]].term);
    if (top[1] < succs.length) {
      const s = succs[top[1]++].block;
      if (s >= 0 && s < body.blocks.length && !seen[s]) {
        seen[s] = 1;
        stack.push([s, 0]);
      }
    } else {
      post.push(top[0]);
      stack.pop();
    }
  }
  return post.reverse();
}

/**
 * Renumber: keep only blocks reachable from the entry (entry first, then reverse postorder) and only values that
 * appear in them, numbered in print order (block params, then instructions). Aliases are resolved away. Returns a
 * new body; the input is not changed. The frontend ends with this, so printed IR has dense ids.
 */
export function compact(body: FunctionBody): FunctionBody {
  const order = reversePostorder(body);
  const blockMap = new Map<BlockId, BlockId>(order.map((b, i) => [b, i]));
  const valueMap = new Map<ValueId, ValueId>();
  const out = new FunctionBody(body.name, [...body.params], [...body.results]);
  let next = 0;
  for (const b of order) for (const v of [...body.blocks[b].params, ...body.blocks[b].insts]) valueMap.set(v, next++);
  const mapValue = (v: ValueId): ValueId => {
    const r = valueMap.get(body.resolve(v));
    if (r === undefined) throw new Error(`compact: v${v} is used but not defined in a reachable block`);
    return r;
  };
  const mapTarget = (t: Target): Target => ({ block: blockMap.get(t.block)!, args: t.args.map(mapValue) });
  out.values = new Array(next);
  for (const b of order) {
    const src = body.blocks[b];
    const nb = out.addBlock();
    const dst = out.blocks[nb];
    src.params.forEach((p, index) => {
      const def = body.values[p] as Extract<ValueDef, { kind: "blockparam" }>;
      dst.params.push(valueMap.get(p)!);
      out.values[valueMap.get(p)!] = { kind: "blockparam", block: nb, index, type: def.type };
    });
    for (const v of src.insts) {
      const def = body.values[v];
      const id = valueMap.get(v)!;
      dst.insts.push(id);
      if (def.kind === "op") out.values[id] = { kind: "op", op: def.op, args: def.args.map(mapValue), types: [...def.types] };
      else if (def.kind === "pick") out.values[id] = { kind: "pick", value: mapValue(def.value), index: def.index, type: def.type };
      else throw new Error(`compact: block${b} lists v${v} of kind ${def.kind} as an instruction`);
    }
    const t = src.term;
    switch (t.kind) {
      case "br":
        dst.term = { kind: "br", target: mapTarget(t.target) };
        break;
      case "br_if":
        dst.term = { kind: "br_if", cond: mapValue(t.cond), then: mapTarget(t.then), else: mapTarget(t.else) };
        break;
      case "br_table":
        dst.term = { kind: "br_table", index: mapValue(t.index), targets: t.targets.map(mapTarget), default: mapTarget(t.default) };
        break;
      case "return":
        dst.term = { kind: "return", values: t.values.map(mapValue) };
        break;
      default:
        dst.term = { kind: t.kind };
    }
  }
  out.recomputePreds();
  return out;
}
