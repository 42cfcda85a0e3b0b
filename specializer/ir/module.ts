// decodeModule: the module-level facts of a Wasm binary that the frontend and the weval transform need — types,
// imported and defined functions (with names from the name section, else the first export, else `func<i>`),
// tables, table element entries, globals, memories, data segments, exports, and where each function body lies.
// Decoded from the bytes directly (core spec §5.5), so errors give byte offsets; code bodies are only located
// here and decoded per function by frontend.ts. Relies on reader.ts and types.ts.
import { Reader, WasmDecodeError } from "./reader.ts";
import { f32ConstBits, f64ConstBits, i32Const, i64Const, type Const, type ValType } from "./types.ts";

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

/** A constant expression (global initializers, segment offsets). */
export type ConstExpr = { kind: "const"; value: Const } | { kind: "global.get"; index: number } | { kind: "ref.func"; index: number } | { kind: "ref.null" };

export interface ImportedFunc {
  module: string;
  name: string;
  type: number;
}
export interface DefinedFunc {
  type: number;
  name: string;
  /** Byte range of the function's code entry (locals + expression), after its size prefix. */
  bodyStart: number;
  bodyEnd: number;
}
export interface GlobalInfo {
  type: ValType;
  mutable: boolean;
  /** Absent for imported globals. */
  init?: ConstExpr;
  import?: { module: string; name: string };
}
export interface TableInfo {
  min: number;
  max?: number;
  import?: { module: string; name: string };
}
export interface MemoryInfo {
  min: number;
  max?: number;
  import?: { module: string; name: string };
}
export interface DataSegment {
  mode: "active" | "passive";
  memory: number;
  offset?: ConstExpr;
  bytes: Uint8Array;
}
export interface ElementSegment {
  mode: "active" | "passive" | "declarative";
  table: number;
  offset?: ConstExpr;
  /** Function indexes; null for ref.null entries. */
  funcs: (number | null)[];
}
export interface ExportInfo {
  name: string;
  kind: "func" | "table" | "memory" | "global";
  index: number;
}

export interface WasmModuleInfo {
  bytes: Uint8Array;
  types: FuncType[];
  importedFuncs: ImportedFunc[];
  funcs: DefinedFunc[];
  tables: TableInfo[];
  globals: GlobalInfo[];
  memories: MemoryInfo[];
  elements: ElementSegment[];
  data: DataSegment[];
  exports: ExportInfo[];
  start?: number;
}

/** Total function count is importedFuncs.length + funcs.length; defined function i has index imports + i. */
export function funcTypeOf(info: WasmModuleInfo, funcIndex: number): FuncType {
  const imported = info.importedFuncs.length;
  const t = funcIndex < imported ? info.importedFuncs[funcIndex]?.type : info.funcs[funcIndex - imported]?.type;
  if (t === undefined) throw new Error(`no function with index ${funcIndex} (the module has ${imported + info.funcs.length})`);
  return info.types[t];
}

/** A function's display name by Wasm function index (imports as `module.name`). */
export function funcName(info: WasmModuleInfo, funcIndex: number): string {
  const imported = info.importedFuncs.length;
  if (funcIndex < imported) return `${info.importedFuncs[funcIndex].module}.${info.importedFuncs[funcIndex].name}`;
  return info.funcs[funcIndex - imported]?.name ?? `func${funcIndex}`;
}

/** The index (among defined functions) of the function named `name`, or undefined. */
export function findDefinedFunc(info: WasmModuleInfo, name: string): number | undefined {
  const i = info.funcs.findIndex((f) => f.name === name);
  return i < 0 ? undefined : i;
}

const EXPORT_KINDS = ["func", "table", "memory", "global"] as const;

