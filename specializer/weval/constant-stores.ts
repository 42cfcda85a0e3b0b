// Where the module's code stores at a constant address (linked-requests.ts takes those bytes out of what a request
// may fold), found by reading each function into IR only when a byte-level pass says it might store into a region
// that matters.
//
// A constant address is, in the IR, a `const` value: an `i32.const` of the same function or a declared local's
// initial 0 (the frontend makes no other constants and no aliases). So a store's range lies in [c, c + reach) for
// some such c, where `reach` is the largest memarg offset plus width of the function's stores. `summarize` reads those
// constants and that reach from the bytes (an instruction walk, no IR: ~1/30 of building it), and the IR is built only
// for a function with a bulk-memory instruction, one the walk does not follow, or a constant whose [c, c + reach)
// meets one of the regions asked about — the same ranges, for the regions, as reading every function (Lua's 731
// functions cost ~0.3 s of CPU that way: most of a small build's first load).
import type { WasmModuleInfo } from "../ssa/module.ts";
import { Reader, WasmDecodeError } from "../ssa/module.ts";
import { buildFunctionIR } from "../ssa/frontend.ts";
import { OPS_BY_CODE, OPS_BY_NAME } from "../ssa/wasm-ops.ts";
import { IMM, immediatesOf } from "../../util/wasm-immediates.ts";

export interface ConstantStores {
  /** [start, end) of each constant-address store found (of the functions read into IR). */
  ranges: [number, number][];
  /** Why every address is out: a function the frontend cannot read (it might store anywhere). */
  unreadable?: string;
}

/** What the byte walk tells of one function: its i32 constants and how far past one a store reaches, or that its
 *  IR must be read whatever the regions. */
type Summary = { consts: Uint32Array; reach: number } | "read";

/** Per interpreter code (every program's snapshot of one interpreter has the same): the walk's summaries and the
 *  IR scans done, by function index. Kept for the last few (this also runs in the browser: no node:crypto). */
interface Scanned {
  code: Uint8Array;
  summaries: (Summary | undefined)[];
  scans: Map<number, ConstantStores | "stores nothing">;
}
const scanned: Scanned[] = [];

/** The constant-address stores, memory.fill, memory.copy and memory.init (to the end of memory when the length is not
 *  constant) of the module's functions that may write into a range `overlaps` says matters (the regions a request
 *  folds): exactly those that reading every function would find there. */
export function constantStores(
  info: WasmModuleInfo,
  overlaps: (start: number, end: number) => boolean = () => true,
): ConstantStores {
  const entry = scannedFor(info);
  const out: [number, number][] = [];
  for (const fn of info.functions) {
    if (fn.import) continue;
    const s = (entry.summaries[fn.index] ??= summarize(info, fn.index));
    if (s !== "read" && !mayMeet(s, overlaps)) continue;
    let scan = entry.scans.get(fn.index);
    if (!scan) entry.scans.set(fn.index, (scan = scanFunction(info, fn.index)));
    if (scan === "stores nothing") continue;
    if (scan.unreadable) return scan;
    out.push(...scan.ranges);
  }
  return { ranges: out };
}

