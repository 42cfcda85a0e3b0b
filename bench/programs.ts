// The benchmark programs and their baselines. sum-to-N is the seed's program (bytecode/programs/sum.asm with N
// made a parameter); its `limit` is the same loop written directly in Wasm (limit.ts) and its `js` the same loop
// as a user would write it in JavaScript. Other toy programs given on the command line run interpreted and
// wevaled only (no baseline knows what they compute); so do Fern programs (lang/bench). Relies on bytecode/, lang/.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadProgramFile, loadProgramSource } from "../bytecode/index.ts";
import { loadFernFile } from "../lang/index.ts";
import { UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

export interface BenchProgram {
  name: string;
  /** Which built-in interpreter runs it. */
  interpreter: "toy" | "fern";
  /** The program's bytes as its interpreter reads them. */
  bytes: Uint8Array;
  /** What every run must produce: the accumulator at HALT (toy) or the printed output (Fern). */
  expected: string;
  /** For sum-to-N: N, so the baselines compute the same thing. */
  sumN?: bigint;
  /** The file it came from (none for the generated sum-to-N). */
  path?: string;
}

export function sumProgram(n: bigint): BenchProgram {
  const text = readFileSync(join(ROOT, "bytecode", "programs", "sum.asm"), "utf8")
    .replace("LOAD_IMMEDIATE 100000000", `LOAD_IMMEDIATE ${n}`)
    .replace(/; expect.*\n/g, "");
  const expected = (n * (n + 1n)) / 2n;
  const name = n % 1_000_000n === 0n ? `sum-to-${n / 1_000_000n}M` : `sum-to-${n}`;
  return { name, interpreter: "toy", bytes: loadProgramSource(text, `sum-to-${n}.asm`).bytes, expected: BigInt.asUintN(64, expected).toString(), sumN: n };
}

export function fileProgram(path: string): BenchProgram {
  const name = path.split("/").pop()!.replace(/\.(asm|fbc|fern)$/, "");
  if (path.endsWith(".fern")) {
    const p = loadFernFile(path);
    if (p.expect.stdout === undefined) throw new UserError(`${path}: a benchmark program needs \`// expect:\` lines to check its output`);
    return { name, interpreter: "fern", bytes: p.bytes, expected: p.expect.stdout, path };
  }
  const program = loadProgramFile(path);
  if (program.expect.halt === undefined) throw new UserError(`${path}: a benchmark program needs an \`; expect-halt:\` comment to check its result`);
  return { name, interpreter: "toy", bytes: program.bytes, expected: program.expect.halt.toString(), path };
}

/** The JavaScript baseline: the loop as a user would write it (numbers are exact below 2^53). */
export function sumJs(n: number): number {
  let result = 0;
  for (let i = n; i !== 0; i--) result += i;
  return result;
}
