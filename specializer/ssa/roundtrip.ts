// Wasm → IR → Wasm for a whole module: every defined function is decoded, verified (optionally) and re-emitted
// through the backend under its own name; then binaryen validates and (optionally) optimizes. Proves the frontend
// and backend against each other, and is `futamura ir --roundtrip`.
import { loadBinaryen, moduleFeatures } from "../../util/binaryen.ts";
import { emitFunction, ModuleNames, type CallSignatures } from "./backend.ts";
import { buildFunctionIR } from "./frontend.ts";
import { decodeModule, type WasmModuleInfo } from "./module.ts";
import { verifyFunction } from "./verify.ts";
import { InternalError } from "../../util/errors.ts";

export function callSignatures(info: WasmModuleInfo): CallSignatures {
  return { functions: info.functions.map((f) => f.type), types: info.types };
}

export async function roundTripModule(
  bytes: Uint8Array,
  opts: { optimize?: boolean; verify?: boolean } = {},
): Promise<Uint8Array> {
  const info = decodeModule(bytes);
  const b = await loadBinaryen();
  const mod = b.readBinary(bytes);
  try {
    mod.setFeatures(moduleFeatures(b, info.targetFeatures)); // as the specializer reads it: tail calls too
    const names = new ModuleNames(b, mod);
    const sigs = callSignatures(info);
    for (const fn of info.functions) {
      if (fn.import) continue;
      const ir = buildFunctionIR(info, fn.index);
      if (opts.verify) verifyFunction(ir);
      const name = names.functions[fn.index];
      mod.removeFunction(name);
      emitFunction(b, mod, names, sigs, ir, name);
    }
    if (opts.optimize) {
      b.setOptimizeLevel(3);
      b.setShrinkLevel(0);
      mod.optimize();
    }
    if (!mod.validate()) throw new InternalError("binaryen rejected the round-tripped module");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
