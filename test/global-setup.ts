// Vitest global setup: build the interpreters once before any worker starts, so tests in parallel workers find
// them in the build cache instead of racing to compile. Relies on interp/build.ts.
import { buildInterpreter } from "../interp/build.ts";

export default async function setup(): Promise<void> {
  // regenerate: false, so a committed interp/as/toy-opcodes.ts that drifted from the opcode table fails the run.
  await buildInterpreter("toy", { regenerate: false });
  await buildInterpreter("fern", { regenerate: false });
  await buildInterpreter("fern-memory", { regenerate: false });
}
