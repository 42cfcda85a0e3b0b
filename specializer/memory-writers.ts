// Which functions of the module may write linear memory, so that store forwarding (passes/store-forwarding.ts) keeps
// what it knows of memory across a call to one that cannot: an interpreter's table lookup (Lua's luaH_getshortstr
// for `t.x`, a hash chain walk that only reads) no longer makes every register load again after it. A function
// may write when its body stores, grows, fills or copies memory, calls an import, calls indirectly, calls a
// function that may write, or is too large or too deep to look at (MAX_BODY_BYTES, MAX_DEPTH) — or cannot be
// decoded. Read-only means only that: it may still trap or loop, after which nothing the caller knows is used.
// Bodies are decoded lazily (../ssa/frontend.ts), once each, only for functions a specialized function calls.
import { effectsOf } from "./ssa/effects.ts";
import { buildFunctionIR } from "./ssa/frontend.ts";
import { WasmDecodeError, type WasmModuleInfo } from "./ssa/module.ts";

/** Larger bodies are assumed to write (decoding them would cost more than it pays). */
const MAX_BODY_BYTES = 4096;
/** Call chains deeper than this are assumed to write. */
const MAX_DEPTH = 4;

const perModule = new WeakMap<WasmModuleInfo, (funcIndex: number) => boolean>();

/** A predicate: may the function at this index write linear memory? One per module, memoized. Each answer depends
 *  only on the function and the call depth it is looked at from, never on what was asked before: the predicate is
 *  kept per module and asked by every request's cleanup in turn, and a worker thread (pipeline/parallel.ts) asks in
 *  another order than the serial build — an answer memoized per function whatever the depth it was reached at made
 *  the two differ (a chain too deep from one caller is read-only from a caller nearer its end). */
export function memoryWriters(info: WasmModuleInfo): (funcIndex: number) => boolean {
  const known = perModule.get(info);
  if (known) return known;
  const bodies = new Map<number, BodyCalls | undefined>();
  const bodyOf = (index: number) => {
    if (!bodies.has(index)) bodies.set(index, bodyCalls(info, index));
    return bodies.get(index);
  };
  // Keyed index * (MAX_DEPTH + 1) + depth.
  const memo = new Map<number, boolean>();
  const writes = (index: number, depth: number): boolean => {
    if (depth > MAX_DEPTH) return true;
    const key = index * (MAX_DEPTH + 1) + depth;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const body = bodyOf(index);
    // A call cycle ends at MAX_DEPTH: it may write.
    const result = !body || body.writes || body.callees.some((callee) => writes(callee, depth + 1));
    memo.set(key, result);
    return result;
  };
  const predicate = (index: number) => writes(index, 0);
  perModule.set(info, predicate);
  return predicate;
}

/** What a body does itself: whether it may write (a store, a bulk operation, an indirect call…), and the functions it
 *  calls directly, in order; undefined when it is not looked at (an import, too large, or not decodable). */
interface BodyCalls {
  writes: boolean;
  callees: number[];
}

function bodyCalls(info: WasmModuleInfo, index: number): BodyCalls | undefined {
  const fn = info.functions[index];
  if (!fn?.body || fn.body.end - fn.body.start > MAX_BODY_BYTES) return undefined;
  let f;
  try {
    f = buildFunctionIR(info, index);
  } catch (e) {
    if (!(e instanceof WasmDecodeError)) throw e;
    return undefined; // a body the frontend cannot read (exception handling, say)
  }
  const callees: number[] = [];
  for (const b of f.reversePostorder()) {
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind !== "op") continue;
      if (d.op.name === "call") callees.push(d.op.index!);
      else {
        const e = effectsOf(d.op);
        if (e.writesMemory || e.calls) return { writes: true, callees };
      }
    }
    const t = f.blocks[b].term; // a tail call calls too
    if (t.kind === "return_call" && t.op.name !== "call") return { writes: true, callees };
    if (t.kind === "return_call") callees.push(t.op.index!);
  }
  return { writes: false, callees };
}
