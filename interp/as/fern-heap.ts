// Fern's heap: objects (arrays, strings, maps, closures, boxes), a mark-and-sweep garbage collector written for
// Fern's value layout, and the object operations the interpreter calls out of line (string concatenation and
// comparison, map lookup and update, printing, built-ins).
//
// Why our own collector and not AssemblyScript's: Fern values are (tag, 64 bits) pairs that the specialized
// interpreter keeps in weval registers, i.e. Wasm SSA values that no runtime can see. AssemblyScript's collectors
// find managed references in globals and their own objects only, and a raw u64 is not a managed reference. So the
// interpreter writes its live slots to its memory frame at safe points (calls, function entry, loop back-edges),
// and this collector scans exactly those frames, precisely by tag. Objects of up to 256 bytes come from a pool of
// per-size free lists (below); larger ones and raw blocks from AssemblyScript's TLSF allocator (the `minimal`
// runtime: heap.alloc/heap.free really free). The collector is non-moving, so registers that still hold an address
// after a collection stay valid.
//
// Object layout (16-byte header, then the payload):
//   +0 u32 next object (the list of all collectable objects)   +4 u32 gray-list link   +8 u8 kind (its tag)
//   +9 u8 flags (marked, permanent)   +10 u8 pool class (0: from TLSF)   +12 u32 length (array count, string bytes, map entries, closure boxes)
//   array:   +16 u32 capacity, +20 u32 elements (capacity × 16 bytes: tag, bits), +24 u32 inline capacity; the
//            first elements are inline from +32 (one block per array), a grown array's in a raw block of its own
//   string:  the bytes from +16
//   map:     +16 u32 entry capacity, +20 u32 entries (raw: capacity × 32 bytes: key tag, bits, value tag, bits, in
//            insertion order), +24 u32 index (raw: 2 × capacity u32s, entry number + 1, 0 = empty; linear probing),
//            +28 u32 the last key's entry number + 1 (0 = none), +32 u64 its tag, +40 u64 its bits (mapFind)
//   closure: +16 u32 function index, +20 u32 × length boxes
//   box:     +16 the value (tag, bits)
// String literals and the 256 one-byte strings are permanent objects made by init (never collected, not in the list).
//
// A collection is requested when the heap grows past a threshold (twice what survived the last one, or twice the
// frames it scanned if more, and at least MIN_GC_THRESHOLD; near MAX_HEAP_BYTES, half the room left) and runs at the
// next safe point. Past MAX_HEAP_BYTES an allocation is a Fern "out of memory" error.
import {
  TAG_NIL, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_ARRAY, TAG_STRING, TAG_MAP, TAG_FUNCTION, TAG_CLOSURE, TAG_BOX,
  ERR_TYPE_ERROR, ERR_INDEX_OUT_OF_RANGE, ERR_NOT_AN_ARRAY, ERR_OUT_OF_MEMORY, ERR_NOT_A_NUMBER, ERR_POP_FROM_AN_EMPTY_ARRAY,
  FUNC_SIZE,
  BUILTIN_STR, BUILTIN_INT, BUILTIN_FLOAT, BUILTIN_SQRT, BUILTIN_ABS, BUILTIN_FLOOR, BUILTIN_PUSH, BUILTIN_POP, BUILTIN_KEYS,
  BUILTIN_HAS, BUILTIN_SUBSTR, BUILTIN_ORD, BUILTIN_CHR, BUILTIN_TYPE,
} from "./fern-opcodes";
import { strtod } from "util/string";

@external("futamura", "error") declare function hostError(code: u32, offset: u32): void;
@external("futamura", "write") declare function writeBytes(ptr: usize, len: u32): void;
/** The shortest decimal that reads back as x, as JavaScript's String(x) (with ".0" on whole numbers). The one
 *  formatting step left to the host: AssemblyScript's Grisu2 is not always the shortest (0.1 + 0.2 printed as
 *  0.30000000000000007), and a correct shortest-digits algorithm (Ryu) is a project of its own. */
@external("fern", "format_float") declare function formatFloat(x: f64, dst: usize): u32;

export const OBJ_HEADER: usize = 16;
const FLAG_MARKED: u8 = 1;
const FLAG_PERMANENT: u8 = 2;
/** The most memory Fern objects may take (garbage not yet collected included). */
const MAX_HEAP_BYTES: usize = 1 << 30;
/** Small, so a program with little live data recycles memory that is still in the CPU's cache: binary-trees ran
 *  about twice as fast wevaled with 1 MB as with 16 MB (the pool hands out what the last sweep freed). The
 *  threshold grows with what a collection must scan (live objects and frames), so their cost stays a fraction of
 *  the allocation between collections however deep the stack or large the live heap. */
const MIN_GC_THRESHOLD: usize = 1 << 20;
/** Frames: +0 u32 live slots, +4 u32 slot bytes, +8 u64 root mask (bit i: slot i < 64 is in memory), slots from +16. */
export const FRAME_HEADER: usize = 16;

const NUMBER_SCRATCH: usize = memory.data(128);

/** Two-word results of out-of-line operations. */
export let resultTag: u64 = 0;
export let resultBits: u64 = 0;
export let gcRequested: bool = false;
let objects: usize = 0;
let heapBytes: usize = 0;
let gcThreshold: usize = MIN_GC_THRESHOLD;
export let collections: u32 = 0;

