// The benchmark harness (`futamura bench`, `npm run bench`): for each program, build what is missing (snapshot +
// specialize), then measure every variant — interpreted (the snapshot running the generic interpreter), wevaled,
// limit (the same loop written directly in Wasm) and js (the same loop in plain JavaScript) — on each engine, cold
// (the first call, in a fresh process: Liftoff for Wasm) and warm (after warm-up, in one process: TurboFan), with
// warm runs interleaved across variants so drift hits all alike. Writes a terminal table, JSON, Markdown and an SVG
// chart (report.ts). Any interpreter's programs work (pipeline/).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { bytesInput, BufferedOutput, InterpreterHost, instantiate, runModule } from "../interp/host.ts";
import { abortLine, buildProgram } from "../pipeline/index.ts";
import { projectRoot, ROOT } from "../util/root.ts";
import { runChild } from "./child.ts";
import type { ColdSpec } from "./cold-child.ts"; // type only: importing the script itself would run it
import { jcoAvailability, jcoRows } from "./jco.ts";
import { limitModule } from "./limit.ts";
import {
  inProcessPeers,
  missingPeerNotes,
  nativeLuas,
  peerNote,
  peerSources,
  programsWithPeers,
  runNativeLua,
} from "./peers.ts";
import { fileProgram, sumJs, sumProgram, type BenchProgram } from "./programs.ts";
import { Progress } from "./progress.ts";
import { writeReports, type BenchMeta } from "./report.ts";
import { summarize, type Row } from "./stats.ts";
import { InternalError } from "../util/errors.ts";

export interface BenchOptions {
  /** Programs to run (any interpreter's); default sum-to-100M. */
  programs?: string[];
  /** The interpreter for `programs` (default: by each file's extension). */
  interp?: string;
  /** 10M iterations, one run of each. */
  quick?: boolean;
  /** Warm runs per variant (default 7, quick 1). */
  runs?: number;
  /** Cold runs (fresh processes) per variant (default 3, quick 1). */
  coldRuns?: number;
  /** Results directory (default results/). */
  out?: string;
  /** Also write the JSON here. */
  json?: string;
  /** Engines: v8 (always), jco, wasmtime. Default: v8 and jco. */
  engines?: string[];
  /** The command line that asked for this run, recorded in the results. */
  command?: string;
  /** Also run each Fern program's peers (bench/peers.ts); with no programs, every lang/bench program that has them. */
  peers?: boolean;
  /** An aborted request is an error instead of a partially interpreted module. */
  strict?: boolean;
  /** Build the wevaled modules with training (pipeline/train.ts), with this much fuel. */
  train?: number;
}

interface Variant {
  name: Row["variant"];
  /** Module file for cold runs and the kind of host it needs (peers have no cold runs). */
  cold?: Parameters<typeof coldRun>[0];
  warm: () => Promise<() => string>;
}

function coldRun(spec: ColdSpec): { ms: number; result: string } {
  return runChild("cold-child", spec, { timeout: 300_000, what: `cold run (${spec.kind})` });
}

/** The order of `runs` runs of `variants` variants, as [run, variant] pairs: run 1 of every variant, then run 2… */
export function interleaved(runs: number, variants: number): [number, number][] {
  const order: [number, number][] = [];
  for (let i = 0; i < runs; i++) for (let k = 0; k < variants; k++) order.push([i, k]);
  return order;
}

/** Two programs with the same file name (a/fib.fern, b/fib.fern) are labelled by their paths instead. */
function distinctNames(programs: BenchProgram[]): void {
  const count = new Map<string, number>();
  for (const p of programs) count.set(p.name, (count.get(p.name) ?? 0) + 1);
  const seen = new Set<string>();
  for (const p of programs) {
    if (count.get(p.name)! > 1 && p.path) p.name = relative(process.cwd(), p.path).replace(/\.[^./]+$/, "");
    let name = p.name;
    for (let k = 2; seen.has(name); k++) name = `${p.name}#${k}`;
    p.name = name;
    seen.add(name);
  }
}

