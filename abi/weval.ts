// weval's ABI in one table (weval's include/weval.h and lib/weval-stubs.wat, v0.4.x): every intrinsic an
// interpreter may import from module "weval" — its Wasm signature, what it does in code that is not specialized
// (the stub), whether it changes the specialization context, its C name in weval.h and its AssemblyScript name in
// interp/as/weval.ts — and the request records' layout. Everything else is derived from it or checked against it:
// the host's stubs and the specializer's output stubs (interp/weval-stubs.ts), the specializer's exhaustive switch
// on `IntrinsicName` (specializer/weval/specialize.ts), the request reader (specializer/requests.ts), and, by
// test/interp/abi-table.test.ts, interp/as/weval.ts, interp/c/weval.h and interp/c/weval-stubs.wat.
//
// Stub behaviour, as weval's stubs: context and diagnostic calls and state writes do nothing, specialize.value and
// the assume.* calls return their first argument, and state reads trap, since only a specialized body can have
// written what they read.

export const INTRINSIC_MODULE = "weval";

export type StubBehaviour = "nothing" | "identity" | "trap";
type WasmType = "i32" | "i64";

export interface IntrinsicSpec {
  params: readonly WasmType[];
  results: readonly WasmType[];
  stub: StubBehaviour;
  /** The successors of a block that calls it are in another context (specializer/weval/regions.ts). */
  changesContext?: true;
  /** Its declaration in interp/c/weval.h (weval's own name); absent for one weval.h no longer declares. */
  c?: string;
  /** Its declaration in interp/as/weval.ts, when AssemblyScript interpreters get one. */
  as?: string;
}

export const WEVAL_INTRINSICS = {
  "push.context": {
    params: ["i32"],
    results: [],
    stub: "nothing",
    changesContext: true,
    c: "weval_push_context",
    as: "pushContext",
  },
  "update.context": {
    params: ["i32"],
    results: [],
    stub: "nothing",
    changesContext: true,
    c: "weval_update_context",
    as: "updateContext",
  },
  "pop.context": {
    params: [],
    results: [],
    stub: "nothing",
    changesContext: true,
    c: "weval_pop_context",
    as: "popContext",
  },
  "specialize.value": {
    params: ["i32", "i32", "i32"],
    results: ["i32"],
    stub: "identity",
    changesContext: true,
    c: "weval_specialize_value",
    as: "specializeValue",
  },
  "read.reg": { params: ["i64"], results: ["i64"], stub: "trap", c: "weval_read_reg", as: "readReg" },
  "write.reg": { params: ["i64", "i64"], results: [], stub: "nothing", c: "weval_write_reg", as: "writeReg" },
  "read.specialization.global": {
    params: ["i32"],
    results: ["i64"],
    stub: "trap",
    c: "weval_read_specialization_global",
    as: "readSpecializationGlobal",
  },
  "push.stack": { params: ["i32", "i64"], results: [], stub: "nothing", c: "weval_push_stack", as: "pushStack" },
  "pop.stack": { params: ["i32"], results: ["i64"], stub: "trap", c: "weval_pop_stack", as: "popStack" },
  "read.stack": { params: ["i32", "i32"], results: ["i64"], stub: "trap", c: "weval_read_stack", as: "readStack" },
  "write.stack": {
    params: ["i32", "i32", "i64"],
    results: [],
    stub: "nothing",
    c: "weval_write_stack",
    as: "writeStack",
  },
  "sync.stack": { params: [], results: [], stub: "nothing", c: "weval_sync_stack", as: "syncStack" },
  "read.local": { params: ["i32", "i32"], results: ["i64"], stub: "trap", c: "weval_read_local", as: "readLocal" },
  "write.local": {
    params: ["i32", "i32", "i64"],
    results: [],
    stub: "nothing",
    c: "weval_write_local",
    as: "writeLocal",
  },
  "assert.const32": {
    params: ["i32", "i32"],
    results: [],
    stub: "nothing",
    c: "weval_assert_const32",
    as: "assertConst32",
  },
  "assert.const.memory": {
    params: ["i32", "i32"],
    results: [],
    stub: "nothing",
    c: "weval_assert_const_memory",
    as: "assertConstMemory",
  },
  "assume.const.memory": {
    params: ["i32"],
    results: ["i32"],
    stub: "identity",
    c: "weval_assume_const_memory",
    as: "assumeConstMemory",
  },
  "assume.const.memory.transitive": {
    params: ["i32"],
    results: ["i32"],
    stub: "identity",
    c: "weval_assume_const_memory_transitive",
    as: "assumeConstMemoryTransitive",
  },
  // futamura's own (weval has no such call): a type-based alias fact. Returns p, and declares that every access
  // through p (or through p plus a constant) touches memory of alias class `class` only, which no access through a
  // pointer of another class touches (Fern: an array's element storage apart from objects' header fields).
  "assume.alias.class": {
    params: ["i32", "i32"],
    results: ["i32"],
    stub: "identity",
    c: "weval_assume_alias_class",
    as: "assumeAliasClass",
  },
  // futamura's own too: assume.alias.class(p, class), and more: p is where an object of the class starts, two objects
  // of the class declared so never overlap, and every access through p plus a constant stays inside p's object. So
  // two accesses through such pointers of one class at disjoint constant offsets are apart, whether or not the
  // pointers are equal (Fern: two arrays' element storage, n-body's `b[3] -= ...` between reads of `c[6]`).
  "assume.alias.region": {
    params: ["i32", "i32"],
    results: ["i32"],
    stub: "identity",
    c: "weval_assume_alias_region",
    as: "assumeAliasRegion",
  },
  "abort.specialization": {
    params: ["i32", "i32"],
    results: [],
    stub: "nothing",
    c: "weval_abort_specialization",
    as: "abortSpecialization",
  },
  "trace.line": { params: ["i32"], results: [], stub: "nothing", c: "weval_trace_line", as: "traceLine" },
  print: { params: ["i32", "i32", "i32"], results: [], stub: "nothing", c: "weval_print" },
  "context.bucket": { params: ["i32"], results: [], stub: "nothing", c: "weval_context_bucket" },
  // In weval's stubs for a while (no header declared them); nothing to do outside specialization.
  "exit.path": { params: [], results: [], stub: "nothing" },
  "stop.exit.path": { params: [], results: [], stub: "nothing" },
} as const satisfies Record<string, IntrinsicSpec>;

