// The host's side of Fern, its ProgramHost (interp/host.ts): runtime errors with the function and source line, and
// float formatting (the interpreter formats every other value itself and prints through futamura.write;
// interp/as/fern-heap.ts says why floats are the exception).
import { memoryRange, type ProgramHost } from "../interp/host.ts";
import { fernDebug, lineOf, type FernDebug } from "./format.ts";
import { FERN_ERRORS, FUNC_HEADER, PROGRAM_HEADER } from "./opcodes.ts";

export function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(1);
  return String(x);
}

export function runtimeErrorMessage(debug: FernDebug | undefined, kind: number, func: number, pc: number): string {
  const where = lineOf(debug, func, pc);
  const what = FERN_ERRORS[kind] ?? `error ${kind}`;
  const file = debug?.file ?? "<program>";
  return where.line !== undefined
    ? `${file}:${where.line}: runtime error: ${what} in ${where.name}`
    : `${file}: runtime error: ${what} in ${where.name} (pc ${pc})`;
}

/** The program-wide byte offset `futamura.error` reports → (function, pc within its code), from the blob table. */
export function locateOffset(program: Uint8Array, offset: number): { func: number; pc: number } | undefined {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const count = view.getUint32(PROGRAM_HEADER.nfuncs, true);
  for (let i = 0; i < count; i++) {
    const blob = view.getUint32(PROGRAM_HEADER.size + i * 8, true);
    const at = blob + FUNC_HEADER.size;
    const end = blob + view.getUint32(PROGRAM_HEADER.size + 4 + i * 8, true);
    if (offset >= at && offset < end) return { func: i, pc: offset - at };
  }
  return undefined;
}

/** Fern's additions to the host ABI: `fern.format_float(x, dst)`, and runtime error messages with function and line. */
export function fernHost(program: Uint8Array): ProgramHost {
  let debug: FernDebug | undefined | null = null;
  return {
    imports: (ctx) => ({
      fern: {
        // Floats as print and str() show them (interp/as/fern-heap.ts says why this one step is the host's).
        format_float: (x: number, dst: number) => {
          const text = formatFloat(x);
          memoryRange(ctx.memory(), dst, text.length, "fern.format_float").set(
            Array.from(text, (c) => c.charCodeAt(0)),
          );
          return text.length;
        },
      },
    }),
    describeError: (kind, offset) => {
      if (debug === null) debug = fernDebug(program);
      const at = locateOffset(program, offset) ?? { func: 0, pc: offset };
      return runtimeErrorMessage(debug, kind, at.func, at.pc);
    },
  };
}