function scannedFor(info: WasmModuleInfo): Scanned {
  const bodies = info.functions.filter((f) => f.body);
  const code = bodies.length
    ? info.bytes.subarray(bodies[0].body!.start, bodies[bodies.length - 1].body!.end)
    : new Uint8Array(0);
  const hit = scanned.find((c) => sameBytes(c.code, code));
  if (hit) return hit;
  if (scanned.length >= 8) scanned.shift();
  const entry: Scanned = { code: code.slice(), summaries: [], scans: new Map() };
  scanned.push(entry);
  return entry;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a store of the summarized function may reach a range `overlaps` names. */
function mayMeet(
  s: { consts: Uint32Array; reach: number },
  overlaps: (start: number, end: number) => boolean,
): boolean {
  if (s.reach <= 0) return false;
  for (const c of s.consts) if (overlaps(c, c + s.reach)) return true;
  return false;
}

/** Opcodes the walk leaves to the IR: exceptions, reference types (the frontend rejects them; it says whether the
 *  function is readable). Tail calls store nothing: the walk skips them as calls. */
export const READ_IR_OPS = new Set([
  0x06, 0x07, 0x08, 0x09, 0x0a, 0x18, 0x19, 0x1f, 0x25, 0x26, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6,
]);
/** The 0xFC sub-opcodes the walk follows: the saturating truncations and data.drop (bulk memory's writers go to the
 *  IR, whose lengths it knows). */
const FC_WALKED = new Set([0, 1, 2, 3, 4, 5, 6, 7, 9]);

/** The function's i32 constants and its stores' reach, read from its bytes; "read" when the IR must say. */
function summarize(info: WasmModuleInfo, index: number): Summary {
  const body = info.functions[index].body!;
  const r = new Reader(info.bytes, body.start, body.end);
  const consts: number[] = [0]; // a declared local starts at 0
  let reach = 0;
  try {
    r.skipLocals();
    while (r.at < r.end) {
      const code = r.u8();
      if (code === 0xfc) {
        const sub = r.u32();
        if (!FC_WALKED.has(sub)) return "read";
        if (sub === 9) r.u32(); // data.drop's segment index
        continue;
      }
      if (READ_IR_OPS.has(code)) return "read";
      const layout = immediatesOf(code);
      if (layout === undefined) return "read";
      if (layout === IMM.memarg) {
        const align = r.u32();
        if (align & 0x40) return "read";
        const offset = r.u32();
        const op = OPS_BY_CODE.get(code);
        if (op?.cls === "store") reach = Math.max(reach, offset + op.bytes!);
      } else if (layout === IMM.i32) consts.push(r.s32() >>> 0);
      else if (!skipImmediates(r, layout, info)) return "read";
    }
  } catch (e) {
    if (e instanceof WasmDecodeError) return "read";
    throw e;
  }
  if (r.at !== r.end) return "read";
  return { consts: new Uint32Array(consts), reach };
}

/** Skip the immediates of `layout` (not memarg nor i32); false for a layout the walk does not follow. */
export function skipImmediates(r: Reader, layout: number, info: WasmModuleInfo): boolean {
  switch (layout) {
    case IMM.none:
      return true;
    case IMM.blockType: {
      const first = r.bytes[r.at];
      if (first === 0x40 || first === 0x7f || first === 0x7e || first === 0x7d || first === 0x7c) r.at++;
      else if (!info.types[r.s32()]) return false;
      return true;
    }
    case IMM.label:
    case IMM.func:
    case IMM.local:
    case IMM.global:
    case IMM.memory:
      r.u32();
      return true;
    case IMM.typeTable:
      r.u32();
      r.u32();
      return true;
    case IMM.brTable:
      for (let n = r.u32() + 1; n > 0; n--) r.u32();
      return true;
    case IMM.valTypes:
      for (let n = r.u32(); n > 0; n--) r.valtype();
      return true;
    case IMM.i64:
      r.s64();
      return true;
    case IMM.f32:
      r.at += 4;
      return true;
    case IMM.f64:
      r.at += 8;
      return true;
  }
  return false;
}

/** Whether a function's body bytes (locals and code) hold no byte that begins a store or a prefixed instruction
 *  (bulk memory, SIMD, atomics, GC): then it writes no memory, whatever its other instructions are (an immediate that
 *  happens to be such a byte only makes this answer no). E.g. Lua's setjmp/longjmp in Wasm exception handling
 *  (interp/lua/sjlj.s), which the frontend cannot read. */
function storesNothing(body: Uint8Array): boolean {
  for (const b of body) if ((b >= 0x36 && b <= 0x3e) || b >= 0xfb) return false;
  return true;
}

/** One function's constant-address stores, from its IR. */
function scanFunction(info: WasmModuleInfo, index: number): ConstantStores | "stores nothing" {
  const fn = info.functions[index];
  let ir;
  try {
    ir = buildFunctionIR(info, index);
  } catch (e) {
    // A function we cannot read (SIMD, say) might store anywhere, unless no byte of it could be a store.
    if (!(e instanceof WasmDecodeError)) throw e;
    if (storesNothing(info.bytes.subarray(fn.body!.start, fn.body!.end))) return "stores nothing";
    return { ranges: [[0, Infinity]], unreadable: e.message };
  }
  const constOf = (v: number): number | undefined => {
    const d = ir.values[ir.resolve(v)];
    return d.kind === "op" && d.op.name === "const" && d.op.value!.type === "i32"
      ? (d.op.value!.bits as number) >>> 0
      : undefined;
  };
  const out: [number, number][] = [];
  for (const b of ir.blocks) {
    for (const v of b.insts) {
      const d = ir.values[v];
      if (d.kind !== "op") continue;
      const { op, args } = d;
      if (OPS_BY_NAME.get(op.name)?.cls === "store") {
        const base = constOf(args[0]);
        if (base === undefined) continue;
        const bytes = OPS_BY_NAME.get(op.name)!.bytes!;
        out.push([base + op.memarg!.offset, base + op.memarg!.offset + bytes]);
      } else if (op.name === "memory.fill" || op.name === "memory.copy" || op.name === "memory.init") {
        const dst = constOf(args[0]);
        if (dst === undefined) continue;
        const len = constOf(args[2]);
        out.push([dst, len === undefined ? Infinity : dst + len]);
      }
    }
  }
  return { ranges: out };
}
