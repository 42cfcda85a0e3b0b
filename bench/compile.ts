// The compile-time benchmark (`futamura bench --compile`, `npm run bench:compile`): how build time, memory and
// module size grow with the program. For each series (compile-programs.ts) and size multiplier it writes the
// generated source under build/compile-programs/ (compileProgramsDir: a slow case reproduces with `futamura build`;
// never beside the reports, which --out may put in docs/), checks that the front end accepts it, then builds it in a
// fresh child process (compile-child.ts) with a time limit; a build past the limit is killed and reported as a
// "timeout" row, a crash as an "error" row, and the run goes on.
// Writes results/bench-compile.{json,md,svg} (compile-report.ts).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join, resolve } from "node:path";
import { buildInterpreter } from "../interp/build.ts";
import { builtinManifest } from "../interp/manifest.ts";
import { loadProgram } from "../pipeline/index.ts";
import { projectRoot, ROOT } from "../util/root.ts";
import type { CompileChildSpec, CompileMeasurement } from "./compile-child.ts"; // type only: importing the script would run it
import { programName, SERIES, type SeriesName } from "./compile-programs.ts";
import {
  measuredStatus,
  scaling,
  TARGET_PER_10X,
  writeCompileReports,
  type CompileMeta,
  type CompileRow,
  type Scaling,
} from "./compile-report.ts";
import { Progress } from "./progress.ts";
import { UserError } from "../util/errors.ts";
import { buildNodeFlags } from "../util/gc.ts";

export interface CompileBenchOptions {
  /** Only the smallest size of each series (multiplier 1). */
  quick?: boolean;
  /** Size multipliers of each series' smallest size (default 1, 10, 100). */
  multipliers?: number[];
  /** Series to run (default all). */
  series?: SeriesName[];
  /** Time limit per program's build, in seconds (default 600). */
  timeoutS?: number;
  /** Results directory (default results/). */
  out?: string;
  /** Also write the JSON here. */
  json?: string;
}

export const DEFAULT_MULTIPLIERS = [1, 10, 100];
/** Where the generated programs go: the project's build/ folder (regenerated on every run, never committed). */
export function compileProgramsDir(): string {
  return join(projectRoot(), "build", "compile-programs");
}
export const DEFAULT_TIMEOUT_S = 600;

interface ChildOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