/** The run's settings, from the options and their defaults. */
interface Settings {
  runs: number;
  coldRuns: number;
  warmups: number;
  outDir: string;
  engines: string[];
  natives: ReturnType<typeof nativeLuas>;
}

export async function runBench(opts: BenchOptions = {}): Promise<{ rows: Row[]; meta: BenchMeta; files: string[] }> {
  const quick = !!opts.quick;
  const s: Settings = {
    runs: opts.runs ?? (quick ? 1 : 7),
    coldRuns: opts.coldRuns ?? (quick ? 1 : 3),
    warmups: quick ? 1 : 2,
    outDir: resolve(opts.out ?? join(projectRoot(), "results")), // the project's, never inside node_modules
    engines: opts.engines ?? ["v8", "jco"],
    natives: opts.peers ? nativeLuas() : [],
  };
  const programs: BenchProgram[] = [];
  const sources = opts.programs?.length ? opts.programs : opts.peers ? programsWithPeers() : [];
  for (const p of sources) programs.push(await fileProgram(p, opts.interp));
  if (!sources.length) programs.push(await sumProgram(quick ? 10_000_000n : 100_000_000n));
  distinctNames(programs);
  mkdirSync(join(s.outDir, "modules"), { recursive: true });
  // This run's modules only: files an earlier run left (other programs, other names) would be mixed with them.
  for (const f of readdirSync(join(s.outDir, "modules")))
    if (/\.(wasm|program)$/.test(f)) rmSync(join(s.outDir, "modules", f));
  const meta = await benchMeta(opts, s, quick);
  const rows: Row[] = [];
  for (const bp of programs) rows.push(...(await benchProgram(bp, opts, s, meta)));
  const files = await writeReports(rows, meta, s.outDir, opts.json);
  return { rows, meta, files };
}

async function benchMeta(opts: BenchOptions, s: Settings, quick: boolean): Promise<BenchMeta> {
  const meta: BenchMeta = {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpus: (await import("node:os")).cpus()[0]?.model ?? "?",
    quick,
    runs: s.runs,
    coldRuns: s.coldRuns,
    interleaved: "warm and cold",
    command: opts.command,
    programs: {},
    notes: [],
  };
  if (opts.peers) meta.notes.push(peerNote(s.natives), ...missingPeerNotes());
  if (opts.train !== undefined)
    meta.notes.push(
      `wevaled modules built with training (--train-fuel ${opts.train}): the program ran once on the generic interpreter at build time, and the specialized code assumes what it saw there (profile-guided speculation, checked at run time); "untrained" is the same program built without training`,
    );
  return meta;
}

/** A variant's result against the program's expected one: a mismatch is a bug. */
type Check = (variant: string, result: string) => void;

/** One program: build it, write its modules, then its rows — cold, warm, native peers, the other engines — each
 *  marked when its module is partially interpreted. */
async function benchProgram(bp: BenchProgram, opts: BenchOptions, s: Settings, meta: BenchMeta): Promise<Row[]> {
  const peers = opts.peers && bp.path?.endsWith(".fern") ? inProcessPeers(bp.path) : [];
  if (opts.peers && bp.path && !peers.length)
    meta.notes.push(
      `${bp.name}: no peer programs beside it (${join(dirname(bp.path), "peers", basename(bp.path).replace(/\.fern$/, ""))}.js or .lua)`,
    );
  const variantCount = bp.sumN !== undefined ? 4 : 2;
  const jcoOk = jcoHandles(bp);
  const progress = new Progress(
    bp.name,
    1 +
      variantCount * (s.coldRuns + s.warmups + s.runs) +
      (peers.length + (opts.train !== undefined ? 1 : 0)) * (s.warmups + s.runs) +
      (s.engines.includes("jco") && jcoOk ? 4 : 0),
  );
  try {
    progress.step("building (snapshot + specialize)");
    const { built, untrained } = await buildBoth(bp, opts);
    const partial = new Set([built.aborted.length ? "wevaled" : "", untrained?.aborted.length ? "untrained" : ""]);
    const { files, limit } = await writeModules(bp, built, s.outDir, meta);
    const variants = benchVariants(bp, built, untrained?.wasm, files, limit);
    for (const peer of peers) variants.push({ name: peer.name, warm: peer.warm });
    const expected = bp.expected;
    const check: Check = (v, result) => {
      if (result !== expected)
        throw new InternalError(
          `${bp.name} ${v}: result ${JSON.stringify(result)}, expected ${JSON.stringify(expected)}`,
        );
    };
    const rows = [...coldRows(bp, variants, s, progress, check), ...(await warmRows(bp, variants, s, progress, check))];
    peers.forEach((p) => p.dispose());
    rows.push(...nativeLuaRows(bp, s, progress, check, meta));
    rows.push(...(await engineRows(bp, built, jcoOk, s, progress, meta)));
    for (const r of rows) if (partial.has(r.variant)) r.partially_interpreted = true;
    return rows;
  } finally {
    progress.done(); // also on failure: the bar's timer would keep the process alive
  }
}

