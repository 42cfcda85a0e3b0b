// `futamura bench` for Lua programs (interp/lua/bench/*.lua by default): PUC-Rio Lua compiled by clang, run as WASI
// commands on V8 — the annotated interpreter unspecialized ("interpreted"), the same program wevaled, and the same
// Lua built without annotations ("stock") — each from a snapshot with the script already compiled, so the times are
// the script's run. A run instantiates the compiled module afresh and times `_start` (a Lua state runs a script
// once); the first run of each module in the bench's process is the "first call" tier (V8's defaults: mostly
// Liftoff); the "warm" tier runs in several child processes (several memory layouts) on TurboFan code only, at spread
// stack placements (bench/lua-warm-child.ts says why), variants interleaved run by run, timed by the wall clock and the
// main thread's CPU time, pooled over the processes by bench/lua-pool.ts. With peers: Lua 5.4 in Wasm (wasmoon, timed
// in the warm child) and native lua5.4 / luajit when on PATH (bench/peers.ts). Every variant's output must equal the
// interpreted one's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { buildLua } from "../interp/lua-build.ts";
import { builtinManifest } from "../interp/manifest.ts";
import { InterpreterHost, BufferedOutput } from "../interp/host.ts";
import { buildProgram, loadProgram } from "../pipeline/index.ts";
import { snapshot } from "../snapshot/index.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";
import { runChild } from "./child.ts";
import { poolProcesses, processRatioRange, RATIO_CLOCK, warmFigure, type ProcessRuns } from "./lua-pool.ts";
import type { LuaWarmResult, LuaWarmSpec } from "./lua-warm-child.ts"; // type only: importing the script would run it
import { LUA_WARM_FLAGS, runOnce } from "./lua-run.ts";
import { nativeLuas, runNativeLua } from "./peers.ts";
import { PLACEMENT_FRAMES } from "./stack-placement.ts";
import { geomean, summarize, type Row } from "./stats.ts";

export const LUA_BENCH_DIR = join(ROOT, "interp", "lua", "bench");

export interface LuaBenchOptions {
  programs: string[];
  /** Timed warm runs per warm process (default 3). */
  runs?: number;
  /** Untimed warm-ups per warm process, after its first run (default 1). */
  warmups?: number;
  /** Warm child processes per program (default 4): each a memory layout of its own. */
  processes?: number;
  peers?: boolean;
}

export interface LuaBenchProgram {
  program: string;
  buildMs: number;
  aborted: string[];
  requests: number;
}

export interface LuaBenchResult {
  rows: Row[];
  programs: LuaBenchProgram[];
  notes: string[];
}

type Variant = {
  name: Row["variant"];
  engine: Row["engine"];
  /** A module variant's bytes; the lua-wasm peer has none (it is timed warm only). */
  bytes?: Uint8Array;
};

export async function runLuaBench(opts: LuaBenchOptions): Promise<LuaBenchResult> {
  const w: WarmSettings = { runs: opts.runs ?? 3, warmups: opts.warmups ?? 1, processes: opts.processes ?? 4 };
  const interpreters = { annotated: buildLua("lua").wasm, stock: buildLua("lua-stock").wasm };
  const rows: Row[] = [];
  const programs: LuaBenchProgram[] = [];
  const natives = opts.peers ? nativeLuas() : [];
  const notes = [tierNote(w)];
  if (opts.peers)
    notes.push(
      `peers: lua-wasm = Lua 5.4 in Wasm (wasmoon), timed with the warm tier (same process, flags and placements); ${natives.map((n) => `${n.name} = ${n.version} (os.clock around each run)`).join("; ") || "no native lua5.4/luajit on PATH"}`,
    );
  for (const file of opts.programs) {
    const name = basename(file, ".lua");
    const { variants, info } = await buildVariants(file, interpreters, !!opts.peers);
    programs.push(info);
    const timed = await timeVariants(file, variants, w);
    rows.push(...variantRows(name, variants, timed));
    for (const n of natives) {
      const row = nativeRow(name, file, n, timed.expected, w.warmups, w.runs * w.processes, notes);
      if (row) rows.push(row);
    }
  }
  return { rows, programs, notes };
}