// ---- errors ----

let programBase: usize = 0;

/** Where init loaded the program: runtime errors are reported at byte offsets into it. */
export function setProgram(program: usize): void {
  programBase = program;
}

/** A runtime error at `pc` of the function whose blob is `blob`: the host ABI's error takes the instruction's byte
 *  offset in the program, which the loader (lang/values.ts) maps back to the function and its source line. */
export function fail(kind: u32, blob: usize, pc: u32): void {
  hostError(kind, <u32>(blob - programBase) + FUNC_SIZE + pc);
  unreachable();
}

// ---- allocation ----

@inline export function isObject(tag: u64): bool {
  return tag >= TAG_ARRAY && tag != TAG_FUNCTION && tag <= TAG_BOX;
}

/** Count `bytes` against the heap; past the limit it is a Fern error at (blob, pc). Inline, one compare when the
 *  heap stays under the collection threshold (which is below the limit), the rest out of line. */
@inline function account(bytes: usize, blob: usize, pc: u32): void {
  if (heapBytes + bytes <= gcThreshold && bytes <= gcThreshold) heapBytes += bytes;
  else accountPastThreshold(bytes, blob, pc);
}

function accountPastThreshold(bytes: usize, blob: usize, pc: u32): void {
  if (heapBytes + bytes > MAX_HEAP_BYTES || bytes > MAX_HEAP_BYTES) fail(ERR_OUT_OF_MEMORY, blob, pc);
  heapBytes += bytes;
  if (heapBytes > gcThreshold) gcRequested = true;
}

/** Zero n bytes (a multiple of 8) at p: small blocks by stores, since V8 calls out of line for memory.fill. */
@inline function zero(p: usize, n: usize): void {
  if (n <= 128) for (let k: usize = 0; k < n; k += 8) store<u64>(p + k, 0);
  else memory.fill(p, 0, n);
}

/** Copy n bytes: short strings byte by byte, since V8 calls out of line for memory.copy. */
@inline function copyBytes(dst: usize, src: usize, n: usize): void {
  if (n <= 32) for (let k: usize = 0; k < n; k++) store<u8>(dst + k, load<u8>(src + k));
  else memory.copy(dst, src, n);
}

function rawAlloc(bytes: usize, blob: usize, pc: u32): usize {
  account(bytes, blob, pc);
  return heap.alloc(bytes);
}

function rawFree(ptr: usize, bytes: usize): void {
  heapBytes -= bytes;
  heap.free(ptr);
}

// ---- the small-object pool ----
// Objects of up to POOL_CLASSES × 16 bytes come from per-size free lists (16-byte classes), refilled from chunks,
// not from TLSF: binary-trees spent half its time in TLSF's block search, insert and remove. A pooled object freed
// by the sweep goes back to its class's list (linked through its first word) and its memory stays in the pool, so
// the chunks are capped at POOL_CAP bytes (past that, objects come from TLSF again: a program that fills the heap
// with one size and then another cannot take the pool past the cap). Byte +10 of an object's header is its class,
// 0 for an object from TLSF. Only objects are pooled: raw blocks (grown elements, map entries and indexes) have no
// header to say where they came from.
const POOL_CLASSES: usize = 16;
const POOL_CHUNK: usize = 64 << 10;
const POOL_CAP: usize = 128 << 20;
/** u32 list heads, one per class 1..POOL_CLASSES (index 0 unused). */
const poolLists: usize = memory.data(<i32>(POOL_CLASSES + 1) << 2);
let poolNext: usize = 0;
let poolEnd: usize = 0;
let poolBytes: usize = 0;

function allocObject(bytes: usize, blob: usize, pc: u32): usize {
  account(bytes, blob, pc);
  const cls = (bytes + 15) >> 4;
  if (cls <= POOL_CLASSES) {
    const head = poolLists + (cls << 2);
    let o = <usize>load<u32>(head);
    if (o != 0) {
      store<u32>(head, load<u32>(o));
    } else {
      const size = cls << 4;
      if (poolNext + size > poolEnd && poolBytes < POOL_CAP) {
        poolNext = heap.alloc(POOL_CHUNK); // the rest of the last chunk (under 256 bytes) is left unused
        poolEnd = poolNext + POOL_CHUNK;
        poolBytes += POOL_CHUNK;
      }
      if (poolNext + size <= poolEnd) {
        o = poolNext;
        poolNext += size;
      }
    }
    if (o != 0) {
      store<u8>(o, <u8>cls, 10);
      return o;
    }
  }
  const o = heap.alloc(bytes);
  store<u8>(o, 0, 10);
  return o;
}

function freeObject(o: usize, bytes: usize): void {
  heapBytes -= bytes;
  const cls = <usize>load<u8>(o, 10);
  if (cls == 0) {
    heap.free(o);
    return;
  }
  const head = poolLists + (cls << 2);
  store<u32>(o, load<u32>(head));
  store<u32>(head, <u32>o);
}

function newObject(kind: u64, payload: usize, length: u32, blob: usize, pc: u32): usize {
  const o = allocObject(OBJ_HEADER + payload, blob, pc);
  store<u32>(o, <u32>objects);
  store<u32>(o, 0, 4);
  store<u8>(o, <u8>kind, 8);
  store<u8>(o, 0, 9);
  store<u32>(o, length, 12);
  objects = o;
  return o;
}

