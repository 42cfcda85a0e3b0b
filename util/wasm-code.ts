// Re-indexing Wasm code at the byte level: copies a function body (or a constant expression) instruction by
// instruction and rewrites the function, type and global indices its immediates hold through the maps given, so a
// module can gain or lose imports, or take a body written for another module, without a decode/encode round trip.
// Every byte not rewritten is copied as it was: an index whose map leaves it unchanged keeps even a non-minimal LEB128
// encoding. Knows the immediates of every instruction of the core spec with its proposals that V8 runs and futamura
// reads (multi-value, reference types, bulk memory, SIMD, tail calls, exception handling, atomics); anything else is a
// WasmDecodeError (the caller falls back). The format: the Wasm core spec §5.4.
import { ByteWriter, readUleb, WasmDecodeError } from "./wasm-binary.ts";

/** Index maps from the input's index spaces to the output's; an absent map keeps those indices. */
export interface IndexMaps {
  func?: (index: number) => number;
  type?: (index: number) => number;
  global?: (index: number) => number;
}

/** A cursor that copies the input to `out` lazily: bytes are flushed only when an immediate changes. */
class Copier {
  private copied: number;
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly out: ByteWriter,
  ) {
    this.copied = at;
  }

  u8(): number {
    return this.bytes[this.at++];
  }

  u32(): number {
    const { value, next } = readUleb(this.bytes, this.at);
    this.at = next;
    return value;
  }

  skipLeb(): void {
    while (this.bytes[this.at++] & 0x80) if (this.at >= this.bytes.length) throw new WasmDecodeError("truncated LEB");
  }

  /** An index immediate, rewritten through `map` when it changes. */
  index(map: ((i: number) => number) | undefined): void {
    if (!map) return this.skipLeb();
    const start = this.at;
    const old = this.u32();
    const now = map(old);
    if (now === old) return;
    this.out.bytes(this.bytes.subarray(this.copied, start));
    this.out.uleb(now);
    this.copied = this.at;
  }

  /** A block type: empty (0x40), a value type (one byte, negative as s33) or a type index (s33 ≥ 0). */
  blockType(map: ((i: number) => number) | undefined): void {
    const b = this.bytes[this.at];
    if (b === 0x40 || (b & 0xc0) === 0x40) {
      // 0x40 and the one-byte negative s33 values: the empty type and value types.
      this.at++;
      return;
    }
    this.index(map); // a non-negative s33 below 2^32 is written as its uleb
  }

  memarg(): void {
    const align = this.u32();
    if (align & 0x40) this.skipLeb(); // a memory index follows
    this.skipLeb();
  }

  flush(): void {
    this.out.bytes(this.bytes.subarray(this.copied, this.at));
    this.copied = this.at;
  }
}

/** Copies the instructions from `at` up to and including the `end` that closes the outermost level, rewriting
 *  indices; returns where it stopped. */
export function reindexExpr(bytes: Uint8Array, at: number, maps: IndexMaps, out: ByteWriter): number {
  const c = new Copier(bytes, at, out);
  let depth = 1;
  while (depth > 0) {
    if (c.at >= bytes.length) throw new WasmDecodeError(`code runs past its end at byte ${c.at}`);
    const op = c.u8();
    if (op === 0x0b) depth--;
    else if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06) {
      depth++;
      c.blockType(maps.type);
    } else if (op === 0x1f) {
      depth++;
      c.blockType(maps.type);
      tryTableCatches(c);
    } else immediates(c, op, maps);
  }
  c.flush();
  return c.at;
}

/** A code entry's body (locals, then the expression), from `start` to `end`, with its indices rewritten; without
 *  the size prefix. */
export function reindexBody(bytes: Uint8Array, start: number, end: number, maps: IndexMaps): Uint8Array {
  const out = new ByteWriter(end - start + 16);
  let at = start;
  let groups: number;
  ({ value: groups, next: at } = readUleb(bytes, at));
  for (let g = 0; g < groups; g++) {
    at = readUleb(bytes, at).next;
    const t = bytes[at++];
    if (t === 0x63 || t === 0x64) throw new WasmDecodeError(`typed reference locals are not supported (byte ${at})`);
  }
  out.bytes(bytes.subarray(start, at));
  if (reindexExpr(bytes, at, maps, out) !== end)
    throw new WasmDecodeError(`function body at byte ${start} does not end where its size says`);
  return out.finish();
}