/** The wevaled build, and with --train the same program built without training too, so the run shows what
 *  training buys. A partially interpreted module is said at once (and its rows carry the mark). */
async function buildBoth(bp: BenchProgram, opts: BenchOptions) {
  const interp = bp.interp.wasm;
  const built = await buildProgram(interp, bp.program, {
    cache: false,
    train: opts.train,
    interpreterName: bp.interp.name,
    strict: opts.strict,
    label: bp.name,
  });
  const untrained =
    opts.train !== undefined
      ? await buildProgram(interp, bp.program, { cache: false, strict: opts.strict, label: bp.name })
      : undefined;
  for (const a of [...built.aborted, ...(untrained?.aborted ?? [])]) process.stderr.write(`${abortLine(bp.name, a)}\n`);
  return { built, untrained };
}

type Built = Awaited<ReturnType<typeof buildBoth>>["built"];

/** The program's modules and bytes under modules/ (for cold runs in fresh processes), and its sizes and times in
 *  `meta`. */
async function writeModules(bp: BenchProgram, built: Built, outDir: string, meta: BenchMeta) {
  const spec = built.specialize!;
  const stem = bp.name.replace(/[^\w.-]+/g, "_");
  const files = {
    interpreted: join(outDir, "modules", `${stem}.interpreted.wasm`),
    wevaled: join(outDir, "modules", `${stem}.wevaled.wasm`),
    limit: join(outDir, "modules", "limit.wasm"),
    program: join(outDir, "modules", `${stem}.program`),
  };
  writeFileSync(files.program, bp.program.bytes);
  writeFileSync(files.interpreted, built.snapshot);
  writeFileSync(files.wevaled, built.wasm);
  const limit = await limitModule();
  writeFileSync(files.limit, limit);
  meta.programs[bp.name] = {
    interpreter: bp.interp.name,
    specialize_ms: Math.round(spec.specializeMs * 10) / 10,
    optimize_ms: Math.round(spec.optimizeMs),
    snapshot_ms: Math.round(built.snapshotMs),
    interpreter_bytes: bp.interp.wasm.length,
    snapshot_bytes: built.snapshot.length,
    wevaled_bytes: built.wasm.length,
    limit_bytes: bp.sumN !== undefined ? limit.length : undefined,
    aborted: spec.requests.find((r) => r.aborted)?.aborted,
  };
  return { files, limit };
}

/** Interpreted and wevaled; for sum-to-N also the hand-written limit and JavaScript; with --train the untrained
 *  build. Checked by what they print when the program states it, else by run's result. */
