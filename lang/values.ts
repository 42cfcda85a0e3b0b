// The host's side of Fern values: printing a (tag, bits) pair the interpreter hands over, reading arrays from the
// module's memory, and runtime errors with the function and source line. Used by interp/host.ts. Relies on
// opcodes.ts (tags, error kinds) and format.ts (debug info).
import { UserError } from "../util/errors.ts";
import { fernDebug, lineOf, type FernDebug } from "./format.ts";
import { FERN_ERRORS, TAG } from "./opcodes.ts";

export class FernRuntimeError extends UserError {}

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

export function fernImports(program: Uint8Array, memory: () => ArrayBuffer, write: (text: string) => void): WebAssembly.ModuleImports {
  let debug: FernDebug | undefined | null = null;
  return {
    print: (tag: bigint, bits: bigint) => write(formatValue(memory, tag, bits) + "\n"),
    error: (kind: number, func: number, pc: number) => {
      if (debug === null) debug = fernDebug(program);
      throw new FernRuntimeError(runtimeErrorMessage(debug, kind, func, pc >>> 0));
    },
  };
}