function objectBytes(o: usize): usize {
  const kind = <u64>load<u8>(o, 8);
  const n = <usize>load<u32>(o, 12);
  if (kind == TAG_ARRAY) return ARRAY_INLINE + (<usize>load<u32>(o, 24) << 4);
  if (kind == TAG_STRING) return OBJ_HEADER + n;
  if (kind == TAG_MAP) return OBJ_HEADER + MAP_PAYLOAD;
  if (kind == TAG_CLOSURE) return OBJ_HEADER + 4 + (n << 2);
  return OBJ_HEADER + 16; // box
}

/** Where an array's first elements live: in the same block as the array (one allocation for array(n) and
 *  literals); a push past that capacity moves them to a block of their own. */
const ARRAY_INLINE: usize = OBJ_HEADER + 16;

export function newArray(n: u32, blob: usize, pc: u32): usize {
  if (<usize>n > (MAX_HEAP_BYTES >> 4)) fail(ERR_OUT_OF_MEMORY, blob, pc); // before the size can overflow 32 bits
  const cap = n == 0 ? 4 : n;
  const a = newObject(TAG_ARRAY, 16 + (<usize>cap << 4), n, blob, pc);
  store<u32>(a, cap, 16);
  store<u32>(a, <u32>(a + ARRAY_INLINE), 20);
  store<u32>(a, cap, 24); // the inline capacity, for freeing
  store<u32>(a, 0, 28);
  zero(a + ARRAY_INLINE, <usize>cap << 4);
  return a;
}

@inline function ownElements(a: usize): bool {
  return <usize>load<u32>(a, 20) != a + ARRAY_INLINE;
}

export function newString(len: u32, blob: usize, pc: u32): usize {
  return newObject(TAG_STRING, len, len, blob, pc);
}

/** A string literal made by init: permanent, outside the collector's list. */
export function permanentString(bytes: usize, len: u32): usize {
  const s = heap.alloc(OBJ_HEADER + len);
  store<u32>(s, 0);
  store<u32>(s, 0, 4);
  store<u8>(s, <u8>TAG_STRING, 8);
  store<u8>(s, FLAG_PERMANENT, 9);
  store<u32>(s, len, 12);
  memory.copy(s + OBJ_HEADER, bytes, len);
  return s;
}

/** The 256 one-byte strings, made once (s[i] and chr() allocate nothing). */
let byteStrings: usize = 0;

export function initHeap(): void {
  byteStrings = heap.alloc(256 << 2);
  for (let b: u32 = 0; b < 256; b++) {
    store<u8>(NUMBER_SCRATCH, <u8>b);
    store<u32>(byteStrings + (<usize>b << 2), <u32>permanentString(NUMBER_SCRATCH, 1));
  }
}

@inline function byteString(b: u32): usize {
  return <usize>load<u32>(byteStrings + (<usize>b << 2));
}

const MAP_PAYLOAD: usize = 32;

export function newMap(blob: usize, pc: u32): usize {
  const m = newObject(TAG_MAP, MAP_PAYLOAD, 0, blob, pc);
  store<u32>(m, 0, 16);
  store<u32>(m, 0, 20);
  store<u32>(m, 0, 24);
  store<u32>(m, 0, 28);
  return m;
}

export function newClosure(func: u32, n: u32, blob: usize, pc: u32): usize {
  const c = newObject(TAG_CLOSURE, 4 + (<usize>n << 2), n, blob, pc);
  store<u32>(c, func, 16);
  memory.fill(c + 20, 0, <usize>n << 2);
  return c;
}

export function newBox(tag: u64, bits: u64, blob: usize, pc: u32): usize {
  const b = newObject(TAG_BOX, 16, 0, blob, pc);
  store<u64>(b, tag, 16);
  store<u64>(b, bits, 24);
  return b;
}

// ---- the collector ----

let gray: usize = 0;

@inline function markValue(tag: u64, bits: u64): void {
  if (isObject(tag)) markObject(<usize>bits);
}

function markObject(o: usize): void {
  if (o == 0) return;
  const flags = load<u8>(o, 9);
  if (flags != 0) return; // marked already, or permanent
  store<u8>(o, FLAG_MARKED, 9);
  store<u32>(o, <u32>gray, 4);
  gray = o;
}

function scanObject(o: usize): void {
  const kind = <u64>load<u8>(o, 8);
  const n = load<u32>(o, 12);
  if (kind == TAG_ARRAY) {
    const elems = <usize>load<u32>(o, 20);
    for (let i: u32 = 0; i < n; i++) markValue(load<u64>(elems + (<usize>i << 4)), load<u64>(elems + (<usize>i << 4), 8));
  } else if (kind == TAG_MAP) {
    store<u32>(o, 0, 28); // the last-key cache: the sweep may free that key and reuse its address
    const entries = <usize>load<u32>(o, 20);
    for (let i: u32 = 0; i < n; i++) {
      const e = entries + (<usize>i << 5);
      markValue(load<u64>(e), load<u64>(e, 8));
      markValue(load<u64>(e, 16), load<u64>(e, 24));
    }
  } else if (kind == TAG_CLOSURE) {
    for (let i: u32 = 0; i < n; i++) markObject(<usize>load<u32>(o + 20 + (<usize>i << 2)));
  } else if (kind == TAG_BOX) {
    markValue(load<u64>(o, 16), load<u64>(o, 24));
  }
}

