// `futamura bench [programs…]` and `npm run bench`: run the benchmark harness and print its table, ratios and
// where the reports went; with --compile, the compile-time benchmark instead (bench-compile-command.ts).
import { runBench } from "../bench/main.ts";
import { ratioLines, table } from "../bench/report.ts";
import { trainingFuel } from "../pipeline/train.ts";
import { UserError } from "../util/errors.ts";
import { checkUserFile } from "../util/files.ts";
import { benchCompileCommand, replacingNote, type BenchCompileFlags } from "./bench-compile-command.ts";
import { rerunWithTimeout } from "./timeout.ts";
import { LUA_BENCH_DIR, luaReport, runLuaBench } from "../bench/lua.ts";
import { readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../util/files.ts";
import { projectRoot } from "../util/root.ts";

const ENGINES = ["v8", "jco", "wasmtime"];

/** A whole number of `unit` (runs), at least 1: `--runs abc` or `--runs 0` is the user's mistake, in one line. */
function positiveCount(flag: string, value: string | undefined, unit = "runs"): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UserError(`futamura bench: ${flag} takes a whole number of ${unit}, at least 1, got '${value}'`);
  return n;
}

/** --engine takes a comma-separated list and may be repeated (`--engine v8,jco`, `--engine v8 --engine jco`). */
function engineList(values: string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const names = values.flatMap((v) => v.split(",")).map((x) => x.trim());
  for (const n of names)
    if (!ENGINES.includes(n))
      throw new UserError(`futamura bench: unknown engine '${n}' (engines: ${ENGINES.join(", ")})`);
  return [...new Set(names)];
}

/** `futamura bench`'s options, as commander gives them (cli/main.ts declares them). */
export type BenchFlags = {
  interp?: string;
  quick?: boolean;
  runs?: string;
  coldRuns?: string;
  processes?: string;
  out?: string;
  json?: string;
  engine?: string[];
  peers?: boolean;
  compile?: boolean;
  train?: boolean;
  trainFuel?: string;
  strict?: boolean;
} & BenchCompileFlags;

export async function benchCommand(programs: string[], opts: BenchFlags): Promise<number> {
  if (opts.compile) {
    const runOnly = [
      programs.length ? "programs" : "",
      opts.interp ? "--interp" : "",
      opts.runs !== undefined ? "--runs" : "",
      opts.coldRuns !== undefined ? "--cold-runs" : "",
      opts.processes !== undefined ? "--processes" : "",
      opts.engine ? "--engine" : "",
      opts.peers ? "--peers" : "",
      opts.train || opts.trainFuel !== undefined ? "--train" : "",
    ].filter(Boolean);
    if (runOnly.length)
      throw new UserError(`futamura bench --compile generates its own programs and takes no ${runOnly.join(", ")}`);
    return benchCompileCommand(opts);
  }
  const compileOnly = [opts.sizes !== undefined ? "--sizes" : "", opts.series !== undefined ? "--series" : ""].filter(
    Boolean,
  );
  if (compileOnly.length) throw new UserError(`futamura bench: ${compileOnly.join(", ")} only work with --compile`);
  // Without --compile, --timeout bounds the whole benchmark (one endless program would otherwise hang it).
  if (opts.timeout !== undefined) return rerunWithTimeout("bench", programs.join(" ") || "bench", opts.timeout);
  for (const p of programs) checkUserFile(p); // before the note that the reports will be replaced
  if (programs.some((p) => p.endsWith(".lua")) || opts.interp === "lua") return luaBenchCommand(programs, opts);
  if (opts.processes !== undefined)
    throw new UserError("futamura bench: --processes is for Lua programs (their warm runs' child processes)");
  const [runs, coldRuns, engines, train] = [
    positiveCount("--runs", opts.runs),
    positiveCount("--cold-runs", opts.coldRuns),
    engineList(opts.engine),
    trainingFuel(opts.train, opts.trainFuel),
  ];
  replacingNote(opts.out, "bench.{json,md,svg} and modules/");
  const { rows, meta, files } = await runBench({
    programs,
    interp: opts.interp,
    quick: opts.quick,
    runs,
    coldRuns,
    out: opts.out,
    json: opts.json,
    engines,
    peers: opts.peers,
    strict: opts.strict,
    train,
    command: `futamura ${process.argv.slice(2).join(" ")}`,
  });
  process.stdout.write(
    `${table(rows)}\n\n${ratioLines(await import("../bench/report.ts").then((m) => m.ratios(rows))).join("\n")}\n`,
  );
  for (const [p, m] of Object.entries(meta.programs))
    process.stdout.write(
      `${p}: specialize ${m.specialize_ms} ms (+ binaryen ${m.optimize_ms} ms); sizes: interpreter ${m.interpreter_bytes} B, snapshot ${m.snapshot_bytes} B, wevaled ${m.wevaled_bytes} B\n`,
    );
  for (const n of meta.notes) process.stdout.write(`note: ${n}\n`);
  process.stdout.write(`node ${meta.node}, V8 ${meta.v8}, ${meta.cpus}\nwrote ${files.join(", ")}\n`);
  return 0;
}

/** Lua programs (or `--interp lua` alone: interp/lua/bench/*.lua): bench/lua.ts, a table of its own. */
async function luaBenchCommand(
  programs: string[],
  opts: {
    quick?: boolean;
    runs?: string;
    processes?: string;
    peers?: boolean;
    json?: string;
    out?: string;
    engine?: string[];
    train?: boolean;
    coldRuns?: string;
    strict?: boolean;
  },
): Promise<number> {
  const others = programs.filter((p) => !p.endsWith(".lua"));
  if (others.length)
    throw new UserError(`futamura bench: Lua programs are benchmarked on their own; not Lua: ${others.join(", ")}`);
  if (opts.train || (opts.engine && opts.engine.join() !== "v8"))
    throw new UserError("futamura bench: Lua programs run on V8 only, without --train");
  // Flags the Lua benchmark has no use for are said, not ignored: each run is a fresh instance in this process (the
  // first is its own row), and an aborted request is a row's note.
  const unused = [opts.coldRuns !== undefined ? "--cold-runs" : "", opts.strict ? "--strict" : ""].filter(Boolean);
  if (unused.length) throw new UserError(`futamura bench: Lua programs take no ${unused.join(", ")}`);
  const load1 = loadavg()[0]; // the machine's load when the run starts, kept with its figures
  const files = programs.length
    ? programs
    : readdirSync(LUA_BENCH_DIR)
        .filter((f) => f.endsWith(".lua"))
        .sort()
        .map((f) => join(LUA_BENCH_DIR, f));
  const result = await runLuaBench({
    programs: files,
    runs: opts.quick ? 1 : (positiveCount("--runs", opts.runs) ?? 3),
    warmups: 1,
    processes: positiveCount("--processes", opts.processes, "processes") ?? (opts.quick ? 1 : 4),
    peers: opts.peers,
  });
  process.stdout.write(`${luaReport(result)}\n`);
  const json = opts.json ?? join(opts.out ?? join(projectRoot(), "results"), "bench-lua.json"); // as bench/main.ts
  writeFileAtomic(
    json,
    `${JSON.stringify({ meta: { date: new Date().toISOString(), node: process.version, v8: process.versions.v8, load1: Number(load1.toFixed(2)), command: `futamura ${process.argv.slice(2).join(" ")}`, programs: result.programs, notes: result.notes }, rows: result.rows }, null, 2)}\n`,
  );
  process.stdout.write(`wrote ${json}\n`);
  return 0;
}
