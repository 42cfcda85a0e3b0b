// Vitest global setup: build the interpreters once before any worker starts, so tests in parallel workers find
// them in the build cache instead of racing to compile; and bring dist/ up to date once (the CLI's launcher
// rebuilds it when stale, and npm no longer does at install: no `prepare`), so CLI tests in parallel workers do not
// race to rebuild it.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { buildInterpreter, ROOT } from "../interp/build.ts";
import { knownManifests } from "../interp/manifest.ts";
import { staleGenerated } from "../pipeline/generated.ts";

export default async function setup(): Promise<void> {
  const launcher = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "--version"], { encoding: "utf8" });
  if (launcher.status !== 0) throw new Error(`building dist/ failed: ${launcher.stderr}`);
  // A committed interp/as/toy-opcodes.ts (or another generated file) that drifted from its opcode table fails the run.
  const stale = staleGenerated();
  if (stale.length)
    throw new Error(`${stale.join(", ")}: out of date with the opcode tables: run \`npm run build:interp\``);
  for (const m of knownManifests(ROOT)) await buildInterpreter(m);
}
