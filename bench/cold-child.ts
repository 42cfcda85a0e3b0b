// Runs ONE first call in a fresh process and prints {"ms": …, "result": "…"} on stdout: V8 shares compiled code
// between modules with the same bytes within a process, so a truly cold (Liftoff) first call needs a new process.
// Timed: the first call only (compile and instantiate are not). Usage: node dist/bench/cold-child.js '<spec json>'
// where spec = { kind: "toy", file, program?, stdout? } | { kind: "limit", file, n } | { kind: "js", n }; with `stdout`
// the result is the program's output (Fern programs are checked by what they print). Relies on interp/host.ts.
import { readFileSync } from "node:fs";
import { BufferedOutput, InterpreterHost, instantiate } from "../interp/host.ts";
import { sumJs } from "./programs.ts";

export type ColdSpec = { kind: "toy"; file: string; program?: string; stdout?: boolean } | { kind: "limit"; file: string; n: string } | { kind: "js"; n: string };

const spec = JSON.parse(process.argv[2]) as ColdSpec;
let ms: number;
let result: string;
if (spec.kind === "js") {
  const t = performance.now();
  result = String(sumJs(Number(spec.n)));
  ms = performance.now() - t;
} else {
  const bytes = new Uint8Array(readFileSync(spec.file));
  if (spec.kind === "toy") {
    const out = new BufferedOutput();
    const program = spec.program ? new Uint8Array(readFileSync(spec.program)) : new Uint8Array(0);
    const inst = await instantiate(bytes, new InterpreterHost(program, out));
    const run = inst.exports.run as () => bigint;
    const t = performance.now();
    result = BigInt.asUintN(64, run()).toString();
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