/** Collect: the roots are the frames from `frames` to `top` (each with its live slot count) and the globals. */
export function collect(frames: usize, top: usize, globals: usize, nglobals: u32): void {
  gcRequested = false;
  collections++;
  let f = frames;
  while (f < top) {
    const live = load<u32>(f);
    const size = <usize>load<u32>(f, 4);
    const mask = load<u64>(f, 8);
    for (let i: u32 = 0; i < live; i++) {
      if (i < 64 && ((mask >> <u64>i) & 1) == 0) continue; // left in a register: not an object (fern.ts's sync())
      const s = f + FRAME_HEADER + (<usize>i << 4);
      markValue(load<u64>(s), load<u64>(s, 8));
    }
    f += FRAME_HEADER + size;
  }
  for (let g: u32 = 0; g < nglobals; g++) markValue(load<u64>(globals + (<usize>g << 4)), load<u64>(globals + (<usize>g << 4), 8));
  while (gray != 0) {
    const o = gray;
    gray = <usize>load<u32>(o, 4);
    scanObject(o);
  }
  let prev: usize = 0;
  let o = objects;
  while (o != 0) {
    const next = <usize>load<u32>(o);
    if (load<u8>(o, 9) == FLAG_MARKED) {
      store<u8>(o, 0, 9);
      prev = o;
    } else {
      const kind = <u64>load<u8>(o, 8);
      if (kind == TAG_ARRAY && ownElements(o)) rawFree(<usize>load<u32>(o, 20), <usize>load<u32>(o, 16) << 4);
      else if (kind == TAG_MAP && load<u32>(o, 16) != 0) {
        const cap = <usize>load<u32>(o, 16);
        rawFree(<usize>load<u32>(o, 20), cap << 5);
        rawFree(<usize>load<u32>(o, 24), cap << 3);
      }
      freeObject(o, objectBytes(o));
      if (prev == 0) objects = next;
      else store<u32>(prev, <u32>next);
    }
    o = next;
  }
  const scanned = (heapBytes > top - frames ? heapBytes : top - frames) << 1;
  gcThreshold = scanned > MIN_GC_THRESHOLD ? scanned : MIN_GC_THRESHOLD;
  // Near the limit, the next collection waits until half of what is left is allocated (not the fixed 7/8 mark, which
  // a heap full of live data stays above, so that every allocation collected a full heap again: a program filling
  // the heap gradually never reached "out of memory"). A few collections, each halving the room, then the error.
  if (gcThreshold > MAX_HEAP_BYTES - (MAX_HEAP_BYTES >> 3)) {
    const nearFull = heapBytes + ((MAX_HEAP_BYTES - heapBytes) >> 1);
    gcThreshold = nearFull > MAX_HEAP_BYTES - (MAX_HEAP_BYTES >> 3) ? nearFull : MAX_HEAP_BYTES - (MAX_HEAP_BYTES >> 3);
  }
  __collect(); // AssemblyScript's own temporaries (float parsing); none is live here
}

/** An integer index (its 64 bits) outside 0..len-1: one unsigned compare, since a negative index read as unsigned
 *  is at least 2^63, above any length. */
@inline export function outOfRange(index: u64, len: u32): bool {
  return index >= <u64>len;
}

// ---- strings ----

@inline export function strLen(s: usize): u32 {
  return load<u32>(s, 12);
}

export function concat(a: usize, b: usize, blob: usize, pc: u32): usize {
  const la = strLen(a), lb = strLen(b);
  const s = newString(la + lb, blob, pc);
  copyBytes(s + OBJ_HEADER, a + OBJ_HEADER, la);
  copyBytes(s + OBJ_HEADER + la, b + OBJ_HEADER, lb);
  return s;
}

/** Byte-wise comparison: negative, zero or positive. */
export function compareStrings(a: usize, b: usize): i32 {
  const la = strLen(a), lb = strLen(b);
  const n = la < lb ? la : lb;
  const c = memory.compare(a + OBJ_HEADER, b + OBJ_HEADER, n);
  if (c != 0) return c;
  return la < lb ? -1 : la > lb ? 1 : 0;
}

@inline function asFloat(tag: u64, bits: u64): f64 {
  return tag == TAG_INT ? <f64><i64>bits : reinterpret<f64>(bits);
}

/** Fern's `==`: numbers by value (1 == 1.0), strings by content, everything else by identity. */
export function valuesEqual(at: u64, ab: u64, bt: u64, bb: u64): bool {
  if (at == TAG_STRING && bt == TAG_STRING) return ab == bb || compareStrings(<usize>ab, <usize>bb) == 0;
  if ((at == TAG_INT || at == TAG_FLOAT) && (bt == TAG_INT || bt == TAG_FLOAT)) {
    if (at == TAG_INT && bt == TAG_INT) return ab == bb;
    return asFloat(at, ab) == asFloat(bt, bb);
  }
  return at == bt && ab == bb;
}

// ---- text output: a growable byte buffer ----

