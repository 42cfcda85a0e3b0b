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

/** A predicate: may the function at this index write linear memory? One per module, memoized. */
export function memoryWriters(info: WasmModuleInfo): (funcIndex: number) => boolean {
  const known = perModule.get(info);
  if (known) return known;
  const memo = new Map<number, boolean>();
  const writes = (index: number, depth: number): boolean => {
    const hit = memo.get(index);
    if (hit !== undefined) return hit;
    const fn = info.functions[index];
    if (!fn?.body || fn.body.end - fn.body.start > MAX_BODY_BYTES || depth > MAX_DEPTH) return true;
    memo.set(index, true); // a recursive call to it, while it is looked at, may write
    let result: boolean;
    try {
      result = bodyWrites(info, index, (callee) => writes(callee, depth + 1));
    } catch (e) {
      if (!(e instanceof WasmDecodeError)) throw e;
      result = true; // a body the frontend cannot read (exception handling, say)
    }
    memo.set(index, result);
    return result;
  };
  const predicate = (index: number) => writes(index, 0);
  perModule.set(info, predicate);
  return predicate;
}

function bodyWrites(info: WasmModuleInfo, index: number, calleeWrites: (callee: number) => boolean): boolean {
  const f = buildFunctionIR(info, index);
  for (const b of f.reversePostorder()) {
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind !== "op") continue;
      const e = effectsOf(d.op);
      if (d.op.name === "call" ? calleeWrites(d.op.index!) : e.writesMemory || e.calls) return true;
    }
  }
  return false;
}
