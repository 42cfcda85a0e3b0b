// The jco engine rows: each toy module (interpreted snapshot, wevaled) becomes a WASI command core module
// (wasi-command.ts), a component (`jco new --wasi-command`, the preview1 adapter ships in jco), and JavaScript
// (`jco transpile`, run on preview2-shim). Each component runs in a fresh process (jco-child.ts): its first call is
// the cold row, later calls after warm-up the warm row; its output must equal the V8 run's output every time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { projectRoot, ROOT } from "../util/root.ts";
import type { Progress } from "./progress.ts";
import type { BenchProgram } from "./programs.ts";
import { summarize, type Row } from "./stats.ts";
import { wasiCommand } from "./wasi-command.ts";
import { InternalError } from "../util/errors.ts";

/** jco's CLI script, wherever npm put the optional package (this repository's node_modules, or the project's). */
const JCO = (() => {
  try {
    return join(dirname(createRequire(import.meta.url).resolve("@bytecodealliance/jco")), "jco.js");
  } catch {
    return join(ROOT, "node_modules", "@bytecodealliance", "jco", "dist", "jco.js");
  }
})();

/** Why jco rows cannot run, or undefined when they can. */
export function jcoAvailability(): string | undefined {
  return existsSync(JCO)
    ? undefined
    : "the optional package @bytecodealliance/jco is not installed (npm install @bytecodealliance/jco @bytecodealliance/preview2-shim)";
}

function jco(args: string[]): void {
  const r = spawnSync(process.execPath, [JCO, ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new InternalError(`jco ${args[0]} failed: ${r.stderr || r.stdout}`);
}

export async function jcoRows(
  bp: BenchProgram,
  modules: { interpreted: Uint8Array; wevaled: Uint8Array },
  expectedStdout: string,
  ctx: { runs: number; warmups: number; progress: Progress },
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [variant, bytes] of Object.entries(modules) as [Row["variant"], Uint8Array][]) {
    // Inside the repository whatever --out says: the transpiled JS imports @bytecodealliance/preview2-shim, which
    // Node resolves from the nearest node_modules.
    const dir = join(projectRoot(), "build", "jco", `${bp.name}.${variant}`);
    mkdirSync(dir, { recursive: true });
    ctx.progress.step(`jco component ${variant}`);
    writeFileSync(join(dir, "core.wasm"), await wasiCommand(bytes));
    jco(["new", join(dir, "core.wasm"), "--wasi-command", "-o", join(dir, "component.wasm")]);
    jco(["transpile", join(dir, "component.wasm"), "-o", join(dir, "js"), "--name", "component", "--quiet"]);
    ctx.progress.step(`jco run ${variant}`);
    const child = join(ROOT, "dist", "bench", "jco-child.js");
    const r = spawnSync(
      process.execPath,
      [child, join(dir, "js", "component.js"), String(ctx.warmups), String(ctx.runs)],
      { encoding: "utf8", maxBuffer: 1 << 26, timeout: 300_000 },
    );
    if (r.status !== 0) throw new InternalError(`jco ${variant} run failed: ${r.stderr}`);
    const calls = 1 + ctx.warmups + ctx.runs;
    if (r.stdout !== expectedStdout.repeat(calls))
      throw new InternalError(
        `jco ${variant}: output ${JSON.stringify(r.stdout.slice(0, 200))} differs from V8's ${JSON.stringify(expectedStdout)} x${calls}`,
      );
    const timing = JSON.parse(r.stderr.trim().split("\n").pop()!) as { cold_ms: number; warm_ms: number[] };
    const result = bp.expected;
    rows.push(
      summarize({
        program: bp.name,
        variant,
        engine: "jco",
        tier: "cold (first call)",
        runs_ms: [timing.cold_ms],
        result,
      }),
    );
    rows.push(
      summarize({ program: bp.name, variant, engine: "jco", tier: "warm (TurboFan)", runs_ms: timing.warm_ms, result }),
    );
  }
  return rows;
}