function benchVariants(
  bp: BenchProgram,
  built: Built,
  untrained: Uint8Array | undefined,
  files: { interpreted: string; wevaled: string; limit: string; program: string },
  limit: Uint8Array,
): Variant[] {
  const byOutput = bp.byOutput;
  const input = bp.program.input ?? new Uint8Array(0);
  const interpWarm = (bytes: Uint8Array) => async () => {
    let out = new BufferedOutput();
    let inp = bytesInput(input);
    const inst = await instantiate(
      bytes,
      new InterpreterHost(
        bp.program.bytes,
        { write: (t) => out.write(t), writeBytes: (b) => out.writeBytes(b) },
        { host: bp.program.host, input: { read: (max) => inp.read(max) } },
      ),
    );
    const run = inst.exports.run as () => bigint | number | undefined;
    return () => {
      out = new BufferedOutput();
      inp = bytesInput(input);
      const r = run();
      return byOutput ? out.text() : String(typeof r === "bigint" ? BigInt.asUintN(64, r) : (r ?? 0));
    };
  };
  // Cold runs load the program in the child through its manifest's loader (for its host additions and input).
  const source = bp.sumN === undefined ? { manifest: bp.interp.manifest.file, source: bp.program.file } : {};
  const variants: Variant[] = [
    {
      name: "interpreted",
      cold: { kind: "interp", file: files.interpreted, program: files.program, stdout: byOutput, ...source },
      warm: interpWarm(built.snapshot),
    },
    {
      name: "wevaled",
      cold: { kind: "interp", file: files.wevaled, program: files.program, stdout: byOutput, ...source },
      warm: interpWarm(built.wasm),
    },
  ];
  if (bp.sumN !== undefined) variants.push(...sumVariants(bp.sumN, files.limit, limit));
  if (untrained) variants.push({ name: "untrained", warm: interpWarm(untrained) });
  return variants;
}

/** sum-to-N's baselines: the loop written directly in Wasm, and in JavaScript. */
function sumVariants(n: bigint, limitFile: string, limit: Uint8Array): Variant[] {
  return [
    {
      name: "limit",
      cold: { kind: "limit", file: limitFile, n: String(n) },
      warm: async () => {
        const sum = (await WebAssembly.instantiate(limit as BufferSource)).instance.exports.sum as (
          n: bigint,
        ) => bigint;
        return () => BigInt.asUintN(64, sum(n)).toString();
      },
    },
    {
      name: "js",
      cold: { kind: "js", n: String(n) },
      warm: async () => () => String(sumJs(Number(n))),
    },
  ];
}

/** Cold: one fresh process per run, interleaved across variants (run 1 of each, then run 2 of each, …) so a slow
 *  phase of the machine hits every variant alike instead of inflating one ratio. */
function coldRows(bp: BenchProgram, variants: Variant[], s: Settings, progress: Progress, check: Check): Row[] {
  const coldVariants = variants.filter((v) => v.cold);
  const coldMs: number[][] = coldVariants.map(() => []);
  for (const [i, k] of interleaved(s.coldRuns, coldVariants.length)) {
    const v = coldVariants[k];
    progress.step(`v8 cold ${v.name} ${i + 1}/${s.coldRuns}`);
    const r = coldRun(v.cold!);
    check(v.name, r.result);
    coldMs[k].push(r.ms);
  }
  return v8Rows(bp, coldVariants, coldMs, (js) => (js ? "cold (first call)" : "cold (first call, Liftoff)"));
}

/** One row per variant on V8 from its runs; `tier` names the tier by whether the variant is plain JavaScript. */
function v8Rows(
  bp: BenchProgram,
  variants: { name: Row["variant"] }[],
  ms: number[][],
  tier: (js: boolean) => string,
): Row[] {
  return variants.map((v, k) =>
    summarize({
      program: bp.name,
      variant: v.name,
      engine: "v8",
      tier: tier(v.name === "js"),
      runs_ms: ms[k],
      result: bp.expected,
    }),
  );
}

/** Warm: one instance per variant, warm-up calls, then runs interleaved across variants. */
async function warmRows(
  bp: BenchProgram,
  variants: Variant[],
  s: Settings,
  progress: Progress,
  check: Check,
): Promise<Row[]> {
  const fns = await Promise.all(variants.map((v) => v.warm()));
  for (let w = 0; w < s.warmups; w++)
    fns.forEach((f, k) => (progress.step(`v8 warm-up ${variants[k].name}`), check(variants[k].name, f())));
  const warm: number[][] = variants.map(() => []);
  for (const [i, k] of interleaved(s.runs, fns.length)) {
    progress.step(`v8 warm ${variants[k].name} ${i + 1}/${s.runs}`);
    const t = performance.now();
    const r = fns[k]();
    warm[k].push(performance.now() - t);
    check(variants[k].name, r);
  }
  return v8Rows(bp, variants, warm, (js) => (js ? "warm" : "warm (TurboFan)"));
}

