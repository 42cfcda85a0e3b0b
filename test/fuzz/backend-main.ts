// `npm run fuzz:backend`: the long run of backend.ts — random IR functions through the backend, compiled code vs
// the reference IR interpreter. Seeds go in batches (one module each); a failing seed is printed with its
// function (the IR text) and saved under build/fuzz-failures/. Options: see USAGE (--help).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { printFunction } from "../../specializer/ssa/print.ts";
import { ROOT } from "../../util/root.ts";
import { checkSeeds, randomFunction } from "./backend.ts";
import { fuzzOptions, progress } from "./progress.ts";

const USAGE = `
npm run fuzz:backend -- [options]: random IR functions through the backend (specializer/ssa/backend.ts), the
compiled code against the reference IR interpreter (results, calls, memory)
  --runs N    functions (default 100000)
  --seed S    the first seed (default: time-based; printed, so a run can be repeated)
A progress line every 10 s; a failing function is saved under build/fuzz-failures/ as IR text.`;
const options = fuzzOptions("fuzz:backend", USAGE, { values: ["runs", "seed"], flags: [] });
const runs = options.count("runs", 100_000);
const seed = options.count("seed", Date.now() % 2 ** 31);
const BATCH = 50;
console.log(
  `fuzz:backend: ${runs} functions from seed ${seed} (rerun: npm run fuzz:backend -- --seed ${seed} --runs ${runs})`,
);
const started = performance.now();
const tick = progress("fuzz:backend", runs);
let failed = 0;
for (let k = 0; k < runs && !failed; k += BATCH) {
  const seeds = Array.from({ length: Math.min(BATCH, runs - k) }, (_, i) => seed + k + i);
  for (const { seed: s, problem } of await checkSeeds(seeds)) {
    const dir = join(ROOT, "build", "fuzz-failures");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `backend-seed-${s}.ir`);
    const text = printFunction(randomFunction(s));
    writeFileSync(file, text);
    console.error(`seed ${s} (saved to ${file}): ${problem}\n${text}`);
    failed++;
  }
  tick(k + seeds.length, failed ? `${failed} failed` : "");
}
if (failed) process.exitCode = 1;
else console.log(`fuzz:backend: ${runs} functions, all agree (${((performance.now() - started) / 1000).toFixed(0)} s)`);