let buf: usize = 0;
let bufLen: u32 = 0;
let bufCap: u32 = 0;

function reserveBuf(n: u32): void {
  if (bufLen + n <= bufCap) return;
  let cap: u32 = bufCap == 0 ? 256 : bufCap * 2;
  while (cap < bufLen + n) cap *= 2;
  buf = buf == 0 ? heap.alloc(cap) : heap.realloc(buf, cap);
  bufCap = cap;
}

function putByte(b: u32): void {
  reserveBuf(1);
  store<u8>(buf + bufLen, <u8>b);
  bufLen++;
}

function putBytes(p: usize, n: u32): void {
  reserveBuf(n);
  memory.copy(buf + bufLen, p, n);
  bufLen += n;
}

function putAscii(s: string): void {
  for (let i = 0; i < s.length; i++) putByte(<u32>s.charCodeAt(i));
}


function putInt(v: i64): void {
  if (v == 0) {
    putByte(48);
    return;
  }
  let u: u64 = v < 0 ? <u64>(0 - v) : <u64>v; // the minimum integer negates to itself, and as u64 it is right
  let n: u32 = 0;
  while (u != 0) {
    store<u8>(NUMBER_SCRATCH + n++, <u8>(48 + <u32>(u % 10)));
    u /= 10;
  }
  if (v < 0) putByte(45);
  while (n > 0) putByte(<u32>load<u8>(NUMBER_SCRATCH + --n));
}

function putFloat(x: f64): void {
  putBytes(NUMBER_SCRATCH, formatFloat(x, NUMBER_SCRATCH));
}

function putQuoted(s: usize): void {
  putByte(34);
  const n = strLen(s);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(s + OBJ_HEADER + i);
    if (c == 34 || c == 92) {
      putByte(92);
      putByte(c);
    } else if (c == 10) putAscii("\\n");
    else if (c == 9) putAscii("\\t");
    else putByte(c);
  }
  putByte(34);
}

/** Append a value as print shows it (strings inside arrays and maps are quoted). */
function putValue(tag: u64, bits: u64, depth: u32, quoted: bool): void {
  if (tag == TAG_NIL) putAscii("nil");
  else if (tag == TAG_INT) putInt(<i64>bits);
  else if (tag == TAG_FLOAT) putFloat(reinterpret<f64>(bits));
  else if (tag == TAG_BOOL) putAscii(bits != 0 ? "true" : "false");
  else if (tag == TAG_STRING) {
    if (quoted) putQuoted(<usize>bits);
    else putBytes(<usize>bits + OBJ_HEADER, strLen(<usize>bits));
  } else if (tag == TAG_ARRAY) {
    if (depth > 16) {
      putAscii("[...]");
      return;
    }
    const a = <usize>bits;
    const n = load<u32>(a, 12);
    putByte(91);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) putAscii(", ");
      const elems = <usize>load<u32>(a, 20);
      putValue(load<u64>(elems + (<usize>i << 4)), load<u64>(elems + (<usize>i << 4), 8), depth + 1, true);
    }
    putByte(93);
  } else if (tag == TAG_MAP) {
    if (depth > 16) {
      putAscii("{...}");
      return;
    }
    const m = <usize>bits;
    const n = load<u32>(m, 12);
    putByte(123);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) putAscii(", ");
      const e = <usize>load<u32>(m, 20) + (<usize>i << 5);
      putValue(load<u64>(e), load<u64>(e, 8), depth + 1, true);
      putAscii(": ");
      putValue(load<u64>(e, 16), load<u64>(e, 24), depth + 1, true);
    }
    putByte(125);
  } else if (tag == TAG_FUNCTION || tag == TAG_CLOSURE) putAscii("<function>");
  else putAscii("<box>");
}

/** print: the value, then a newline (sep 0) or a space (sep 1). */
export function printValue(tag: u64, bits: u64, sep: u32): void {
  bufLen = 0;
  putValue(tag, bits, 0, false);
  putByte(sep == 0 ? 10 : 32);
  writeBytes(buf, bufLen);
}

function toStringValue(tag: u64, bits: u64, blob: usize, pc: u32): usize {
  if (tag == TAG_STRING) return <usize>bits;
  bufLen = 0;
  putValue(tag, bits, 0, false);
  const s = newString(bufLen, blob, pc);
  memory.copy(s + OBJ_HEADER, buf, bufLen);
  return s;
}

function stringFromAscii(text: string, blob: usize, pc: u32): usize {
  const s = newString(<u32>text.length, blob, pc);
  for (let i = 0; i < text.length; i++) store<u8>(s + OBJ_HEADER + i, <u8>text.charCodeAt(i));
  return s;
}

// ---- maps ----

function hashValue(tag: u64, bits: u64): u32 {
  let h: u64;
  if (tag == TAG_STRING) {
    let x: u32 = 2166136261;
    const s = <usize>bits;
    const n = strLen(s);
    for (let i: u32 = 0; i < n; i++) x = (x ^ <u32>load<u8>(s + OBJ_HEADER + i)) * 16777619;
    return x;
  }
  if (tag == TAG_FLOAT) {
    const f = reinterpret<f64>(bits);
    // A whole float hashes as the integer it equals (1.0 and 1 are the same key).
    if (f == Math.trunc(f) && f >= -9.2e18 && f <= 9.2e18) h = <u64><i64>f;
    else h = bits;
  } else if (tag == TAG_INT) h = bits;
  else h = bits ^ (tag << 59);
  h = (h ^ (h >> 33)) * 0xff51afd7ed558ccd;
  h = h ^ (h >> 33);
  return <u32>h;
}

