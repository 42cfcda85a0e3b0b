// The benchmark programs and their baselines. sum-to-N is the seed's program (bytecode/programs/sum.asm with N
// made a parameter); its `limit` is the same loop written directly in Wasm (limit.ts) and its `js` the same loop
// as a user would write it in JavaScript. Other toy programs given on the command line run interpreted and
// wevaled only (no baseline knows what they compute). Relies on bytecode/ and limit.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadProgramFile, loadProgramSource, type ProgramFile } from "../bytecode/index.ts";
import { ROOT } from "../util/root.ts";

export interface BenchProgram {
  name: string;
  program: ProgramFile;
  /** The value HALT leaves in the accumulator (checked on every run). */
  expected: bigint;
  /** For sum-to-N: N, so the baselines compute the same thing. */
  sumN?: bigint;
}

export function sumProgram(n: bigint): BenchProgram {
  const text = readFileSync(join(ROOT, "bytecode", "programs", "sum.asm"), "utf8")
    .replace("LOAD_IMMEDIATE 100000000", `LOAD_IMMEDIATE ${n}`)
    .replace(/; expect.*\n/g, "");
  const expected = (n * (n + 1n)) / 2n;
  return { name: n % 1_000_000n === 0n ? `sum-to-${n / 1_000_000n}M` : `sum-to-${n}`, program: loadProgramSource(text, `sum-to-${n}.asm`), expected: BigInt.asUintN(64, expected), sumN: n };
}

export function fileProgram(path: string): BenchProgram {
  const program = loadProgramFile(path);
  if (program.expect.halt === undefined) throw new Error(`${path}: a benchmark program needs an \`; expect-halt:\` comment to check its result`);
  return { name: path.split("/").pop()!.replace(/\.(asm|fbc)$/, ""), program, expected: program.expect.halt };
}

/** The JavaScript baseline: the loop as a user would write it (numbers are exact below 2^53). */
export function sumJs(n: number): number {
  let result = 0;
  for (let i = n; i !== 0; i--) result += i;
  return result;
}
