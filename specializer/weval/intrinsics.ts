// The weval intrinsics a module imports (module "weval"), by function index, and what each becomes in code that
// is not specialized (weval's lib/weval-stubs.wat): context and diagnostic calls vanish, specialize.value returns
// its value, and the state intrinsics trap, since only specialized code may use them. Relies on ssa/module.ts.
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

/** How an intrinsic behaves outside specialization. */
export function stubBehaviour(name: string): "nothing" | "identity" | "trap" {
  switch (name) {
    case "push.context":
    case "update.context":
    case "pop.context":
    case "assert.const32":
    case "assert.const.memory":
    case "abort.specialization":
    case "trace.line":
    case "print":
    case "context.bucket":
    case "write.reg":
    case "push.stack":
    case "write.stack":
    case "sync.stack":
    case "write.local":
    case "exit.path":
    case "stop.exit.path":
      return "nothing";
    case "specialize.value":
    case "assume.const.memory":
    case "assume.const.memory.transitive":
      return "identity";
    default:
      return "trap";
  }
}
