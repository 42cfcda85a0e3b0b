// Module-level facts the frontend and the specializer need, decoded straight from the binary: types, imports,
// functions (with their code's byte range), tables and table 0's elements, memories, globals, exports, data
// segments and function names. We decode ourselves rather than through binaryen so errors can name the function,
// opcode and byte offset, and so function indices are exactly the binary's.
import { readUleb, SECTION, splitSections, WasmDecodeError } from "../../util/wasm-binary.ts";
import type { Const, ValType } from "./types.ts";

export { WasmDecodeError };

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface FunctionInfo {
  index: number;
  typeIndex: number;
  type: FuncType;
  /** Import module and name, for imported functions. */
  import?: { module: string; name: string };
  /** Name from the name section or an export, else `$<index>`. */
  name: string;
  /** The code entry's byte range in the module (defined functions). */
  body?: { start: number; end: number };
}

export interface GlobalInfo {
  type: ValType;
  mutable: boolean;
  init?: Const;
  import?: { module: string; name: string };
}

export interface DataSegment {
  /** Active segments: memory index and constant offset; passive segments have neither. */
  memory?: number;
  offset?: number;
  bytes: Uint8Array;
}

export interface WasmModuleInfo {
  bytes: Uint8Array;
  types: FuncType[];
  functions: FunctionInfo[];
  importedFunctionCount: number;
  globals: GlobalInfo[];
  tables: { initial: number; max?: number; imported: boolean }[];
  /** Table 0's contents from constant-offset active element segments (index → function index). */
  table0: Map<number, number>;
  memories: { initial: number; max?: number; imported: boolean }[];
  exports: { name: string; kind: "func" | "table" | "memory" | "global"; index: number }[];
  data: DataSegment[];
  start?: number;
  /** Features the `target_features` custom section (clang, Rust) names as used (`simd128`, `bulk-memory`…). */
  targetFeatures: string[];
}

const VALTYPES: Record<number, ValType> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" };

/** A cursor over the module's bytes with absolute offsets for error messages. */
export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly end: number,
  ) {}
  u8(): number {
    if (this.at >= this.end) throw new WasmDecodeError(`unexpected end of data at byte ${this.at}`);
    return this.bytes[this.at++];
  }
  u32(): number {
    const { value, next } = readUleb(this.bytes, this.at);
    this.at = next;
    return value;
  }
  s32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.u8();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && b & 0x40) result |= -1 << shift;
    return result | 0;
  }
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (shift < 64n && b & 0x40) result |= -1n << shift;
    return BigInt.asUintN(64, result);
  }
  f32bits(): number {
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 4).getUint32(0, true);
    this.at += 4;
    return v;
  }
  f64bits(): bigint {
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 8).getBigUint64(0, true);
    this.at += 8;
    return v;
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + n));
    this.at += n;
    return s;
  }
  valtype(): ValType {
    const at = this.at;
    const t = VALTYPES[this.u8()];
    if (!t)
      throw new WasmDecodeError(
        `unsupported value type 0x${this.bytes[at].toString(16)} at byte ${at} (only i32, i64, f32, f64)`,
      );
    return t;
  }
  /** Skips a function body's local declarations (count, then count and type per group), to its first instruction. */
  skipLocals(): void {
    for (let groups = this.u32(); groups > 0; groups--) {
      this.u32();
      this.valtype();
    }
  }
  limits(): { initial: number; max?: number } {
    const flags = this.u8();
    const initial = this.u32();
    return flags & 1 ? { initial, max: this.u32() } : { initial };
  }
  /** A constant expression: `t.const v end` or `global.get g end`. */
  constExpr(): { value?: Const; global?: number } {
    const op = this.u8();
    let r: { value?: Const; global?: number };
    if (op === 0x41) r = { value: { type: "i32", bits: this.s32() >>> 0 } };
    else if (op === 0x42) r = { value: { type: "i64", bits: this.s64() } };
    else if (op === 0x43) r = { value: { type: "f32", bits: this.f32bits() } };
    else if (op === 0x44) r = { value: { type: "f64", bits: this.f64bits() } };
    else if (op === 0x23) r = { global: this.u32() };
    else
      throw new WasmDecodeError(`unsupported constant expression opcode 0x${op.toString(16)} at byte ${this.at - 1}`);
    if (this.u8() !== 0x0b)
      throw new WasmDecodeError(`constant expression at byte ${this.at - 1} is longer than one instruction`);
    return r;
  }
}

export function decodeModule(bytes: Uint8Array): WasmModuleInfo {
  const info: WasmModuleInfo = {
    bytes,
    types: [],
    functions: [],
    importedFunctionCount: 0,
    globals: [],
    tables: [],
    table0: new Map(),
    memories: [],
    exports: [],
    data: [],
    targetFeatures: [],
  };
  const names = new Map<number, string>();
  for (const s of splitSections(bytes)) {
    const start = s.payload.byteOffset - bytes.byteOffset;
    const r = new Reader(bytes, start, start + s.payload.length);
    // Dispatch: one reader per section kind.
    switch (s.id) {
      case SECTION.type:
        readTypes(r, info);
        break;
      case SECTION.import:
        readImports(r, info);
        break;
      case SECTION.function:
        for (let n = r.u32(); n > 0; n--) {
          const typeIndex = r.u32();
          info.functions.push({ index: info.functions.length, typeIndex, type: info.types[typeIndex], name: "" });
        }
        break;
      case SECTION.table:
        readTables(r, info);
        break;
      case SECTION.memory:
        for (let n = r.u32(); n > 0; n--) info.memories.push({ ...r.limits(), imported: false });
        break;
      case SECTION.global:
        readGlobals(r, info);
        break;
      case SECTION.export:
        readExports(r, info);
        break;
      case SECTION.start:
        info.start = r.u32();
        break;
      case SECTION.element:
        readElements(r, info);
        break;
      case SECTION.code:
        readCodeRanges(r, info);
        break;
      case SECTION.data:
        readData(r, info);
        break;
      case SECTION.custom:
        readCustom(r, info, names);
        break;
    }
  }
  for (const e of info.exports) if (e.kind === "func" && !names.has(e.index)) names.set(e.index, e.name);
  for (const f of info.functions) if (!f.import) f.name = names.get(f.index) ?? `$${f.index}`;
  return info;
}

