// Interpreters that binaryen's optimizer went over, then specialized: kin of the structured locals plan's
// miscompile (a tee re-emitted at another block's terminator), which showed only on a Lua that clang's link step
// had run `wasm-opt -O2` over. An interpreter (toy, Fern, Brainfuck: the AssemblyScript builds) goes through
// node_modules/.bin/wasm-opt with one of FLAG_SETS, then each random program (bytecode/random.ts, lang/random.ts,
// randomBrainfuck below) is run interpreted (the optimized build's snapshot) and wevaled from it: output, exit code,
// error and result must agree, no request may abort, and the interpreted run must match the reference evaluator
// where there is one (toy, Brainfuck). Program k of a run uses seed (start + k), flag set k mod FLAG_SETS.length and
// one of BUILDS (k mod BUILDS.length), so a seed and index reproduce a case. Used by `npm run fuzz:optimized`
// (optimized-main.ts) and a few fixed seeds in `npm test` (optimized.test.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBrainfuck, evaluateBrainfuck, parseBrainfuck } from "../../brainfuck/loader.ts";
import { loadProgramSource } from "../../bytecode/index.ts";
import { randomProgram, Rng } from "../../bytecode/random.ts";
import { evaluate } from "../../bytecode/reference.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { randomFern } from "../../lang/random.ts";
import type { BuildOptions } from "../../pipeline/build.ts";
import { differential, type DiffProgram } from "../../pipeline/differential.ts";
import { ROOT } from "../../util/root.ts";

export const LANGS = ["toy", "fern", "bf"] as const;
export type Lang = (typeof LANGS)[number];

/** wasm-opt's optimizations a user's build may have run over an interpreter (clang's link step runs -O2). */
export const FLAG_SETS: string[][] = [
  ["-O2"],
  ["-O3"],
  ["-Os"],
  ["--flatten", "--rereloop"],
  ["-Oz"],
  ["--flatten", "--rereloop", "-O2"],
  ["-O4"],
  ["-O1", "--inlining-optimizing", "--simplify-locals-notee", "--merge-locals"],
];

/** How the wevaled module is built: unoptimized (every function on the backend's structured layout, its own
 *  locals plan and nothing after it), and binaryen's lean passes with every function on the structured layout. */
export const BUILDS: { label: string; opts: BuildOptions }[] = [
  { label: "level 0", opts: { optimizeLevel: 0 } },
  { label: "level 3, structured", opts: { optimizeLevel: 3, relooperMaxValues: 0 } },
];

/** wasm-opt's flags for the project's feature set (util/binaryen.ts projectFeatures: what the AssemblyScript
 *  builds use, bulk memory among them, and what the specializer reads). */
const FEATURES = [
  "--enable-mutable-globals",
  "--enable-sign-ext",
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-nontrapping-float-to-int",
  "--enable-multivalue",
  "--enable-call-indirect-overlong",
];

