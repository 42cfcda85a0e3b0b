// Vitest global setup: build the interpreters once before any worker starts, so tests in parallel workers find
// them in the build cache instead of racing to compile. Relies on interp/build.ts.
import { buildInterpreter, ROOT } from "../interp/build.ts";
import { knownManifests } from "../interp/manifest.ts";

export default async function setup(): Promise<void> {
  // regenerate: false, so a committed interp/as/toy-opcodes.ts that drifted from the opcode table fails the run.
  for (const m of knownManifests(ROOT)) await buildInterpreter(m, { regenerate: false });
}
