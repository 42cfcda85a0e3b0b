// The benchmark programs and their baselines. sum-to-N is the seed's program (bytecode/programs/sum.asm with N
// made a parameter); its `limit` is the same loop written directly in Wasm (limit.ts) and its `js` the same loop
// as a user would write it in JavaScript. Programs given on the command line, for any interpreter, run
// interpreted and wevaled only (no baseline knows what they compute), checked by their expected output (or
// result).
import { readFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { loadProgramSource } from "../bytecode/index.ts";
import { interpreterAndProgram, resolveInterpreter, type Interpreter, type Program } from "../pipeline/index.ts";
import { UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

export interface BenchProgram {
  name: string;
  interp: Interpreter;
  /** The program as its interpreter loads it (bytes, host additions, input). */
  program: Program;
  /** What every run must produce: the printed output (when the program states it) or the result of `run`. */
  expected: string;
  byOutput: boolean;
  /** For sum-to-N: N, so the baselines compute the same thing. */
  sumN?: bigint;
  /** The file it came from (none for the generated sum-to-N). */
  path?: string;
}

export async function sumProgram(n: bigint): Promise<BenchProgram> {
  const text = readFileSync(join(ROOT, "bytecode", "programs", "sum.asm"), "utf8")
    .replace("LOAD_IMMEDIATE 100000000", `LOAD_IMMEDIATE ${n}`)
    .replace(/; expect.*\n/g, "");
  const expected = (n * (n + 1n)) / 2n;
  const name = n % 1_000_000n === 0n ? `sum-to-${n / 1_000_000n}M` : `sum-to-${n}`;
  const file = `sum-to-${n}.asm`;
  const program: Program = { file, interpreter: "toy", bytes: loadProgramSource(text, file).bytes };
  return {
    name,
    interp: await resolveInterpreter("toy"),
    program,
    expected: BigInt.asUintN(64, expected).toString(),
    byOutput: false,
    sumN: n,
  };
}

export async function fileProgram(path: string, interpSpec?: string): Promise<BenchProgram> {
  const name = basename(path, extname(path));
  const { interp, program } = await interpreterAndProgram(interpSpec, path);
  const stdout = program.expect?.stdout;
  if (stdout !== undefined)
    return {
      name,
      interp,
      program,
      expected: typeof stdout === "string" ? stdout : new TextDecoder().decode(stdout),
      byOutput: true,
      path,
    };
  if (program.expect?.result !== undefined)
    return { name, interp, program, expected: program.expect.result, byOutput: false, path };
  throw new UserError(
    `${path}: a benchmark program needs an expected output or result to check every run against (its loader found none: e.g. \`; expect-halt:\` for toy, \`// expect:\` lines for Fern, a .out file beside a Brainfuck program)`,
  );
}

/** The JavaScript baseline: the loop as a user would write it (numbers are exact below 2^53). */
export function sumJs(n: number): number {
  let result = 0;
  for (let i = n; i !== 0; i--) result += i;
  return result;
}