/** The entry number of `key` in map m, or -1. The map remembers the last key found or added, as its (tag, bits):
 *  `m[k] += 1` and `if (m[k] == nil) m[k] = …` look the same key up two or three times, and the same (tag, bits) is
 *  always the same key (a string's address cannot be reused before a collection, which clears the cache, and entries
 *  are never removed). */
function mapFind(m: usize, tag: u64, bits: u64): i32 {
  const last = load<u32>(m, 28);
  if (last != 0 && load<u64>(m, 40) == bits && load<u64>(m, 32) == tag) return <i32>(last - 1);
  const cap = load<u32>(m, 16);
  if (cap == 0) return -1;
  const index = <usize>load<u32>(m, 24);
  const entries = <usize>load<u32>(m, 20);
  const mask = (cap << 1) - 1;
  let i = hashValue(tag, bits) & mask;
  while (true) {
    const slot = load<u32>(index + (<usize>i << 2));
    if (slot == 0) return -1;
    const e = entries + (<usize>(slot - 1) << 5);
    if (valuesEqual(load<u64>(e), load<u64>(e, 8), tag, bits)) {
      remember(m, slot, tag, bits);
      return <i32>(slot - 1);
    }
    i = (i + 1) & mask;
  }
}

/** Not for floats: a NaN key is never found again, however often it is added. */
@inline function remember(m: usize, entryPlusOne: u32, tag: u64, bits: u64): void {
  if (tag == TAG_FLOAT) return;
  store<u32>(m, entryPlusOne, 28);
  store<u64>(m, tag, 32);
  store<u64>(m, bits, 40);
}

function mapIndexInsert(m: usize, entry: u32, tag: u64, bits: u64): void {
  const cap = load<u32>(m, 16);
  const index = <usize>load<u32>(m, 24);
  const mask = (cap << 1) - 1;
  let i = hashValue(tag, bits) & mask;
  while (load<u32>(index + (<usize>i << 2)) != 0) i = (i + 1) & mask;
  store<u32>(index + (<usize>i << 2), entry + 1);
}

export function mapGet(m: usize, tag: u64, bits: u64): void {
  const e = mapFind(m, tag, bits);
  if (e < 0) {
    resultTag = TAG_NIL;
    resultBits = 0;
  } else {
    const at = <usize>load<u32>(m, 20) + (<usize>e << 5);
    resultTag = load<u64>(at, 16);
    resultBits = load<u64>(at, 24);
  }
}

export function mapSet(m: usize, ktag: u64, kbits: u64, vtag: u64, vbits: u64, blob: usize, pc: u32): void {
  const found = mapFind(m, ktag, kbits);
  if (found >= 0) {
    const at = <usize>load<u32>(m, 20) + (<usize>found << 5);
    store<u64>(at, vtag, 16);
    store<u64>(at, vbits, 24);
    return;
  }
  const n = load<u32>(m, 12);
  let cap = load<u32>(m, 16);
  if (n == cap) {
    // Grow: a larger entry array (same order) and a fresh index.
    const newCap: u32 = cap == 0 ? 8 : cap << 1;
    const entries = rawAlloc(<usize>newCap << 5, blob, pc);
    const index = rawAlloc(<usize>newCap << 3, blob, pc);
    memory.fill(index, 0, <usize>newCap << 3);
    if (cap != 0) {
      memory.copy(entries, <usize>load<u32>(m, 20), <usize>n << 5);
      rawFree(<usize>load<u32>(m, 20), <usize>cap << 5);
      rawFree(<usize>load<u32>(m, 24), <usize>cap << 3);
    }
    store<u32>(m, newCap, 16);
    store<u32>(m, <u32>entries, 20);
    store<u32>(m, <u32>index, 24);
    cap = newCap;
    for (let i: u32 = 0; i < n; i++) {
      const e = entries + (<usize>i << 5);
      mapIndexInsert(m, i, load<u64>(e), load<u64>(e, 8));
    }
  }
  const at = <usize>load<u32>(m, 20) + (<usize>n << 5);
  store<u64>(at, ktag);
  store<u64>(at, kbits, 8);
  store<u64>(at, vtag, 16);
  store<u64>(at, vbits, 24);
  store<u32>(m, n + 1, 12);
  mapIndexInsert(m, n, ktag, kbits);
  remember(m, n + 1, ktag, kbits);
}

// ---- indexing that is not an array with an integer: maps and strings ----

export function indexSlow(tag: u64, bits: u64, ktag: u64, kbits: u64, blob: usize, pc: u32): void {
  if (tag == TAG_MAP) {
    mapGet(<usize>bits, ktag, kbits);
    return;
  }
  if (tag == TAG_STRING) {
    if (ktag != TAG_INT) fail(ERR_TYPE_ERROR, blob, pc);
    if (outOfRange(kbits, strLen(<usize>bits))) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
    resultTag = TAG_STRING;
    resultBits = <u64>byteString(<u32>load<u8>(<usize>bits + OBJ_HEADER + <usize>kbits));
    return;
  }
  if (tag == TAG_ARRAY) fail(ERR_TYPE_ERROR, blob, pc);
  fail(ERR_NOT_AN_ARRAY, blob, pc);
}