function readTypes(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    if (r.u8() !== 0x60)
      throw new WasmDecodeError(`type section: only function types are supported (byte ${r.at - 1})`);
    const params = Array.from({ length: r.u32() }, () => r.valtype());
    const results = Array.from({ length: r.u32() }, () => r.valtype());
    info.types.push({ params, results });
  }
}

function readImports(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const module = r.name();
    const name = r.name();
    const kind = r.u8();
    if (kind === 0) {
      const typeIndex = r.u32();
      info.functions.push({
        index: info.functions.length,
        typeIndex,
        type: info.types[typeIndex],
        import: { module, name },
        name: `${module}.${name}`,
      });
      info.importedFunctionCount++;
    } else if (kind === 1) {
      r.u8();
      info.tables.push({ ...r.limits(), imported: true });
    } else if (kind === 2) info.memories.push({ ...r.limits(), imported: true });
    else if (kind === 3) {
      const type = r.valtype();
      info.globals.push({ type, mutable: r.u8() === 1, import: { module, name } });
    } else throw new WasmDecodeError(`import ${module}.${name}: unsupported import kind ${kind}`);
  }
}

function readTables(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const elemType = r.u8();
    if (elemType !== 0x70) throw new WasmDecodeError(`table ${info.tables.length}: only funcref tables are supported`);
    info.tables.push({ ...r.limits(), imported: false });
  }
}

function readGlobals(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const type = r.valtype();
    const mutable = r.u8() === 1;
    const init = r.constExpr();
    info.globals.push({ type, mutable, init: init.value });
  }
}

function readExports(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const name = r.name();
    const kind = (["func", "table", "memory", "global"] as const)[r.u8()];
    const index = r.u32();
    if (!kind) throw new WasmDecodeError(`export '${name}': unsupported kind`);
    info.exports.push({ name, kind, index });
  }
}

/** Element segments: active ones into table 0 at a constant offset fill `table0`; passive and declarative ones are
 *  skipped. */
function readElements(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    if (flags === 0 || flags === 2) {
      const table = flags === 2 ? r.u32() : 0;
      const offset = r.constExpr();
      if (flags === 2 && r.u8() !== 0x00)
        throw new WasmDecodeError("element segment: only function-index element kinds are supported");
      const funcs = Array.from({ length: r.u32() }, () => r.u32());
      if (table === 0 && offset.value) funcs.forEach((f, i) => info.table0.set(Number(offset.value!.bits) + i, f));
    } else if (flags === 1 || flags === 3) {
      r.u8();
      for (let k = r.u32(); k > 0; k--) r.u32();
    } else throw new WasmDecodeError(`element segment with flags ${flags} (expression elements) is not supported`);
  }
}

/** Each defined function's code entry: its byte range, not decoded here. */
function readCodeRanges(r: Reader, info: WasmModuleInfo): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const size = r.u32();
    const f = info.functions[info.importedFunctionCount + i];
    f.body = { start: r.at, end: r.at + size };
    r.at += size;
  }
}

function readData(r: Reader, info: WasmModuleInfo): void {
  for (let n = r.u32(); n > 0; n--) {
    const flags = r.u32();
    let memory: number | undefined;
    let offset: number | undefined;
    if (flags === 0 || flags === 2) {
      memory = flags === 2 ? r.u32() : 0;
      const e = r.constExpr();
      if (!e.value) throw new WasmDecodeError("data segment with a global offset is not supported");
      offset = Number(e.value.bits);
    }
    const len = r.u32();
    info.data.push({ memory, offset, bytes: r.bytes.subarray(r.at, r.at + len) });
    r.at += len;
  }
}

/** The custom sections read: `target_features` (the features used) and `name` (function names into `names`). */
function readCustom(r: Reader, info: WasmModuleInfo, names: Map<number, string>): void {
  const name = r.name();
  if (name === "target_features") {
    for (let n = r.u32(); n > 0; n--) {
      const prefix = String.fromCharCode(r.u8());
      const feature = r.name();
      if (prefix !== "-") info.targetFeatures.push(feature);
    }
    return;
  }
  if (name !== "name") return;
  while (r.at < r.end) {
    const sub = r.u8();
    const size = r.u32();
    const end = r.at + size;
    if (sub === 1) for (let n = r.u32(); n > 0; n--) names.set(r.u32(), r.name());
    r.at = end;
  }
}

export function exportedFunction(info: WasmModuleInfo, name: string): FunctionInfo | undefined {
  const e = info.exports.find((x) => x.kind === "func" && x.name === name);
  return e ? info.functions[e.index] : undefined;
}
