// Helpers the cleanup passes share: the edges into each reachable block (the targets that pass arguments to its
// parameters), and rewriting every use in a function through a value map.
import { targetsOf, type BlockId, type FunctionBody, type Target, type ValueId } from "../ssa/ir.ts";

/** Every target, from a reachable block, that branches to each block (one entry per edge, a br_table's too). */
export function incomingEdges(f: FunctionBody, order: BlockId[] = f.reversePostorder()): Map<BlockId, Target[]> {
  const into = new Map<BlockId, Target[]>();
  for (const b of order) {
    for (const t of targetsOf(f.blocks[b].term)) {
      let list = into.get(t.block);
      if (!list) into.set(t.block, (list = []));
      list.push(t);
    }
  }
  return into;
}

/** Replace every use of a value (instruction operands, terminator operands, branch arguments) by `map(value)`. */
export function rewriteUses(f: FunctionBody, order: BlockId[], map: (v: ValueId) => ValueId): void {
  // Written only where the value changes: most uses keep theirs, and a store into an old object costs the GC.
  const all = (list: ValueId[]) => {
    for (let i = 0; i < list.length; i++) {
      const m = map(list[i]);
      if (m !== list[i]) list[i] = m;
    }
  };
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op") all(d.args);
      else if (d.kind === "pick") {
        const m = map(d.value);
        if (m !== d.value) d.value = m;
      }
    }
    const t = block.term;
    if (t.kind === "cond") t.cond = map(t.cond);
    else if (t.kind === "table") t.index = map(t.index);
    else if (t.kind === "return") all(t.values);
    if (t.kind === "br") all(t.target.args);
    else if (t.kind === "cond") {
      all(t.then.args);
      all(t.else.args);
    } else if (t.kind === "table") {
      for (const target of t.targets) all(target.args);
      all(t.default.args);
    }
  }
}

/** Drop the parameters of `block` for which `keep` is false, with the matching argument of every incoming edge. */
export function dropParams(f: FunctionBody, block: BlockId, keep: boolean[], into: Target[]): void {
  const b = f.blocks[block];
  b.params = b.params.filter((_, i) => keep[i]);
  b.params.forEach((p, i) => {
    const d = f.values[p];
    if (d.kind === "param") d.index = i;
  });
  for (const t of into) t.args = t.args.filter((_, i) => keep[i]);
}
