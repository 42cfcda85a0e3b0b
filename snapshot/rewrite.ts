// Step 4 of a snapshot (snapshot/index.ts): write the new module from the ORIGINAL module's bytes, section by
// section, changing only what init changed: the memory section's initial size (now the current size; the maximum is
// kept), every defined global's initializer (its current value), the data section (the memory image as active
// segments; passive segments kept, emptied if init dropped them, every index kept), the data-count section, the
// export section (the init export removed, renames applied as wizer's `-r dst=src`: export src becomes dst,
// replacing any dst) and the start section (removed: it already ran). Code and every other section are copied byte
// for byte. Every payload is written into a ByteWriter (util/wasm-binary.ts), so data runs and passive segments of
// any size cost a copy, not a call argument each.
import { Reader, type WasmModuleInfo } from "../specializer/ssa/module.ts";
import type { Const } from "../specializer/ssa/types.ts";
import {
  ByteWriter,
  joinSections,
  SECTION,
  splitSections,
  writeActiveSegment,
  type Section,
} from "../util/wasm-binary.ts";
import type { Run } from "./segments.ts";

export interface SnapshotState {
  pages: number;
  runs: Run[];
  /** Current value of every defined global, in global-index order over the defined globals. */
  globals: Const[];
  /** Indices (among all data segments) of passive segments init dropped. */
  droppedPassive: Set<number>;
  /** Exports to drop (the init export; a reactor's `_initialize`, which ran before it). */
  removeExport: string | string[];
  /** Export renames, destination name → source name (wizer's -r dst=src). */
  renames?: Record<string, string>;
}

const VALTYPE_BYTE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;

function writeConstExpr(w: ByteWriter, c: Const): void {
  const view = new DataView(new ArrayBuffer(8));
  switch (c.type) {
    case "i32":
      w.u8(0x41).sleb(c.bits | 0);
      break;
    case "i64":
      w.u8(0x42).sleb(BigInt.asIntN(64, c.bits));
      break;
    case "f32":
      view.setUint32(0, c.bits, true);
      w.u8(0x43).bytes(new Uint8Array(view.buffer, 0, 4));
      break;
    case "f64":
      view.setBigUint64(0, c.bits, true);
      w.u8(0x44).bytes(new Uint8Array(view.buffer, 0, 8));
      break;
  }
  w.u8(0x0b);
}

export function rewriteSnapshot(info: WasmModuleInfo, state: SnapshotState): Uint8Array {
  const sections = splitSections(info.bytes);
  const out: Section[] = [];
  const defined = info.globals.filter((g) => !g.import);
  let sawData = false;
  // Segment indices are kept (memory.init and data.drop name segments by index): each original active segment
  // becomes an empty one (its bytes are in the image), passive ones stay (emptied if dropped), and the image's
  // runs follow. Written into a ByteWriter: a run may be megabytes.
  const dataPayload = (): Uint8Array => {
    const size =
      info.data.reduce((n, d) => n + 6 + d.bytes.length, 0) + state.runs.reduce((n, r) => n + 16 + r.bytes.length, 0);
    const w = new ByteWriter(16 + size).uleb(info.data.length + state.runs.length);
    info.data.forEach((d, i) => {
      if (d.offset !== undefined) w.bytes([0x00, 0x41, 0x00, 0x0b, 0x00]);
      else w.u8(0x01).vec(state.droppedPassive.has(i) ? new Uint8Array(0) : d.bytes);
    });
    for (const r of state.runs) writeActiveSegment(w, r.offset, r.bytes);
    return w.finish();
  };
  const dataCount = () => info.data.length + state.runs.length;
  for (const s of sections) {
    switch (s.id) {
      case SECTION.memory: {
        const r = new Reader(s.payload, 0, s.payload.length);
        const n = r.u32();
        const w = new ByteWriter().uleb(n);
        for (let i = 0; i < n; i++) {
          const lim = r.limits();
          w.u8(lim.max !== undefined ? 1 : 0).uleb(state.pages);
          if (lim.max !== undefined) w.uleb(lim.max);
        }
        out.push({ id: s.id, payload: w.finish() });
        break;
      }
      case SECTION.global: {
        const w = new ByteWriter().uleb(defined.length);
        defined.forEach((g, i) => {
          w.u8(VALTYPE_BYTE[g.type]).u8(g.mutable ? 1 : 0);
          writeConstExpr(w, state.globals[i]);
        });
        out.push({ id: s.id, payload: w.finish() });
        break;
      }
      case SECTION.export: {
        const renames = state.renames ?? {};
        const sources = new Map(Object.entries(renames).map(([dst, src]) => [src, dst]));
        const kept = info.exports
          .filter((e) => ![state.removeExport].flat().includes(e.name) && !(e.name in renames && !sources.has(e.name)))
          .map((e) => (sources.has(e.name) ? { ...e, name: sources.get(e.name)! } : e));
        const kinds = { func: 0, table: 1, memory: 2, global: 3 } as const;
        const w = new ByteWriter().uleb(kept.length);
        for (const e of kept) w.vec(e.name).u8(kinds[e.kind]).uleb(e.index);
        out.push({ id: s.id, payload: w.finish() });
        break;
      }
      case SECTION.start:
        break;
      case SECTION.dataCount:
        out.push({ id: s.id, payload: new ByteWriter().uleb(dataCount()).finish() });
        break;
      case SECTION.data:
        sawData = true;
        out.push({ id: s.id, payload: dataPayload() });
        break;
      default:
        out.push(s);
    }
  }
  if (!sawData && state.runs.length > 0) {
    const codeAt = out.findIndex((s) => s.id === SECTION.code);
    out.splice(codeAt >= 0 ? codeAt + 1 : out.length, 0, { id: SECTION.data, payload: dataPayload() });
  }
  return joinSections(out);
}
