// The README's published figures, rendered from the committed benchmark results in docs/ (one source of truth):
// each figure is a Markdown block between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->` in README.md,
// made from docs/bench-sum-100M.json (sum), docs/bench-fern.json (fern, with the peers when the run had them) and
// docs/bench-compile.json (compile). `npm run docs:figures` rewrites the blocks; test/docs/figures.test.ts fails
// when a block differs from what its JSON gives, so numbers are never edited by hand or left stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatMs, geomean, spread, type Row } from "./stats.ts";
import { luaReport, type LuaBenchProgram } from "./lua.ts";
import { InternalError } from "../util/errors.ts";

interface BenchJson {
  meta: {
    date: string;
    node: string;
    v8: string;
    cpus: string;
    runs: number;
    coldRuns: number;
    interleaved?: string;
    command?: string;
    notes: string[];
  };
  rows: Row[];
  geomeans?: { engine: string; tier: string; programs: number; speedup: number }[];
  peer_geomeans?: { peer: string; programs: number; peer_over_wevaled: number }[];
}

interface CompileJson {
  meta: { date: string; node: string; cpus: string };
  rows: {
    series: string;
    program: string;
    size: number;
    unit: string;
    status: string;
    build_ms?: number;
    specialize_ms?: number;
    optimize_ms?: number;
    peak_rss_mb?: number;
    raw_bytes?: number;
    output_bytes?: number;
    outputs_match?: boolean;
    run_error?: string;
  }[];
  scaling: { series: string; build_per_10x: number | null; within_target: boolean | null }[];
}

const fmt = formatMs;
const times = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
const day = (iso: string) => iso.slice(0, 10);

function machine(meta: { node: string; v8?: string; cpus: string; date: string }): string {
  return `${meta.cpus}, Node ${meta.node}${meta.v8 ? ` (V8 ${meta.v8.split("-")[0]})` : ""}, run of ${day(meta.date)}`;
}

function find(rows: Row[], program: string, variant: string, engine: string, tier: RegExp): Row | undefined {
  return rows.find((r) => r.program === program && r.variant === variant && r.engine === engine && tier.test(r.tier));
}

/** sum-to-100M: every variant's median with min–max, warm and cold, and the ratios a reader looks for. */
export function sumFigure(j: BenchJson): string {
  const program = j.rows[0]?.program ?? "sum-to-100M";
  const row = (variant: string, engine: string, tier: RegExp) => find(j.rows, program, variant, engine, tier);
  const lines = ["| variant | engine | tier | median ms (min–max) | |", "|---|---|---|---:|---|"];
  for (const [engine, tier, label] of [
    ["v8", /^warm/, "warm"],
    ["v8", /^cold/, "cold (first call)"],
    ["jco", /^warm/, "warm"],
  ] as const) {
    const interp = row("interpreted", engine, tier);
    const wevaled = row("wevaled", engine, tier);
    const limit = row("limit", engine, tier);
    const js = row("js", engine, tier);
    if (!interp || !wevaled) continue;
    const cell = (r: Row, bold = false) =>
      `${bold ? "**" : ""}${fmt(r.median_ms)}${bold ? "**" : ""} (${fmt(r.min_ms)}–${fmt(r.max_ms)})`;
    const speed = `${times(interp.median_ms / wevaled.median_ms)} faster than interpreted${limit ? `; ${(wevaled.median_ms / limit.median_ms).toFixed(2)}× the hand-written loop${label === "warm" ? "" : "'s first call"}` : ""}`;
    const eng = engine === "jco" ? "jco (WASI component)" : engine;
    lines.push(`| interpreted | ${eng} | ${label} | ${cell(interp)} | the interpreter |`);
    lines.push(`| **wevaled** | ${eng} | ${label} | ${cell(wevaled, true)} | **${speed}** |`);
    if (limit) lines.push(`| limit | ${eng} | ${label} | ${cell(limit)} | the same loop written directly in Wasm |`);
    if (js) lines.push(`| js | ${eng} | ${label} | ${cell(js)} | the same loop in plain JavaScript |`);
  }
  const warm = j.rows.filter((r) => /^warm/.test(r.tier));
  const cold = j.rows.filter((r) => /^cold/.test(r.tier));
  const worst = (rs: Row[]) => Math.max(0, ...rs.map(spread)).toFixed(0);
  const build = (j.meta as { programs?: Record<string, { specialize_ms: number; optimize_ms: number }> }).programs?.[
    program
  ];
  lines.push(
    "",
    `${machine(j.meta)}; ${j.meta.runs} warm runs per row after warm-up calls, interleaved across variants, and ${j.meta.coldRuns} cold runs (each a fresh process${j.meta.interleaved === "warm and cold" ? ", interleaved too" : ""}). Spread (max−min)/median: up to ${worst(warm)}% warm, ${worst(cold)}% cold.${build ? ` Specializing took ${fmt(build.specialize_ms)} ms (+ ${fmt(build.optimize_ms)} ms of binaryen).` : ""} From \`docs/bench-sum-100M.json\`.`,
  );
  return lines.join("\n");
}