/** The warm tier's shape: per program, `processes` children, each with an untimed run, `warmups`, `runs` timed. */
export interface WarmSettings {
  runs: number;
  warmups: number;
  processes: number;
}

/** What "warm" and "first call" mean in this report: the tiers, the V8 flags, where the runs are called from. */
function tierNote(w: WarmSettings): string {
  const clock = RATIO_CLOCK === "cpu" ? "main-thread CPU time" : "wall-clock time";
  return (
    `tiers: warm = TurboFan code only (${w.processes} child processes per program, one after another, each a memory ` +
    `layout of its own, node ${LUA_WARM_FLAGS.join(" ")}: an untimed run compiles what the program calls, then ` +
    `${w.warmups} warm-up(s) and ${w.runs} timed run(s), variants interleaved run by run; a full GC before each run, ` +
    `outside its time; each run called at its own JS stack depth, of ${PLACEMENT_FRAMES} (~12 KiB)); a warm cell is ` +
    `the geometric mean over the processes of each one's median ${clock}, so a warm ratio is the geometric mean of ` +
    `the per-process ratios (the JSON has every run by both clocks); ` +
    `first call = V8's defaults (lazy Liftoff, dynamic tier-up: a long call stays in Liftoff), the module's first run ` +
    `in the bench process`
  );
}

/** Step 1: the program built (wevaled) and snapshotted on both interpreters, as the variants to time. */
async function buildVariants(
  file: string,
  interpreters: { annotated: Uint8Array; stock: Uint8Array },
  peers: boolean,
): Promise<{ variants: Variant[]; info: LuaBenchProgram }> {
  const program = await loadProgram(builtinManifest("lua"), file);
  const t = performance.now();
  const built = await buildProgram(interpreters.annotated, program, { cache: false, interpreterName: "lua" });
  const buildMs = performance.now() - t;
  const requests = built.specialize?.requests ?? [];
  const aborted = requests.filter((r) => r.aborted).map((r) => `request ${r.userId}: ${r.aborted}`);
  const stockSnap = await snapshot(interpreters.stock, {
    imports: new InterpreterHost(new Uint8Array(0), new BufferedOutput()).imports,
    wasi: { stdin: program.bytes },
  });
  const variants: Variant[] = [
    { name: "interpreted", engine: "v8", bytes: built.snapshot },
    { name: "wevaled", engine: "v8", bytes: built.wasm },
    { name: "stock", engine: "v8", bytes: stockSnap.wasm },
  ];
  if (peers) variants.push({ name: "lua-wasm", engine: "v8" });
  const info = { program: basename(file, ".lua"), buildMs: Math.round(buildMs), aborted, requests: requests.length };
  return { variants, info };
}

interface Timed {
  /** Warm runs' ms per variant, per process. */
  samples: Map<string, ProcessRuns[]>;
  /** The first call's ms per module variant. */
  first: Map<string, number>;
  /** What the interpreted variant printed: every other must print the same. */
  expected: string;
}

/** Step 2: each module variant's first call in this process, then the warm tier in child processes (warm-ups and
 *  runs interleaved variant by variant); every output checked against the interpreted one's. */
async function timeVariants(file: string, variants: Variant[], w: WarmSettings): Promise<Timed> {
  const first = new Map<string, number>();
  let expected: string | undefined;
  // The peers' harness (bench/peers.ts) prints print's arguments joined by spaces, Lua's print by tabs.
  const check = (v: string, out: string) => {
    expected ??= out;
    if (v === "lua-wasm" ? out !== expected.replaceAll("\t", " ") : out !== expected)
      throw new UserError(
        `${file}: ${v} printed ${JSON.stringify(out.slice(0, 200))}, interpreted printed ${JSON.stringify(expected.slice(0, 200))}`,
      );
  };
  for (const v of variants.filter((v) => v.bytes)) {
    const r = await runOnce(await WebAssembly.compile(v.bytes as BufferSource));
    check(v.name, r.out);
    first.set(v.name, r.ms);
  }
  const warm = warmInChildren(file, variants, w);
  for (const result of warm)
    for (const [v, outs] of Object.entries(result.outputs)) for (const out of outs) check(v, out);
  return { samples: processRuns(warm), first, expected: expected! };
}

