// binaryen.js, loaded once per process (the import takes ~0.4 s), and the one feature set every stage reads and
// writes modules with: what AssemblyScript and clang -O2 emit for our interpreters (MVP, mutable globals, sign
// extension, bulk memory, non-trapping float-to-int, multi-value). readBinary and new Module() default to MVP, so
// call `withFeatures` on every module before validating or optimizing. Relies on binaryen@132.
import type binaryenType from "binaryen";

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
  return F.MVP | F.MutableGlobals | F.SignExt | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.Multivalue | F.CallIndirectOverlong;
}

export function withFeatures(b: Binaryen, mod: BinaryenModule): BinaryenModule {
  mod.setFeatures(projectFeatures(b));
  return mod;
}