/** Fern's programs: interpreted vs wevaled (warm and first call), and each peer language when the run had them. */
export function fernFigure(j: BenchJson): string {
  const programs = [...new Set(j.rows.map((r) => r.program))];
  const peers = ["untrained", "js", "quickjs", "lua-wasm", "lua", "luajit"].filter((p) =>
    j.rows.some((r) => r.variant === p),
  );
  const peerLabel: Record<string, string> = {
    untrained: "wevaled without --train",
    js: "JS on V8 (JIT)",
    quickjs: "QuickJS in Wasm",
    "lua-wasm": "Lua 5.4 in Wasm",
    lua: "lua5.4 native",
    luajit: "LuaJIT native",
  };
  const lines = [
    `| program | interpreted | **wevaled** | speedup warm | speedup first call |${peers.map((p) => ` ${peerLabel[p]} |`).join("")}`,
    `|---|---:|---:|---:|---:|${peers.map(() => "---:|").join("")}`,
  ];
  for (const p of programs) {
    const iw = find(j.rows, p, "interpreted", "v8", /^warm/);
    const ww = find(j.rows, p, "wevaled", "v8", /^warm/);
    const ic = find(j.rows, p, "interpreted", "v8", /^cold/);
    const wc = find(j.rows, p, "wevaled", "v8", /^cold/);
    if (!iw || !ww) continue;
    const peerCells = peers.map((v) => {
      const r = j.rows.find((x) => x.program === p && x.variant === v && !/^cold/.test(x.tier));
      return r ? ` ${fmt(r.median_ms)} (${times(r.median_ms / ww.median_ms)}) |` : " – |";
    });
    lines.push(
      `| ${p} | ${fmt(iw.median_ms)} | **${fmt(ww.median_ms)}** | ${times(iw.median_ms / ww.median_ms)} | ${ic && wc ? times(ic.median_ms / wc.median_ms) : "–"} |${peerCells.join("")}`,
    );
  }
  const geo = (j.geomeans ?? []).filter((g) => g.engine === "v8" && g.programs > 1);
  const warmGeo = geo.find((g) => g.tier.startsWith("warm"));
  const coldGeo = geo.find((g) => g.tier.startsWith("cold"));
  lines.push(
    "",
    `Medians in ms, V8${peers.length ? "; a peer's cell is its median and, in parentheses, its time over wevaled Fern's (above 1×: Fern is faster)" : ""}.`,
  );
  if (warmGeo)
    lines.push(
      `Geomean over ${warmGeo.programs} programs: wevaled is **${times(warmGeo.speedup)}** faster than interpreted warm${coldGeo ? `, ${times(coldGeo.speedup)} on the first call` : ""}.`,
    );
  // Fern's own interpreter (what runs when a request aborts, and what a template user starts from) against Lua's.
  const interpOverLua = programs.flatMap((p) => {
    const i = find(j.rows, p, "interpreted", "v8", /^warm/);
    const l = j.rows.find((x) => x.program === p && x.variant === "lua-wasm" && !/^cold/.test(x.tier));
    return i && l ? [l.median_ms / i.median_ms] : [];
  });
  if (interpOverLua.length > 1) {
    const g = geomean(interpOverLua);
    lines.push(
      `Fern's interpreter (unspecialized) against Lua 5.4 in Wasm: ${g >= 1 ? `${times(g)} faster` : `${times(1 / g)} slower`} (geomean over ${interpOverLua.length} programs; faster on ${interpOverLua.filter((x) => x > 1).length}).`,
    );
  }
  for (const g of j.peer_geomeans ?? [])
    lines.push(
      `Against ${peerLabel[g.peer] ?? g.peer}: wevaled Fern is ${g.peer_over_wevaled >= 1 ? `${times(g.peer_over_wevaled)} faster` : `${times(1 / g.peer_over_wevaled)} slower`} (geomean over ${g.programs} programs).`,
    );
  lines.push(
    `${machine(j.meta)}; ${j.meta.runs} warm runs per row, interleaved across variants${j.meta.command ? `; \`npx ${j.meta.command}\`` : ""}. From \`docs/bench-fern.json\`.`,
  );
  return lines.join("\n");
}

