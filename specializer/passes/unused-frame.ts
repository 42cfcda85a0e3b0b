// Pass: drop a shadow-stack frame nothing uses. A function clang compiled allocates its frame on entry
// (`global.set G (i32.sub (global.get G) N)`, G its stack pointer) and frees it before each return (`global.set G
// (i32.add frame N)`); in a specialized copy every access to the frame may have folded away (Lua's execute keeps a
// TValue key and integer temporaries there for slow paths a Proto's body never reaches) while the allocation and the
// frees stay, being global writes: four instructions per call of every specialized Lua function. When the frame's
// value has no other use and the function touches G nowhere else, the allocation and the frees go (dead-values then
// removes the arithmetic); callees then allocate from the caller's stack pointer, which is all the frame changed.
// Requires: valid SSA. Guarantees: valid SSA; the frame's only uses were those writes.
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { defUses, terminatorUses } from "../ssa/ir.ts";

/** The i32 constant `v` is, if it is one. */
function i32Const(f: FunctionBody, v: ValueId): number | undefined {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i32" ? d.op.value.bits : undefined;
}

/** The allocation in the entry block: the `global.set` of `frame = global.get G - size`, with G and size. */
function allocation(f: FunctionBody): { set: ValueId; frame: ValueId; global: number; size: number } | undefined {
  for (const set of f.blocks[f.entry].insts) {
    const d = f.values[set];
    if (d.kind !== "op" || d.op.name !== "global.set") continue;
    const frame = d.args[0];
    const sub = f.values[frame];
    if (sub.kind !== "op" || sub.op.name !== "i32.sub") return undefined;
    const get = f.values[sub.args[0]];
    const size = i32Const(f, sub.args[1]);
    if (get.kind !== "op" || get.op.name !== "global.get" || get.op.index !== d.op.index || size === undefined)
      return undefined;
    return { set, frame, global: d.op.index!, size };
  }
  return undefined;
}

/** Returns the number of global writes removed (0 when the frame is used or there is none). `order`: the reachable
 *  blocks, when the caller has them. */
export function removeUnusedFrame(f: FunctionBody, order: BlockId[] = f.reversePostorder()): number {
  const a = allocation(f);
  if (!a) return 0;
  const base = (f.values[a.frame] as { args: ValueId[] }).args[0];
  const adds = new Set<ValueId>();
  for (const b of order) for (const v of f.blocks[b].insts) if (isFree(f, a, v)) adds.add(v);
  // Every use of the frame must be `frame + size` (or the allocation), every use of that a write of G, and nothing
  // else reads or writes G.
  const frees: ValueId[] = [];
  const escapes = (u: ValueId) => u === a.frame || adds.has(u);
  for (const b of order) {
    for (const v of f.blocks[b].insts) {
      if (v === a.set || v === base || v === a.frame || adds.has(v)) continue;
      const d = f.values[v];
      if (d.kind === "op" && (d.op.name === "global.get" || d.op.name === "global.set") && d.op.index === a.global) {
        if (d.op.name === "global.set" && adds.has(d.args[0])) {
          frees.push(v);
          continue;
        }
        return 0;
      }
      if (defUses(d).some(escapes)) return 0;
    }
    if (terminatorUses(f.blocks[b].term).some(escapes)) return 0;
  }
  const drop = new Set([a.set, ...frees]);
  for (const b of order) {
    const block = f.blocks[b];
    if (block.insts.some((v) => drop.has(v))) block.insts = block.insts.filter((v) => !drop.has(v));
  }
  return drop.size;
}

/** `v` is `frame + size`. */
function isFree(f: FunctionBody, a: { frame: ValueId; size: number }, v: ValueId): boolean {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "i32.add" && d.args[0] === a.frame && i32Const(f, d.args[1]) === a.size;
}
