// Step 3 of a snapshot: write the new module from the ORIGINAL module's bytes, section by section, changing only
// what init changed: the memory section's initial size (now the current size; the maximum is kept), every
// defined global's initializer (its current value), the data section (the memory image as active segments;
// passive segments kept, emptied if init dropped them, every index kept), the data-count section, the export section (the init
// export removed) and the start section (removed: it already ran). Code and every other section are copied byte
// for byte. Relies on util/wasm-binary.ts, ssa/module.ts and segments.ts.
import { Reader, type WasmModuleInfo } from "../specializer/ssa/module.ts";
import type { Const } from "../specializer/ssa/types.ts";
import { joinSections, SECTION, sleb, splitSections, uleb, type Section } from "../util/wasm-binary.ts";
import type { Run } from "./segments.ts";

export interface SnapshotState {
  pages: number;
  runs: Run[];
  /** Current value of every defined global, in global-index order over the defined globals. */
  globals: Const[];
  /** Indices (among all data segments) of passive segments init dropped. */
  droppedPassive: Set<number>;
  removeExport: string;
}

const VALTYPE_BYTE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;

function constExpr(c: Const): number[] {
  const view = new DataView(new ArrayBuffer(8));
  switch (c.type) {
    case "i32":
      return [0x41, ...sleb(c.bits | 0), 0x0b];
    case "i64":
      return [0x42, ...sleb(BigInt.asIntN(64, c.bits)), 0x0b];
    case "f32":
      view.setUint32(0, c.bits, true);
      return [0x43, ...new Uint8Array(view.buffer, 0, 4), 0x0b];
    case "f64":
      view.setBigUint64(0, c.bits, true);
      return [0x44, ...new Uint8Array(view.buffer, 0, 8), 0x0b];
  }
}

const name = (s: string) => {
  const b = new TextEncoder().encode(s);
  return [...uleb(b.length), ...b];
};

export function rewriteSnapshot(info: WasmModuleInfo, state: SnapshotState): Uint8Array {
  const sections = splitSections(info.bytes);
  const out: Section[] = [];
  const defined = info.globals.filter((g) => !g.import);
  let sawData = false;
  // Segment indices are kept (memory.init and data.drop name segments by index): each original active segment
  // becomes an empty one (its bytes are in the image), passive ones stay (emptied if dropped), and the image's
  // runs follow.
  const dataPayload = (): Uint8Array => {
    const entries: number[] = [];
    info.data.forEach((d, i) => {
      if (d.offset !== undefined) entries.push(0x00, 0x41, 0x00, 0x0b, 0x00);
      else {
        const bytes = state.droppedPassive.has(i) ? new Uint8Array(0) : d.bytes;
        entries.push(0x01, ...uleb(bytes.length), ...bytes);
      }
    });
    for (const r of state.runs) entries.push(0x00, 0x41, ...sleb(r.offset | 0), 0x0b, ...uleb(r.bytes.length), ...r.bytes);
    return new Uint8Array([...uleb(info.data.length + state.runs.length), ...entries]);
  };
  const dataCount = () => info.data.length + state.runs.length;
  for (const s of sections) {
    switch (s.id) {
      case SECTION.memory: {
        const r = new Reader(s.payload, 0, s.payload.length);
        const n = r.u32();
        const entries: number[] = [...uleb(n)];
        for (let i = 0; i < n; i++) {
          const lim = r.limits();
          entries.push(lim.max !== undefined ? 1 : 0, ...uleb(state.pages));
          if (lim.max !== undefined) entries.push(...uleb(lim.max));
        }
        out.push({ id: s.id, payload: new Uint8Array(entries) });
        break;
      }
      case SECTION.global: {
        const entries: number[] = [...uleb(defined.length)];
        defined.forEach((g, i) => entries.push(VALTYPE_BYTE[g.type], g.mutable ? 1 : 0, ...constExpr(state.globals[i])));
        out.push({ id: s.id, payload: new Uint8Array(entries) });
        break;
      }
      case SECTION.export: {
        const kept = info.exports.filter((e) => e.name !== state.removeExport);
        const kinds = { func: 0, table: 1, memory: 2, global: 3 } as const;
        const entries: number[] = [...uleb(kept.length)];
        for (const e of kept) entries.push(...name(e.name), kinds[e.kind], ...uleb(e.index));
        out.push({ id: s.id, payload: new Uint8Array(entries) });
        break;
      }
      case SECTION.start:
        break;
      case SECTION.dataCount:
        out.push({ id: s.id, payload: new Uint8Array(uleb(dataCount())) });
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
