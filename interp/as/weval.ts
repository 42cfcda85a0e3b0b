// AssemblyScript binding of weval's ABI (what include/weval.h is for C), byte for byte as in shared/DESIGN.md:
// the intrinsic imports (module "weval"), the request record weval_req_t and its argument records, the pending
// list whose head's address `weval.pending.head` returns, and the `weval.is.wevaled` flag.
//
// AssemblyScript cannot export names with dots, so this file exports `wevalPendingHead` and `wevalIsWevaled`;
// interp/build.ts renames them to the ABI's names after compiling. Intrinsics a body never calls are dropped from
// the binary by asc. Needs AssemblyScript's stub/minimal runtime for heap.alloc (requests are never freed: they
// live in the snapshot, where the specializer reads and unlinks them).

// ---- intrinsics: only ever called by a body that runs specialized ----
@external("weval", "push.context") export declare function pushContext(pc: u32): void;
@external("weval", "update.context") export declare function updateContext(pc: u32): void;
@external("weval", "pop.context") export declare function popContext(): void;
// One specialized copy per value in lo..hi inclusive; a value out of range runs hi's copy (weval's default target).
@external("weval", "specialize.value") export declare function specializeValue(value: u32, lo: u32, hi: u32): u32;
@external("weval", "read.reg") export declare function readReg(idx: u64): u64;
@external("weval", "write.reg") export declare function writeReg(idx: u64, value: u64): void;
@external("weval", "push.stack") export declare function pushStack(ptr: usize, value: u64): void;
@external("weval", "pop.stack") export declare function popStack(ptr: usize): u64;
@external("weval", "read.stack") export declare function readStack(ptr: usize, index: u32): u64;
@external("weval", "write.stack") export declare function writeStack(ptr: usize, index: u32, value: u64): void;
@external("weval", "sync.stack") export declare function syncStack(): void;
@external("weval", "read.local") export declare function readLocal(ptr: usize, index: u32): u64;
@external("weval", "write.local") export declare function writeLocal(ptr: usize, index: u32, value: u64): void;
@external("weval", "assert.const32") export declare function assertConst32(value: u32, line: u32): void;
@external("weval", "abort.specialization") export declare function abortSpecialization(line: u32, fatal: u32): void;
@external("weval", "trace.line") export declare function traceLine(line: u32): void;
@external("weval", "read.specialization.global") export declare function readSpecializationGlobal(index: u32): u64;
// Memory that holds what the snapshot holds for the specialized code's lifetime (weval's const_memory): loads at
// constant addresses through the pointer read the snapshot; with .transitive, so do those through pointers read so.
@external("weval", "assume.const.memory") export declare function assumeConstMemory(ptr: usize): usize;
@external("weval", "assume.const.memory.transitive") export declare function assumeConstMemoryTransitive(ptr: usize): usize;
@external("weval", "assert.const.memory") export declare function assertConstMemory(ptr: usize, line: u32): void;
/** futamura's, not weval's: returns ptr, and declares that accesses through it touch memory of alias class `cls`
 *  only, which no access through a pointer of another class touches (abi/weval.ts). */
@external("weval", "assume.alias.class") export declare function assumeAliasClass(ptr: usize, cls: u32): usize;
/** futamura's: assumeAliasClass, and ptr starts an object of class `cls` that no other object so declared overlaps;
 *  accesses through ptr plus a constant stay inside it (abi/weval.ts). */
@external("weval", "assume.alias.region") export declare function assumeAliasRegion(ptr: usize, cls: u32): usize;

// ---- weval_req_t (32-bit Wasm) ----
export const REQ_NEXT: u32 = 0;
export const REQ_PREV: u32 = 4;
export const REQ_USER_ID: u32 = 8;
export const REQ_NUM_GLOBALS: u32 = 12;
export const REQ_FUNC: u32 = 16;
export const REQ_ARGBUF: u32 = 20;
export const REQ_ARGLEN: u32 = 24;
export const REQ_SPECIALIZED: u32 = 28;
export const REQ_SIZE: u32 = 32;

