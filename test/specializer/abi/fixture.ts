// The ABI fixtures of this folder (*.wat) as module bytes with the project's features and tail calls, and the
// mutation check the entry tests run on them: seeded byte mutations give a result or a one-line UserError.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { specializeModule } from "../../../specializer/index.ts";
import { loadBinaryen, projectFeatures } from "../../../util/binaryen.ts";
import { UserError } from "../../../util/errors.ts";
import { ROOT } from "../../../util/root.ts";
import { prng } from "../../fuzz/mutate.ts";

/** test/specializer/abi/`name`.wat, edited by `edit`, validated and emitted. */
export async function abiFixture(name: string, edit: (wat: string) => string = (w) => w): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(edit(readFileSync(join(ROOT, "test", "specializer", "abi", `${name}.wat`), "utf8")));
  mod.setFeatures(projectFeatures(b) | b.Features.TailCall);
  try {
    if (!mod.validate()) throw new Error(`${name}.wat does not validate`);
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** Specializes `count` copies of `wasm` with 1–3 bytes each replaced (seeds 0..count-1): how many gave a one-line
 *  UserError, and every other failure as `seed N: Name: message` (a test expects none). */
export async function specializeMutants(wasm: Uint8Array, count: number): Promise<{ user: number; other: string[] }> {
  const other: string[] = [];
  let user = 0;
  for (let seed = 0; seed < count; seed++) {
    const random = prng(seed);
    const bytes = wasm.slice();
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--)
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    try {
      await specializeModule(bytes);
    } catch (e) {
      if (e instanceof UserError && !e.message.includes("\n")) user++;
      else other.push(`seed ${seed}: ${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  return { user, other };
}
