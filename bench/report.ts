// Benchmark reports: the terminal table, JSON (the schema in the README), a Markdown table and an SVG chart drawn
// by Vega (a chart library, not hand-built SVG), written under the results directory. Ratios (wevaled/interpreted,
// wevaled/limit) are per program, engine and tier, from medians measured in the same process.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vega from "vega";
import { formatMs, geomean, spread, type Row } from "./stats.ts";

export interface BenchMeta {
  date: string;
  node: string;
  v8: string;
  cpus: string;
  quick: boolean;
  runs: number;
  coldRuns: number;
  /** The command that made this run, as the user typed it (absent when the harness was called as a library). */
  command?: string;
  /** Which runs alternate between variants run by run (older results: warm only). */
  interleaved?: "warm and cold";
  programs: Record<
    string,
    {
      interpreter?: string;
      specialize_ms: number;
      optimize_ms: number;
      snapshot_ms: number;
      interpreter_bytes: number;
      snapshot_bytes: number;
      wevaled_bytes: number;
      limit_bytes?: number;
      aborted?: string;
    }
  >;
  notes: string[];
}

export interface Ratio {
  program: string;
  engine: string;
  tier: string;
  wevaled_over_interpreted?: number;
  wevaled_over_limit?: number;
  speedup_over_interpreted?: number;
  /** Set when a median in the ratio is under TOO_SHORT_MS: the ratio is mostly timer noise. */
  too_short?: boolean;
  /** On the V8 warm row of a program run with --peers: each peer's median over wevaled Fern's (above 1: Fern faster). */
  peers?: { variant: string; engine: string; tier: string; peer_over_wevaled: number }[];
}

/** Medians under this are too short to time reliably (timer resolution and call overhead dominate). */
export const TOO_SHORT_MS = 1;

/** Variants that are other languages running the same program (bench/peers.ts); `js` counts for Fern programs. */
/** Rows compared with wevaled Fern: the other languages, and (with --train) the same program wevaled untrained. */
const PEER_VARIANTS = new Set(["untrained", "js", "quickjs", "lua-wasm", "lua", "luajit"]);
const isPeerRow = (r: Row) => PEER_VARIANTS.has(r.variant) && !(r.variant === "js" && r.tier.startsWith("cold"));

