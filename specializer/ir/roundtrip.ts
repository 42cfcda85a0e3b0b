// roundTripModule: Wasm → IR → Wasm for every defined function of a module, the proof that the frontend and the
// backend agree. Each function is decoded to IR (frontend.ts), optionally verified, and emitted in place of the
// original under the same binaryen name (so exports, the table and the start function still refer to it); then,
// optionally, binaryen's optimizer runs; the output is validated by binaryen before it is returned.
// Relies on binaryen (via util/binaryen.ts's feature set), backend.ts, frontend.ts, module.ts, verify.ts.
import binaryen from "binaryen";
import { withFeatures } from "../../util/binaryen.ts";
import { BackendError, emitFunction, moduleNames } from "./backend.ts";
import { buildFunctionIR } from "./frontend.ts";
import { decodeModule } from "./module.ts";
import { verifyFunction } from "./verify.ts";

export interface RoundTripOptions {
  /** Run binaryen's optimizer (-O2) on the result. */
  optimize?: boolean;
  /** Verify each function's IR. */
  verify?: boolean;
}

export function roundTripModule(bytes: Uint8Array, opts: RoundTripOptions = {}): Uint8Array {
  const info = decodeModule(bytes);
  const imported = info.importedFuncs.length;
  const bodies = info.funcs.map((_, i) => buildFunctionIR(info, imported + i));
  if (opts.verify) for (const body of bodies) verifyFunction(body, info);
  const mod = withFeatures(binaryen, binaryen.readBinary(bytes));
  try {
    const names = moduleNames(mod);
    bodies.forEach((body, i) => {
      const name = names.funcs[imported + i];
      mod.removeFunction(name);
      emitFunction(mod, info, body, name, names);
    });
    if (opts.optimize) optimizeModule(mod);
    if (!mod.validate()) throw new BackendError("(module)", "binaryen rejected the round-tripped module (see its validation messages above)");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** binaryen -O2 (the global optimize level is restored afterwards). */
export function optimizeModule(mod: InstanceType<typeof binaryen.Module>): void {
  const [level, shrink] = [binaryen.getOptimizeLevel(), binaryen.getShrinkLevel()];
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(0);
  try {
    mod.optimize();
  } finally {
    binaryen.setOptimizeLevel(level);
    binaryen.setShrinkLevel(shrink);
  }
}