/** `wasm` through wasm-opt with `flags` (binaryen's npm build, as the Lua test runs it), in the project's features. */
export function wasmOpt(wasm: Uint8Array, flags: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "futamura-wasm-opt-"));
  try {
    writeFileSync(join(dir, "in.wasm"), wasm);
    const bin = join(ROOT, "node_modules", ".bin", "wasm-opt");
    const r = spawnSync(bin, [...FEATURES, ...flags, join(dir, "in.wasm"), "-o", join(dir, "out.wasm")], {
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`wasm-opt ${flags.join(" ")} failed: ${r.stderr || r.error}`);
    return new Uint8Array(readFileSync(join(dir, "out.wasm")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The optimized interpreters, one per language and flag set, made on first use. */
export class OptimizedInterpreters {
  private readonly made = new Map<string, Uint8Array>();

  async get(lang: Lang, flags: string[]): Promise<Uint8Array> {
    const key = `${lang} ${flags.join(" ")}`;
    let wasm = this.made.get(key);
    if (!wasm) this.made.set(key, (wasm = wasmOpt((await buildInterpreter(lang)).wasm, flags)));
    return wasm;
  }
}

/** One random program: its source (to save), the program as the host runs it, and the reference's outcome. */
export interface Case {
  name: string;
  source: string;
  program: DiffProgram;
  reference?: { stdout: string; error: boolean };
}

export function randomCase(lang: Lang, seed: number): Case {
  if (lang === "toy") {
    const source = randomProgram(seed, 1 + (seed % 60));
    const p = loadProgramSource(source, `seed-${seed}.asm`);
    const ref = evaluate(p.program, 2_000_000);
    if (ref.halt === undefined) throw new Error(`toy seed ${seed}: the reference ran out of fuel`);
    return {
      name: `seed-${seed}.asm`,
      source,
      program: { name: `seed-${seed}.asm`, bytes: p.bytes },
      reference: { stdout: ref.stdout, error: false },
    };
  }
  if (lang === "fern") {
    const source = randomFern(seed);
    const program = fernLoaded(compileFern(source, `seed-${seed}.fern`));
    return { name: `seed-${seed}.fern`, source, program };
  }
  const source = randomBrainfuck(seed);
  const code = parseBrainfuck(source, `seed-${seed}.b`);
  const ref = evaluateBrainfuck(code);
  return {
    name: `seed-${seed}.b`,
    source,
    program: { name: `seed-${seed}.b`, bytes: encodeBrainfuck(code) },
    reference: { stdout: new TextDecoder().decode(ref.output), error: !!ref.error },
  };
}

/** Checks case k of a run from seed `first`: undefined when everything agrees, else what differs. */
export async function checkCase(
  interps: OptimizedInterpreters,
  lang: Lang,
  first: number,
  k: number,
): Promise<{ c: Case; flags: string[]; build: string; problem?: string }> {
  const seed = first + k;
  const flags = FLAG_SETS[k % FLAG_SETS.length];
  const build = BUILDS[Math.floor(k / FLAG_SETS.length) % BUILDS.length];
  const c = randomCase(lang, seed);
  const [r] = await differential(await interps.get(lang, flags), [c.program], build.opts);
  const show = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? String(v) : v));
  let problem: string | undefined;
  if (r.aborted.length) problem = `aborted requests: ${show(r.aborted)}`;
  else if (!r.same) problem = `interpreted ${show(r.interpreted)} but wevaled ${show(r.wevaled)}`;
  else if (c.reference && (r.interpreted.stdout !== c.reference.stdout || !!r.interpreted.error !== c.reference.error))
    problem = `the optimized interpreter itself differs from the reference: ${show(r.interpreted)} vs ${show(c.reference)}`;
  return { c, flags, build: build.label, problem };
}

/** A random terminating Brainfuck program: runs of + - < > and `.`, and loops `[ ... -]` whose body moves back to
 *  where it started and never writes an enclosing loop's cell other than by that loop's final `-` (so each runs at
 *  most 255 times a round), two deep at most; a few `,` (no input: the cell stays). The pointer stays within 16
 *  cells. */
export function randomBrainfuck(seed: number): string {
  const rng = new Rng(seed);
  const out: string[] = [">".repeat(8)];
  const counters: number[] = [];
  const body = (budget: number, at: number): number => {
    for (let i = 0; i < budget; i++) {
      const r = rng.below(counters.length < 2 ? 7 : 6);
      const guarded = counters.includes(at);
      if (r === 0 || r === 1) {
        if (!guarded) out.push((r === 0 ? "+" : "-").repeat(1 + rng.below(rng.below(2) ? 3 : 40)));
      } else if (r === 2) {
        const to = Math.max(0, Math.min(15, at + rng.below(7) - 3));
        out.push(to > at ? ">".repeat(to - at) : "<".repeat(at - to));
        at = to;
      } else if (r === 3 || r === 4) out.push(".");
      else if (r === 5) out.push(guarded ? "." : ",");
      else if (!guarded) {
        out.push("[");
        counters.push(at);
        const end = body(2 + rng.below(5), at);
        counters.pop();
        out.push(end > at ? "<".repeat(end - at) : ">".repeat(at - end), "-]");
      }
    }
    return at;
  };
  body(10 + rng.below(20), 0);
  return out.join("") + "\n";
}