/** The children's runs regrouped: per variant, one ProcessRuns per child, in the children's order. */
export function processRuns(results: Pick<LuaWarmResult, "samples" | "cpu">[]): Map<string, ProcessRuns[]> {
  const out = new Map<string, ProcessRuns[]>();
  for (const r of results)
    for (const [v, wall] of Object.entries(r.samples)) {
      const cpu = r.cpu[v];
      if (cpu?.length !== wall.length)
        throw new InternalError(`lua-warm-child: ${v} has ${wall.length} wall-clock runs, ${cpu?.length ?? 0} CPU`);
      out.set(v, [...(out.get(v) ?? []), { wall_ms: wall, cpu_ms: cpu }]);
    }
  return out;
}

/** The warm tier: bench/lua-warm-child.ts in `w.processes` processes, one after another (each its own memory layout,
 *  and its own stretch of stack placements), on the module variants' bytes and the peer. */
function warmInChildren(file: string, variants: Variant[], w: WarmSettings): LuaWarmResult[] {
  const dir = mkdtempSync(join(tmpdir(), "futamura-lua-warm-"));
  try {
    for (const v of variants) if (v.bytes) writeFileSync(join(dir, `${v.name}.wasm`), v.bytes);
    const spec: LuaWarmSpec = {
      dir,
      variants: variants.filter((v) => v.bytes).map((v) => v.name),
      peer: variants.some((v) => v.name === "lua-wasm") ? { source: readFileSync(file, "utf8"), file } : undefined,
      warmups: w.warmups,
      runs: w.runs,
    };
    const results: LuaWarmResult[] = [];
    for (let p = 0; p < w.processes; p++) {
      results.push(
        runChild<LuaWarmResult>(
          "lua-warm-child",
          { ...spec, placementStart: p * (1 + w.warmups + w.runs) },
          {
            flags: LUA_WARM_FLAGS,
            timeout: 900_000,
            what: `${file}: warm child ${p + 1} of ${w.processes}`,
          },
        ),
      );
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Step 3: a warm row per variant (its processes pooled), then a first-call row per module variant. */
function variantRows(program: string, variants: Variant[], timed: Timed): Row[] {
  const row = (v: Variant, tier: Row["tier"], runs_ms: number[]) =>
    summarize({ program, variant: v.name, engine: v.engine, tier, runs_ms, result: "" });
  const warmRow = (v: Variant) => {
    const processes = timed.samples.get(v.name)!;
    return {
      ...row(
        v,
        "warm",
        processes.flatMap((p) => p.wall_ms),
      ),
      warm: poolProcesses(processes),
    };
  };
  return [
    ...variants.map(warmRow),
    ...variants.filter((v) => timed.first.has(v.name)).map((v) => row(v, "first call", [timed.first.get(v.name)!])),
  ];
}

/** Step 4: a native peer's warm row. A native peer that cannot run the program (luajit is Lua 5.1: no integers, no
 *  table.pack) or prints something else is left out of this program's rows, with a note saying why. */
function nativeRow(
  name: string,
  file: string,
  n: ReturnType<typeof nativeLuas>[number],
  expected: string,
  warmups: number,
  runs: number,
  notes: string[],
): Row | undefined {
  let r: { runs_ms: number[]; output: string };
  try {
    r = runNativeLua(n.command, file, warmups, runs);
  } catch (e) {
    notes.push(`${name}: ${n.name} left out: ${(e as Error).message.split("\n")[0].slice(0, 160)}`);
    return undefined;
  }
  if (r.output !== expected.replaceAll("\t", " ")) {
    notes.push(
      `${name}: ${n.name} left out: it printed ${JSON.stringify(r.output.slice(0, 60))}, not ${JSON.stringify(expected.slice(0, 60))}`,
    );
    return undefined;
  }
  return summarize({ program: name, variant: n.name, engine: "native", tier: "warm", runs_ms: r.runs_ms, result: "" });
}

/** The table: per program, each variant's warm median and its ratio to wevaled; first-call speedups; geomeans. */
export function luaReport(r: LuaBenchResult): string {
  const find = (p: string, v: string, tier = "warm") =>
    r.rows.find((x) => x.program === p && x.variant === v && x.tier === tier);
  const warm = (p: string, v: string, tier = "warm") => {
    const row = find(p, v, tier);
    return row && (tier === "warm" ? warmFigure(row) : row.median_ms);
  };
  const pooled = r.rows.find((x) => x.warm)?.warm;
  const names = r.programs.map((p) => p.program);
  const peers = [
    ...new Set(r.rows.filter((x) => !["interpreted", "wevaled", "stock"].includes(x.variant)).map((x) => x.variant)),
  ];
  const lines = [
    `| program | interpreted | **wevaled** | stock | speedup warm | over stock | speedup first call | build s |${peers.map((p) => ` ${p} |`).join("")}`,
    `|---|---:|---:|---:|---:|---:|---:|---:|${peers.map(() => "---:|").join("")}`,
  ];
  const sp: number[] = [],
    st: number[] = [],
    fc: number[] = [];
  for (const p of r.programs) {
    const i = warm(p.program, "interpreted")!,
      w = warm(p.program, "wevaled")!,
      s = warm(p.program, "stock")!;
    const fi = warm(p.program, "interpreted", "first call")!,
      fw = warm(p.program, "wevaled", "first call")!;
    (sp.push(i / w), st.push(s / w), fc.push(fi / fw));
    const range = processRatioRange(find(p.program, "interpreted")?.warm, find(p.program, "wevaled")?.warm);
    const rangeCell = range ? ` (${range[0].toFixed(2)}–${range[1].toFixed(2)})` : "";
    const peerCells = peers
      .map((v) => {
        const m = warm(p.program, v);
        return m === undefined ? " – |" : ` ${m.toFixed(1)} (${(m / w).toFixed(2)}×) |`;
      })
      .join("");
    lines.push(
      `| ${p.program} | ${i.toFixed(1)} | **${w.toFixed(1)}** | ${s.toFixed(1)} | ${(i / w).toFixed(2)}×${rangeCell} | ${(s / w).toFixed(2)}× | ${(fi / fw).toFixed(2)}× | ${(p.buildMs / 1000).toFixed(1)} |${peerCells}`,
    );
  }
  lines.push(
    "",
    `Geomean over ${names.length} programs: wevaled ${geomean(sp).toFixed(2)}× the interpreter warm (min ${Math.min(...sp).toFixed(2)}×), ${geomean(st).toFixed(2)}× the stock build, ${geomean(fc).toFixed(2)}× on the first call. ${pooled ? `${pooledLegend(pooled)}; a peer's cell is its time (lua-wasm's as the warm cells, a native one's the median of its os.clock CPU times)` : "Medians in ms (the run, V8); a peer's cell is its median"} and its time over wevaled's.`,
  );
  const aborted = r.programs.flatMap((p) => p.aborted.map((a) => `${p.program}: ${a}`));
  lines.push(
    aborted.length
      ? `Not specialized (ran interpreted): ${aborted.join("; ")}`
      : `Every request specialized (${r.programs.reduce((n, p) => n + p.requests, 0)} requests).`,
  );
  for (const n of compactNotes(r.notes)) lines.push(`note: ${n}`);
  return lines.join("\n");
}

/** What the warm cells of a report from several warm processes are. */
function pooledLegend(pool: NonNullable<Row["warm"]>): string {
  const clock = pool.clock === "cpu" ? "main-thread CPU time" : "wall-clock time";
  return (
    `Warm cells: ms of ${clock}, the geometric mean over ${pool.processes} processes of each one's median run (in ` +
    `brackets: the speedup's min–max over the processes); first calls: the wall clock's ms (the run, V8)`
  );
}

/** "PROGRAM: PEER left out: REASON" notes, one line per peer (its programs, then the first reason). */
function compactNotes(notes: string[]): string[] {
  const out: string[] = [];
  const left = new Map<string, { programs: string[]; reason: string }>();
  for (const n of notes) {
    const m = /^([\w-]+): ([\w-]+) left out: (.*)$/.exec(n);
    if (!m) out.push(n);
    else {
      const entry = left.get(m[2]) ?? { programs: [], reason: m[3].replaceAll(/\/tmp\/futamura-lua-\w+\//g, "") };
      entry.programs.push(m[1]);
      left.set(m[2], entry);
    }
  }
  for (const [peer, e] of left)
    out.push(`${peer} left out of ${e.programs.length} program(s) (${e.programs.join(", ")}); e.g. ${e.reason}`);
  return out;
}
