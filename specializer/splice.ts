// The output module written at the byte level from the snapshot's: the weval imports dropped (every function index
// after one shifts down, in code, element segments, exports, start and global initializers: util/wasm-code.ts), the
// specialized functions' bodies — taken from the small modules binaryen optimized them in (optimize-apart.ts) —
// appended, then one stub per intrinsic (its behaviour in the output: nothing, identity, trap), table 0 grown by one
// slot per specialized function and an element segment filling those slots. The interpreter's own code is copied as it
// is, but for the call indices the dropped imports shift; its debug information and name section are dropped (their
// offsets and indices no longer hold). A module this does not handle (an imported or missing table 0, a table with an
// initializer) makes `spliceable` false and the caller rewrites the module through binaryen instead.
// Output function indices: the kept imports, the module's functions, the specialized ones in request order, the stubs.
import { InternalError } from "../util/errors.ts";
import { reindexBody, reindexExpr, type IndexMaps } from "../util/wasm-code.ts";
import { ByteWriter, joinSections, readUleb, SECTION, splitSections, type Section } from "../util/wasm-binary.ts";
import { Reader, type FuncType, type WasmModuleInfo } from "./ssa/module.ts";
import type { ValType } from "./ssa/types.ts";
import { stubBehaviour } from "./weval/intrinsics.ts";

const VALTYPE_CODE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const CODE_VALTYPE = new Map(Object.entries(VALTYPE_CODE).map(([t, c]) => [c, t as ValType]));
const typeKey = (t: FuncType) => `${t.params.join(",")}->${t.results.join(",")}`;

/** Whether the module's shape is one `spliceModule` writes. */
export function spliceable(info: WasmModuleInfo): boolean {
  return info.tables.length > 0 && !info.tables[0].imported;
}

/** Where the input's functions and types land in the output (types: the input's, then new ones appended). */
export class OutputSpace {
  private readonly funcMap: Int32Array;
  readonly first: number;
  readonly stubs: number[];
  private readonly typeIndex = new Map<string, number>();
  readonly newTypes: FuncType[] = [];

  constructor(
    readonly info: WasmModuleInfo,
    intrinsics: ReadonlyMap<number, string>,
    readonly specializedCount: number,
  ) {
    const n = info.functions.length;
    this.stubs = [...intrinsics.keys()].sort((a, b) => a - b);
    this.first = n - this.stubs.length;
    this.funcMap = new Int32Array(n);
    let removed = 0;
    for (let x = 0; x < n; x++) {
      if (intrinsics.has(x)) this.funcMap[x] = this.first + specializedCount + removed++;
      else this.funcMap[x] = x - removed;
    }
    info.types.forEach((t, i) => {
      if (!this.typeIndex.has(typeKey(t))) this.typeIndex.set(typeKey(t), i);
    });
  }

  /** The output index of the specializer's function index x (the module's, then the specialized ones). */
  func = (x: number): number => (x < this.funcMap.length ? this.funcMap[x] : this.first + x - this.funcMap.length);

  /** The output's type index for a signature, appended when the input has none. */
  type(t: FuncType): number {
    const key = typeKey(t);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.info.types.length + this.newTypes.length;
      this.newTypes.push(t);
      this.typeIndex.set(key, i);
    }
    return i;
  }
}

/** The bodies of the small module's exported `s<k>` functions (optimize-apart.ts), re-indexed into the output's
 *  index space, by k. */
export function bodiesOf(small: Uint8Array, space: OutputSpace): Map<number, Uint8Array> {
  const types: FuncType[] = [];
  const funcs: number[] = []; // small function index -> output index (-1: defined, not exported)
  const globals: number[] = [];
  let codeAt: Section | undefined;
  const exported = new Map<number, number>(); // small function index -> k
  let definedFuncs = 0;
  const sections = splitSections(small);
  for (const s of sections) {
    const r = new Reader(s.payload, 0, s.payload.length);
    if (s.id === SECTION.type) for (let n = r.u32(); n > 0; n--) types.push(smallType(r));
    else if (s.id === SECTION.import) readSmallImports(r, space, funcs, globals);
    else if (s.id === SECTION.function) definedFuncs = r.u32();
    else if (s.id === SECTION.export)
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name();
        const kind = r.u8();
        const index = r.u32();
        if (kind === 0) exported.set(index, Number(name.slice(1)));
        else if (kind === 3) globals[index] = Number(name.slice(1));
      }
    else if (s.id === SECTION.code) codeAt = s;
  }
  const imports = funcs.length;
  for (let i = 0; i < definedFuncs; i++) funcs.push(-1);
  for (const [index, k] of exported) funcs[index] = space.func(space.info.functions.length + k);
  const maps: IndexMaps = {
    func: (i) => {
      if (funcs[i] === undefined || funcs[i] < 0) throw new InternalError(`specialized code calls its copy ${i}`);
      return funcs[i];
    },
    type: (i) => space.type(types[i]),
    global: (i) => globals[i],
  };
  const out = new Map<number, Uint8Array>();
  if (!codeAt) return out;
  const p = codeAt.payload;
  let at = readUleb(p, 0).next;
  for (let i = 0; i < definedFuncs; i++) {
    const { value: size, next } = readUleb(p, at);
    const k = exported.get(imports + i);
    if (k !== undefined) out.set(k, reindexBody(p, next, next + size, maps));
    at = next + size;
  }
  return out;
}