export function ratios(rows: Row[]): Ratio[] {
  const out: Ratio[] = [];
  const keys = new Set(rows.map((r) => `${r.program}\u0000${r.engine}\u0000${r.tier}`));
  for (const key of keys) {
    const [program, engine, tier] = key.split("\u0000");
    const find = (v: Row["variant"]) =>
      rows.find((r) => r.program === program && r.engine === engine && r.tier === tier && r.variant === v);
    const w = find("wevaled");
    if (!w) continue;
    const i = find("interpreted");
    const l = find("limit");
    // Peers are compared with wevaled Fern warm on V8 (sum-to-N's `js` baseline has a limit row and stays out).
    const peerRows =
      engine === "v8" && tier === "warm (TurboFan)" && !l
        ? rows.filter((r) => r.program === program && isPeerRow(r))
        : [];
    // A median too small to time (a timer tick) gives no ratio rather than NaN or infinity.
    const timed = (r?: Row) => r !== undefined && r.median_ms > 0 && w.median_ms > 0;
    out.push({
      program,
      engine,
      tier,
      too_short: [w, i, l].some((r) => r !== undefined && r.median_ms < TOO_SHORT_MS) || undefined,
      wevaled_over_interpreted: timed(i) ? round3(w.median_ms / i!.median_ms) : undefined,
      speedup_over_interpreted: timed(i) ? round3(i!.median_ms / w.median_ms) : undefined,
      wevaled_over_limit: timed(l) ? round3(w.median_ms / l!.median_ms) : undefined,
      peers:
        peerRows.length && w.median_ms > 0
          ? peerRows.map((p) => ({
              variant: p.variant,
              engine: p.engine,
              tier: p.tier,
              peer_over_wevaled: round3(p.median_ms / w.median_ms),
            }))
          : undefined,
    });
  }
  return out;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const fmt = formatMs;

export function table(rows: Row[]): string {
  const header = ["program", "variant", "engine", "tier", "min ms", "median ms", "max ms", "spread"];
  const body = rows.map((r) => [
    r.program,
    r.partially_interpreted ? `${r.variant} (partially interpreted)` : r.variant,
    r.engine,
    r.tier,
    fmt(r.min_ms),
    fmt(r.median_ms),
    fmt(r.max_ms),
    `${spread(r).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** Geometric mean of wevaled's speedup over interpreted, per engine and tier, over every program measured. */
export function geomeans(rs: Ratio[]): { engine: string; tier: string; programs: number; speedup: number }[] {
  const groups = new Map<string, number[]>();
  for (const r of rs)
    if (r.speedup_over_interpreted && !r.too_short)
      groups.set(`${r.engine}\u0000${r.tier}`, [
        ...(groups.get(`${r.engine}\u0000${r.tier}`) ?? []),
        r.speedup_over_interpreted,
      ]);
  return [...groups].map(([k, xs]) => {
    const [engine, tier] = k.split("\u0000");
    return {
      engine,
      tier,
      programs: xs.length,
      speedup: round3(geomean(xs)),
    };
  });
}

/** Geometric mean over programs of each peer's time over wevaled Fern's (above 1: Fern faster). */
export function peerGeomeans(rs: Ratio[]): { peer: string; programs: number; peer_over_wevaled: number }[] {
  const groups = new Map<string, number[]>();
  for (const r of rs)
    for (const p of r.peers ?? []) groups.set(p.variant, [...(groups.get(p.variant) ?? []), p.peer_over_wevaled]);
  return [...groups].map(([peer, xs]) => ({
    peer,
    programs: xs.length,
    peer_over_wevaled: round3(geomean(xs)),
  }));
}

/** "2.1x faster" / "1.8x slower": how wevaled Fern compares with something that takes `ratio` times its time. */
export const fasterOrSlower = (ratio: number) =>
  ratio >= 1 ? `${ratio.toFixed(2)}x faster` : `${(1 / ratio).toFixed(2)}x slower`;

export function ratioLines(rs: Ratio[]): string[] {
  const geo = geomeans(rs)
    .filter((g) => g.programs > 1)
    .map(
      (g) =>
        `geomean over ${g.programs} programs, ${g.engine} ${g.tier}: wevaled is ${fasterOrSlower(g.speedup)} than interpreted`,
    );
  const peerGeo = peerGeomeans(rs).map(
    (g) => `geomean over ${g.programs} programs: wevaled Fern is ${fasterOrSlower(g.peer_over_wevaled)} than ${g.peer}`,
  );
  return [
    ...rs.map((r) => {
      const parts = [`${r.program} ${r.engine} ${r.tier}:`];
      if (r.speedup_over_interpreted !== undefined)
        parts.push(`wevaled is ${fasterOrSlower(r.speedup_over_interpreted)} than interpreted`);
      if (r.wevaled_over_limit !== undefined) parts.push(`wevaled/limit = ${r.wevaled_over_limit.toFixed(2)}`);
      if (r.too_short)
        parts.push(`(warning: a median under ${TOO_SHORT_MS} ms, too short to time reliably; use a longer program)`);
      if (r.peers)
        parts.push(
          `; vs peers, wevaled Fern is ${r.peers.map((p) => `${fasterOrSlower(p.peer_over_wevaled)} than ${p.variant}`).join(", ")}`,
        );
      return parts.join(" ").replace(" ; ", "; ");
    }),
    ...geo,
    ...peerGeo,
  ];
}

/** With --peers: one line per program, its interpreter's medians beside each peer's, warm. The columns name the
 *  language when the programs share one (Fern for lang/bench; the toy machine for sum-100M). */
function peerTable(rows: Row[], meta: BenchMeta): string[] {
  const programs = [...new Set(rows.filter(isPeerRow).map((r) => r.program))];
  if (!programs.length) return [];
  const columns = [
    "interpreted",
    "wevaled",
    ...[...PEER_VARIANTS].filter((v) => rows.some((r) => r.variant === v && isPeerRow(r))),
  ];
  const interpreters = new Set(programs.map((p) => meta.programs[p]?.interpreter));
  const only = interpreters.size === 1 ? [...interpreters][0] : undefined;
  const lang = only === "fern" ? "Fern " : only ? `${only} ` : "";
  const label: Record<string, string> = {
    interpreted: `${lang}interpreted`,
    wevaled: `**${lang}wevaled**`,
    untrained: `${lang}wevaled untrained`,
    js: "JS on V8 (JIT)",
    quickjs: "QuickJS in Wasm",
    "lua-wasm": "Lua 5.4 in Wasm",
    lua: "lua5.4 native",
    luajit: "LuaJIT native",
  };
  const cell = (program: string, v: string) => {
    const r = rows.find(
      (x) =>
        x.program === program &&
        x.variant === v &&
        (v === "interpreted" || v === "wevaled" ? x.engine === "v8" && x.tier === "warm (TurboFan)" : isPeerRow(x)),
    );
    return r ? fmt(r.median_ms) : "–";
  };
  return [
    "Warm medians in ms (lower is better), same run:",
    "",
    `| program | ${columns.map((c) => label[c]).join(" | ")} |`,
    `|---|${columns.map(() => "---:").join("|")}|`,
    ...programs.map((p) => `| ${p} | ${columns.map((c) => cell(p, c)).join(" | ")} |`),
    "",
  ];
}

export function markdown(rows: Row[], meta: BenchMeta): string {
  const lines = [
    `| program | variant | engine | tier | min ms | median ms | max ms |`,
    `|---|---|---|---|---:|---:|---:|`,
    ...rows.map(
      (r) =>
        `| ${r.program} | ${r.variant} | ${r.engine} | ${r.tier} | ${fmt(r.min_ms)} | ${fmt(r.median_ms)} | ${fmt(r.max_ms)} |`,
    ),
    "",
    ...peerTable(rows, meta),
    ...ratioLines(ratios(rows)).map((l) => `- ${l}`),
    "",
    `Node ${meta.node} (V8 ${meta.v8}), ${meta.cpus}; ${meta.runs} warm runs and ${meta.coldRuns} cold runs (fresh processes) per row; ${meta.date}.`,
  ];
  for (const [p, m] of Object.entries(meta.programs))
    lines.push(
      `${p}: snapshot ${m.snapshot_ms} ms, specialize ${m.specialize_ms} ms (+ binaryen optimize ${m.optimize_ms} ms); interpreter ${m.interpreter_bytes} B, snapshot ${m.snapshot_bytes} B, wevaled ${m.wevaled_bytes} B${m.limit_bytes ? `, limit ${m.limit_bytes} B` : ""}.`,
    );
  for (const n of meta.notes) lines.push(`Note: ${n}`);
  return lines.join("\n") + "\n";
}

const VARIANT_COLORS: Record<Row["variant"], string> = {
  interpreted: "#d62728",
  wevaled: "#2ca02c",
  untrained: "#98df8a",
  limit: "#1f77b4",
  js: "#ff7f0e",
  quickjs: "#9467bd",
  "lua-wasm": "#8c564b",
  lua: "#e377c2",
  luajit: "#7f7f7f",
  stock: "#bcbd22",
};

/** The bar chart: one bar per row (median, whiskers min to max), the speedup written beside each wevaled bar and
 * each peer's ratio beside its bar; rows too short to time are left out with a footnote, the log axis ends near the
 * longest whisker, labels are never cut, and the legend lists only variants that have bars. */
export async function svgChart(rows: Row[]): Promise<string> {
  const shown = rows.filter((r) => r.median_ms >= TOO_SHORT_MS);
  const omitted = rows.length - shown.length;
  const variants = [...new Set(shown.map((r) => r.variant))];
  const data = chartBars(rows, shown);
  const lo = shown.length ? Math.min(...shown.map((r) => r.min_ms)) / 1.25 : 1;
  const hi = shown.length ? Math.max(...shown.map((r) => r.max_ms)) * 1.1 : 10;
  const labelWidth = Math.ceil(Math.max(0, ...data.map((d) => d.label.length)) * 8) + 8;
  const spec: vega.Spec = {
    $schema: "https://vega.github.io/schema/vega/v5.json",
    width: 620,
    height: { signal: `${Math.max(data.length, 1)} * 22` } as never,
    padding: { left: 8, top: 8, bottom: 8, right: 190 },
    title: {
      text: "futamura: median time per run (ms, log scale; whiskers: min to max)",
      anchor: "start",
      subtitle: omitted ? `${omitted} row(s) with a median under ${TOO_SHORT_MS} ms left out: too short to time` : "",
    },
    data: [{ name: "rows", values: data }],
    scales: [
      { name: "y", type: "band", domain: { data: "rows", field: "label" }, range: "height", padding: 0.2 },
      { name: "x", type: "log", domain: [lo, hi], range: "width", nice: false, zero: false },
      { name: "color", type: "ordinal", domain: variants, range: variants.map((v) => VARIANT_COLORS[v]) },
    ],
    axes: [
      { orient: "bottom", scale: "x", title: "ms per run (log scale)", grid: true, format: "~s" },
      { orient: "left", scale: "y", labelLimit: labelWidth },
    ],
    legends: variants.length ? [{ fill: "color", title: "variant", orient: "bottom", direction: "horizontal" }] : [],
    marks: barMarks(lo),
  };
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  return view.toSVG();
}

/** One bar per row shown: its label, median, whiskers and the text beside it (the speedup of a wevaled bar, a
 *  peer's ratio). */
function chartBars(rows: Row[], shown: Row[]) {
  const rs = ratios(rows);
  const note = (r: Row): string => {
    const ratio = rs.find((x) => x.program === r.program && x.engine === r.engine && x.tier === r.tier);
    if (r.variant === "wevaled" && ratio?.speedup_over_interpreted !== undefined)
      return `${fasterOrSlower(ratio.speedup_over_interpreted)} than interpreted`;
    const peer = rs
      .flatMap((x) => (x.program === r.program ? (x.peers ?? []) : []))
      .find((p) => p.variant === r.variant && p.engine === r.engine && p.tier === r.tier);
    return peer ? `wevaled Fern ${fasterOrSlower(peer.peer_over_wevaled)}` : "";
  };
  const label = (r: Row) => `${r.program} · ${r.engine} · ${r.tier} · ${r.variant}`;
  return shown.map((r) => ({
    label: label(r),
    variant: r.variant,
    median: r.median_ms,
    min: r.min_ms,
    max: r.max_ms,
    text: `${fmt(r.median_ms)} ms${note(r) ? `  (${note(r)})` : ""}`,
  }));
}

/** The bars, their whiskers and the text beside each, on the band scale y and the log scale x from `lo`. */
function barMarks(lo: number): vega.Mark[] {
  return [
    {
      type: "rect",
      from: { data: "rows" },
      encode: {
        enter: {
          y: { scale: "y", field: "label" },
          height: { scale: "y", band: 1 },
          x: { scale: "x", value: lo },
          x2: { scale: "x", field: "median" },
          fill: { scale: "color", field: "variant" },
        },
      },
    },
    {
      type: "rule",
      from: { data: "rows" },
      encode: {
        enter: {
          y: { scale: "y", field: "label", band: 0.5 },
          x: { scale: "x", field: "min" },
          x2: { scale: "x", field: "max" },
          stroke: { value: "#222" },
          strokeWidth: { value: 1.5 },
        },
      },
    },
    {
      type: "text",
      from: { data: "rows" },
      encode: {
        enter: {
          y: { scale: "y", field: "label", band: 0.5 },
          x: { scale: "x", field: "max", offset: 4 },
          baseline: { value: "middle" },
          fontSize: { value: 10 },
          text: { field: "text" },
        },
      },
    },
  ];
}

export async function writeReports(rows: Row[], meta: BenchMeta, outDir: string, jsonPath?: string): Promise<string[]> {
  const json =
    JSON.stringify(
      { meta, rows, ratios: ratios(rows), geomeans: geomeans(ratios(rows)), peer_geomeans: peerGeomeans(ratios(rows)) },
      null,
      2,
    ) + "\n";
  const files = [join(outDir, "bench.json"), join(outDir, "bench.md"), join(outDir, "bench.svg")];
  writeFileSync(files[0], json);
  writeFileSync(files[1], markdown(rows, meta));
  writeFileSync(files[2], await svgChart(rows));
  if (jsonPath) {
    writeFileSync(jsonPath, json);
    files.push(jsonPath);
  }
  return files;
}
