// The interpreter state weval lifts to SSA values besides its registers: the virtual operand stack
// (push/pop/read/write/sync.stack) and virtual locals (read/write.local). Both are memory the interpreter owns; the
// specializer keeps the values it knows in SSA values and stores them to memory only when it must.
//
// The specializer carries registers and these slots in one map per program point (`Map<number, V>`): a register
// is its own index (>= 0; a number, not the i64 the interpreter passes: Map lookups on small numbers are much cheaper
// than on bigints), and each virtual slot is a negative key naming one half of an (address, data) pair —
// stack entry i (0 is the top, the last push) and local index n — so block parameters, edges and joins handle all
// of them alike. What differs is the meet at a join:
//   - a register missing on an edge reads as zero (weval registers start at zero), so keys are the union;
//   - a virtual slot is kept only when every incoming edge has it (the stack is the common top-of-stack prefix,
//     locals the common indices); an edge whose slot the target drops stores it to memory at the end of its block
//     (weval's insert_stack_syncs), and a return stores every slot first (the stack leaves the function in memory).
// Semantics per intrinsic (weval's include/weval.h): push.stack(ptr, v) makes (ptr, v) the top; pop.stack(ptr)
// takes the top's value and cancels its store, or loads from ptr when the virtual stack is empty; read.stack(ptr,
// i) reads entry i, or loads from ptr; write.stack(ptr, i, v) replaces entry i (pushes when i = 0 and the stack is
// empty), or stores to ptr; sync.stack() stores every stack entry and every local and forgets them; read.local(ptr,
// n) reads local n, or loads from ptr; write.local(ptr, n, v) makes (ptr, v) local n. Values are i64, addresses i32.
// The map's value type is the caller's.
import type { ValType } from "../ssa/types.ts";

/** Key bases: stack entry i is -(1 + 2i + half), local n is -(1 + LOCAL_BASE + 2n + half); half 0 = address. */
const LOCAL_BASE = 2 ** 40;

export const stackKey = (i: number, half: 0 | 1): number => -(1 + 2 * i + half);
export const localKey = (n: number, half: 0 | 1): number => -(1 + LOCAL_BASE + 2 * n + half);

/** True for a virtual stack or local slot (false for a weval register). */
export const isVirtual = (k: number): boolean => k < 0;

/** The type of a slot's values: registers and data halves are i64, address halves i32. */
export function slotType(k: number): ValType {
  return k < 0 && (-k - 1) % 2 === 0 ? "i32" : "i64";
}

/** How many entries the virtual stack holds in `slots`. */
export function stackDepth<V>(slots: Map<number, V>): number {
  let d = 0;
  while (slots.has(stackKey(d, 1))) d++;
  return d;
}

/** Push (addr, data) as the new top, moving every entry one down. */
export function pushStack<V>(slots: Map<number, V>, addr: V, data: V): void {
  for (let i = stackDepth(slots) - 1; i >= 0; i--) {
    slots.set(stackKey(i + 1, 0), slots.get(stackKey(i, 0))!);
    slots.set(stackKey(i + 1, 1), slots.get(stackKey(i, 1))!);
  }
  slots.set(stackKey(0, 0), addr);
  slots.set(stackKey(0, 1), data);
}

/** Remove the top entry and return its data (undefined when the virtual stack is empty). */
export function popStack<V>(slots: Map<number, V>): V | undefined {
  const depth = stackDepth(slots);
  if (depth === 0) return undefined;
  const top = slots.get(stackKey(0, 1));
  for (let i = 1; i < depth; i++) {
    slots.set(stackKey(i - 1, 0), slots.get(stackKey(i, 0))!);
    slots.set(stackKey(i - 1, 1), slots.get(stackKey(i, 1))!);
  }
  slots.delete(stackKey(depth - 1, 0));
  slots.delete(stackKey(depth - 1, 1));
  return top;
}

/** The (address, data) pairs of every virtual slot in `slots` whose keys satisfy `which`, stack first. */
export function virtualPairs<V>(slots: Map<number, V>, which: (k: number) => boolean = () => true): [V, V][] {
  const pairs: [V, V][] = [];
  for (const [k, data] of slots) {
    if (!isVirtual(k) || slotType(k) !== "i64" || !which(k)) continue;
    pairs.push([slots.get(k + 1)!, data]); // the address half's key is the data half's plus one
  }
  return pairs;
}

/** Forget every virtual slot (after they were stored). */
export function clearVirtual<V>(slots: Map<number, V>): void {
  for (const k of [...slots.keys()]) if (isVirtual(k)) slots.delete(k);
}
