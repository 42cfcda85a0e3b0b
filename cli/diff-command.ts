// `futamura diff --interp <interp.wasm> <programs…>`: the generic differential tester from the command line —
// every program run interpreted and wevaled on any interpreter that follows the ABI; exit 1 on any difference.
// Programs: .fern and .asm sources are compiled, anything else is passed to the interpreter as raw bytes.
// Relies on specializer/differential.ts.
import { loadProgramFile } from "../bytecode/index.ts";
import { loadFernFile } from "../lang/index.ts";
import { differential } from "../specializer/differential.ts";
import { readUserFile } from "../util/files.ts";
import { interpreterBytes } from "./pipeline-commands.ts";

export async function diffCommand(files: string[], opts: { interp?: string }): Promise<number> {
  const interp = opts.interp ? await interpreterBytes(opts.interp) : undefined;
  let failures = 0;
  for (const file of files) {
    const bytes = file.endsWith(".fern") ? loadFernFile(file).bytes : file.endsWith(".asm") || file.endsWith(".fbc") ? loadProgramFile(file).bytes : readUserFile(file);
    const module = interp ?? (await interpreterBytes(file.endsWith(".fern") ? "fern" : "toy"));
    const [r] = await differential(module, [{ name: file, bytes }]);
    const show = (o: typeof r.interpreted) => `${JSON.stringify(o.stdout.slice(0, 200))}${o.error ? ` error ${JSON.stringify(o.error)}` : ""}`;
    if (r.same) process.stdout.write(`ok    ${file}${r.aborted.length ? ` (interpreted only: ${r.aborted.join("; ")})` : ""}\n`);
    else {
      failures++;
      process.stdout.write(`DIFF  ${file}\n  interpreted: ${show(r.interpreted)}\n  wevaled:     ${show(r.wevaled)}\n`);
    }
  }
  process.stdout.write(`${files.length - failures} same, ${failures} different\n`);
  return failures ? 1 : 0;
}
