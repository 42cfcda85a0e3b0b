// The SSA IR: a function is a control-flow graph of basic blocks with block parameters (no phis), modeled on
// waffle. Blocks and values live in arena arrays and are named by numeric ids, printed `block3` and `v7`. Every
// value has ONE definition, a case of `ValueDef`; a block holds an ordered list of values (its instructions) and one
// terminator whose targets pass arguments to the target's parameters. Preds and succs are kept on blocks
// (recomputePreds). Effects are explicit per operator (effects.ts), so passes know what they may move or delete.
import type { Const, ValType } from "./types.ts";
import { InternalError } from "../../util/errors.ts";

export type ValueId = number;
export type BlockId = number;

/** An instruction's operator and its immediates. `name` is the Wasm text name (`i32.add`, `call`, `const`). */
export interface Operator {
  name: string;
  /** Loads and stores. */
  memarg?: { offset: number; align: number };
  /** `const`. */
  value?: Const;
  /** `call`: function index; `global.get/set`: global index; `call_indirect`: type index;
   *  `memory.init`/`data.drop`: data segment index. */
  index?: number;
  /** `call_indirect`: table index. */
  table?: number;
}

export type ValueDef =
  | { kind: "param"; block: BlockId; index: number; type: ValType }
  | { kind: "op"; op: Operator; args: ValueId[]; types: ValType[] }
  | { kind: "pick"; value: ValueId; index: number; type: ValType }
  | { kind: "alias"; to: ValueId; type: ValType }
  | { kind: "none" };

export interface Target {
  block: BlockId;
  args: ValueId[];
}

export type Terminator =
  | { kind: "br"; target: Target }
  | { kind: "cond"; cond: ValueId; then: Target; else: Target }
  | { kind: "table"; index: ValueId; targets: Target[]; default: Target }
  | { kind: "return"; values: ValueId[] }
  /** A tail call (Wasm's return_call / return_call_indirect): `op` is the `call` or `call_indirect` it makes, with
   *  `args` as that operator's (a call_indirect's table index last); the callee's results are the function's. */
  | { kind: "return_call"; op: Operator; args: ValueId[] }
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
  /** Run-time values the interpreter declared pointers of one alias class (weval.assume.alias.class): value -> class,
   *  or -1 where two declarations disagreed. Accesses through pointers of two different classes never overlap. */
  aliasClasses?: Map<ValueId, number>;
  /** Run-time values the interpreter declared the start of an object of their class (weval.assume.alias.region):
   *  value -> class, -1 where declarations disagreed. Two objects so declared never overlap, and an access through
   *  one plus a constant stays inside it: accesses through two of one class at disjoint offsets never overlap. */
  aliasRegions?: Map<ValueId, number>;

  constructor(
    public name: string,
    public params: ValType[],
    public results: ValType[],
  ) {}

  addBlock(): BlockId {
    this.blocks.push({ params: [], insts: [], term: { kind: "none" }, preds: [], succs: [] });
    return this.blocks.length - 1;
  }

  addBlockParam(block: BlockId, type: ValType): ValueId {
    const b = this.blocks[block];
    const v = this.values.push({ kind: "param", block, index: b.params.length, type }) - 1;
    b.params.push(v);
    return v;
  }

  /** A value defined by an operator, not yet placed in a block. */
  addOp(op: Operator, args: ValueId[], types: ValType[]): ValueId {
    return this.values.push({ kind: "op", op, args, types }) - 1;
  }

  /** Define an operator value and append it to `block`. */
  appendOp(block: BlockId, op: Operator, args: ValueId[], types: ValType[]): ValueId {
    const v = this.addOp(op, args, types);
    this.blocks[block].insts.push(v);
    return v;
  }

  /** Result `index` of a multi-result operator value (appended to the block after it). */
  appendPick(block: BlockId, value: ValueId, index: number, type: ValType): ValueId {
    const v = this.values.push({ kind: "pick", value, index, type }) - 1;
    this.blocks[block].insts.push(v);
    return v;
  }

  setTerminator(block: BlockId, term: Terminator): void {
    this.blocks[block].term = term;
  }

  /** Follow aliases to the defining value (shortening the chain on the way, so long chains cost once). */
  resolve(v: ValueId): ValueId {
    let end = v;
    let d = this.values[end];
    while (d.kind === "alias") {
      end = d.to;
      d = this.values[end];
    }
    for (let x = v; x !== end;) {
      const a = this.values[x] as { kind: "alias"; to: ValueId };
      x = a.to;
      a.to = end;
    }
    return end;
  }

  /** Result types of a value (one for everything but multi-result operators). */
  typesOf(v: ValueId): ValType[] {
    const d = this.values[v];
    switch (d.kind) {
      case "op":
        return d.types;
      case "none":
        return [];
      default:
        return [d.type];
    }
  }

  typeOf(v: ValueId): ValType {
    // No array per call (typesOf makes one for every value but an operator's): the backend asks for every value.
    const d = this.values[v];
    if (d.kind === "op" && d.types.length === 1) return d.types[0];
    if (d.kind !== "op" && d.kind !== "none") return d.type;
    throw new InternalError(`v${v} has ${this.typesOf(v).length} results, not one`);
  }

  /** Whether a value has a result (typesOf(v).length > 0, without the array). */
  hasResult(v: ValueId): boolean {
    const d = this.values[v];
    return d.kind === "op" ? d.types.length > 0 : d.kind !== "none";
  }

  recomputePreds(): void {
    // A block's edges are visited together, so "last pred written" dedupes preds; succs dedupe through the id of the
    // last block that listed each target (a br_table may list one target many times). Linear in the number of
    // edges, with no set per block. The lists are overwritten in place and cut to their new length at the end:
    // emptied first (length 0 frees an array's store), every block's two lists were new arrays at each call, 72 MB
    // on Fern's 10,000-statement function, whose cleanup calls this four times.
    const n = this.blocks.length;
    const predCount = new Int32Array(n);
    const succCount = new Int32Array(n);
    const listedBy = new Int32Array(n).fill(-1);
    for (let id = 0; id < n; id++) {
      const block = this.blocks[id];
      const term = block.term;
      for (let i = 0, k = targetCount(term); i < k; i++) {
        const s = targetAt(term, i).block;
        if (listedBy[s] === id) continue;
        listedBy[s] = id;
        block.succs[succCount[id]++] = s;
        const succ = this.blocks[s];
        if (succ && (predCount[s] === 0 || succ.preds[predCount[s] - 1] !== id)) succ.preds[predCount[s]++] = id;
      }
    }
    for (let id = 0; id < n; id++) {
      const block = this.blocks[id];
      if (block.preds.length !== predCount[id]) block.preds.length = predCount[id];
      if (block.succs.length !== succCount[id]) block.succs.length = succCount[id];
    }
  }

  /** Blocks reachable from the entry, in reverse postorder. Cleanup computes it once and keeps it valid across its
   *  passes (passes/cleanup.ts): call it again only after the terminators changed. */
  reversePostorder(): BlockId[] {
    const n = this.blocks.length;
    const seen = new Uint8Array(n);
    // Postorder filled from the end, so it is reversed as it is written; an explicit stack of (block, next target
    // index) in typed arrays (no recursion on the graph's depth, no array per step).
    const order = new Int32Array(n);
    let filled = n;
    const stack = new Int32Array(n);
    const next = new Int32Array(n);
    let top = 0;
    stack[0] = this.entry;
    seen[this.entry] = 1;
    while (top >= 0) {
      const term = this.blocks[stack[top]].term;
      if (next[top] < targetCount(term)) {
        const s = targetAt(term, next[top]++).block;
        if (!seen[s]) {
          seen[s] = 1;
          stack[++top] = s;
          next[top] = 0;
        }
      } else order[--filled] = stack[top--];
    }
    return Array.from(order.subarray(filled));
  }
}

