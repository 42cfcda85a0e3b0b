// Helpers the cleanup passes share: the edges into each reachable block (the targets that pass arguments to its
// parameters), and rewriting every use of an alias in a function to the value it stands for.
import { targetAt, targetCount, type BlockId, type FunctionBody, type Target, type ValueId } from "../ssa/ir.ts";

/** Every target, from a reachable block, that branches to each block (one entry per edge, a br_table's too): the
 *  edges into block b are edges[first[b] .. first[b + 1]), in the order of their sources in `order` (one flat list,
 *  no array per block). */
export class IncomingEdges {
  readonly first: Int32Array;
  readonly edges: Target[];

  constructor(f: FunctionBody, order: BlockId[] = f.reversePostorder()) {
    const first = new Int32Array(f.blocks.length + 1);
    for (const b of order) {
      const term = f.blocks[b].term;
      for (let i = 0, n = targetCount(term); i < n; i++) first[targetAt(term, i).block + 1]++;
    }
    for (let b = 0; b < f.blocks.length; b++) first[b + 1] += first[b];
    const fill = first.slice(0, f.blocks.length);
    const edges: Target[] = new Array(first[f.blocks.length]);
    for (const b of order) {
      const term = f.blocks[b].term;
      for (let i = 0, n = targetCount(term); i < n; i++) {
        const t = targetAt(term, i);
        edges[fill[t.block]++] = t;
      }
    }
    this.first = first;
    this.edges = edges;
  }

  /** The edges into block b, as a new array. */
  of(b: BlockId): Target[] {
    return this.edges.slice(this.first[b], this.first[b + 1]);
  }
}

/** Replace every use of an alias (instruction operands, terminator operands, branch arguments) by the value it
 *  stands for (FunctionBody.resolve); returns the blocks whose instruction lists hold an alias (found on the way, for
 *  copy propagation). The alias test is inline: this runs over every operand of a function after most passes, and
 *  most operands are no alias (a call of a mapping function per operand was ~2% of a Lua build's main thread). */
export function resolveAliasUses(f: FunctionBody, order: BlockId[]): BlockId[] {
  const withAlias: BlockId[] = [];
  const values = f.values;
  // Written only where the value changes: most uses keep theirs, and a store into an old object costs the GC.
  const all = (list: ValueId[]) => {
    for (let i = 0; i < list.length; i++) if (values[list[i]].kind === "alias") list[i] = f.resolve(list[i]);
  };
  const one = (v: ValueId) => (values[v].kind === "alias" ? f.resolve(v) : v);
  for (const b of order) {
    const block = f.blocks[b];
    let aliases = false;
    for (const v of block.insts) {
      const d = values[v];
      if (d.kind === "op") all(d.args);
      else if (d.kind === "pick") {
        if (values[d.value].kind === "alias") d.value = f.resolve(d.value);
      } else if (d.kind === "alias") aliases = true;
    }
    if (aliases) withAlias.push(b);
    const t = block.term;
    if (t.kind === "cond") t.cond = one(t.cond);
    else if (t.kind === "table") t.index = one(t.index);
    else if (t.kind === "return") all(t.values);
    else if (t.kind === "return_call") all(t.args);
    if (t.kind === "br") all(t.target.args);
    else if (t.kind === "cond") {
      all(t.then.args);
      all(t.else.args);
    } else if (t.kind === "table") {
      for (const target of t.targets) all(target.args);
      all(t.default.args);
    }
  }
  return withAlias;
}

/** Drop the parameters of `block` for which `keep` is false, with the matching argument of every incoming edge. */
export function dropParams(f: FunctionBody, block: BlockId, keep: boolean[], into: IncomingEdges): void {
  const b = f.blocks[block];
  b.params = b.params.filter((_, i) => keep[i]);
  b.params.forEach((p, i) => {
    const d = f.values[p];
    if (d.kind === "param") d.index = i;
  });
  for (let k = into.first[block]; k < into.first[block + 1]; k++) {
    const t = into.edges[k];
    t.args = t.args.filter((_, i) => keep[i]);
  }
}
