// The weval intrinsics a module imports (module "weval"), by function index, and what each becomes in code that
// is not specialized (the table in interp/weval-stubs.ts, as weval's lib/weval-stubs.wat). Relies on ssa/module.ts
// and interp/weval-stubs.ts.
import type { WasmModuleInfo } from "../ssa/module.ts";

export const INTRINSIC_MODULE = "weval";

/** Intrinsics the transform understands; others are named in an error if a specialized body uses them. */
export type IntrinsicName =
  | "push.context" | "update.context" | "pop.context" | "specialize.value" | "read.reg" | "write.reg"
  | "push.stack" | "pop.stack" | "read.stack" | "write.stack" | "sync.stack" | "read.local" | "write.local"
  | "read.specialization.global" | "assert.const32" | "abort.specialization" | "trace.line" | "print" | "context.bucket"
  | string;

export function intrinsicsOf(info: WasmModuleInfo): Map<number, IntrinsicName> {
  const map = new Map<number, IntrinsicName>();
  for (const f of info.functions) if (f.import?.module === INTRINSIC_MODULE) map.set(f.index, f.import.name);
  return map;
}

/** How an intrinsic behaves outside specialization: one table for the host, the specializer and the C stubs. */
export { stubBehaviour } from "../../interp/weval-stubs.ts";
