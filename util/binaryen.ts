// binaryen.js, loaded once per process (the import took ~0.4 s on 2026-12-01), and the feature sets stages read and
// write modules with: the project's base set (what AssemblyScript and clang -O2 emit: MVP, mutable globals, sign
// extension, bulk memory, non-trapping float-to-int, multi-value), plus, for a module a user brought, what that
// module says it uses (its `target_features` section, as clang writes it: `-msimd128` adds simd128), SIMD and
// tail calls, which V8 runs and binaryen reads whatever the section says. readBinary and new Module() default to MVP,
// so call `withFeatures` (or `withModuleFeatures`) on every module before validating or optimizing.
import type binaryenType from "binaryen";
import { UserError } from "./errors.ts";

export type Binaryen = typeof binaryenType;
export type BinaryenModule = InstanceType<Binaryen["Module"]>;

let loaded: Binaryen | undefined;

export async function loadBinaryen(): Promise<Binaryen> {
  loaded ??= (await import("binaryen")).default;
  return loaded;
}

/** The project's feature set (BulkMemory needs BulkMemoryOpt beside it in binaryen 132). */
export function projectFeatures(b: Binaryen): number {
  const F = b.Features;
  return (
    F.MVP |
    F.MutableGlobals |
    F.SignExt |
    F.BulkMemory |
    F.BulkMemoryOpt |
    F.NontrappingFPToInt |
    F.Multivalue |
    F.CallIndirectOverlong
  );
}

/** target_features names binaryen and V8 (Node 20) both handle, and binaryen's flag for each. */
const SUPPORTED_FEATURES: Record<string, keyof Binaryen["Features"] | (keyof Binaryen["Features"])[]> = {
  "mutable-globals": "MutableGlobals",
  "sign-ext": "SignExt",
  "bulk-memory": ["BulkMemory", "BulkMemoryOpt"],
  "bulk-memory-opt": "BulkMemoryOpt",
  "nontrapping-fptoint": "NontrappingFPToInt",
  multivalue: "Multivalue",
  "call-indirect-overlong": "CallIndirectOverlong",
  simd128: "SIMD128",
  "relaxed-simd": "RelaxedSIMD",
  "reference-types": "ReferenceTypes",
  "extended-const": "ExtendedConst",
  "tail-call": "TailCall",
  "exception-handling": "ExceptionHandling",
};

/** The features to read a user's module with: the base set, SIMD and tail calls (V8 runs both, and a module may
 *  use them without a target_features section: a hand-written or wasm-opt'd one), and what its target_features
 *  section names.
 *  A feature futamura cannot handle (memory64, multiple memories, GC, threads…) is a UserError naming it. */
export function moduleFeatures(b: Binaryen, targetFeatures: readonly string[]): number {
  let features = projectFeatures(b) | b.Features.SIMD128 | b.Features.TailCall;
  for (const name of targetFeatures) {
    const flags = SUPPORTED_FEATURES[name];
    if (!flags)
      throw new UserError(
        `the module uses the Wasm feature '${name}' (its target_features section says so), which futamura does not support; supported: ${Object.keys(SUPPORTED_FEATURES).join(", ")}`,
      );
    for (const f of Array.isArray(flags) ? flags : [flags]) features |= b.Features[f];
  }
  return features;
}

export function withFeatures(b: Binaryen, mod: BinaryenModule): BinaryenModule {
  mod.setFeatures(projectFeatures(b));
  return mod;
}
