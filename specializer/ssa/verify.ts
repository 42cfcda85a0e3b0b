// The IR verifier, run after every transform in tests and under --verify: every reachable block has one
// terminator; branch arguments match the target's parameters in count and type; preds/succs agree with the
// terminators; each value is defined once, and its definition dominates every use (earlier in the same block, or
// in a dominating block); operator arguments have the types the operator takes. A failure throws an
// IrVerifyError whose message says what is wrong and includes the printed function.
// Dominators by Cooper, Harvey & Kennedy, "A Simple, Fast Dominance Algorithm" (2001).
import { targetsOf, terminatorUses, defUses, type BlockId, type FunctionBody, type ValueId } from "./ir.ts";
import { printFunction } from "./print.ts";
import { OPS_BY_NAME } from "./wasm-ops.ts";

export class IrVerifyError extends Error {}

export function immediateDominators(f: FunctionBody, order: BlockId[] = f.reversePostorder()): Map<BlockId, BlockId> {
  // By position in reverse postorder, in typed arrays (no Map per lookup: the backend runs this on functions of
  // 100k blocks); -1 is "not yet known".
  const index = new Int32Array(f.blocks.length).fill(-1);
  order.forEach((b, i) => (index[b] = i));
  const predStart = new Int32Array(order.length + 1);
  for (const b of order)
    for (const t of targetsOf(f.blocks[b].term)) if (index[t.block] >= 0) predStart[index[t.block] + 1]++;
  for (let i = 0; i < order.length; i++) predStart[i + 1] += predStart[i];
  const preds = new Int32Array(predStart[order.length]);
  const fill = predStart.slice();
  order.forEach((b, i) => {
    for (const t of targetsOf(f.blocks[b].term)) if (index[t.block] >= 0) preds[fill[index[t.block]]++] = i;
  });
  const idom = new Int32Array(order.length).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    while (a !== b) {
      while (a > b) a = idom[a];
      while (b > a) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 1; i < order.length; i++) {
      let d = -1;
      for (let k = predStart[i]; k < predStart[i + 1]; k++) {
        const p = preds[k];
        if (idom[p] >= 0) d = d < 0 ? p : intersect(p, d);
      }
      if (d >= 0 && idom[i] !== d) {
        idom[i] = d;
        changed = true;
      }
    }
  }
  const out = new Map<BlockId, BlockId>();
  order.forEach((b, i) => idom[i] >= 0 && out.set(b, order[idom[i]]));
  return out;
}

export function verifyFunction(f: FunctionBody): void {
  const problems: string[] = [];
  const order = f.reversePostorder();
  const reachable = new Set(order);
  const defBlock = new Map<ValueId, BlockId>();
  const defPos = new Map<ValueId, number>();
  const define = (v: ValueId, b: BlockId, pos: number) => {
    if (defBlock.has(v)) problems.push(`v${v} is defined twice (block${defBlock.get(v)} and block${b})`);
    defBlock.set(v, b);
    defPos.set(v, pos);
  };
  for (const b of order) {
    const block = f.blocks[b];
    block.params.forEach((p, i) => {
      const d = f.values[p];
      if (d?.kind !== "param" || d.block !== b || d.index !== i)
        problems.push(`block${b} parameter ${i} (v${p}) is not defined as that block's parameter`);
      define(p, b, -1);
    });
    block.insts.forEach((v, i) => {
      const d = f.values[v];
      if (!d || d.kind === "param" || d.kind === "none")
        problems.push(`block${b} lists v${v}, which is not an instruction`);
      define(v, b, i);
    });
  }
  const idom = immediateDominators(f);
  const dominates = (a: BlockId, b: BlockId): boolean => {
    for (let x = b; ; x = idom.get(x)!) {
      if (x === a) return true;
      if (x === f.entry || !idom.has(x)) return false;
    }
  };
  const checkUse = (v: ValueId, b: BlockId, pos: number, what: string) => {
    const db = defBlock.get(v);
    if (db === undefined) problems.push(`${what} in block${b} uses v${v}, which is not defined in a reachable block`);
    else if (db === b ? defPos.get(v)! >= pos : !dominates(db, b))
      problems.push(`${what} in block${b} uses v${v}, whose definition in block${db} does not dominate it`);
  };
  for (const b of order) {
    const block = f.blocks[b];
    block.insts.forEach((v, i) => {
      const d = f.values[v];
      for (const u of defUses(d)) checkUse(u, b, i, `v${v}`);
      if (d.kind === "op") {
        const info = OPS_BY_NAME.get(d.op.name);
        if (info) {
          if (d.args.length !== info.params.length)
            problems.push(`v${v} (${d.op.name}) has ${d.args.length} arguments, takes ${info.params.length}`);
          else
            d.args.forEach((a, k) => {
              const t = f.typesOf(a);
              if (t.length !== 1 || t[0] !== info.params[k])
                problems.push(`v${v} (${d.op.name}) argument ${k} is v${a}:${t.join(",")}, expected ${info.params[k]}`);
            });
        }
      }
      if (d.kind === "pick") {
        const of = f.values[d.value];
        if (of?.kind !== "op" || of.types[d.index] !== d.type)
          problems.push(`v${v} picks result ${d.index} of v${d.value}, which has no such ${d.type} result`);
      }
    });
    if (block.term.kind === "none") problems.push(`block${b} has no terminator`);
    for (const u of terminatorUses(block.term)) checkUse(u, b, block.insts.length, "the terminator");
    for (const t of targetsOf(block.term)) {
      const target = f.blocks[t.block];
      if (!target) {
        problems.push(`block${b} branches to block${t.block}, which does not exist`);
        continue;
      }
      if (t.args.length !== target.params.length)
        problems.push(
          `block${b} passes ${t.args.length} arguments to block${t.block}, which has ${target.params.length} parameters`,
        );
      else
        t.args.forEach((a, k) => {
          const at = f.typesOf(a);
          const pt = f.typesOf(target.params[k]);
          if (at.length !== 1 || at[0] !== pt[0])
            problems.push(
              `block${b} passes v${a}:${at.join(",")} to block${t.block}'s parameter v${target.params[k]}:${pt[0]}`,
            );
        });
    }
    if (block.term.kind === "return") {
      const got = block.term.values.map((x) => f.typesOf(x)[0]);
      if (got.join() !== f.results.join())
        problems.push(`block${b} returns (${got.join(", ")}), the function returns (${f.results.join(", ")})`);
    }
    // preds/succs as stored must agree with the terminators.
    const succs = [...new Set(targetsOf(block.term).map((t) => t.block))].sort();
    if ([...block.succs].sort().join() !== succs.join())
      problems.push(`block${b} succs [${block.succs}] disagree with its terminator [${succs}]`);
    for (const s of succs)
      if (!f.blocks[s]?.preds.includes(b)) problems.push(`block${s} preds do not list block${b}, which branches to it`);
    for (const p of block.preds)
      if (reachable.has(p) && !targetsOf(f.blocks[p].term).some((t) => t.block === b))
        problems.push(`block${b} lists block${p} as a pred, but block${p} does not branch to it`);
  }
  if (problems.length)
    throw new IrVerifyError(`IR verification failed for ${f.name}:\n  ${problems.join("\n  ")}\n${printFunction(f)}`);
}