/** Records in `classes` that `key` is of alias class `cls`: -1 once two declarations disagree (then it has none). */
export function declareAliasClass<K>(classes: Map<K, number>, key: K, cls: number): void {
  const had = classes.get(key);
  classes.set(key, had === undefined || had === cls ? cls : -1);
}

/** Every target of a terminator, in order (a br_table's default last). */
export function targetsOf(t: Terminator): Target[] {
  switch (t.kind) {
    case "br":
      return [t.target];
    case "cond":
      return [t.then, t.else];
    case "table":
      return t.targets.concat(t.default);
    default:
      return NO_TARGETS;
  }
}

const NO_TARGETS = Object.freeze([]) as unknown as Target[];

/** targetsOf(t).length, without the array (with targetAt, for the loops that run over every edge of a function). */
export function targetCount(t: Terminator): number {
  return t.kind === "br" ? 1 : t.kind === "cond" ? 2 : t.kind === "table" ? t.targets.length + 1 : 0;
}

/** targetsOf(t)[i], without the array. */
export function targetAt(t: Terminator, i: number): Target {
  if (t.kind === "br") return t.target;
  if (t.kind === "cond") return i === 0 ? t.then : t.else;
  if (t.kind === "table") return i < t.targets.length ? t.targets[i] : t.default;
  throw new InternalError(`a ${t.kind} terminator has no targets`);
}

/** Values a terminator uses (condition or index, branch arguments, returned values). */
export function terminatorUses(t: Terminator): ValueId[] {
  const uses: ValueId[] = [];
  if (t.kind === "cond") uses.push(t.cond);
  if (t.kind === "table") uses.push(t.index);
  if (t.kind === "return") for (const v of t.values) uses.push(v);
  if (t.kind === "return_call") for (const v of t.args) uses.push(v);
  for (const target of targetsOf(t)) for (const a of target.args) uses.push(a);
  return uses;
}

/** Values a definition uses. */
export function defUses(d: ValueDef): ValueId[] {
  switch (d.kind) {
    case "op":
      return d.args;
    case "pick":
      return [d.value];
    case "alias":
      return [d.to];
    default:
      return [];
  }
}