export type IntrinsicName = keyof typeof WEVAL_INTRINSICS;

export function isIntrinsicName(name: string): name is IntrinsicName {
  return Object.hasOwn(WEVAL_INTRINSICS, name);
}

/** How an intrinsic behaves outside specialization; one weval added later than this table traps. */
export function stubBehaviour(name: string): StubBehaviour {
  return isIntrinsicName(name) ? WEVAL_INTRINSICS[name].stub : "trap";
}

/** The exports through which the specializer finds the request list and the is-wevaled flag. */
export const PENDING_HEAD_EXPORT = "weval.pending.head";
export const IS_WEVALED_EXPORT = "weval.is.wevaled";

/** weval_req_t (32-bit Wasm): field offsets and size. */
export const REQ = {
  next: 0,
  prev: 4,
  userId: 8,
  numGlobals: 12,
  func: 16,
  argbuf: 20,
  arglen: 24,
  specialized: 28,
  size: 32,
} as const;

/** weval_req_arg_t: {u32 specialize @0; u32 ty @4; u64 payload @8}; a buffer's payload is {u32 len @8, u32
 *  padded_len @12} and its bytes follow the header, zero-padded to a multiple of 8. */
export const ARG = {
  specialize: 0,
  ty: 4,
  payload: 8,
  bufferLen: 8,
  bufferPaddedLen: 12,
  headerSize: 16,
  bufferAlign: 8,
} as const;

export type ArgType = "i32" | "i64" | "f32" | "f64" | "buffer" | "none";

/** The `ty` codes of argument records ("none": a run-time argument). */
export const ARG_TYPE_CODES: Readonly<Record<ArgType, number>> = {
  i32: 0,
  i64: 1,
  f32: 2,
  f64: 3,
  buffer: 4,
  none: 255,
};

/** The argument type a `ty` code stands for. */
export const ARG_TYPES: Readonly<Record<number, ArgType>> = Object.fromEntries(
  Object.entries(ARG_TYPE_CODES).map(([t, c]) => [c, t as ArgType]),
);

/** An argument record as read from memory (specializer/requests.ts). */
export interface WevalArg {
  specialize: boolean;
  ty: ArgType;
  /** Scalar payload bits (i32/f32 as number, i64/f64 as bigint). */
  value?: number | bigint;
  /** A buffer argument's bytes, and their address in memory. */
  bytes?: Uint8Array;
  addr?: number;
}

/** A weval_req_t as read from memory, with its argument records. */
export interface WevalRequest {
  addr: number;
  next: number;
  prev: number;
  userId: number;
  numGlobals: number;
  /** Table index of the generic function. */
  func: number;
  argbuf: number;
  arglen: number;
  /** Address of the u32 slot that receives the specialized function's table index. */
  specializedSlot: number;
  args: WevalArg[];
  /** The raw argument bytes (the cache key). */
  argBytes: Uint8Array;
}
