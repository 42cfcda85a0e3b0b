// What one request's specialized code may know about the other requests of the same snapshot — our extension of
// weval's ABI (docs/how-the-specializer-works.md, "Calls between specialized functions"):
//   - a request's constant buffer arguments stay in memory, unchanged, where the interpreter put them (weval assumes
//     as much of specialization arguments), so a load at a constant address inside one reads the buffer's bytes;
//   - a request's `specialized` slot holds the table index the specializer gives that request (0 when it aborted)
//     and nothing else: the interpreter must not write it after the snapshot. So a load of a slot at a constant
//     address reads that index, and
//   - a call_indirect through table 0 at such an index, with the specialized function's type, becomes a direct
//     `call` of the function (we emit the table's entries past the snapshot's, and nothing may replace them).
// A store at a constant address into a slot or a buffer anywhere in the module's code (found by `constantStores`)
// takes that region out: its loads stay loads. Stores through computed addresses cannot be seen; the contract
// above is what makes folding them sound.
//
// The table indices depend on which requests abort (an aborted request gets no table entry): `plan` assigns them,
// every request's specialization records the slot values it folded (`RequestView.folded`), and specializeModule
// specializes a request again when a later abort changed one of them (specializer/index.ts).
import type { DataSegment, FuncType, WasmModuleInfo } from "../ssa/module.ts";
import type { Const, ValType } from "../ssa/types.ts";
import type { WevalRequest } from "../../abi/weval.ts";
import { readConst } from "../ssa/fold.ts";
import { constantStores } from "./constant-stores.ts";