function smallType(r: Reader): FuncType {
  if (r.u8() !== 0x60) throw new InternalError("binaryen wrote a type that is not a function type");
  const vals = () =>
    Array.from({ length: r.u32() }, () => {
      const t = CODE_VALTYPE.get(r.u8());
      if (!t) throw new InternalError("binaryen wrote a value type the specializer does not emit");
      return t;
    });
  const params = vals();
  return { params, results: vals() };
}

function readSmallImports(r: Reader, space: OutputSpace, funcs: number[], globals: number[]): void {
  for (let n = r.u32(); n > 0; n--) {
    const module = r.name();
    const index = Number(r.name());
    const kind = r.u8();
    skipImportDesc(r, kind);
    if (kind === 0) funcs.push(module === "i" ? space.func(index) : -1);
    else if (kind === 3) globals.push(index);
  }
}

/** Skip an import's description after its kind byte: a function's type, a table's, a memory's, a global's or a
 *  tag's. */
function skipImportDesc(r: Reader, kind: number): void {
  if (kind === 0) r.u32();
  else if (kind === 1) {
    r.u8();
    r.limits();
  } else if (kind === 2) r.limits();
  else if (kind === 3) {
    r.u8();
    r.u8();
  } else if (kind === 4) {
    r.u8();
    r.u32();
  } else throw new InternalError(`import kind ${kind}`);
}

/** The output module: the snapshot's sections with `specialized` (bodies in the output's index space, with their
 *  input type indices, in request order) spliced in as described at the top. */
export function spliceModule(
  space: OutputSpace,
  intrinsics: ReadonlyMap<number, string>,
  specialized: { typeIndex: number; body: Uint8Array }[],
): Uint8Array {
  const { info } = space;
  const maps: IndexMaps = { func: space.func };
  const sections = splitSections(info.bytes).filter((s) => s.id !== SECTION.custom || keptCustom(s));
  const tableBase = info.tables[0].initial;
  if (!sections.some((s) => s.id === SECTION.element) && specialized.length) {
    const before = sections.findIndex((s) => s.id === SECTION.dataCount || s.id === SECTION.code);
    sections.splice(before < 0 ? sections.length : before, 0, { id: SECTION.element, payload: new Uint8Array([0]) });
  }
  const payloads: Record<number, (p: Uint8Array) => Uint8Array> = {
    [SECTION.type]: (p) => appendVec(p, space.newTypes.length, (w) => space.newTypes.forEach((t) => writeType(w, t))),
    [SECTION.import]: (p) => importsWithout(p, intrinsics.size),
    [SECTION.function]: (p) =>
      appendVec(p, specialized.length + space.stubs.length, (w) => {
        for (const s of specialized) w.uleb(s.typeIndex);
        for (const x of space.stubs) w.uleb(info.functions[x].typeIndex);
      }),
    [SECTION.table]: (p) => grownTables(p, specialized.length),
    [SECTION.global]: (p) => globalsReindexed(p, maps),
    [SECTION.export]: (p) => exportsReindexed(p, space),
    [SECTION.start]: () => new ByteWriter().uleb(space.func(info.start!)).finish(),
    [SECTION.element]: (p) => elementsReindexed(p, maps, tableBase, space.first, specialized.length),
    [SECTION.code]: () => codeSection(space, intrinsics, specialized),
  };
  for (const s of sections) if (payloads[s.id]) s.payload = payloads[s.id](s.payload);
  return joinSections(sections);
}

/** Custom sections kept: all but the name section and debug information (their indices and offsets change). */
function keptCustom(s: Section): boolean {
  const r = new Reader(s.payload, 0, s.payload.length);
  const name = r.name();
  return name !== "name" && !name.startsWith(".debug") && name !== "sourceMappingURL";
}

/** A vector section's payload with `extra` more entries written by `write` after its own. */
function appendVec(p: Uint8Array, extra: number, write: (w: ByteWriter) => void): Uint8Array {
  if (extra === 0) return p;
  const { value: count, next } = readUleb(p, 0);
  const w = new ByteWriter(p.length + 16 + extra * 8);
  w.uleb(count + extra).bytes(p.subarray(next));
  write(w);
  return w.finish();
}

