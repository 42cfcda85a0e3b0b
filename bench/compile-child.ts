// Builds ONE program in a fresh process for the compile-time benchmark (bench/compile.ts) and prints a
// CompileMeasurement as JSON on stdout: a process per program makes its peak memory (maxRSS) its own, and lets the
// parent kill a build that runs past the time limit. Timed: buildProgram with no cache (snapshot + specialize +
// binaryen), after loading binaryen (a constant import, ~0.4 s on 2026-12-01, not compile work). maxRSS is read right
// after that build; then a second, untimed build reports the specializer's output before binaryen (`rawBytes`, asked
// for with reportRawSize; when SpecializeModuleResult has none, a specialization at optimizeLevel 0 gives the
// unoptimized size instead); last, the snapshot and the wevaled module run the program and their outputs are compared.
// Usage: node dist/bench/compile-child.js '<CompileChildSpec json>'.
import { readFileSync } from "node:fs";
import { manifestForFile } from "../interp/manifest.ts";
import { buildProgram, loadProgram, runOutcome, sameOutcome, type BuildOptions } from "../pipeline/index.ts";
import { specializeModule, type SpecializeModuleResult } from "../specializer/index.ts";
import { loadBinaryen } from "../util/binaryen.ts";
import { runFailure } from "./compile-failure.ts";

export interface CompileChildSpec {
  /** The program's source (.asm or .fern). */
  file: string;
  /** The built interpreter module. */
  interp: string;
  /** Run interpreted and wevaled and compare their output. */
  check: boolean;
}

export interface CompileMeasurement {
  program_bytes: number;
  snapshot_ms: number;
  specialize_ms: number;
  optimize_ms: number;
  /** Wall time of buildProgram (snapshot, specialize, binaryen, validation). */
  build_ms: number;
  /** CPU time (user + system, all threads) of the same build: less distorted by other processes' load. */
  build_cpu_ms: number;
  /** process.resourceUsage().maxRSS right after the build, in MB. */
  peak_rss_mb: number;
  snapshot_bytes: number;
  /** The specializer's output before binaryen's optimization, when known. */
  raw_bytes: number | null;
  /** Where raw_bytes came from, or why it is missing. */
  raw_source: string;
  output_bytes: number;
  requests: number;
  contexts: number;
  blocks: number;
  values: number;
  /** "request N: reason" for each request that hit a limit (its slot stays 0: the interpreter runs it). */
  aborted: string[];
  outputs_match: boolean | null;
  /** Where the outputs differ, when they do. */
  mismatch?: string;
  /** How the program failed when run (an error or a non-zero exit), when it did: alike on both sides is no success. */
  run_error?: string;
}

const spec = JSON.parse(process.argv[2]) as CompileChildSpec;
const loaded = await loadProgram(manifestForFile(spec.file), spec.file);
const program = loaded.bytes;
const interp = new Uint8Array(readFileSync(spec.interp));
await loadBinaryen();

const t = performance.now();
const cpu = process.cpuUsage();
// The build a user runs (`futamura build` asks for the raw size only with --stats).
const built = await buildProgram(interp, loaded, { cache: false });
const buildMs = performance.now() - t;
const buildCpu = process.cpuUsage(cpu);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const s = built.specialize!;

// The raw size, from a second build that asks for it (reportRawSize: one more emit and splice before binaryen
// optimizes, the benchmark's work, not the build's: ~0.4 s of CPU on Fern's one function of 10,000 statements, 5% of
// its build, 2026-12-07); a specializer without the flag ignores it and the fallback below measures the size instead.
const rawBuild = await buildProgram(interp, loaded, { cache: false, reportRawSize: true } as BuildOptions);
let raw: number | null = (rawBuild.specialize! as SpecializeModuleResult & { rawBytes?: number }).rawBytes ?? null;
let rawSource = "rawBytes";
if (raw === null) {
  try {
    raw = (await specializeModule(built.snapshot, { optimizeLevel: 0 })).outputBytes;
    rawSource = "optimizeLevel 0";
  } catch (e) {
    rawSource = `optimizeLevel 0 failed: ${(e as Error).message.split("\n")[0]}`;
  }
}

let match: boolean | null = null;
let mismatch: string | undefined;
let runError: string | undefined;
if (spec.check) {
  const a = await runOutcome(built.snapshot, loaded);
  const b = await runOutcome(built.wasm, loaded);
  match = sameOutcome(a, b);
  runError = runFailure(a, b);
  if (!match) {
    let at = 0;
    while (at < a.stdout.length && a.stdout[at] === b.stdout[at]) at++;
    const end = (o: typeof a) => (o.error ? `error ${JSON.stringify(o.error)}` : `result ${o.result}`);
    mismatch = `interpreted: ${end(a)}, wevaled: ${end(b)}`;
    if (a.stdout !== b.stdout)
      mismatch += `; stdout differs at char ${at}: interpreted ${JSON.stringify(a.stdout.slice(at, at + 40))}, wevaled ${JSON.stringify(b.stdout.slice(at, at + 40))}`;
  }
}

const sum = (k: "contexts" | "blocks" | "values") => s.requests.reduce((n, r) => n + r[k], 0);
const m: CompileMeasurement = {
  program_bytes: program.length,
  snapshot_ms: built.snapshotMs,
  specialize_ms: s.specializeMs,
  optimize_ms: s.optimizeMs,
  build_ms: buildMs,
  build_cpu_ms: (buildCpu.user + buildCpu.system) / 1000,
  peak_rss_mb: peakRssMb,
  snapshot_bytes: built.snapshot.length,
  raw_bytes: raw,
  raw_source: rawSource,
  output_bytes: s.outputBytes,
  requests: s.requests.length,
  contexts: sum("contexts"),
  blocks: sum("blocks"),
  values: sum("values"),
  aborted: s.requests.filter((r) => r.aborted).map((r) => `request ${r.userId}: ${r.aborted}`),
  outputs_match: match,
  mismatch,
  ...(runError ? { run_error: runError } : {}),
};
process.stdout.write(JSON.stringify(m) + "\n");
