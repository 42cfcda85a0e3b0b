// Minimal Wasm binary plumbing shared by stages that edit modules at the byte level: LEB128 encoding, splitting a
// module into its top-level sections, and appending active data segments (later segments overwrite earlier ones at
// instantiation, so a patch is just one more segment). Everything else about a module is edited through binaryen.
// Relies on nothing (the Wasm binary format, core spec §5).

export function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

export function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (byte & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export function readUleb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at >= bytes.length) throw new Error("truncated LEB128");
    const b = bytes[at++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value: result, next: at };
  }
}

export interface Section {
  id: number;
  /** The section's payload (without id and size). */
  payload: Uint8Array<ArrayBufferLike>;
}

export const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, element: 9, code: 10, data: 11, dataCount: 12 } as const;

export function splitSections(wasm: Uint8Array): Section[] {
  if (wasm.length < 8 || wasm[0] !== 0 || wasm[1] !== 0x61 || wasm[2] !== 0x73 || wasm[3] !== 0x6d) throw new Error("not a Wasm module (bad magic)");
  const sections: Section[] = [];
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const { value: size, next } = readUleb(wasm, at + 1);
    if (next + size > wasm.length) throw new Error(`section ${id} at byte ${at} runs past the end of the module`);
    sections.push({ id, payload: wasm.subarray(next, next + size) });
    at = next + size;
  }
  return sections;
}

export function joinSections(sections: Section[]): Uint8Array {
  const parts: number[][] = [[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]];
  let total = 8;
  const bodies = sections.map((s) => {
    const head = [s.id, ...uleb(s.payload.length)];
    total += head.length + s.payload.length;
    return head;
  });
  const out = new Uint8Array(total);
  out.set(parts[0], 0);
  let at = 8;
  sections.forEach((s, i) => {
    out.set(bodies[i], at);
    at += bodies[i].length;
    out.set(s.payload, at);
    at += s.payload.length;
  });
  return out;
}

/** Append active data segments for memory 0 at constant offsets; keeps the data-count section in step. */
export function appendDataSegments(wasm: Uint8Array, patches: { offset: number; bytes: Uint8Array }[]): Uint8Array {
  if (patches.length === 0) return wasm;
  const sections = splitSections(wasm);
  const encoded: number[] = [];
  for (const p of patches) encoded.push(0x00, 0x41, ...sleb(p.offset | 0), 0x0b, ...uleb(p.bytes.length), ...p.bytes);
  let data: Section | undefined = sections.find((s) => s.id === SECTION.data);
  let oldCount = 0;
  let oldBody: Uint8Array = new Uint8Array(0);
  if (data) {
    const { value, next } = readUleb(data.payload, 0);
    oldCount = value;
    oldBody = data.payload.subarray(next);
  } else {
    data = { id: SECTION.data, payload: new Uint8Array(0) };
    // The data section goes after code (and before custom sections that follow code).
    const codeAt = sections.findIndex((s) => s.id === SECTION.code);
    sections.splice(codeAt >= 0 ? codeAt + 1 : sections.length, 0, data);
  }
  const count = oldCount + patches.length;
  data.payload = new Uint8Array([...uleb(count), ...oldBody, ...encoded]);
  const dc = sections.find((s) => s.id === SECTION.dataCount);
  if (dc) dc.payload = new Uint8Array(uleb(count));
  return joinSections(sections);
}