export function decodeModule(bytes: Uint8Array): WasmModuleInfo {
  const r = new Reader(bytes);
  if (bytes.length < 8) r.fail("not a Wasm module (shorter than its 8-byte header)", 0);
  const magic = r.take(4);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) r.fail("not a Wasm module (bad magic)", 0);
  const version = r.take(4);
  if (version[0] !== 1 || version[1] | version[2] | version[3]) r.fail("unsupported Wasm version (components are not modules)", 4);

  const info: WasmModuleInfo = { bytes, types: [], importedFuncs: [], funcs: [], tables: [], globals: [], memories: [], elements: [], data: [], exports: [] };
  const funcTypeIndexes: number[] = [];
  const names = new Map<number, string>();
  while (!r.done) {
    const id = r.u8();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    if (s.end > bytes.length) r.fail(`section ${id} runs past the end of the module`);
    r.pos += size;
    switch (id) {
      case 0:
        readCustom(s, names);
        break;
      case 1:
        for (let n = s.u32(); n > 0; n--) {
          const at = s.pos;
          if (s.u8() !== 0x60) s.fail("only function types are supported in the type section", at);
          const params = vec(s, () => s.valtype());
          const results = vec(s, () => s.valtype());
          info.types.push({ params, results });
        }
        break;
      case 2:
        for (let n = s.u32(); n > 0; n--) {
          const module = s.name();
          const name = s.name();
          const at = s.pos;
          const kind = s.u8();
          if (kind === 0) info.importedFuncs.push({ module, name, type: s.u32() });
          else if (kind === 1) info.tables.push({ ...tableType(s), import: { module, name } });
          else if (kind === 2) info.memories.push({ ...limits(s), import: { module, name } });
          else if (kind === 3) info.globals.push({ ...globalType(s), import: { module, name } });
          else s.fail(`unsupported import kind ${kind} (${module}.${name})`, at);
        }
        break;
      case 3:
        for (let n = s.u32(); n > 0; n--) funcTypeIndexes.push(s.u32());
        break;
      case 4:
        for (let n = s.u32(); n > 0; n--) info.tables.push(tableType(s));
        break;
      case 5:
        for (let n = s.u32(); n > 0; n--) info.memories.push(limits(s));
        break;
      case 6:
        for (let n = s.u32(); n > 0; n--) info.globals.push({ ...globalType(s), init: constExpr(s) });
        break;
      case 7:
        for (let n = s.u32(); n > 0; n--) {
          const name = s.name();
          const at = s.pos;
          const kind = EXPORT_KINDS[s.u8()];
          if (!kind) s.fail(`unsupported export kind for '${name}'`, at);
          info.exports.push({ name, kind, index: s.u32() });
        }
        break;
      case 8:
        info.start = s.u32();
        break;
      case 9:
        for (let n = s.u32(); n > 0; n--) info.elements.push(elementSegment(s));
        break;
      case 10: {
        const count = s.u32();
        if (count !== funcTypeIndexes.length) s.fail(`code section has ${count} bodies for ${funcTypeIndexes.length} functions`);
        for (let i = 0; i < count; i++) {
          const len = s.u32();
          info.funcs.push({ type: funcTypeIndexes[i], name: "", bodyStart: s.pos, bodyEnd: s.pos + len });
          s.take(len);
        }
        break;
      }
      case 11:
        for (let n = s.u32(); n > 0; n--) info.data.push(dataSegment(s));
        break;
      case 12: // data count
        s.u32();
        break;
      default:
        r.fail(`unsupported section id ${id}`, s.pos - 1);
    }
    if (id !== 0 && s.pos !== s.end) s.fail(`section ${id} has ${s.end - s.pos} trailing bytes`);
  }
  if (funcTypeIndexes.length !== info.funcs.length) r.fail(`${funcTypeIndexes.length} functions declared but ${info.funcs.length} bodies`);
  const imported = info.importedFuncs.length;
  for (const e of [...info.exports].reverse()) if (e.kind === "func" && e.index >= imported) names.set(e.index, names.get(e.index) ?? e.name);
  info.funcs.forEach((f, i) => {
    if (!info.types[f.type]) throw new WasmDecodeError(f.bodyStart, `function ${imported + i} has unknown type index ${f.type}`);
    f.name = names.get(imported + i) ?? `func${imported + i}`;
  });
  return info;
}

function vec<T>(r: Reader, item: () => T): T[] {
  const out: T[] = [];
  for (let n = r.u32(); n > 0; n--) out.push(item());
  return out;
}