export function storeSlow(tag: u64, bits: u64, ktag: u64, kbits: u64, vtag: u64, vbits: u64, blob: usize, pc: u32): void {
  if (tag == TAG_MAP) {
    mapSet(<usize>bits, ktag, kbits, vtag, vbits, blob, pc);
    return;
  }
  if (tag == TAG_ARRAY) fail(ERR_TYPE_ERROR, blob, pc);
  fail(ERR_NOT_AN_ARRAY, blob, pc);
}

// ---- built-ins: arguments in memory at `args` (tag, bits pairs); the result in resultTag/resultBits ----

function push(a: usize, tag: u64, bits: u64, blob: usize, pc: u32): void {
  const n = load<u32>(a, 12);
  const cap = load<u32>(a, 16);
  if (n == cap) {
    const newCap = cap << 1;
    const elems = rawAlloc(<usize>newCap << 4, blob, pc);
    memory.copy(elems, <usize>load<u32>(a, 20), <usize>n << 4);
    memory.fill(elems + (<usize>n << 4), 0, <usize>(newCap - n) << 4);
    if (ownElements(a)) rawFree(<usize>load<u32>(a, 20), <usize>cap << 4);
    store<u32>(a, newCap, 16);
    store<u32>(a, <u32>elems, 20);
  }
  const at = <usize>load<u32>(a, 20) + (<usize>n << 4);
  store<u64>(at, tag);
  store<u64>(at, bits, 8);
  store<u32>(a, n + 1, 12);
}

function parseInt(s: usize, blob: usize, pc: u32): i64 {
  const n = strLen(s);
  let i: u32 = 0;
  let neg = false;
  if (n > 0 && (load<u8>(s + OBJ_HEADER) == 45 || load<u8>(s + OBJ_HEADER) == 43)) {
    neg = load<u8>(s + OBJ_HEADER) == 45;
    i = 1;
  }
  if (i >= n) fail(ERR_NOT_A_NUMBER, blob, pc);
  let v: u64 = 0;
  for (; i < n; i++) {
    const c = <u32>load<u8>(s + OBJ_HEADER + i);
    if (c < 48 || c > 57) fail(ERR_NOT_A_NUMBER, blob, pc);
    const next = v * 10 + <u64>(c - 48);
    if (next / 10 != v || next > (neg ? 0x8000000000000000 : 0x7fffffffffffffff)) fail(ERR_NOT_A_NUMBER, blob, pc);
    v = next;
  }
  return neg ? <i64>(0 - v) : <i64>v;
}

function parseFloatValue(s: usize, blob: usize, pc: u32): f64 {
  const n = strLen(s);
  // Only plain decimal notation: digits, one '.', an exponent, a leading sign.
  if (n == 0) fail(ERR_NOT_A_NUMBER, blob, pc);
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(s + OBJ_HEADER + i);
    if (!((c >= 48 && c <= 57) || c == 46 || c == 101 || c == 69 || c == 43 || c == 45)) fail(ERR_NOT_A_NUMBER, blob, pc);
  }
  const x = strtod(String.UTF8.decodeUnsafe(s + OBJ_HEADER, n));
  if (isNaN(x)) fail(ERR_NOT_A_NUMBER, blob, pc);
  return x;
}

@inline function arg(args: usize, i: u32): u64 {
  return load<u64>(args + (<usize>i << 4));
}
@inline function argBits(args: usize, i: u32): u64 {
  return load<u64>(args + (<usize>i << 4), 8);
}

/** sqrt, abs and floor: built-ins of one number with a number result, which the interpreter also runs in line
 *  (interp/as/fern.ts, OP_BUILTIN: in specialized code, where the id is a constant, sqrt is one f64.sqrt). */
@inline export function isNumericBuiltin(id: u32): bool {
  return id == BUILTIN_SQRT || id == BUILTIN_ABS || id == BUILTIN_FLOOR;
}
/** The result tag of a numeric built-in on a number tagged t0 (numericBuiltinBits fails on anything else). */
@inline export function numericBuiltinTag(id: u32, t0: u64): u64 {
  return id == BUILTIN_SQRT ? TAG_FLOAT : id == BUILTIN_FLOOR ? TAG_INT : t0;
}
/** The result bits of a numeric built-in on (t0, b0): a type error unless it is a number; floor of a float outside
 *  the integers is "not a number". */
@inline export function numericBuiltinBits(id: u32, t0: u64, b0: u64, blob: usize, pc: u32): u64 {
  if (t0 != TAG_INT && t0 != TAG_FLOAT) fail(ERR_TYPE_ERROR, blob, pc);
  if (id == BUILTIN_SQRT) return reinterpret<u64>(Math.sqrt(asFloat(t0, b0)));
  if (t0 == TAG_INT) return id == BUILTIN_ABS && <i64>b0 < 0 ? 0 - b0 : b0;
  if (id == BUILTIN_ABS) return reinterpret<u64>(Math.abs(reinterpret<f64>(b0)));
  const f = Math.floor(reinterpret<f64>(b0));
  if (!(f > -9.3e18 && f < 9.3e18)) fail(ERR_NOT_A_NUMBER, blob, pc);
  return <u64><i64>f;
}