function runChild(spec: CompileChildSpec, timeoutMs: number): Promise<ChildOutcome> {
  const script = join(ROOT, "dist", "bench", "compile-child.js");
  return new Promise((done) => {
    const t = performance.now();
    // With the flags the CLI runs its builds with (bin/futamura.mjs): the benchmark times what a user runs.
    const child = spawn(process.execPath, [...buildNodeFlags(availableParallelism()), script, JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-20_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    // Killed ourselves (a test's time limit, Ctrl-C): take the build along instead of leaving it running.
    const stop = (signal: NodeJS.Signals) => {
      child.kill("SIGKILL");
      process.exit(128 + (signal === "SIGINT" ? 2 : 15));
    };
    process.once("SIGTERM", stop).once("SIGINT", stop);
    child.on("error", (e) => ((stderr += String(e)), undefined));
    child.on("close", (code) => {
      clearTimeout(timer);
      process.off("SIGTERM", stop).off("SIGINT", stop);
      done({ code, stdout, stderr, timedOut, ms: performance.now() - t });
    });
  });
}

/** The one line of a child's stderr that says what went wrong. */
function childError(stderr: string, code: number | null): string {
  if (/heap out of memory|Allocation failed/.test(stderr)) return "out of memory (V8 heap limit)";
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  return (
    lines.find((l) => /^(\w*Error|error):/.test(l)) ??
    lines.find((l) => /error/i.test(l)) ??
    lines.at(-1) ??
    `exit code ${code}`
  );
}

export async function runCompileBench(
  opts: CompileBenchOptions = {},
): Promise<{ rows: CompileRow[]; meta: CompileMeta; scaling: Scaling[]; files: string[] }> {
  const multipliersOf = (s: (typeof SERIES)[number]) =>
    opts.quick ? [1] : (opts.multipliers ?? s.multipliers ?? DEFAULT_MULTIPLIERS);
  const multipliers = opts.quick ? [1] : (opts.multipliers ?? DEFAULT_MULTIPLIERS);
  const timeoutS = opts.timeoutS ?? DEFAULT_TIMEOUT_S;
  const series = SERIES.filter((s) => !opts.series || opts.series.includes(s.name));
  const outDir = resolve(opts.out ?? join(projectRoot(), "results")); // the project's, never inside node_modules
  const progDir = compileProgramsDir();
  mkdirSync(progDir, { recursive: true });
  // Each series names its interpreter (data in compile-programs.ts); built once, by manifest like any other.
  const interps = new Map<string, string>();
  for (const s of series)
    if (!interps.has(s.interpreter)) interps.set(s.interpreter, (await buildInterpreter(s.interpreter)).path);
  const meta: CompileMeta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpus: cpus()[0]?.model ?? "?",
    quick: !!opts.quick,
    multipliers,
    timeout_s: timeoutS,
    target_per_10x: TARGET_PER_10X,
    notes: [
      `build_ms is buildProgram with no cache (snapshot + specialize + binaryen + validation) in a fresh process (node ${buildNodeFlags(availableParallelism()).join(" ")}, as the CLI runs builds), after binaryen's module is loaded; build_cpu_ms the CPU time (user + system) the child spent on it, which load from other processes distorts less`,
      "peak_rss_mb is the child process's maxRSS right after that build (Node and binaryen's module included)",
    ],
  };
  const rows: CompileRow[] = [];
  const progress = new Progress(
    "--compile",
    series.reduce((n, s) => n + multipliersOf(s).length, 0),
  );
  try {
    for (const s of series)
      for (const m of multipliersOf(s)) {
        const size = Math.round(s.base * m);
        progress.step(`${programName(s.name, size)} (${size} ${s.unit})`);
        rows.push(await measureProgram(s, size, progDir, interps.get(s.interpreter)!, timeoutS));
      }
  } finally {
    progress.done();
  }
  if (rows.some((r) => /more than \d+ functions/.test(r.error ?? "")))
    meta.notes.push(
      "Fern allows at most 256 functions (lang/opcodes.ts MAX_FUNCTIONS: a function's index is one byte in its header)",
    );
  const files = await writeCompileReports(rows, meta, outDir, opts.json);
  return { rows, meta, scaling: scaling(rows), files };
}

/** One program of a series: generated, checked by its front end, then built and run in a fresh child process. */
async function measureProgram(
  s: (typeof SERIES)[number],
  size: number,
  progDir: string,
  interp: string,
  timeoutS: number,
): Promise<CompileRow> {
  const program = programName(s.name, size);
  const row: CompileRow = { series: s.name, program, size, unit: s.unit, status: "ok" };
  const file = join(progDir, `${program}.${s.ext}`);
  try {
    if (size < s.min) throw new UserError(`${s.name} needs at least ${s.min} ${s.unit}`);
    const source = s.source(size);
    writeFileSync(file, source);
    await loadProgram(builtinManifest(s.interpreter), file); // a source the front end refuses is unsupported
  } catch (e) {
    Object.assign(row, { status: "unsupported", error: (e as Error).message.split("\n")[0] });
    return row;
  }
  const r = await runChild({ file, interp, check: true }, timeoutS * 1000);
  row.child_ms = Math.round(r.ms);
  if (r.timedOut)
    Object.assign(row, { status: "timeout", error: `no result within ${timeoutS} s (the build was killed)` });
  else if (r.code !== 0) Object.assign(row, { status: "error", error: childError(r.stderr, r.code) });
  else {
    const m = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as CompileMeasurement;
    for (const k of ["snapshot_ms", "specialize_ms", "optimize_ms", "build_ms", "build_cpu_ms", "peak_rss_mb"] as const)
      m[k] = Math.round(m[k] * 10) / 10;
    Object.assign(row, m, { status: measuredStatus(m), ...(m.run_error ? { error: m.run_error } : {}) });
  }
  return row;
}
