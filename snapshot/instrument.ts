// Step 2 of a snapshot (snapshot/index.ts): a copy of the module that lets the host see what init changed — every
// defined global and the memory and table exported under reserved names, plus one probe per passive data segment (a
// 1-byte memory.init that traps if init dropped the segment). The original module is never modified; the snapshot is
// written from its bytes (rewrite.ts). A module without passive segments (clang's, without bulk memory: Lua) only
// gains exports, appended to its export section at the byte level (util/wasm-binary.ts): binaryen reading, validating
// and writing Lua's 626 KB module took ~0.45 s of CPU.
import { loadBinaryen, moduleFeatures } from "../util/binaryen.ts";
import { appendExports, EXPORT_KIND } from "../util/wasm-binary.ts";
import type { WasmModuleInfo } from "../specializer/ssa/module.ts";
import { InternalError } from "../util/errors.ts";

export const GLOBAL_EXPORT_PREFIX = "__futamura_snapshot_global_";
export const MEMORY_EXPORT = "__futamura_snapshot_memory";
export const TABLE_EXPORT = "__futamura_snapshot_table";
export const PROBE_PREFIX = "__futamura_snapshot_probe_segment_";

export async function instrument(info: WasmModuleInfo): Promise<Uint8Array> {
  const quick = exportsOnly(info);
  if (quick) return quick;
  const b = await loadBinaryen();
  // The module's own features plus reference types: the copy only runs, and must accept whatever the input uses.
  // (Features.All would switch on encodings V8 cannot read, such as compact imports.)
  const mod = b.readBinary(info.bytes);
  mod.setFeatures(moduleFeatures(b, info.targetFeatures) | b.Features.ReferenceTypes);
  try {
    for (let i = 0; i < mod.getNumGlobals(); i++) {
      const g = b.getGlobalInfo(mod.getGlobalByIndex(i));
      if (!g.module) mod.addGlobalExport(g.name, `${GLOBAL_EXPORT_PREFIX}${i}`);
    }
    const memName = "0";
    if (mod.hasMemory()) mod.addMemoryExport(memName, MEMORY_EXPORT);
    if (mod.getNumTables() > 0) mod.addTableExport(b.getTableInfo(mod.getTableByIndex(0)).name, TABLE_EXPORT);
    const m = mod as unknown as {
      getNumDataSegments(): number;
      getDataSegmentByIndex(i: number): number;
      getDataSegmentInfo(s: number): { name: string };
    };
    info.data.forEach((d, i) => {
      if (d.offset !== undefined || d.bytes.length === 0) return;
      const seg = m.getDataSegmentInfo(m.getDataSegmentByIndex(i)).name;
      mod.addFunction(
        `${PROBE_PREFIX}${i}`,
        b.none,
        b.none,
        [],
        mod.memory.init(seg, mod.i32.const(0), mod.i32.const(0), mod.i32.const(1)),
      );
      mod.addFunctionExport(`${PROBE_PREFIX}${i}`, `${PROBE_PREFIX}${i}`);
    });
    if (!mod.validate()) throw new InternalError("binaryen rejected the instrumented module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** The instrumented module without binaryen, when it needs no probes (no non-empty passive segment) and has an
 *  export section; else undefined. The same exports as below: defined globals by index, memory 0, table 0. */
function exportsOnly(info: WasmModuleInfo): Uint8Array | undefined {
  if (info.data.some((d) => d.offset === undefined && d.bytes.length > 0)) return undefined;
  const exports: { name: string; kind: number; index: number }[] = [];
  info.globals.forEach((g, i) => {
    if (!g.import) exports.push({ name: `${GLOBAL_EXPORT_PREFIX}${i}`, kind: EXPORT_KIND.global, index: i });
  });
  if (info.memories.length) exports.push({ name: MEMORY_EXPORT, kind: EXPORT_KIND.memory, index: 0 });
  if (info.tables.length) exports.push({ name: TABLE_EXPORT, kind: EXPORT_KIND.table, index: 0 });
  const wasm = appendExports(info.bytes, exports);
  if (wasm && !WebAssembly.validate(wasm as BufferSource))
    throw new InternalError("the instrumented module does not validate");
  return wasm;
}