/** The Fern program's Lua peer on native lua5.4 and luajit, each in its own process. luajit is Lua 5.1: a peer
 *  written for 5.4 that it cannot run (or prints differently) is said in one line and has no luajit row; lua5.4
 *  must agree. */
function nativeLuaRows(bp: BenchProgram, s: Settings, progress: Progress, check: Check, meta: BenchMeta): Row[] {
  const luaFile =
    bp.path && peerSources(bp.path).lua !== undefined
      ? join(dirname(bp.path), "peers", basename(bp.path).replace(/\.fern$/, ".lua"))
      : undefined;
  const rows: Row[] = [];
  for (const lua of luaFile ? s.natives : []) {
    progress.step(`${lua.command} (${s.warmups} warm-ups, ${s.runs} runs, in its own process)`);
    let r: ReturnType<typeof runNativeLua>;
    try {
      r = runNativeLua(lua.command, luaFile!, s.warmups, s.runs);
      if (lua.name === "luajit" && r.output !== bp.expected)
        throw new InternalError(
          `it prints ${JSON.stringify(r.output.slice(0, 60))}, expected ${JSON.stringify(bp.expected.slice(0, 60))}`,
        );
    } catch (e) {
      if (lua.name !== "luajit") throw e;
      const note = `${bp.name}: no luajit row: luajit (Lua 5.1) cannot run ${basename(luaFile!)} as Lua 5.4 does (${(e as Error).message.split("\n")[0]})`;
      process.stderr.write(`${note}\n`);
      meta.notes.push(note);
      continue;
    }
    check(lua.name, r.output);
    rows.push(
      summarize({
        program: bp.name,
        variant: lua.name,
        engine: "native",
        tier: "warm (own process, CPU time)",
        runs_ms: r.runs_ms,
        result: bp.expected,
      }),
    );
  }
  return rows;
}

/** The engines beside V8: jco's rows when it can run the program, and notes for what is absent. */
async function engineRows(
  bp: BenchProgram,
  built: Built,
  jcoOk: boolean,
  s: Settings,
  progress: Progress,
  meta: BenchMeta,
): Promise<Row[]> {
  const rows: Row[] = [];
  if (s.engines.includes("jco") && !jcoOk)
    meta.notes.push(
      `${bp.name}: no jco rows (the WASI wrapper knows futamura's write/print_u64 imports only, and no input or runtime errors)`,
    );
  else if (s.engines.includes("jco")) {
    const why = jcoAvailability();
    if (why) meta.notes.push(`jco rows skipped: ${why}`);
    else {
      // The output every engine must reproduce: the V8 wevaled run's.
      const out = new BufferedOutput();
      await runModule(built.wasm, new Uint8Array(0), out);
      rows.push(
        ...(await jcoRows(bp, { interpreted: built.snapshot, wevaled: built.wasm }, out.text(), {
          runs: s.runs,
          warmups: s.warmups,
          progress,
        })),
      );
    }
  }
  if (s.engines.includes("wasmtime")) {
    const found = spawnSync("wasmtime", ["--version"], { encoding: "utf8" });
    meta.notes.push(
      found.status === 0
        ? `wasmtime ${found.stdout.trim()} is on PATH but its rows are not implemented yet`
        : "wasmtime: no wasmtime binary on PATH; its rows are absent",
    );
  }
  return rows;
}

/** The jco wrapper (wasi-command.ts) turns futamura.write/print_u64 into WASI output; nothing else of the ABI. */
function jcoHandles(bp: BenchProgram): boolean {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bp.interp.wasm as BufferSource));
  return (
    !bp.program.input?.length &&
    imports.every(
      (i) =>
        i.module === "weval" ||
        (i.module === "futamura" &&
          ["program_length", "program_read", "write", "print_u64", "trace"].includes(i.name)) ||
        (i.module === "env" && i.name === "abort"),
    )
  );
}
