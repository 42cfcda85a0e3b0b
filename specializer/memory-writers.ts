// Which functions of the module may write linear memory, so that store forwarding (passes/store-forwarding.ts) keeps
// what it knows of memory across a call to one that cannot: an interpreter's table lookup (Lua's luaH_getshortstr
// for `t.x`, a hash chain walk that only reads) no longer makes every register load again after it. A function
// may write when its body stores, grows, fills or copies memory, calls an import, calls indirectly, calls a
// function that may write, or is too large or too deep to look at (MAX_BODY_BYTES, MAX_DEPTH) — or cannot be
// decoded. Read-only means only that: it may still trap or loop, after which nothing the caller knows is used.
// Bodies are read lazily, once each, only for functions a specialized function calls: walked byte by byte where the
// walk follows every instruction (walkCalls), else decoded into IR (./ssa/frontend.ts).
import { effectsOf } from "./ssa/effects.ts";
import { buildFunctionIR } from "./ssa/frontend.ts";
import { Reader, WasmDecodeError, type WasmModuleInfo } from "./ssa/module.ts";
import { READ_IR_OPS, skipImmediates } from "./weval/constant-stores.ts";
import { IMM, immediatesOf } from "../util/wasm-immediates.ts";

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
export interface BodyCalls {
  writes: boolean;
  callees: number[];
}

function bodyCalls(info: WasmModuleInfo, index: number): BodyCalls | undefined {
  const fn = info.functions[index];
  if (!fn?.body || fn.body.end - fn.body.start > MAX_BODY_BYTES) return undefined;
  const walked = walkCalls(info, index);
  return walked !== "read IR" ? walked : irCalls(info, index);
}

/** bodyCalls' answer from the function's IR; undefined when the frontend cannot read it. */
export function irCalls(info: WasmModuleInfo, index: number): BodyCalls | undefined {
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

/** Frames of the walk: the function's, block, loop, if, and an if past its else. */
const BLOCK = 1;
const LOOP = 2;
const IF = 3;
const ELSE = 4;

/** bodyCalls' answer from the body's bytes, without building its IR (~1/30 of the cost: Lua's lookups called from
 *  every specialized function were ~2% of a build's main thread), or "read IR" for an instruction the walk does
 *  not follow. The IR holds exactly the code the frontend reaches — it drops what follows br, br_table, return, a
 *  tail call and unreachable up to the enclosing end, and a frame's continuation when nothing branches or falls
 *  through to it — so the walk tracks the same reachability and looks only at reachable instructions. */
export function walkCalls(info: WasmModuleInfo, index: number): BodyCalls | "read IR" {
  const body = info.functions[index].body!;
  const r = new Reader(info.bytes, body.start, body.end);
  const callees: number[] = [];
  const kinds = [0];
  const reached = [false];
  let live = true;
  let dead = 0; // frames opened in unreachable code
  const target = (depth: number): void => {
    const i = kinds.length - 1 - depth;
    if (i < 0) throw new WasmDecodeError("branch depth");
    if (kinds[i] !== LOOP) reached[i] = true;
  };
  try {
    r.skipLocals();
    while (r.at < r.end) {
      const code = r.u8();
      if (code === 0x02 || code === 0x03 || code === 0x04) {
        if (!skipImmediates(r, IMM.blockType, info)) return "read IR";
        if (!live) dead++;
        else {
          kinds.push(code === 0x02 ? BLOCK : code === 0x03 ? LOOP : IF);
          reached.push(false);
        }
      } else if (code === 0x05) {
        if (dead > 0) continue;
        if (kinds[kinds.length - 1] !== IF) return "read IR";
        if (live) reached[reached.length - 1] = true;
        kinds[kinds.length - 1] = ELSE;
        live = true;
      } else if (code === 0x0b) {
        if (dead > 0) {
          dead--;
          continue;
        }
        const kind = kinds.pop();
        live = reached.pop()! || live || kind === IF;
        if (kinds.length === 0) return r.at === r.end ? { writes: false, callees } : "read IR";
      } else if (code === 0xfc) {
        const sub = r.u32();
        if (sub > 11) return "read IR";
        if (sub >= 8 && live) return { writes: true, callees }; // memory.init, data.drop, memory.copy, memory.fill
        if (sub === 8) r.u32();
        if (sub >= 8) r.u32();
        if (sub === 10) r.u32();
      } else {
        const layout = immediatesOf(code);
        if (layout === undefined || READ_IR_OPS.has(code)) return "read IR";
        let imm = 0;
        if (layout === IMM.memarg) {
          if (r.u32() & 0x40) return "read IR";
          r.u32();
        } else if (layout === IMM.label || layout === IMM.func) imm = r.u32();
        else if (layout === IMM.i32) r.s32();
        else if (layout === IMM.brTable) {
          for (let n = r.u32() + 1; n > 0; n--)
            if (live) target(r.u32());
            else r.u32();
        } else if (!skipImmediates(r, layout, info)) return "read IR";
        if (!live) continue;
        if ((code >= 0x36 && code <= 0x3e) || code === 0x40 || code === 0x11 || code === 0x13) {
          return { writes: true, callees }; // a store, memory.grow, call_indirect, return_call_indirect
        }
        // call and return_call (which ends the block's reachable code, as return does)
        if (code === 0x10 || code === 0x12) callees.push(imm);
        else if (code === 0x0c || code === 0x0d) target(imm);
        if (code === 0x00 || code === 0x0c || code === 0x0e || code === 0x0f || code === 0x12) live = false;
      }
    }
  } catch (e) {
    if (e instanceof WasmDecodeError) return "read IR";
    throw e;
  }
  return "read IR"; // no final end
}
