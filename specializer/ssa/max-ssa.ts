// Pass: convert a function to maximal SSA — every value used outside the block that defines it arrives as a
// parameter of the using block (and, transitively, of every block on the way). Requires verified SSA input;
// produces verified SSA in which each block refers only to its own parameters and instructions.
// The specializer needs this: it copies blocks one context at a time, and a copy may be reached from copies in
// other contexts, so no value may be borrowed from a dominating block (weval uses max-SSA at context cuts only;
// we take the simple uniform form and let binaryen remove the copies). Liveness is the classic backward dataflow.
import { defUses, targetsOf, terminatorUses, type BlockId, type FunctionBody, type ValueId } from "./ir.ts";

export function toMaxSSA(f: FunctionBody): void {
  const order = f.reversePostorder();
  const defsIn = new Map<BlockId, Set<ValueId>>();
  const usesIn = new Map<BlockId, Set<ValueId>>(); // used before (or without) a local definition
  for (const b of order) {
    const block = f.blocks[b];
    const defs = new Set<ValueId>(block.params);
    const uses = new Set<ValueId>();
    for (const v of block.insts) {
      for (const u of defUses(f.values[v])) if (!defs.has(f.resolve(u))) uses.add(f.resolve(u));
      defs.add(v);
    }
    for (const u of terminatorUses(block.term)) if (!defs.has(f.resolve(u))) uses.add(f.resolve(u));
    defsIn.set(b, defs);
    usesIn.set(b, uses);
  }
  const liveIn = new Map<BlockId, Set<ValueId>>(order.map((b) => [b, new Set(usesIn.get(b))]));
  for (let changed = true; changed;) {
    changed = false;
    for (let i = order.length - 1; i >= 0; i--) {
      const b = order[i];
      const live = liveIn.get(b)!;
      for (const t of targetsOf(f.blocks[b].term))
        for (const v of liveIn.get(t.block) ?? [])
          if (!defsIn.get(b)!.has(v) && !live.has(v)) {
            live.add(v);
            changed = true;
          }
    }
  }
  // New parameters, in a fixed order per block.
  const added = new Map<BlockId, Map<ValueId, ValueId>>();
  for (const b of order) {
    const m = new Map<ValueId, ValueId>();
    if (b !== f.entry)
      for (const v of [...liveIn.get(b)!].sort((x, y) => x - y)) m.set(v, f.addBlockParam(b, f.typeOf(v)));
    added.set(b, m);
  }
  for (const b of order) {
    const block = f.blocks[b];
    const local = added.get(b)!;
    const rename = (v: ValueId) => local.get(f.resolve(v)) ?? f.resolve(v);
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind === "op") d.args = d.args.map(rename);
      else if (d.kind === "pick") d.value = rename(d.value);
      else if (d.kind === "alias") d.to = rename(d.to);
    }
    const t = block.term;
    if (t.kind === "cond") t.cond = rename(t.cond);
    if (t.kind === "table") t.index = rename(t.index);
    if (t.kind === "return") t.values = t.values.map(rename);
    if (t.kind === "return_call") t.args = t.args.map(rename);
    for (const target of targetsOf(t)) {
      target.args = target.args.map(rename);
      for (const v of added.get(target.block)!.keys()) target.args.push(rename(v));
    }
  }
}