function tryTableCatches(c: Copier): void {
  for (let n = c.u32(); n > 0; n--) {
    const kind = c.u8();
    if (kind === 0 || kind === 1) c.skipLeb(); // the tag
    c.skipLeb(); // the label
  }
}

/** The immediates of one instruction (not block, loop, if, try, try_table or end): a table-shaped switch over the
 *  opcode. */
function immediates(c: Copier, op: number, maps: IndexMaps): void {
  switch (op) {
    case 0x0c: // br
    case 0x0d: // br_if
    case 0x20: // local.get
    case 0x21: // local.set
    case 0x22: // local.tee
    case 0x25: // table.get
    case 0x26: // table.set
    case 0x07: // catch (tag)
    case 0x08: // throw (tag)
    case 0x09: // rethrow
    case 0x18: // delegate
    case 0x3f: // memory.size
    case 0x40: // memory.grow
    case 0x41: // i32.const
    case 0x42: // i64.const
    case 0xd0: // ref.null (heap type)
      return c.skipLeb();
    case 0x0e: // br_table
      for (let n = c.u32() + 1; n > 0; n--) c.skipLeb();
      return;
    case 0x10: // call
    case 0x12: // return_call
    case 0xd2: // ref.func
      return c.index(maps.func);
    case 0x11: // call_indirect
    case 0x13: // return_call_indirect
      c.index(maps.type);
      return c.skipLeb();
    case 0x1c: // select t*
      for (let n = c.u32(); n > 0; n--) c.u8();
      return;
    case 0x23: // global.get
    case 0x24: // global.set
      return c.index(maps.global);
    case 0x43:
      c.at += 4;
      return;
    case 0x44:
      c.at += 8;
      return;
    case 0xfc:
      return prefixFC(c);
    case 0xfd:
      return prefixFD(c);
    case 0xfe:
      return prefixFE(c);
  }
  // No immediates: unreachable, nop, else, return, drop, select, catch_all, throw_ref, ref.is_null, ref.as_non_null
  // and the numeric instructions.
  if (op <= 0x01 || op === 0x05 || op === 0x0a || op === 0x0f || op === 0x19 || op === 0x1a || op === 0x1b) return;
  if (op >= 0x28 && op <= 0x3e) return c.memarg();
  if ((op >= 0x45 && op <= 0xc4) || op === 0xd1 || op === 0xd4) return;
  throw new WasmDecodeError(`unknown opcode 0x${op.toString(16)} at byte ${c.at - 1}`);
}

function prefixFC(c: Copier): void {
  const sub = c.u32();
  if (sub <= 7) return; // saturating truncations
  if (sub === 8 || sub === 12 || sub === 14) {
    // memory.init data mem; table.init elem table; table.copy table table
    c.skipLeb();
    return c.skipLeb();
  }
  if (sub === 10) {
    c.skipLeb(); // memory.copy dst src
    return c.skipLeb();
  }
  if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) return c.skipLeb();
  throw new WasmDecodeError(`unknown instruction 0xfc ${sub} at byte ${c.at}`);
}

function prefixFD(c: Copier): void {
  const sub = c.u32();
  if (sub <= 11 || sub === 92 || sub === 93) return c.memarg();
  if (sub === 12 || sub === 13) {
    c.at += 16; // v128.const, i8x16.shuffle
    return;
  }
  if (sub >= 21 && sub <= 34) {
    c.at++; // lane index
    return;
  }
  if (sub >= 84 && sub <= 91) {
    c.memarg();
    c.at++;
    return;
  }
  if (sub <= 0x113) return; // the rest of SIMD and relaxed SIMD take no immediates
  throw new WasmDecodeError(`unknown instruction 0xfd ${sub} at byte ${c.at}`);
}

function prefixFE(c: Copier): void {
  const sub = c.u32();
  if (sub === 3) {
    c.at++; // atomic.fence
    return;
  }
  if (sub <= 0x4e) return c.memarg();
  throw new WasmDecodeError(`unknown instruction 0xfe ${sub} at byte ${c.at}`);
}
