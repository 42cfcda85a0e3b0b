// `npm run fuzz:mutate`: the long mutation fuzz (test/fuzz/mutate.ts) over the committed programs of each format —
// toy assembly, Fern, Brainfuck, toy binaries (.fbc), snapshots given to `specialize` (wasm) — and output paths
// (test/fuzz/paths.ts). Mutant k of a run uses seed (start + k): a rerun with the same --seed gives the same
// mutants. A failure (internal error or interpreted/wevaled mismatch) is shrunk — fewer mutations first, then lines
// deleted while it still fails — printed, and saved under build/fuzz-failures/. Prints the count of each verdict
// and a progress line every 10 s. Options: see USAGE (--help).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../util/root.ts";
import {
  checkMutant,
  corpus,
  fromLatin1,
  isFailure,
  LANGUAGES,
  mutant,
  Runner,
  wasmCorpus,
  type Language,
  type Verdict,
} from "./mutate.ts";
import { checkPathCase } from "./paths.ts";
import { fuzzOptions, progress } from "./progress.ts";
import { buildInterpreter } from "../../interp/build.ts";

const USAGE = `
npm run fuzz:mutate -- [options]: mutated inputs must give a clean user error or the same behaviour interpreted
and wevaled (never an internal error, never a mismatch)
  --lang L       ${LANGUAGES.join(", ")}, paths, both (toy and fern: the default) or all
  --runs N       mutants per format (default 10000)
  --seed S       the first seed (default: time-based; printed, so a run can be repeated)
  --timeout MS   per mutant, build and both runs (default 10000); a mutant over it counts as a timeout
A progress line every 10 s; failures are shrunk and saved under build/fuzz-failures/.`;
const options = fuzzOptions("fuzz:mutate", USAGE, { values: ["lang", "runs", "seed", "timeout"], flags: [] });
const count = options.count;

async function shrink(
  runner: Runner,
  language: Language,
  programs: ReturnType<typeof corpus>,
  seed: number,
  verdict: Verdict,
  timeoutMs: number,
) {
  let best = mutant(language, programs, seed);
  for (let n = 1; n < best.mutations; n++) {
    const m = mutant(language, programs, seed, n);
    if (isFailure(await checkMutant(runner, m.source, language, m.name, timeoutMs))) {
      best = m;
      break;
    }
  }
  // Then delete lines while the failure remains (a bounded number of checks).
  let lines = best.source.split("\n");
  let budget = 150;
  for (let i = 0; i < lines.length && budget > 0;) {
    const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
    budget--;
    if (isFailure(await checkMutant(runner, candidate.join("\n"), language, best.name, timeoutMs))) lines = candidate;
    else i++;
  }
  return { ...best, source: lines.join("\n"), verdict };
}

const lang = options.value("lang") ?? "both";
const formats: (Language | "paths")[] =
  lang === "both" ? ["toy", "fern"] : lang === "all" ? [...LANGUAGES, "paths"] : [lang as Language];
if (formats.some((l) => l !== "paths" && !LANGUAGES.includes(l))) {
  console.error(`fuzz:mutate: --lang takes ${LANGUAGES.join(", ")}, paths, both or all, got '${lang}'`);
  process.exit(1);
}
const languages = formats.filter((l): l is Language => l !== "paths");
const runs = count("runs", 10_000);
const start = count("seed", Date.now() % 1_000_000_000);
const timeoutMs = count("timeout", 10_000);
const runner = new Runner();
// Build the interpreters first, outside any mutant's time limit (a worker stopped at its limit mid-build would
// start the build again, and again); the workers then find them in the build cache.
for (const language of languages) await buildInterpreter(language === "fbc" || language === "wasm" ? "toy" : language);
let failed = 0;
if (formats.includes("paths")) {
  const tally: Record<Verdict["kind"], number> = { rejected: 0, same: 0, timeout: 0, internal: 0, mismatch: 0 };
  const started = performance.now();
  const tick = progress("paths", runs);
  console.log(
    `fuzz:mutate paths: ${runs} output paths, seeds ${start}…${start + runs - 1} (rerun: npm run fuzz:mutate -- --lang paths --seed ${start} --runs ${runs})`,
  );
  for (let k = 0; k < runs; k++) {
    const { name, verdict } = await checkPathCase(start + k);
    tally[verdict.kind]++;
    if (isFailure(verdict)) {
      failed++;
      console.log(`FAIL ${name}: ${JSON.stringify(verdict).slice(0, 400)}`);
    }
    tick(k + 1, JSON.stringify(tally));
  }
  console.log(`paths: ${JSON.stringify(tally)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
for (const language of languages) {
  const programs = language === "wasm" ? await wasmCorpus() : corpus(language);
  const tick = progress(language, runs);
  const tally: Record<Verdict["kind"], number> = { rejected: 0, same: 0, timeout: 0, internal: 0, mismatch: 0 };
  const started = performance.now();
  console.log(
    `fuzz:mutate ${language}: ${runs} mutants of ${programs.length} programs, seeds ${start}…${start + runs - 1} (rerun: npm run fuzz:mutate -- --lang ${language} --seed ${start} --runs ${runs})`,
  );
  for (let k = 0; k < runs; k++) {
    const m = mutant(language, programs, start + k);
    const verdict = await checkMutant(runner, m.source, language, m.name, timeoutMs);
    tally[verdict.kind]++;
    if (isFailure(verdict)) {
      failed++;
      const s = await shrink(runner, language, programs, start + k, verdict, timeoutMs);
      const dir = join(ROOT, "build", "fuzz-failures");
      mkdirSync(dir, { recursive: true });
      const file = join(
        dir,
        `mutant-${language}-${start + k}.${{ toy: "asm", fern: "fern", bf: "b", fbc: "fbc", wasm: "wasm" }[language]}`,
      );
      writeFileSync(file, language === "fbc" || language === "wasm" ? fromLatin1(s.source) : s.source);
      console.log(
        `FAIL ${m.name} (${verdict.kind}): ${JSON.stringify(verdict).slice(0, 400)}\n  shrunk to ${s.mutations} mutation(s) of ${s.base.name}, saved as ${file}`,
      );
    }
    tick(k + 1, JSON.stringify(tally));
  }
  console.log(`${language}: ${JSON.stringify(tally)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await runner.close();
console.log(failed ? `${failed} failing mutant(s)` : "no internal errors, no mismatches");
process.exit(failed ? 1 : 0);
