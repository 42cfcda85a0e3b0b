// `npm run fuzz:mutate`: the long source-mutation fuzz (test/fuzz/mutate.ts) over the committed programs of one or
// both languages. Mutant k of a run uses seed (start + k): a rerun with the same --seed gives the same mutants. A
// failure (internal error or interpreted/wevaled mismatch) is shrunk — fewer mutations first, then tokens deleted
// while it still fails — printed, and saved under build/fuzz-failures/. Prints the count of each verdict. Options:
//   --lang toy|fern|both (default both)   --runs N (default 10000 per language)   --seed S (default: time-based)
//   --timeout MS (per mutant, build + both runs; default 10000)
// Relies on test/fuzz/mutate.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../util/root.ts";
import { checkMutant, corpus, isFailure, mutant, Runner, type Language, type Verdict } from "./mutate.ts";
import { buildInterpreter } from "../../interp/build.ts";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

function count(name: string, fallback: number): number {
  const v = arg(name, String(fallback));
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`fuzz:mutate: --${name} takes a whole number, got '${v}'`);
    process.exit(1);
  }
  return n;
}

async function shrink(runner: Runner, language: Language, programs: ReturnType<typeof corpus>, seed: number, verdict: Verdict, timeoutMs: number) {
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
  for (let i = 0; i < lines.length && budget > 0; ) {
    const candidate = [...lines.slice(0, i), ...lines.slice(i + 1)];
    budget--;
    if (isFailure(await checkMutant(runner, candidate.join("\n"), language, best.name, timeoutMs))) lines = candidate;
    else i++;
  }
  return { ...best, source: lines.join("\n"), verdict };
}

const languages: Language[] = arg("lang", "both") === "both" ? ["toy", "fern"] : [arg("lang", "both") as Language];
if (languages.some((l) => l !== "toy" && l !== "fern")) {
  console.error(`fuzz:mutate: --lang takes toy, fern or both, got '${arg("lang", "")}'`);
  process.exit(1);
}
const runs = count("runs", 10_000);
const start = count("seed", Date.now() % 1_000_000_000);
const timeoutMs = count("timeout", 10_000);
const runner = new Runner();
// Build the interpreters first, outside any mutant's time limit (a worker stopped at its limit mid-build would
// start the build again, and again); the workers then find them in the build cache.
for (const language of languages) await buildInterpreter(language);
let failed = 0;
for (const language of languages) {
  const programs = corpus(language);
  const tally: Record<Verdict["kind"], number> = { rejected: 0, same: 0, timeout: 0, internal: 0, mismatch: 0 };
  const started = performance.now();
  console.log(`fuzz:mutate ${language}: ${runs} mutants of ${programs.length} programs, seeds ${start}…${start + runs - 1} (rerun: npm run fuzz:mutate -- --lang ${language} --seed ${start} --runs ${runs})`);
  for (let k = 0; k < runs; k++) {
    const m = mutant(language, programs, start + k);
    const verdict = await checkMutant(runner, m.source, language, m.name, timeoutMs);
    tally[verdict.kind]++;
    if (isFailure(verdict)) {
      failed++;
      const s = await shrink(runner, language, programs, start + k, verdict, timeoutMs);
      const dir = join(ROOT, "build", "fuzz-failures");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `mutant-${language}-${start + k}.${language === "fern" ? "fern" : "asm"}`);
      writeFileSync(file, s.source);
      console.log(`FAIL ${m.name} (${verdict.kind}): ${JSON.stringify(verdict).slice(0, 400)}\n  shrunk to ${s.mutations} mutation(s) of ${s.base.name}, saved as ${file}`);
    }
    if ((k + 1) % 500 === 0) console.log(`  ${k + 1} mutants, ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify(tally)}`);
  }
  console.log(`${language}: ${JSON.stringify(tally)} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
await runner.close();
console.log(failed ? `${failed} failing mutant(s)` : "no internal errors, no mismatches");
process.exit(failed ? 1 : 0);
