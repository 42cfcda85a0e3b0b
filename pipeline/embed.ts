// What `futamura build` writes into a built module besides the code: a custom section "futamura.program" naming
// the interpreter and holding the program's bytes, so `futamura run out.wasm` can give a language its own host
// imports and error messages (Fern's fern.print and lines) without the source. Custom sections do not change what
// the module does; engines ignore them.

export const PROGRAM_SECTION = "futamura.program";

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};

/** The module with the section appended: u32 name length + the interpreter's name, then the program's bytes. */
export function withProgramSection(wasm: Uint8Array, interpreter: string, program: Uint8Array): Uint8Array {
  const name = new TextEncoder().encode(PROGRAM_SECTION);
  const interp = new TextEncoder().encode(interpreter);
  const payload = [...leb(name.length), ...name, ...leb(interp.length), ...interp];
  const size = payload.length + program.length;
  const out = new Uint8Array(wasm.length + 1 + leb(size).length + size);
  out.set(wasm, 0);
  let at = wasm.length;
  for (const b of [0, ...leb(size), ...payload]) out[at++] = b;
  out.set(program, at);
  return out;
}

/** The interpreter's name and the program's bytes from a built module, if `futamura build` wrote them. */
export function readProgramSection(
  module: WebAssembly.Module,
): { interpreter: string; program: Uint8Array } | undefined {
  const [section] = WebAssembly.Module.customSections(module, PROGRAM_SECTION);
  if (!section) return undefined;
  const bytes = new Uint8Array(section);
  let n = 0;
  let shift = 0;
  let at = 0;
  for (;;) {
    const b = bytes[at++];
    n |= (b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return { interpreter: new TextDecoder().decode(bytes.subarray(at, at + n)), program: bytes.slice(at + n) };
}
