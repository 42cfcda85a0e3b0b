// Re-indexing Wasm code at the byte level: copies a function body (or a constant expression) instruction by
// instruction and rewrites the function, type and global indices its immediates hold through the maps given, so a
// module can gain or lose imports, or take a body written for another module, without a decode/encode round trip.
// Every byte not rewritten is copied as it was: an index whose map leaves it unchanged keeps even a non-minimal LEB128
// encoding. Knows the immediates of every instruction of the core spec with its proposals that V8 runs and futamura
// reads, from the one table of immediates (util/wasm-immediates.ts); anything else is a WasmDecodeError (the caller
// falls back). The format: the Wasm core spec §5.4.
import { ByteWriter, readUleb, WasmDecodeError } from "./wasm-binary.ts";
import { IMM, immediatesOf, isPrefix, prefixedImmediatesOf, type Imm } from "./wasm-immediates.ts";

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
    let imm: Imm | undefined;
    if (isPrefix(op)) {
      const sub = c.u32();
      imm = prefixedImmediatesOf(op, sub);
      if (imm === undefined)
        throw new WasmDecodeError(`unknown instruction 0x${op.toString(16)} ${sub} at byte ${c.at}`);
    } else {
      imm = immediatesOf(op);
      if (imm === undefined) throw new WasmDecodeError(`unknown opcode 0x${op.toString(16)} at byte ${c.at - 1}`);
    }
    if (op === 0x0b) depth--;
    else if (imm === IMM.blockType || imm === IMM.tryTable) depth++;
    immediates(c, imm, maps);
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

/** Copies one instruction's immediates, rewriting the indices `maps` rewrites: a table-shaped switch over the
 *  layouts of util/wasm-immediates.ts. */
function immediates(c: Copier, imm: Imm, maps: IndexMaps): void {
  switch (imm) {
    case IMM.none:
      return;
    case IMM.blockType:
      return c.blockType(maps.type);
    case IMM.tryTable:
      c.blockType(maps.type);
      for (let n = c.u32(); n > 0; n--) {
        const kind = c.u8();
        if (kind === 0 || kind === 1) c.skipLeb(); // the tag
        c.skipLeb(); // the label
      }
      return;
    case IMM.brTable:
      for (let n = c.u32() + 1; n > 0; n--) c.skipLeb();
      return;
    case IMM.func:
      return c.index(maps.func);
    case IMM.typeTable:
      c.index(maps.type);
      return c.skipLeb();
    case IMM.global:
      return c.index(maps.global);
    case IMM.label:
    case IMM.local:
    case IMM.table:
    case IMM.tag:
    case IMM.memory:
    case IMM.data:
    case IMM.elem:
    case IMM.i32:
    case IMM.i64:
    case IMM.heapType:
      return c.skipLeb();
    case IMM.dataMemory:
    case IMM.memoryMemory:
    case IMM.elemTable:
    case IMM.tableTable:
      c.skipLeb();
      return c.skipLeb();
    case IMM.valTypes:
      for (let n = c.u32(); n > 0; n--) c.u8();
      return;
    case IMM.memarg:
      return c.memarg();
    case IMM.memargLane:
      c.memarg();
      c.at++;
      return;
    case IMM.f32:
      c.at += 4;
      return;
    case IMM.f64:
      c.at += 8;
      return;
    case IMM.bytes16:
      c.at += 16;
      return;
    case IMM.lane:
    case IMM.byte:
      c.at++;
      return;
  }
}
