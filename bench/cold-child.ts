// Runs ONE first call in a fresh process and prints {"ms": …, "result": "…"} on stdout: V8 shares compiled code
// between modules with the same bytes within a process, so a truly cold (Liftoff) first call needs a new process.
// Timed: the first call only (compile and instantiate are not). Usage: node dist/bench/cold-child.js '<spec json>'
// where spec = { kind: "interp", file, program?, manifest?, source?, stdout? } | { kind: "limit", file, n } |
// { kind: "js", n }; with `stdout` the result is the program's output, else run's result; with `manifest` and
// `source` the program is loaded through its loader (for its host additions and input).
import { readFileSync } from "node:fs";
import { bytesInput, BufferedOutput, InterpreterHost, instantiate, type HostOptions } from "../interp/host.ts";
import { readManifest } from "../interp/manifest.ts";
import { loadProgram } from "../pipeline/program.ts";
import { sumJs } from "./programs.ts";

export type ColdSpec =
  | { kind: "interp"; file: string; program?: string; manifest?: string; source?: string; stdout?: boolean }
  | { kind: "limit"; file: string; n: string }
  | { kind: "js"; n: string };

const spec = JSON.parse(process.argv[2]) as ColdSpec;
let ms: number;
let result: string;
if (spec.kind === "js") {
  const t = performance.now();
  result = String(sumJs(Number(spec.n)));
  ms = performance.now() - t;
} else {
  const bytes = new Uint8Array(readFileSync(spec.file));
  if (spec.kind === "interp") {
    const out = new BufferedOutput();
    const program = spec.program ? new Uint8Array(readFileSync(spec.program)) : new Uint8Array(0);
    const loaded =
      spec.manifest && spec.source ? await loadProgram(readManifest(spec.manifest), spec.source) : undefined;
    const opts: HostOptions = { host: loaded?.host, input: loaded?.input ? bytesInput(loaded.input) : undefined };
    const inst = await instantiate(bytes, new InterpreterHost(program, out, opts));
    const run = inst.exports.run as () => bigint | number | undefined;
    const t = performance.now();
    const r = run();
    result = String(typeof r === "bigint" ? BigInt.asUintN(64, r) : (r ?? 0));
    ms = performance.now() - t;
    if (spec.stdout) result = out.text();
  } else {
    const { instance } = await WebAssembly.instantiate(bytes as BufferSource);
    const sum = instance.exports.sum as (n: bigint) => bigint;
    const t = performance.now();
    result = BigInt.asUintN(64, sum(BigInt(spec.n))).toString();
    ms = performance.now() - t;
  }
}
process.stdout.write(JSON.stringify({ ms, result }) + "\n");
