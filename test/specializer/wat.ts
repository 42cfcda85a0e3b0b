// Test helper: the .wat corpus in test/specializer/fixtures, compiled with binaryen (all the project's features).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../util/root.ts";
import { loadBinaryen } from "../../util/binaryen.ts";

export const FIXTURES = join(ROOT, "test", "specializer", "fixtures");

export async function wat(file: string, extraFeatures = 0): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(readFileSync(join(FIXTURES, file), "utf8"));
  mod.setFeatures(
    b.Features.MVP |
      b.Features.MutableGlobals |
      b.Features.SignExt |
      b.Features.BulkMemory |
      b.Features.BulkMemoryOpt |
      b.Features.NontrappingFPToInt |
      b.Features.Multivalue |
      b.Features.TailCall |
      extraFeatures,
  );
  try {
    if (!mod.validate()) throw new Error(`${file} does not validate`);
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** The supported fixtures (simd.wat is the unsupported one). */
export function watCorpus(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".wat") && f !== "simd.wat")
    .sort();
}
