// `npm run fuzz:optimized`: the long run of optimized.ts — random toy, Fern and Brainfuck programs on interpreters
// binaryen's wasm-opt went over (each flag set of FLAG_SETS in turn), interpreted vs wevaled (and vs the reference
// for toy and Brainfuck). Case k of a language uses seed (start + k): a rerun with the same --seed gives the same
// cases. A failing program is saved under build/fuzz-failures/ and the language's run stops there. Options: see
// USAGE (--help).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../../util/root.ts";
import { checkCase, FLAG_SETS, LANGS, OptimizedInterpreters, type Lang } from "./optimized.ts";
import { fuzzOptions, progress } from "./progress.ts";

const USAGE = `
npm run fuzz:optimized -- [options]: interpreters optimized by wasm-opt (${FLAG_SETS.map((f) => f.join(" ")).join("; ")}),
then specialized, on random programs: interpreted and wevaled must agree
  --lang L    ${LANGS.join(", ")} or all (the default)
  --runs N    programs per language (default 1000; each flag set and build in turn)
  --seed S    the first seed (default: time-based; printed, so a run can be repeated)
A progress line every 10 s; a failing program is saved under build/fuzz-failures/.`;
const options = fuzzOptions("fuzz:optimized", USAGE, { values: ["lang", "runs", "seed"], flags: [] });
const lang = options.value("lang") ?? "all";
if (lang !== "all" && !(LANGS as readonly string[]).includes(lang)) {
  console.error(`fuzz:optimized: --lang takes ${LANGS.join(", ")} or all, got '${lang}'`);
  process.exit(1);
}
const runs = options.count("runs", 1000);
const seed = options.count("seed", Date.now() % 2 ** 31);
const interps = new OptimizedInterpreters();
for (const l of lang === "all" ? LANGS : [lang as Lang]) await fuzz(l);

async function fuzz(l: Lang): Promise<void> {
  console.log(
    `fuzz:optimized ${l}: ${runs} programs from seed ${seed} (rerun: npm run fuzz:optimized -- --lang ${l} --seed ${seed} --runs ${runs})`,
  );
  const started = performance.now();
  const tick = progress(`fuzz:optimized ${l}`, runs);
  for (let k = 0; k < runs; k++) {
    const { c, flags, build, problem } = await checkCase(interps, l, seed, k);
    tick(k + 1);
    if (problem) {
      const dir = join(ROOT, "build", "fuzz-failures");
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `optimized-${l}-${c.name}`);
      writeFileSync(file, c.source);
      console.error(
        `${l} ${c.name} (saved to ${file}), interpreter through wasm-opt ${flags.join(" ")}, ${build}: ${problem}`,
      );
      process.exitCode = 1;
      return;
    }
  }
  console.log(
    `fuzz:optimized ${l}: ${runs} programs, all agree (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}
