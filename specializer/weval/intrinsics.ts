// The weval intrinsics a module imports (module "weval"), by function index. What each one is — signature, stub,
// effect on the context — is the ABI table's (abi/weval.ts).
import { INTRINSIC_MODULE } from "../../abi/weval.ts";
import type { WasmModuleInfo } from "../ssa/module.ts";

export { INTRINSIC_MODULE, isIntrinsicName, stubBehaviour, type IntrinsicName } from "../../abi/weval.ts";

/** The module's imports from module "weval", by function index: their names as imported (the ABI's, or others,
 *  which the specializer names in an abort if a specialized body calls one). */
export function intrinsicsOf(info: WasmModuleInfo): Map<number, string> {
  const map = new Map<number, string>();
  for (const f of info.functions) if (f.import?.module === INTRINSIC_MODULE) map.set(f.index, f.import.name);
  return map;
}