// ---- weval_req_arg_t: {u32 specialize @0; u32 ty @4; u64 payload @8}, buffer bytes follow a buffer's header ----
export const ARG_I32: u32 = 0;
export const ARG_I64: u32 = 1;
export const ARG_F32: u32 = 2;
export const ARG_F64: u32 = 3;
export const ARG_BUFFER: u32 = 4;
export const ARG_NONE: u32 = 255;
export const ARG_HEADER_SIZE: u32 = 16;

// The list head (a weval_req_t*) and the is-wevaled flag (a one-byte bool), in static memory.
const pendingHead: usize = memory.data(4, 4);
const isWevaledFlag: usize = memory.data(4, 4);

/** Exported as `weval.pending.head`: the address of the pending-request list's head pointer. */
export function wevalPendingHead(): usize {
  return pendingHead;
}

/** Exported as `weval.is.wevaled`: the address of the flag the specializer sets to 1 in its output. */
export function wevalIsWevaled(): usize {
  return isWevaledFlag;
}

export function isWevaled(): bool {
  return load<u8>(isWevaledFlag) != 0;
}

/** Builds a request's argument buffer; arguments in the specialized function's parameter order. */
export class WevalArgs {
  buf: usize;
  len: u32 = 0;
  cap: u32;

  constructor(capacity: u32) {
    this.cap = capacity;
    this.buf = heap.alloc(capacity);
  }

  private header(specialize: u32, ty: u32, payload: u64): usize {
    this.reserve(ARG_HEADER_SIZE);
    const at = this.buf + this.len;
    store<u32>(at, specialize, 0);
    store<u32>(at, ty, 4);
    store<u64>(at, payload, 8);
    this.len += ARG_HEADER_SIZE;
    return at;
  }

  private reserve(bytes: u32): void {
    if (this.len + bytes <= this.cap) return;
    let cap = this.cap * 2;
    while (cap < this.len + bytes) cap *= 2;
    this.buf = heap.realloc(this.buf, cap);
    this.cap = cap;
  }

  i32(value: u32): WevalArgs {
    this.header(1, ARG_I32, <u64>value);
    return this;
  }

  i64(value: u64): WevalArgs {
    this.header(1, ARG_I64, value);
    return this;
  }

  /** A pointer argument whose `len` bytes are constant: the specializer folds loads through it. */
  buffer(ptr: usize, len: u32): WevalArgs {
    const padded = (len + 7) & ~7;
    const at = this.header(1, ARG_BUFFER, 0);
    store<u32>(at, len, 8);
    store<u32>(at, padded, 12);
    this.reserve(padded);
    memory.copy(this.buf + this.len, ptr, len);
    memory.fill(this.buf + this.len + len, 0, padded - len);
    this.len += padded;
    return this;
  }

  /** An argument known only at run time. */
  runtime(): WevalArgs {
    this.header(0, ARG_NONE, 0);
    return this;
  }
}

/**
 * Queue a request to specialize the function at table index `generic` with `args`; the specializer writes the
 * specialized function's table index into the u32 at `slot`. Does nothing in an already-wevaled module.
 */
export function wevalRequest(slot: usize, generic: u32, userId: u32, numGlobals: u32, args: WevalArgs): usize {
  if (isWevaled()) return 0;
  const req = heap.alloc(REQ_SIZE);
  const head = load<usize>(pendingHead);
  store<u32>(req, <u32>head, REQ_NEXT);
  store<u32>(req, 0, REQ_PREV);
  store<u32>(req, userId, REQ_USER_ID);
  store<u32>(req, numGlobals, REQ_NUM_GLOBALS);
  store<u32>(req, generic, REQ_FUNC);
  store<u32>(req, <u32>args.buf, REQ_ARGBUF);
  store<u32>(req, args.len, REQ_ARGLEN);
  store<u32>(req, <u32>slot, REQ_SPECIALIZED);
  if (head != 0) store<u32>(head, <u32>req, REQ_PREV);
  store<usize>(pendingHead, req);
  return req;
}
