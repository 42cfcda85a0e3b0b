// `futamura diff [--interp NAME|FILE] <programs…>`: the generic differential tester from the command line — every
// program run interpreted and wevaled on its interpreter (by --interp, else by file extension) with the same input,
// output bytes, result, runtime error and exit code compared; prints each program's output and the times, and
// exits 1 on any difference. A layer over the library API's diff (api/index.ts).
import { diff } from "../api/index.ts";
import { abortLine, type RunOutcome } from "../pipeline/index.ts";
import { trainingFuel } from "../pipeline/train.ts";
import { checkUserFile, readUserFile } from "../util/files.ts";
import { progressLine } from "./progress.ts";
import { rerunWithTimeout } from "./timeout.ts";

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`);

function preview(o: RunOutcome): string {
  const text = JSON.stringify(o.stdout.length > 120 ? `${o.stdout.slice(0, 120)}…` : o.stdout);
  const extra = [
    o.result !== undefined && o.result !== 0n ? `result ${o.result}` : "",
    o.exitCode ? `exit ${o.exitCode}` : "",
    o.error ? `error ${JSON.stringify(o.error)}` : "",
  ].filter(Boolean);
  return `${text} (${o.bytes.length} bytes)${extra.length ? `, ${extra.join(", ")}` : ""}`;
}

/** `futamura diff`'s options, as commander gives them (cli/main.ts declares them). */
export interface DiffFlags {
  interp?: string;
  input?: string;
  quiet?: boolean;
  init?: string;
  train?: boolean;
  trainFuel?: string;
  timeout?: string;
  strict?: boolean;
}

export async function diffCommand(files: string[], opts: DiffFlags): Promise<number> {
  if (opts.timeout !== undefined) return rerunWithTimeout("diff", files.join(" "), opts.timeout);
  const train = trainingFuel(opts.train, opts.trainFuel);
  for (const file of files) checkUserFile(file); // every missing file before the first build
  let failures = 0;
  for (const file of files) {
    const [r] = await diff([file], {
      interp: opts.interp,
      input: opts.input ? readUserFile(opts.input) : undefined,
      init: opts.init,
      train,
      strict: opts.strict,
      cache: false,
    });
    const interp = { name: r.interpreter };
    for (const a of r.aborted) process.stderr.write(`${abortLine(file, a)}\n`);
    const times = `interpreted ${ms(r.interpretedMs)}, wevaled ${ms(r.wevaledMs)} (${(r.interpretedMs / r.wevaledMs).toFixed(1)}x), build ${ms(r.buildMs)}`;
    if (r.hostFailure) {
      // Both sides failing the same way outside the program (a missing import, a loader's bug) compares nothing.
      failures++;
      process.stdout.write(
        `FAIL  ${file} [${interp.name}]: not compared, a run failed outside the program\n  interpreted: ${preview(r.interpreted)}\n  wevaled:     ${preview(r.wevaled)}\n`,
      );
    } else if (r.same) {
      process.stdout.write(
        `ok    ${file} [${interp.name}]: ${times}${r.aborted.length ? ` (partially interpreted: ${r.aborted.length} request(s) not specialized)` : ""}\n`,
      );
      if (!opts.quiet) process.stdout.write(`      output: ${preview(r.wevaled)}\n`);
    } else {
      failures++;
      process.stdout.write(
        `DIFF  ${file} [${interp.name}]: ${times}\n  interpreted: ${preview(r.interpreted)}\n  wevaled:     ${preview(r.wevaled)}\n`,
      );
    }
  }
  process.stdout.write(`${files.length - failures} same, ${failures} different\n`);
  process.stdout.write(
    "(times are one first call each, after compiling: a program that is one long call stays in V8's Liftoff tier, since V8 has no on-stack replacement for Wasm, so they understate the wevaled speedup; `futamura bench` measures warm TurboFan runs)\n",
  );
  return failures ? 1 : 0;
}