/** The compile benchmark: per program, build time and its parts, memory and sizes; the scaling per 10×. */
export function compileFigure(j: CompileJson): string {
  const s = (ms?: number) =>
    ms === undefined
      ? "–"
      : ms >= 10_000
        ? `${(ms / 1000).toFixed(0)} s`
        : `${(ms / 1000).toFixed(ms >= 1000 ? 1 : 2)} s`;
  const kb = (b?: number) =>
    b === undefined
      ? "–"
      : b >= 1_000_000
        ? `${(b / 1_000_000).toFixed(2)} MB`
        : `${(b / 1000).toFixed(b >= 100_000 ? 0 : 1)} KB`;
  const what: Record<string, (n: number) => string> = {
    toy: (n) => `toy, ${n.toLocaleString("en-US")} instructions`,
    "fern-one-function": (n) => `Fern, one function of ${n.toLocaleString("en-US")} statements`,
    "fern-many-functions": (n) => `Fern, ${n.toLocaleString("en-US")} functions`,
    brainfuck: (n) => `Brainfuck, ${(n / 1000).toLocaleString("en-US")} KB`,
    lua: (n) => `Lua (PUC-Rio 5.4, a 740 KB interpreter), ${n.toLocaleString("en-US")} lines`,
  };
  const lines = [
    "| program | build (snapshot + specialize + binaryen) | specialize | binaryen | peak memory | before binaryen → final |",
    "|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of j.rows) {
    const label = (what[r.series] ?? ((n: number) => `${r.series} ${n}`))(r.size);
    if (r.status !== "ok") lines.push(`| ${label} | ${r.status} | | | | |`);
    else
      lines.push(
        `| ${label} | ${s(r.build_ms)} | ${s(r.specialize_ms)} | ${s(r.optimize_ms)} | ${r.peak_rss_mb?.toLocaleString("en-US", { maximumFractionDigits: 0 })} MB | ${kb(r.raw_bytes)} → ${kb(r.output_bytes)} |`,
      );
  }
  const per10 = j.scaling.map((x) => x.build_per_10x).filter((x): x is number => x !== null);
  const mismatches = j.rows.filter((r) => r.outputs_match === false).length;
  const failed = j.rows.filter((r) => r.run_error).length;
  const outputs = [
    ...(mismatches ? [`${mismatches} program(s) printed something else wevaled than interpreted`] : []),
    ...(failed ? [`${failed} program(s) failed when run`] : []),
  ];
  lines.push(
    "",
    `Every 10× in size cost ${per10.length ? `${Math.min(...per10).toFixed(1)}–${Math.max(...per10).toFixed(1)}×` : "–"} in build time; ${outputs.length ? outputs.join("; ") : "every program printed the same interpreted and wevaled"}. One build per program in a fresh process (no min/max), ${machine(j.meta)}. From \`docs/bench-compile.json\`.`,
  );
  return lines.join("\n");
}

export const FIGURES: Record<string, { file: string; render: (json: never) => string }> = {
  "sum-100M": { file: "docs/bench-sum-100M.json", render: sumFigure as (json: never) => string },
  fern: { file: "docs/bench-fern.json", render: fernFigure as (json: never) => string },
  compile: { file: "docs/bench-compile.json", render: compileFigure as (json: never) => string },
  lua: { file: "docs/bench-lua.json", render: luaFigure as (json: never) => string },
};

/** The Lua table (bench/lua.ts's report) from `futamura bench --interp lua --peers --json docs/bench-lua.json`. */
export function luaFigure(j: {
  meta: {
    date: string;
    node: string;
    v8: string;
    load1?: number;
    command: string;
    programs: LuaBenchProgram[];
    notes: string[];
  };
  rows: Row[];
}): string {
  return `${luaReport({ rows: j.rows, programs: j.meta.programs, notes: j.meta.notes })}\nNode ${j.meta.node} (V8 ${j.meta.v8}), run of ${j.meta.date.slice(0, 10)} on a shared 2-core VM${j.meta.load1 === undefined ? " under load" : `, load average ${j.meta.load1} at its start`}; \`${j.meta.command}\`. From \`docs/bench-lua.json\`.`;
}

/** README's text with every figure block replaced by what its JSON gives now. */
export function withFigures(readme: string, root: string): string {
  let out = readme;
  for (const [name, { file, render }] of Object.entries(FIGURES)) {
    const start = `<!-- figures:${name} -->`;
    const end = `<!-- /figures:${name} -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new InternalError(`README.md has no ${start} … ${end} block`);
    const body = render(JSON.parse(readFileSync(join(root, file), "utf8")) as never);
    out = `${out.slice(0, a + start.length)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}
