// The C interpreter's benchmark (`npm run bench:c`): sum-to-100M on interp/c/toy.c (clang -O2 -msimd128, pointer
// pcs, registers), interpreted (its snapshot, the generic body) vs wevaled vs the same loop written directly in
// Wasm (bench/limit.ts), warm in one process: each module instantiated once with WASI, two warm-up calls of its
// `run` export (TurboFan), then runs interleaved across the variants so drift hits all alike. Prints a table and
// writes results/bench-c.json ({ meta, rows, wevaled_over_limit, speedup_over_interpreted }, rows as bench/stats.ts).
// Usage: npm run bench:c [-- --runs N].
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { loadProgramFile } from "../bytecode/index.ts";
import { buildCInterpreter } from "../interp/c-build.ts";
import { BufferedOutput, InterpreterHost } from "../interp/host.ts";
import { buildProgram } from "../pipeline/index.ts";
import { ROOT } from "../util/root.ts";
import { loadNodeWasi } from "../util/wasi.ts";
import { limitModule } from "./limit.ts";
import { summarize, type Row } from "./stats.ts";
import { InternalError } from "../util/errors.ts";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const interpretedRuns = Math.min(runs, 3);

/** The module's `run` export, with WASI bound (its output to /dev/null) and the weval stubs. */
async function runExport(wasm: Uint8Array): Promise<() => bigint> {
  const { WASI } = await loadNodeWasi();
  const devNull = openSync("/dev/null", "w");
  const wasi = new WASI({ version: "preview1", returnOnExit: true, stdout: devNull, stderr: devNull });
  const host = new InterpreterHost(new Uint8Array(0), new BufferedOutput());
  const { instance } = await WebAssembly.instantiate(
    wasm as BufferSource,
    { ...host.imports, wasi_snapshot_preview1: wasi.wasiImport } as WebAssembly.Imports,
  );
  wasi.initialize({ exports: { ...instance.exports, _start: undefined } } as never);
  return instance.exports.run as () => bigint;
}

const program = loadProgramFile(join(ROOT, "bytecode", "programs", "sum.asm"));
const interp = buildCInterpreter("toy-c");
const built = await buildProgram(interp.wasm, program.bytes, { cache: false });
const aborted = built.specialize?.requests.filter((r) => r.aborted) ?? [];
if (aborted.length) throw new InternalError(`not specialized: ${aborted.map((r) => r.aborted).join("; ")}`);
const limit = (await WebAssembly.instantiate((await limitModule()) as BufferSource)).instance.exports.sum as (
  n: bigint,
) => bigint;
const variants: { name: Row["variant"]; call: () => bigint; runs: number }[] = [
  { name: "wevaled", call: await runExport(built.wasm), runs },
  { name: "limit", call: () => limit(100_000_000n), runs },
  { name: "interpreted", call: await runExport(built.snapshot), runs: interpretedRuns },
];
const times = new Map(variants.map((v) => [v.name, [] as number[]]));
const results = new Map<string, string>();
for (const v of variants) for (let i = 0; i < 2; i++) results.set(v.name, String(v.call()));
for (let i = 0; i < runs; i++) {
  for (const v of variants) {
    if (i >= v.runs) continue;
    const t = performance.now();
    const r = v.call();
    times.get(v.name)!.push(performance.now() - t);
    if (String(r) !== results.get(v.name)) throw new InternalError(`${v.name}: result changed`);
  }
}
const want = "5000000050000000";
for (const [name, r] of results) if (r !== want) throw new InternalError(`${name} returned ${r}, expected ${want}`);
const rows = variants.map((v) =>
  summarize({
    program: "sum-to-100M (C interpreter)",
    variant: v.name,
    engine: "v8",
    tier: "warm (TurboFan)",
    runs_ms: times.get(v.name)!,
    result: results.get(v.name)!,
  }),
);
const med = (name: string) => rows.find((r) => r.variant === name)!.median_ms;
const report = {
  meta: {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: cpus()[0]?.model,
    interpreter: "interp/c/toy.c, clang -O2 -msimd128 (toy-c)",
    warmups: 2,
    runs,
  },
  rows,
  wevaled_over_limit: Math.round((med("wevaled") / med("limit")) * 1000) / 1000,
  speedup_over_interpreted: Math.round((med("interpreted") / med("wevaled")) * 10) / 10,
};
for (const r of rows)
  console.log(
    `${r.variant.padEnd(12)} median ${String(r.median_ms).padStart(8)} ms  (min ${r.min_ms}, max ${r.max_ms}, ${r.runs_ms.length} runs)`,
  );
console.log(
  `wevaled / hand-written loop: ${report.wevaled_over_limit}x; wevaled is ${report.speedup_over_interpreted}x faster than interpreted (V8 warm, TurboFan)`,
);
mkdirSync(join(ROOT, "results"), { recursive: true });
writeFileSync(join(ROOT, "results", "bench-c.json"), JSON.stringify(report, null, 2) + "\n");
