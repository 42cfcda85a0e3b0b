// `npm run fuzz`: the long differential fuzz — random programs (fast-check over seed and size, so a failure
// shrinks toward a smaller program) through the reference evaluator and the wevaled module. Prints the seed it
// starts from; a failing program is shrunk, printed and saved under build/fuzz-failures/. Options:
//   --runs N (default 100000)   --seed S (default: time-based)   --optimize L (binaryen level, default 0); --help.
// A progress line every 10 s (test/fuzz/progress.ts); a generator bug (a Fern program the compiler rejects) is
// reported as one and the run goes on.
// `npm run fuzz -- --lua`: random Lua programs (test/fuzz/lua-random.ts) interpreted vs wevaled on the Lua build;
// a failing program is saved under build/fuzz-failures/ as a .lua file. `npm run fuzz -- --lua-patterns`: random
// programs about string patterns (test/fuzz/lua-patterns-random.ts), likewise, the failing one shrunk first.
// `npm run fuzz -- --fern`: random Fern programs (lang/random.ts) instead, interpreted vs wevaled (outputs and
// runtime errors must be identical); a failing program is saved under build/fuzz-failures/ as a .fern file. With
// `--train`, each is built with training stopped early (fuel 1–500, varying by seed), so the specialized code
// assumes what the start of the run saw and the rest of the run breaks assumptions (exits to the interpreter).
import fc from "fast-check";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadProgramSource } from "../../bytecode/index.ts";
import { randomProgram } from "../../bytecode/random.ts";
import { evaluate } from "../../bytecode/reference.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { BufferedOutput, runModule } from "../../interp/host.ts";
import { buildProgram } from "../../pipeline/build.ts";
import { ROOT } from "../../util/root.ts";
import { compileFern } from "../../lang/index.ts";
import { randomFern } from "../../lang/random.ts";
import { differential } from "../../pipeline/differential.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { UserError } from "../../util/errors.ts";
import { fuzzOptions, progress } from "./progress.ts";
import { luaDifferential } from "./lua-differential.ts";
import { randomLua } from "./lua-random.ts";
import { randomLuaPatterns } from "./lua-patterns-random.ts";
import { minimizeLua } from "./lua-minimize.ts";

const USAGE = `
npm run fuzz -- [options]: random programs, the reference (toy) or the interpreter (Fern) against the wevaled module
  --runs N       programs (default 100000 toy, 1000 Fern)
  --seed S       the first seed (default: time-based; printed, so a run can be repeated)
  --optimize L   binaryen level for the wevaled module (default 0)
  --fern         random Fern programs (lang/random.ts) instead of toy programs
  --train        with --fern: build with training stopped early (fuel 1-500 by seed)
  --lua          random Lua programs (test/fuzz/lua-random.ts) on the Lua build (default 200 programs)
  --lua-patterns random Lua programs about string patterns (test/fuzz/lua-patterns-random.ts), the same way
A progress line every 10 s; a failing program is saved under build/fuzz-failures/.`;
const options = fuzzOptions("fuzz", USAGE, {
  values: ["runs", "seed", "optimize"],
  flags: ["fern", "train", "lua", "lua-patterns"],
});
const arg = (name: string, fallback: number) => options.count(name, fallback);

const runs = arg("runs", 100_000);
const seed = arg("seed", Date.now() % 2 ** 31);
const optimizeLevel = arg("optimize", 0);
const fern = options.flag("fern");
const train = options.flag("train");
if (options.flag("lua")) await fuzzLua("lua", randomLua);
else if (options.flag("lua-patterns")) await fuzzLua("lua-patterns", randomLuaPatterns, true);
else if (fern) await fuzzFern();
else await fuzzToy();

/** A failing program saved as build/fuzz-failures/`name`, whose path comes back for the message. */
function saveFailure(name: string, source: string): string {
  const dir = join(ROOT, "build", "fuzz-failures");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), source);
  return join(dir, name);
}

