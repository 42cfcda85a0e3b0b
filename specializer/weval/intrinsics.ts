// The weval intrinsics a module imports (module "weval"), by function index, and what each becomes in code that
// is not specialized (weval's lib/weval-stubs.wat): context and diagnostic calls vanish, specialize.value returns
// its value, and the state intrinsics trap, since only specialized code may use them. Relies on ssa/module.ts.
import type { WasmModuleInfo } from "../ssa/module.ts";

export const INTRINSIC_MODULE = "weval";

/** Intrinsics the transform understands; others are named in an error if a specialized body uses them. */
export type IntrinsicName =
  | "push.context" | "update.context" | "pop.context" | "specialize.value" | "read.reg" | "write.reg"
  | "assert.const32" | "abort.specialization" | "trace.line" | "print" | "context.bucket" | string;

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

/** A module in text form that exports, for each weval intrinsic `info` imports, a function of the same type with
 *  its stub behaviour: what a tool that instantiates an unspecialized interpreter (wizer's --preload) links in. */
export function stubModuleText(info: WasmModuleInfo): string {
  const lines = ["(module"];
  for (const f of info.functions) {
    if (f.import?.module !== INTRINSIC_MODULE) continue;
    const { params, results } = f.type;
    const behaviour = stubBehaviour(f.import.name);
    const body = behaviour === "identity" ? "(local.get 0)" : behaviour === "trap" ? "(unreachable)" : "";
    const sig = `${params.length ? ` (param ${params.join(" ")})` : ""}${results.length ? ` (result ${results.join(" ")})` : ""}`;
    lines.push(`  (func (export ${JSON.stringify(f.import.name)})${sig} ${body})`.replace(/ \)$/, ")"));
  }
  lines.push(")");
  return lines.join("\n") + "\n";
}
