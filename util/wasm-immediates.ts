// The immediates of every Wasm instruction futamura reads, the one place their layout is written: what follows
// each opcode in the binary (core spec §5.4, with the proposals V8 runs: multi-value, reference types, bulk memory,
// SIMD, tail calls, exception handling, atomics). Two readers use it: the byte-level re-indexer (util/wasm-code.ts),
// which copies every instruction in the table, and the specializer's frontend (specializer/ssa/frontend.ts), which
// decodes the subset it translates and names the rest as unsupported. An opcode absent from the table is unknown.

/** An instruction's immediates, in binary order. `label`, `func`, `type`, `local`, `global`, `table`, `tag`,
 *  `data`, `elem` and `memory` are one u32 index each. */
export const IMM = {
  none: 0,
  /** block, loop, if, try: a block type (0x40, a value type, or an s33 type index). */
  blockType: 1,
  /** try_table: a block type, then a vector of catch clauses (kind, [tag], label). */
  tryTable: 2,
  /** br, br_if, rethrow, delegate. */
  label: 3,
  /** br_table: a vector of labels, then the default label. */
  brTable: 4,
  /** call, return_call, ref.func. */
  func: 5,
  /** call_indirect, return_call_indirect: a type index, then a table index. */
  typeTable: 6,
  local: 7,
  global: 8,
  /** table.get, table.set, table.grow, table.size, table.fill. */
  table: 9,
  /** catch, throw. */
  tag: 10,
  /** Loads and stores: alignment flags (bit 6: a memory index follows), [memory], offset. */
  memarg: 11,
  /** memory.size, memory.grow, memory.fill. */
  memory: 12,
  /** i32.const: an s32. */
  i32: 13,
  /** i64.const: an s64. */
  i64: 14,
  /** f32.const: 4 bytes. */
  f32: 15,
  /** f64.const: 8 bytes. */
  f64: 16,
  /** select t*: a vector of value types. */
  valTypes: 17,
  /** ref.null: a heap type (one s33). */
  heapType: 18,
  /** memory.init: a data index, then a memory index. */
  dataMemory: 19,
  /** data.drop. */
  data: 20,
  /** memory.copy: the destination memory, then the source. */
  memoryMemory: 21,
  /** table.init: an element segment index, then a table index. */
  elemTable: 22,
  /** elem.drop. */
  elem: 23,
  /** table.copy: the destination table, then the source. */
  tableTable: 24,
  /** v128.const, i8x16.shuffle: 16 bytes. */
  bytes16: 25,
  /** SIMD lane extract/replace: one lane byte. */
  lane: 26,
  /** SIMD lane loads and stores: a memarg, then a lane byte. */
  memargLane: 27,
  /** atomic.fence: one (zero) byte. */
  byte: 28,
} as const;
export type Imm = (typeof IMM)[keyof typeof IMM];

const ONE_BYTE = new Map<number, Imm>();
const set = (imm: Imm, ...ops: number[]) => ops.forEach((op) => ONE_BYTE.set(op, imm));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
// unreachable, nop, else, end, return, drop, select, catch_all, throw_ref, ref.is_null, ref.as_non_null and the
// numeric instructions
set(IMM.none, 0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd4, ...range(0x45, 0xc4));
set(IMM.blockType, 0x02, 0x03, 0x04, 0x06);
set(IMM.tryTable, 0x1f);
set(IMM.label, 0x0c, 0x0d, 0x09, 0x18);
set(IMM.brTable, 0x0e);
set(IMM.func, 0x10, 0x12, 0xd2);
set(IMM.typeTable, 0x11, 0x13);
set(IMM.valTypes, 0x1c);
set(IMM.local, 0x20, 0x21, 0x22);
set(IMM.global, 0x23, 0x24);
set(IMM.table, 0x25, 0x26);
set(IMM.tag, 0x07, 0x08);
set(IMM.memarg, ...range(0x28, 0x3e));
set(IMM.memory, 0x3f, 0x40);
set(IMM.i32, 0x41);
set(IMM.i64, 0x42);
set(IMM.f32, 0x43);
set(IMM.f64, 0x44);
set(IMM.heapType, 0xd0);

/** 0xFC: saturating truncations (0..7), bulk memory (8..11) and table operations (12..17). */
const FC: Imm[] = [
  ...range(0, 7).map(() => IMM.none),
  IMM.dataMemory, // memory.init
  IMM.data, // data.drop
  IMM.memoryMemory, // memory.copy
  IMM.memory, // memory.fill
  IMM.elemTable, // table.init
  IMM.elem, // elem.drop
  IMM.tableTable, // table.copy
  IMM.table, // table.grow
  IMM.table, // table.size
  IMM.table, // table.fill
];

/** 0xFD: SIMD and relaxed SIMD. */
function simd(sub: number): Imm | undefined {
  if (sub <= 11 || sub === 92 || sub === 93) return IMM.memarg; // loads, stores, load*_zero
  if (sub === 12 || sub === 13) return IMM.bytes16; // v128.const, i8x16.shuffle
  if (sub >= 21 && sub <= 34) return IMM.lane;
  if (sub >= 84 && sub <= 91) return IMM.memargLane;
  return sub <= 0x113 ? IMM.none : undefined;
}

/** 0xFE: threads (atomics). */
function atomics(sub: number): Imm | undefined {
  if (sub === 3) return IMM.byte; // atomic.fence
  return sub <= 0x4e ? IMM.memarg : undefined;
}

/** The immediates of the one-byte opcode `op`; undefined when it is unknown or a prefix (see `isPrefix`). */
export function immediatesOf(op: number): Imm | undefined {
  return ONE_BYTE.get(op);
}

/** Whether `op` is the prefix of multi-byte opcodes (a u32 sub-opcode follows it): 0xFC, 0xFD (SIMD), 0xFE
 *  (atomics). */
export function isPrefix(op: number): boolean {
  return op === 0xfc || op === 0xfd || op === 0xfe;
}

/** The immediates of the prefixed instruction `prefix` `sub`; undefined when it is unknown. */
export function prefixedImmediatesOf(prefix: number, sub: number): Imm | undefined {
  if (prefix === 0xfc) return FC[sub];
  if (prefix === 0xfd) return simd(sub);
  if (prefix === 0xfe) return atomics(sub);
  return undefined;
}