/** What differs between `source` run interpreted and wevaled (or why its build failed), or undefined. */
async function luaProblem(source: string, name: string): Promise<string | undefined> {
  try {
    const r = await luaDifferential(source, name);
    if (r.aborted.length || JSON.stringify(r.interpreted) !== JSON.stringify(r.wevaled))
      return `interpreted and wevaled differ: ${JSON.stringify({ interpreted: r.interpreted, wevaled: r.wevaled, aborted: r.aborted })}`;
  } catch (e) {
    return `the build failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
  }
  return undefined;
}

/** Random Lua programs from `generate`, interpreted vs wevaled (stdout, stderr, exit code); a failing one shrunk
 *  (minimizeLua) first when `shrink`. */
async function fuzzLua(flag: string, generate: (seed: number) => string, shrink = false): Promise<void> {
  const count = arg("runs", 200);
  const first = arg("seed", Date.now() % 2 ** 31);
  console.log(
    `fuzz --${flag}: ${count} programs from seed ${first} (rerun: npm run fuzz -- --${flag} --seed ${first} --runs ${count})`,
  );
  const started = performance.now();
  const tick = progress(`fuzz --${flag}`, count);
  for (let k = 0; k < count; k++) {
    const programSeed = first + k;
    const source = generate(programSeed);
    const name = `seed-${programSeed}.lua`;
    let problem = await luaProblem(source, name);
    tick(k + 1);
    if (!problem) continue;
    let failing = source;
    if (shrink) {
      console.error(`seed ${programSeed} fails: ${problem.slice(0, 2000)}\nshrinking it...`);
      failing = await minimizeLua(source, async (s) => (await luaProblem(s, `min-${name}`)) !== undefined);
      problem = (await luaProblem(failing, `min-${name}`)) ?? problem;
    }
    console.error(`seed ${programSeed}: ${saveFailure(name, failing)}: ${problem}`);
    if (shrink) console.error(failing);
    process.exitCode = 1;
    return;
  }
  console.log(`fuzz --${flag}: ${count} programs, all agree (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/** Random Fern programs, interpreted vs wevaled. */
async function fuzzFern(): Promise<void> {
  const interp = (await buildInterpreter("fern")).wasm;
  const count = arg("runs", 1000);
  const first = arg("seed", Date.now() % 2 ** 31);
  console.log(
    `fuzz --fern: ${count} programs from seed ${first}${train ? ", trained" : ""} (rerun: npm run fuzz -- --fern${train ? " --train" : ""} --seed ${first} --runs ${count})`,
  );
  const started = performance.now();
  const tick = progress("fuzz --fern", count);
  let generatorBugs = 0;
  for (let k = 0; k < count; k++) {
    const programSeed = first + k;
    const source = randomFern(programSeed);
    const name = `seed-${programSeed}.fern`;
    const fuel = train ? 1 + ((programSeed * 7919) % 500) : undefined;
    let compiled;
    try {
      compiled = compileFern(source, name);
    } catch (e) {
      // The generator emitted a program the compiler rejects: a bug in lang/random.ts, said as such; go on.
      if (!(e instanceof UserError)) throw e;
      generatorBugs++;
      process.exitCode = 1;
      console.error(`generator bug (lang/random.ts), seed ${programSeed}: ${e.message}`);
      continue;
    }
    const [r] = await differential(interp, [fernLoaded(compiled)], { optimizeLevel, train: fuel });
    tick(k + 1, generatorBugs ? `${generatorBugs} generator bug(s)` : "");
    if (!r.same || r.aborted.length) {
      console.error(
        `interpreted and wevaled differ on ${saveFailure(name, source)}${fuel ? ` (--train-fuel ${fuel})` : ""}: ${JSON.stringify({ interpreted: r.interpreted, wevaled: r.wevaled, aborted: r.aborted }, (_k, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
      process.exitCode = 1;
      return;
    }
  }
  console.log(
    `fuzz --fern: ${count} programs, all agree${generatorBugs ? ` (${generatorBugs} generator bug(s) skipped)` : ""} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

async function fuzzToy(): Promise<void> {
  const interp = (await buildInterpreter("toy")).wasm;
  console.log(
    `fuzz: ${runs} programs, fast-check seed ${seed}, binaryen level ${optimizeLevel} (rerun: npm run fuzz -- --seed ${seed} --runs ${runs})`,
  );
  let done = 0;
  const started = performance.now();
  const tick = progress("fuzz", runs);
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 60 }),
        async (programSeed, size) => {
          const text = randomProgram(programSeed, size);
          const p = loadProgramSource(text, `seed ${programSeed} size ${size}`);
          const ref = evaluate(p.program, 2_000_000);
          const built = await buildProgram(interp, p.bytes, { optimizeLevel });
          const out = new BufferedOutput();
          const halt = await runModule(built.wasm, p.bytes, out);
          tick(++done);
          if (out.text() !== ref.stdout || halt !== ref.halt) {
            const file = saveFailure(`seed-${programSeed}-size-${size}.asm`, text);
            throw new Error(
              `wevaled differs from the reference (program saved to ${file}): got ${JSON.stringify(out.text())} halt ${halt}, expected ${JSON.stringify(ref.stdout)} halt ${ref.halt}`,
            );
          }
        },
      ),
      { numRuns: runs, seed, endOnFailure: false },
    );
    console.log(`fuzz: ${done} programs, all agree (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  } catch (e) {
    console.error(String((e as Error).message));
    process.exitCode = 1;
  }
}
