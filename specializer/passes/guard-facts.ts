// Alias facts from guards, for store-forwarding.ts: past a conditional branch on `(p - q + c) >=u k` (an unsigned
// comparison of a difference of two addresses with a constant), the bytes a store through p's root writes cannot be
// some of the bytes at q's root — how an interpreter tells the specializer that a heap store leaves its registers
// alone (interp/lua/lua-weval.patch, wfinishfastset: a table slot at least 257 slots away from the function's slot).
//   v5 = i32.sub v1, v2 ; v6 = i32.add v5, 16 ; v7 = i32.lt_u v6, 4112 ; cond v7, block1(), block2()
//   block2 (only from here): (v1 - v2 + 16) >=u 4112, so a 16-byte store at v1 leaves v2 + [16, 4096) known.
// A fact holds in the block its edge enters (when that edge is the block's only way in) and in every block that block
// dominates: the two addresses are SSA values, and every path from their definitions to such a block takes the edge.
import type { DominatorTree } from "../ssa/dominators.ts";
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";

const TWO32 = 4294967296;

/** On every path through a block: (pos - neg + c) mod 2^32 >=u k, where pos and neg are address roots. */
export interface GuardFact {
  pos: number;
  neg: number;
  c: number;
  k: number;
}

/** An address as its root and constant (store-forwarding.ts's `i32.add x, const` chains stripped). */
export type AddressOf = (v: ValueId) => { root: number; c: number };

const mod32 = (x: number): number => ((x % TWO32) + TWO32) % TWO32;

/** The facts on entry to each block (indexed by block; blocks with none share one empty list). */
export function guardFacts(f: FunctionBody, order: BlockId[], dom: DominatorTree, addressOf: AddressOf): GuardFact[][] {
  const facts: GuardFact[][] = new Array(f.blocks.length); // dense: filled out of block order
  const none: GuardFact[] = [];
  for (const b of order) {
    const up = dom.idom.get(b);
    const inherited = up === undefined || up === b ? none : (facts[up] ?? none);
    const own = edgeFact(f, b, addressOf);
    facts[b] = own ? [...inherited, own] : inherited;
  }
  return facts;
}

/** The fact the edge into b establishes, when b's only predecessor branches on a guard and b is one of its sides. */
function edgeFact(f: FunctionBody, b: BlockId, addressOf: AddressOf): GuardFact | undefined {
  const preds = f.blocks[b].preds;
  if (preds.length !== 1) return undefined;
  const term = f.blocks[preds[0]].term;
  if (term.kind !== "cond" || term.then.block === term.else.block) return undefined;
  let taken = term.then.block === b;
  let cond = f.resolve(term.cond);
  let d = f.values[cond];
  if (d.kind === "op" && d.op.name === "i32.eqz") {
    taken = !taken;
    cond = f.resolve(d.args[0]);
    d = f.values[cond];
  }
  if (d.kind !== "op" || d.args.length !== 2) return undefined;
  const [x, y] = d.args.map((a) => f.resolve(a));
  const k = constI32(f, y);
  if (k === undefined) return undefined;
  // The side on which x >=u lo holds: ge_u/gt_u when taken, lt_u/le_u when not.
  let lo: number;
  if (d.op.name === "i32.ge_u" && taken) lo = k;
  else if (d.op.name === "i32.lt_u" && !taken) lo = k;
  else if (d.op.name === "i32.gt_u" && taken) lo = k + 1;
  else if (d.op.name === "i32.le_u" && !taken) lo = k + 1;
  else return undefined;
  if (lo <= 0 || lo >= TWO32) return undefined;
  const diff = addressOf(x);
  const s = diff.root >= 0 ? f.values[diff.root] : undefined;
  if (!s || s.kind !== "op" || s.op.name !== "i32.sub") return undefined;
  const p = addressOf(f.resolve(s.args[0]));
  const q = addressOf(f.resolve(s.args[1]));
  return { pos: p.root, neg: q.root, c: mod32(diff.c + p.c - q.c), k: lo };
}

function constI32(f: FunctionBody, v: ValueId): number | undefined {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i32" ? d.op.value.bits >>> 0 : undefined;
}

/** Whether a fact proves that a store of w bytes at (root + sd) writes none of the kw bytes at (kroot + kd), all
 *  modulo 2^32: with y = pos - neg + c in [k, 2^32), the store starts at y - c + sd past kroot, and the two ranges
 *  overlap only when (store start - kd + w - 1) mod 2^32 <= w + kw - 2, i.e. for y in the run of w + kw - 1 values
 *  starting at a = (kd + c - sd - w + 1) mod 2^32: none of them is >= k when a + w + kw - 2 < k. */
export function guardSeparates(
  facts: readonly GuardFact[],
  root: number,
  sd: number,
  w: number,
  kroot: number,
  kd: number,
  kw: number,
): boolean {
  for (const g of facts) {
    if (g.pos !== root || g.neg !== kroot) continue;
    const a = mod32(kd + g.c - sd - w + 1);
    if (a + w + kw - 2 < g.k) return true;
  }
  return false;
}