export function builtin(id: u32, args: usize, blob: usize, pc: u32): void {
  const t0 = arg(args, 0), b0 = argBits(args, 0);
  let tag: u64 = TAG_NIL;
  let bits: u64 = 0;
  if (id == BUILTIN_STR) {
    tag = TAG_STRING;
    bits = <u64>toStringValue(t0, b0, blob, pc);
  } else if (id == BUILTIN_INT) {
    tag = TAG_INT;
    if (t0 == TAG_INT) bits = b0;
    else if (t0 == TAG_FLOAT) {
      const f = reinterpret<f64>(b0);
      if (!(f > -9.3e18 && f < 9.3e18)) fail(ERR_NOT_A_NUMBER, blob, pc);
      bits = <u64><i64>f;
    } else if (t0 == TAG_STRING) bits = <u64>parseInt(<usize>b0, blob, pc);
    else fail(ERR_TYPE_ERROR, blob, pc);
  } else if (id == BUILTIN_FLOAT) {
    tag = TAG_FLOAT;
    if (t0 == TAG_INT || t0 == TAG_FLOAT) bits = reinterpret<u64>(asFloat(t0, b0));
    else if (t0 == TAG_STRING) bits = reinterpret<u64>(parseFloatValue(<usize>b0, blob, pc));
    else fail(ERR_TYPE_ERROR, blob, pc);
  } else if (isNumericBuiltin(id)) {
    tag = numericBuiltinTag(id, t0);
    bits = numericBuiltinBits(id, t0, b0, blob, pc);
  } else if (id == BUILTIN_PUSH) {
    if (t0 != TAG_ARRAY) fail(ERR_NOT_AN_ARRAY, blob, pc);
    push(<usize>b0, arg(args, 1), argBits(args, 1), blob, pc);
  } else if (id == BUILTIN_POP) {
    if (t0 != TAG_ARRAY) fail(ERR_NOT_AN_ARRAY, blob, pc);
    const n = load<u32>(<usize>b0, 12);
    if (n == 0) fail(ERR_POP_FROM_AN_EMPTY_ARRAY, blob, pc);
    const at = <usize>load<u32>(<usize>b0, 20) + (<usize>(n - 1) << 4);
    tag = load<u64>(at);
    bits = load<u64>(at, 8);
    store<u32>(<usize>b0, n - 1, 12);
  } else if (id == BUILTIN_KEYS) {
    if (t0 != TAG_MAP) fail(ERR_TYPE_ERROR, blob, pc);
    const m = <usize>b0;
    const n = load<u32>(m, 12);
    const a = newArray(n, blob, pc);
    const elems = <usize>load<u32>(a, 20);
    const entries = <usize>load<u32>(m, 20);
    for (let i: u32 = 0; i < n; i++) {
      store<u64>(elems + (<usize>i << 4), load<u64>(entries + (<usize>i << 5)));
      store<u64>(elems + (<usize>i << 4), load<u64>(entries + (<usize>i << 5), 8), 8);
    }
    tag = TAG_ARRAY;
    bits = <u64>a;
  } else if (id == BUILTIN_HAS) {
    if (t0 != TAG_MAP) fail(ERR_TYPE_ERROR, blob, pc);
    tag = TAG_BOOL;
    bits = <u64>(mapFind(<usize>b0, arg(args, 1), argBits(args, 1)) >= 0);
  } else if (id == BUILTIN_SUBSTR) {
    if (t0 != TAG_STRING || arg(args, 1) != TAG_INT || arg(args, 2) != TAG_INT) fail(ERR_TYPE_ERROR, blob, pc);
    const n = <i64>strLen(<usize>b0);
    const from = <i64>argBits(args, 1), to = <i64>argBits(args, 2);
    if (from < 0 || to < from || to > n) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
    const s = newString(<u32>(to - from), blob, pc);
    memory.copy(s + OBJ_HEADER, <usize>b0 + OBJ_HEADER + <usize>from, <usize>(to - from));
    tag = TAG_STRING;
    bits = <u64>s;
  } else if (id == BUILTIN_ORD) {
    if (t0 != TAG_STRING) fail(ERR_TYPE_ERROR, blob, pc);
    if (strLen(<usize>b0) == 0) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
    tag = TAG_INT;
    bits = <u64>load<u8>(<usize>b0 + OBJ_HEADER);
  } else if (id == BUILTIN_CHR) {
    if (t0 != TAG_INT) fail(ERR_TYPE_ERROR, blob, pc);
    if (b0 > 255) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
    tag = TAG_STRING;
    bits = <u64>byteString(<u32>b0);
  } else if (id == BUILTIN_TYPE) {
    tag = TAG_STRING;
    const name = t0 == TAG_NIL ? "nil" : t0 == TAG_INT ? "int" : t0 == TAG_FLOAT ? "float" : t0 == TAG_BOOL ? "bool" : t0 == TAG_ARRAY ? "array" : t0 == TAG_STRING ? "string" : t0 == TAG_MAP ? "map" : "function";
    bits = <u64>stringFromAscii(name, blob, pc);
  } else unreachable();
  resultTag = tag;
  resultBits = bits;
}