/** What specialize.ts asks: the constant at a constant address, and the function a constant table index calls. */
export interface KnownMemory {
  /** The value a `bytes`-wide load at `addr` reads, when the bytes there are constant for the output's lifetime. */
  load(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined;
  /** The function index a call_indirect of type `typeIndex` through table `table` at `tableIndex` calls, when it
   *  is one of the specialized functions and the types match. */
  directCallee(table: number, tableIndex: number, typeIndex: number): number | undefined;
  /** The value a load at `addr` reads in the snapshot's memory image (for weval.assume.const.memory); undefined
   *  outside the initial memory. */
  image(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined;
}

interface Region {
  start: number;
  end: number;
  /** The request the region belongs to (its buffer's bytes, or its slot). */
  request: number;
  /** A buffer's bytes; a slot has none (its bytes are the planned table index). */
  bytes?: Uint8Array;
  /** The module's code stores into it at a constant address: not constant. */
  written?: boolean;
}

export class RequestLinks {
  /** Buffer and slot regions, sorted by start, not overlapping. */
  private readonly regions: Region[];
  /** Per request: its planned table index (0 when aborted) and its function's index in the output module. */
  private tableIndex: number[] = [];
  private functionIndex: number[] = [];
  /** Per request: the type of the function it specializes (the specialized one has the same). */
  private readonly types: (FuncType | undefined)[];
  /** Table index → request, for the planned indices. */
  private byTableIndex = new Map<number, number>();
  /** Every request's slot, sorted by start (shared ones too: `touchesSlot`). */
  private readonly slots: Region[];
  /** Regions left out because the module's code stores into them at a constant address (for --stats and tests),
   *  known once a load has hit a region (`region` scans the module's code then, once). */
  readonly excluded: { request: number; what: "slot" | "buffer"; start: number }[] = [];
  /** Why no region folds at all: a function of the module that the frontend cannot read (it might store anywhere). */
  unreadable?: string;
  /** Whether the module's code has been scanned for constant-address stores (`applyStores`). */
  private scanned = false;
  /** The memory image's segments by start, when they do not overlap (`imageSpans`); null when they do. */
  private imageSpans?: { start: number; segment: DataSegment & { offset: number } }[] | null;

  constructor(
    private readonly info: WasmModuleInfo,
    private readonly requests: WevalRequest[],
  ) {
    this.types = requests.map((r) => {
      const f = info.table0.get(r.func);
      return f === undefined ? undefined : info.functions[f].type;
    });
    const slots: Region[] = requests.map((r, i) => ({
      start: r.specializedSlot,
      end: r.specializedSlot + 4,
      request: i,
    }));
    const sortedSlots = (this.slots = [...slots].sort((a, b) => a.start - b.start));
    const overlapsSlot = (start: number, end: number, self?: Region) =>
      sortedSlots.some((o) => o !== self && o.start < end && start < o.end);
    const regions: Region[] = [];
    for (const s of slots) {
      // Two requests sharing a slot: the slot ends up with one of their indices, which is not for us to guess.
      if (overlapsSlot(s.start, s.end, s)) this.excluded.push({ request: s.request, what: "slot", start: s.start });
      else regions.push(s);
    }
    requests.forEach((r, i) => {
      for (const b of bufferRegions(r)) {
        // A buffer holding a slot changes when the slot is written: not constant.
        if (overlapsSlot(b.start, b.end)) this.excluded.push({ request: i, what: "buffer", start: b.start });
        else regions.push({ ...b, request: i });
      }
    });
    regions.sort((a, b) => a.start - b.start);
    // Buffers of two requests that overlap (the same bytes passed twice): the first one's bytes answer, and a load
    // that reaches past its end stays a load.
    this.regions = regions.filter((r, i) => i === 0 || r.start >= regions[i - 1].end);
  }

  /** Take out the regions the module's code stores into at a constant address (the scan runs only when some load
   *  needs it, reads into IR only the functions that may store into a region, and is kept per interpreter in a
   *  process: constant-stores.ts). */
  private applyStores(): void {
    this.scanned = true;
    const { ranges, unreadable } = constantStores(this.info, (start, end) => {
      const r = this.regions[lastStartingAtOrBefore(this.regions, end - 1)];
      return r !== undefined && r.end > start;
    });
    this.unreadable = unreadable;
    for (const r of this.regions) {
      if (!ranges.some(([s, e]) => s < r.end && r.start < e)) continue;
      r.written = true;
      this.excluded.push({ request: r.request, what: r.bytes ? "buffer" : "slot", start: r.start });
    }
  }

  /** Assign table indices: requests that did not abort get `firstIndex`, `firstIndex + 1`, … in request order,
   *  and function indices from `firstFunction` the same way (the order specializeModule emits them in). */
  plan(aborted: ReadonlySet<number>, firstIndex: number, firstFunction: number): void {
    let next = 0;
    this.tableIndex = [];
    this.functionIndex = [];
    this.byTableIndex = new Map();
    this.requests.forEach((_, i) => {
      if (aborted.has(i)) {
        this.tableIndex.push(0);
        this.functionIndex.push(-1);
        return;
      }
      this.tableIndex.push(firstIndex + next);
      this.functionIndex.push(firstFunction + next);
      this.byTableIndex.set(firstIndex + next, i);
      next++;
    });
  }

  /** The planned table index of request `i` (0 when aborted). */
  plannedIndex(i: number): number {
    return this.tableIndex[i];
  }

  /** What the specialization of one request sees, recording the slots it folds. */
  view(): RequestView {
    return new RequestView(this);
  }

  /** The region holding [addr, addr + bytes), if one holds all of it. */
  region(addr: number, bytes: number): Region | undefined {
    const r = this.regions[lastStartingAtOrBefore(this.regions, addr)];
    if (!r || addr < r.start || addr + bytes > r.end) return undefined;
    if (!this.scanned) this.applyStores();
    return r.written ? undefined : r;
  }

  /** Whether [addr, addr + bytes) overlaps a request's slot (written or not). */
  touchesSlot(addr: number, bytes: number): boolean {
    const rs = this.slots;
    const hi = lastStartingAtOrBefore(rs, addr);
    // rs[hi] starts at or before addr (slots are 4 bytes: an earlier one that overlaps is at most 3 before it).
    for (let i = Math.max(hi - 3, 0); i < rs.length && rs[i].start < addr + bytes; i++)
      if (addr < rs[i].end) return true;
    return false;
  }

  /** The request whose specialized function sits at `tableIndex` of table 0, if its type is `type`. */
  calleeAt(tableIndex: number, type: FuncType): { request: number; functionIndex: number } | undefined {
    const request = this.byTableIndex.get(tableIndex);
    if (request === undefined) return undefined;
    const t = this.types[request];
    if (!t || t.params.join() !== type.params.join() || t.results.join() !== type.results.join()) return undefined;
    return { request, functionIndex: this.functionIndex[request] };
  }

  /** The `bytes` at `addr` in the snapshot's memory image: its active data segments over zeroed initial memory. */
  imageBytes(addr: number, bytes: number): Uint8Array | undefined {
    const mem = this.info.memories[0];
    if (!mem || addr < 0 || addr + bytes > mem.initial * 65536) return undefined;
    const out = new Uint8Array(bytes);
    const copy = (d: DataSegment & { offset: number }) => {
      const from = Math.max(addr, d.offset);
      const to = Math.min(addr + bytes, d.offset + d.bytes.length);
      if (from < to) out.set(d.bytes.subarray(from - d.offset, to - d.offset), from - addr);
    };
    const spans = (this.imageSpans ??= imageSpans(this.info));
    if (!spans) {
      for (const d of this.info.data)
        if (d.memory === 0 && d.offset !== undefined) copy(d as DataSegment & { offset: number });
      return out;
    }
    // Disjoint segments sorted by start: the one holding addr (if any) and those after it that start before the end.
    for (
      let i = Math.max(lastStartingAtOrBefore(spans, addr), 0);
      i < spans.length && spans[i].start < addr + bytes;
      i++
    )
      copy(spans[i].segment);
    return out;
  }

  typeAt(typeIndex: number): FuncType | undefined {
    return this.info.types[typeIndex];
  }
}

/** One request's use of the links: KnownMemory for specialize.ts, and the slot values it folded. */
export class RequestView implements KnownMemory {
  /** Request index → the slot value this specialization folded (a re-plan that changes it makes it stale). */
  readonly folded = new Map<number, number>();

  constructor(private readonly links: RequestLinks) {}

  load(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined {
    const r = this.links.region(addr, bytes);
    if (!r) return undefined;
    if (r.bytes) return readConst(r.bytes, addr - r.start, bytes, signed, type);
    const index = this.links.plannedIndex(r.request);
    this.folded.set(r.request, index);
    const slot = new Uint8Array(4);
    new DataView(slot.buffer).setUint32(0, index, true);
    return readConst(slot, addr - r.start, bytes, signed, type);
  }

  directCallee(table: number, tableIndex: number, typeIndex: number): number | undefined {
    const type = this.links.typeAt(typeIndex);
    if (table !== 0 || !type) return undefined;
    const callee = this.links.calleeAt(tableIndex, type);
    if (!callee) return undefined;
    this.folded.set(callee.request, tableIndex);
    return callee.functionIndex;
  }

  image(addr: number, bytes: number, signed: boolean, type: ValType): Const | undefined {
    // A slot's bytes in the snapshot are not the output's (the specializer fills it): never read as constant memory.
    if (this.links.touchesSlot(addr, bytes)) return undefined;
    const b = this.links.imageBytes(addr, bytes);
    return b && readConst(b, 0, bytes, signed, type);
  }

  /** Whether what this specialization folded still holds under the links' current plan. */
  stillHolds(): boolean {
    for (const [request, index] of this.folded) if (this.links.plannedIndex(request) !== index) return false;
    return true;
  }
}

/** The memory a request's specialized buffer arguments occupy (their bytes, after each record's header). */
function bufferRegions(r: WevalRequest): { start: number; end: number; bytes: Uint8Array }[] {
  return r.args
    .filter((a) => a.ty === "buffer" && a.specialize && a.bytes!.length > 0)
    .map((a) => ({ start: a.addr!, end: a.addr! + a.bytes!.length, bytes: a.bytes! }));
}

/** Memory 0's active data segments sorted by start, or null when two overlap (then a later one's bytes win, and the
 *  image is read segment by segment in order). A snapshot's image is many segments (Lua's, ~1,500): a load of it
 *  reads one or two of them. */
function imageSpans(info: WasmModuleInfo): { start: number; segment: DataSegment & { offset: number } }[] | null {
  const spans = info.data
    .filter((d): d is DataSegment & { offset: number } => d.memory === 0 && d.offset !== undefined)
    .map((segment) => ({ start: segment.offset, segment }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++)
    if (spans[i].start < spans[i - 1].start + spans[i - 1].segment.bytes.length) return null;
  return spans;
}

/** The index of the last of `spans` (sorted by start) that starts at or before `addr`; -1 when none does. */
function lastStartingAtOrBefore(spans: readonly { start: number }[], addr: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start > addr) hi = mid - 1;
    else lo = mid + 1;
  }
  return hi;
}
