// The host's side of Fern values: printing a (tag, bits) pair the interpreter hands over, reading arrays from the
// module's memory, and runtime errors with the function and source line: Fern's ProgramHost (interp/host.ts).
// Relies on opcodes.ts (tags, error kinds, the function header) and format.ts (debug info).
import { fernDebug, lineOf, type FernDebug } from "./format.ts";
import { FERN_ERRORS, FUNC_HEADER, TAG } from "./opcodes.ts";
import type { ProgramHost } from "../interp/host.ts";

export function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return x.toFixed(1);
  return String(x);
}

export function formatValue(memory: () => ArrayBuffer, tag: bigint, bits: bigint, depth = 0): string {
  const t = Number(BigInt.asUintN(64, tag));
  const b = BigInt.asUintN(64, bits);
  switch (t) {
    case TAG.nil:
      return "nil";
    case TAG.int:
      return BigInt.asIntN(64, b).toString();
    case TAG.float:
      return formatFloat(new Float64Array(new BigUint64Array([b]).buffer)[0]);
    case TAG.bool:
      return b !== 0n ? "true" : "false";
    case TAG.array: {
      if (depth > 3) return "[…]";
      const view = new DataView(memory());
      const at = Number(b);
      const n = view.getUint32(at, true);
      const items: string[] = [];
      for (let i = 0; i < Math.min(n, 100); i++) items.push(formatValue(memory, view.getBigUint64(at + 8 + i * 16, true), view.getBigUint64(at + 16 + i * 16, true), depth + 1));
      if (n > 100) items.push(`… ${n - 100} more`);
      return `[${items.join(", ")}]`;
    }
    default:
      return `<bad value tag ${t}>`;
  }
}

export function runtimeErrorMessage(debug: FernDebug | undefined, kind: number, func: number, pc: number): string {
  const where = lineOf(debug, func, pc);
  const what = FERN_ERRORS[kind] ?? `error ${kind}`;
  const file = debug?.file ?? "<program>";
  return where.line !== undefined ? `${file}:${where.line}: runtime error: ${what} in ${where.name}` : `${file}: runtime error: ${what} in ${where.name} (pc ${pc})`;
}

/** The program-wide byte offset `futamura.error` reports → (function, pc within its code), from the blob table. */
export function locateOffset(program: Uint8Array, offset: number): { func: number; pc: number } | undefined {
  const view = new DataView(program.buffer, program.byteOffset, program.byteLength);
  const count = view.getUint16(6, true);
  for (let i = 0; i < count; i++) {
    const at = view.getUint32(8 + i * 8, true) + FUNC_HEADER.size;
    const end = view.getUint32(8 + i * 8, true) + view.getUint32(12 + i * 8, true);
    if (offset >= at && offset < end) return { func: i, pc: offset - at };
  }
  return undefined;
}

/** Fern's additions to the host ABI: `fern.print(tag, bits)`, and runtime error messages with function and line. */
export function fernHost(program: Uint8Array): ProgramHost {
  let debug: FernDebug | undefined | null = null;
  return {
    imports: (ctx) => ({ fern: { print: (tag: bigint, bits: bigint) => ctx.write(formatValue(ctx.memory, tag, bits) + "\n") } }),
    describeError: (kind, offset) => {
      if (debug === null) debug = fernDebug(program);
      const at = locateOffset(program, offset) ?? { func: 0, pc: offset };
      return runtimeErrorMessage(debug, kind, at.func, at.pc);
    },
  };
}