function writeType(w: ByteWriter, t: FuncType): void {
  w.u8(0x60).uleb(t.params.length);
  for (const v of t.params) w.u8(VALTYPE_CODE[v]);
  w.uleb(t.results.length);
  for (const v of t.results) w.u8(VALTYPE_CODE[v]);
}

/** The import section without the weval module's functions (`removed` of them). */
function importsWithout(p: Uint8Array, removed: number): Uint8Array {
  const r = new Reader(p, 0, p.length);
  const count = r.u32();
  const w = new ByteWriter(p.length);
  w.uleb(count - removed);
  for (let n = 0; n < count; n++) {
    const start = r.at;
    const module = r.name();
    r.name();
    const kind = r.u8();
    skipImportDesc(r, kind);
    if (!(kind === 0 && module === "weval")) w.bytes(p.subarray(start, r.at));
  }
  return w.finish();
}

/** Table 0 grown by `added` slots (its maximum too, when it would be exceeded). */
function grownTables(p: Uint8Array, added: number): Uint8Array {
  if (added === 0) return p;
  const r = new Reader(p, 0, p.length);
  const count = r.u32();
  const elemType = r.u8();
  if (elemType !== 0x70) throw new InternalError("table 0 is not a plain funcref table");
  const { initial, max } = r.limits();
  const next = initial + added;
  const w = new ByteWriter(p.length + 16);
  w.uleb(count).u8(elemType);
  if (max === undefined) w.u8(0).uleb(next);
  else w.u8(1).uleb(next).uleb(Math.max(max, next));
  return w.bytes(p.subarray(r.at)).finish();
}

function globalsReindexed(p: Uint8Array, maps: IndexMaps): Uint8Array {
  const r = new Reader(p, 0, p.length);
  const w = new ByteWriter(p.length + 16);
  w.uleb(r.u32());
  while (r.at < p.length) {
    w.bytes(p.subarray(r.at, r.at + 2)); // value type, mutability
    r.at = reindexExpr(p, r.at + 2, maps, w);
  }
  return w.finish();
}

function exportsReindexed(p: Uint8Array, space: OutputSpace): Uint8Array {
  const r = new Reader(p, 0, p.length);
  const w = new ByteWriter(p.length + 16);
  const count = r.u32();
  w.uleb(count);
  for (let n = 0; n < count; n++) {
    const name = r.name();
    const kind = r.u8();
    const index = r.u32();
    w.vec(name)
      .u8(kind)
      .uleb(kind === 0 ? space.func(index) : index);
  }
  return w.finish();
}

/** The element segments with their function indices re-indexed, and one more: the specialized functions at table
 *  0's old end. Segment kinds by flags: the core spec §5.5.12. */
function elementsReindexed(
  p: Uint8Array,
  maps: IndexMaps,
  tableBase: number,
  firstSpecialized: number,
  added: number,
): Uint8Array {
  const r = new Reader(p, 0, p.length);
  const count = r.u32();
  const w = new ByteWriter(p.length + 16 + added * 3);
  w.uleb(count + (added ? 1 : 0));
  for (let n = 0; n < count; n++) {
    const flags = r.u32();
    w.uleb(flags);
    if (flags === 2 || flags === 6) w.uleb(r.u32()); // table index
    if ((flags & 1) === 0) r.at = reindexExpr(p, r.at, maps, w); // offset
    if (flags & 3) w.u8(r.u8()); // element kind or reference type
    const items = r.u32();
    w.uleb(items);
    for (let i = 0; i < items; i++) {
      if (flags & 4) r.at = reindexExpr(p, r.at, maps, w);
      else w.uleb(maps.func!(r.u32()));
    }
  }
  if (added) {
    w.u8(0).u8(0x41).sleb(tableBase).u8(0x0b).uleb(added);
    for (let k = 0; k < added; k++) w.uleb(firstSpecialized + k);
  }
  return w.finish();
}

/** The module's code re-indexed, then the specialized bodies, then the intrinsics' stubs. */
function codeSection(
  space: OutputSpace,
  intrinsics: ReadonlyMap<number, string>,
  specialized: { body: Uint8Array }[],
): Uint8Array {
  const { info } = space;
  const w = new ByteWriter(info.bytes.length + specialized.reduce((n, s) => n + s.body.length + 5, 0));
  const defined = info.functions.filter((f) => f.body);
  w.uleb(defined.length + specialized.length + space.stubs.length);
  const maps: IndexMaps = { func: space.func };
  for (const f of defined) w.vec(reindexBody(info.bytes, f.body!.start, f.body!.end, maps));
  for (const s of specialized) w.vec(s.body);
  for (const x of space.stubs) {
    const behaviour = stubBehaviour(intrinsics.get(x)!);
    const body = behaviour === "nothing" ? [0, 0x0b] : behaviour === "identity" ? [0, 0x20, 0, 0x0b] : [0, 0x00, 0x0b];
    w.vec(new Uint8Array(body));
  }
  return w.finish();
}