function limits(r: Reader): { min: number; max?: number } {
  const at = r.pos;
  const flags = r.u8();
  if (flags > 1) r.fail(`unsupported limits flags 0x${flags.toString(16)} (shared or 64-bit memories are not supported)`, at);
  const min = r.u32();
  return flags === 1 ? { min, max: r.u32() } : { min };
}

function tableType(r: Reader): { min: number; max?: number } {
  const at = r.pos;
  const ref = r.u8();
  if (ref !== 0x70) r.fail(`unsupported table element type 0x${ref.toString(16)} (only funcref)`, at);
  return limits(r);
}

function globalType(r: Reader): { type: ValType; mutable: boolean } {
  const type = r.valtype();
  const at = r.pos;
  const m = r.u8();
  if (m > 1) r.fail(`bad global mutability ${m}`, at);
  return { type, mutable: m === 1 };
}

function constExpr(r: Reader): ConstExpr {
  const at = r.pos;
  const op = r.u8();
  let e: ConstExpr;
  if (op === 0x41) e = { kind: "const", value: i32Const(r.s32()) };
  else if (op === 0x42) e = { kind: "const", value: i64Const(r.sleb(64)) };
  else if (op === 0x43) e = { kind: "const", value: f32ConstBits(r.f32bits()) };
  else if (op === 0x44) e = { kind: "const", value: f64ConstBits(r.f64bits()) };
  else if (op === 0x23) e = { kind: "global.get", index: r.u32() };
  else if (op === 0xd2) e = { kind: "ref.func", index: r.u32() };
  else if (op === 0xd0) {
    r.u8();
    e = { kind: "ref.null" };
  } else r.fail(`unsupported instruction 0x${op.toString(16)} in a constant expression`, at);
  const endAt = r.pos;
  if (r.u8() !== 0x0b) r.fail("constant expression has more than one instruction (extended-const is not supported)", endAt);
  return e;
}

function elementSegment(r: Reader): ElementSegment {
  const at = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`bad element segment flags ${flags}`, at);
  const passiveOrDeclarative = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExprs = (flags & 4) !== 0;
  const mode = !passiveOrDeclarative ? "active" : explicitTable ? "declarative" : "passive";
  const table = !passiveOrDeclarative && explicitTable ? r.u32() : 0;
  const offset = mode === "active" ? constExpr(r) : undefined;
  if (passiveOrDeclarative || explicitTable) {
    const kindAt = r.pos;
    const kind = r.u8(); // elemkind 0x00 or reftype 0x70
    if (kind !== (usesExprs ? 0x70 : 0x00)) r.fail(`unsupported element kind 0x${kind.toString(16)}`, kindAt);
  }
  const funcs = vec(r, () => {
    if (!usesExprs) return r.u32();
    const e = constExpr(r);
    if (e.kind === "ref.func") return e.index;
    if (e.kind === "ref.null") return null;
    return r.fail("element expression is not ref.func or ref.null");
  });
  return { mode, table, offset, funcs };
}

function dataSegment(r: Reader): DataSegment {
  const at = r.pos;
  const flags = r.u32();
  if (flags === 0) return { mode: "active", memory: 0, offset: constExpr(r), bytes: r.take(r.u32()).slice() };
  if (flags === 1) return { mode: "passive", memory: 0, bytes: r.take(r.u32()).slice() };
  if (flags === 2) {
    const memory = r.u32();
    return { mode: "active", memory, offset: constExpr(r), bytes: r.take(r.u32()).slice() };
  }
  return r.fail(`bad data segment flags ${flags}`, at);
}

/** The name section's function names (subsection 1); other custom sections are ignored. */
function readCustom(s: Reader, names: Map<number, string>): void {
  if (s.name() !== "name") return;
  try {
    while (!s.done) {
      const sub = s.u8();
      const size = s.u32();
      const end = s.pos + size;
      if (sub === 1) for (let n = s.u32(); n > 0; n--) names.set(s.u32(), s.name());
      s.pos = end;
    }
  } catch (e) {
    if (!(e instanceof WasmDecodeError)) throw e; // a malformed name section only loses names
  }
}
