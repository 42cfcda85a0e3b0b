// Reports of the compile-time benchmark (bench/compile.ts): the row and scaling types (the JSON schema in the
// README), the scaling between sizes of a series (time at 10× the size over time at the size — the
// target is ≤ 12× per 10×), a terminal table, Markdown, and an SVG chart drawn by Vega with log-log axes (build and
// specialize time against program size, one line per series).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vega from "vega";
import type { CompileMeasurement } from "./compile-child.ts"; // type only: importing the script would run it
import type { SeriesName } from "./compile-programs.ts";

/** ok; aborted (a request hit a limit and stays interpreted); mismatch (outputs differ: a bug); timeout; error
 * (the build failed or crashed); unsupported (the language's front end rejects the program). */
export type CompileStatus = "ok" | "aborted" | "mismatch" | "timeout" | "error" | "unsupported";

export interface CompileRow extends Partial<CompileMeasurement> {
  series: SeriesName;
  program: string;
  size: number;
  unit: string;
  status: CompileStatus;
  error?: string;
  /** Wall time of the child process (load, build, raw-size build, output check). */
  child_ms?: number;
}

export interface Scaling {
  series: SeriesName;
  from: string;
  to: string;
  size_ratio: number;
  build_ratio: number;
  specialize_ratio: number;
  optimize_ratio: number;
  /** build_ratio normalized to a 10× step (build_ratio^(1/log10(size_ratio))). */
  build_per_10x: number;
  /** The same for the build's CPU time (build_cpu_ms), which other processes' load distorts less; null when a
   *  side has none. */
  build_cpu_per_10x?: number | null;
  /** build_per_10x ≤ the target; null when either program was not fully compiled (aborted, outputs differ). */
  within_target: boolean | null;
  note?: string;
}

export interface CompileMeta {
  date: string;
  node: string;
  v8: string;
  cpus: string;
  quick: boolean;
  multipliers: number[];
  timeout_s: number;
  target_per_10x: number;
  notes: string[];
}

export const TARGET_PER_10X = 12;

/** A measured row's status: outputs that differ, a run that failed, a request that aborted, else ok. */
export function measuredStatus(m: Pick<CompileMeasurement, "outputs_match" | "run_error" | "aborted">): CompileStatus {
  return m.outputs_match === false ? "mismatch" : m.run_error ? "error" : m.aborted.length ? "aborted" : "ok";
}
const measured = (r: CompileRow) => r.build_ms !== undefined;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Consecutive measured sizes of each series, smaller first. */
export function scaling(rows: CompileRow[]): Scaling[] {
  const out: Scaling[] = [];
  for (const series of new Set(rows.map((r) => r.series))) {
    const rs = rows.filter((r) => r.series === series && measured(r)).sort((a, b) => a.size - b.size);
    for (let i = 1; i < rs.length; i++) {
      const [a, b] = [rs[i - 1], rs[i]];
      const sizeRatio = b.size / a.size;
      const buildRatio = b.build_ms! / a.build_ms!;
      const per10x = buildRatio ** (1 / Math.log10(sizeRatio));
      const odd = [a, b].filter((r) => r.status !== "ok").map((r) => `${r.program} ${r.status}`);
      out.push({
        series,
        from: a.program,
        to: b.program,
        size_ratio: round(sizeRatio),
        build_ratio: round(buildRatio),
        specialize_ratio: round(b.specialize_ms! / a.specialize_ms!),
        optimize_ratio: round(b.optimize_ms! / a.optimize_ms!),
        build_per_10x: round(per10x),
        build_cpu_per_10x:
          a.build_cpu_ms && b.build_cpu_ms
            ? round((b.build_cpu_ms / a.build_cpu_ms) ** (1 / Math.log10(sizeRatio)))
            : null,
        within_target: odd.length ? null : per10x <= TARGET_PER_10X,
        note: odd.length ? `${odd.join(", ")}: not a full compile` : undefined,
      });
    }
  }
  return out;
}

export function scalingLines(s: Scaling[]): string[] {
  const verdict = (x: Scaling) =>
    x.within_target === null
      ? `not comparable: ${x.note}`
      : `${x.within_target ? "within" : "over"} the ≤ ${TARGET_PER_10X}× target`;
  return s.map(
    (x) =>
      `${x.series}: ${x.from} → ${x.to} (${x.size_ratio}× size): build ${x.build_ratio}×, specialize ${x.specialize_ratio}×, optimize ${x.optimize_ratio}×; ${x.build_per_10x}× per 10×${x.build_cpu_per_10x ? ` (CPU time ${x.build_cpu_per_10x}× per 10×)` : ""} (${verdict(x)})`,
  );
}

const fmt = (x: number | null | undefined) =>
  x === undefined || x === null ? "-" : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const HEADER = [
  "program",
  "size",
  "status",
  "specialize ms",
  "optimize ms",
  "build ms",
  "build CPU ms",
  "peak MB",
  "raw B",
  "final B",
  "contexts",
  "blocks",
  "values",
  "outputs",
];

function cells(r: CompileRow): string[] {
  const match = r.run_error
    ? "FAILED"
    : r.outputs_match === undefined || r.outputs_match === null
      ? "-"
      : r.outputs_match
        ? "same"
        : "DIFFER";
  return [
    r.program,
    `${r.size} ${r.unit}`,
    r.status,
    fmt(r.specialize_ms),
    fmt(r.optimize_ms),
    fmt(r.build_ms),
    fmt(r.build_cpu_ms),
    fmt(r.peak_rss_mb),
    String(r.raw_bytes ?? "-"),
    String(r.output_bytes ?? "-"),
    String(r.contexts ?? "-"),
    String(r.blocks ?? "-"),
    String(r.values ?? "-"),
    match,
  ];
}

/** Why rows are not plain "ok", one line each. */
export function rowNotes(rows: CompileRow[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    if (r.error) out.push(`${r.program}: ${r.status}: ${r.error}`);
    if (r.aborted?.length)
      out.push(
        `${r.program}: aborted ${r.aborted.slice(0, 3).join("; ")}${r.aborted.length > 3 ? ` (and ${r.aborted.length - 3} more)` : ""}`,
      );
    if (r.mismatch) out.push(`${r.program}: outputs differ: ${r.mismatch}`);
    if (r.run_error && !r.error) out.push(`${r.program}: ${r.run_error}`);
    if (r.raw_source && r.raw_source !== "rawBytes" && r.raw_source !== "optimizeLevel 0")
      out.push(`${r.program}: raw size unknown: ${r.raw_source}`);
  }
  return out;
}

export function compileTable(rows: CompileRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (c: string[]) =>
    c.map((x, i) => (i >= 3 && i < 13 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ");
  return [line(HEADER), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function compileMarkdown(rows: CompileRow[], meta: CompileMeta): string {
  return (
    [
      `| ${HEADER.join(" | ")} |`,
      `|${HEADER.map((_, i) => (i >= 3 && i < 13 ? "---:" : "---")).join("|")}|`,
      ...rows.map((r) => `| ${cells(r).join(" | ")} |`),
      "",
      ...[...scalingLines(scaling(rows)), ...rowNotes(rows)].flatMap((l, i, all) => [
        `- ${l}`,
        ...(i === all.length - 1 ? [""] : []),
      ]),
      `Node ${meta.node} (V8 ${meta.v8}), ${meta.cpus}; one fresh process per program, time limit ${meta.timeout_s} s; ${meta.date}.`,
      ...meta.notes.map((n) => `Note: ${n}`),
    ].join("\n") + "\n"
  );
}

/** The compile-time chart (SVG): build and specialize time per series against program size, log-log, with hollow
 *  points for what is not a full compile and triangles for timeouts. */
export async function compileChart(rows: CompileRow[], meta: CompileMeta): Promise<string> {
  const { points, timeouts } = chartData(rows, meta);
  const spec: vega.Spec = {
    $schema: "https://vega.github.io/schema/vega/v5.json",
    width: 520,
    height: 340,
    padding: 8,
    title: {
      text: `futamura: compile time vs program size (log-log; target ≤ ${TARGET_PER_10X}× time per 10× size)`,
      subtitle: "hollow points: not a full compile (a request aborted at a limit, or outputs differ)",
      anchor: "start",
    },
    data: [
      { name: "points", values: points },
      { name: "timeouts", values: timeouts },
      { name: "all", values: [...points, ...timeouts] },
    ],
    ...CHART_SCALES_AXES_LEGENDS,
    marks: [...lineMarks(), ...pointMarks(), ...timeoutMarks()],
  };
  return new vega.View(vega.parse(spec), { renderer: "none" }).toSVG();
}

/** The chart's points: two per measured row (build and specialize time), and the rows that timed out at the limit. */
function chartData(rows: CompileRow[], meta: CompileMeta) {
  const points = rows
    .filter(measured)
    .flatMap((r) => [
      {
        series: r.series,
        size: r.size,
        status: r.status,
        metric: "build (end to end)",
        ms: Math.max(r.build_ms!, 0.01),
      },
      { series: r.series, size: r.size, status: r.status, metric: "specialize", ms: Math.max(r.specialize_ms!, 0.01) },
    ])
    .sort((a, b) => a.series.localeCompare(b.series) || a.metric.localeCompare(b.metric) || a.size - b.size);
  const timeouts = rows
    .filter((r) => r.status === "timeout")
    .map((r) => ({ series: r.series, size: r.size, ms: meta.timeout_s * 1000 }));
  return { points, timeouts };
}

/** Log scales on both axes, a colour per series and a dash per metric. */
const CHART_SCALES_AXES_LEGENDS: Pick<vega.Spec, "scales" | "axes" | "legends"> = {
  scales: [
    { name: "x", type: "log", domain: { data: "all", field: "size" }, range: "width", nice: true },
    { name: "y", type: "log", domain: { data: "all", field: "ms" }, range: "height", nice: true },
    {
      name: "color",
      type: "ordinal",
      domain: ["toy", "fern-one-function", "fern-many-functions", "brainfuck"],
      range: ["#1f77b4", "#2ca02c", "#d62728", "#9467bd"],
    },
    {
      name: "dash",
      type: "ordinal",
      domain: ["build (end to end)", "specialize"],
      range: [
        [1, 0],
        [4, 3],
      ],
    },
  ],
  axes: [
    {
      orient: "bottom",
      scale: "x",
      grid: true,
      title: "program size (toy: instructions; Fern: statements in one function, or functions; Brainfuck: bytes)",
    },
    { orient: "left", scale: "y", grid: true, title: "ms (log scale)" },
  ],
  legends: [
    { stroke: "color", title: "series", orient: "right", offset: 50 },
    { strokeDash: "dash", title: "time", orient: "right", offset: 50, symbolType: "stroke" },
  ],
};

/** One line per series and metric. */
function lineMarks(): vega.Mark[] {
  return [
    {
      type: "group",
      from: { facet: { name: "line", data: "points", groupby: ["series", "metric"] } },
      marks: [
        {
          type: "line",
          from: { data: "line" },
          encode: {
            enter: {
              x: { scale: "x", field: "size" },
              y: { scale: "y", field: "ms" },
              stroke: { scale: "color", field: "series" },
              strokeDash: { scale: "dash", field: "metric" },
              strokeWidth: { value: 2 },
            },
          },
        },
      ],
    },
  ];
}

/** A point per measurement, hollow and labelled with its status when it is not a full compile. */
function pointMarks(): vega.Mark[] {
  return [
    {
      type: "symbol",
      from: { data: "points" },
      encode: {
        enter: {
          x: { scale: "x", field: "size" },
          y: { scale: "y", field: "ms" },
          stroke: { scale: "color", field: "series" },
          fill: [
            { test: "datum.status !== 'ok'", value: "white" },
            { scale: "color", field: "series" },
          ],
          size: { value: 40 },
        },
      },
    },
    {
      type: "text",
      from: { data: "points" },
      encode: {
        enter: {
          x: { scale: "x", field: "size", offset: 6 },
          y: { scale: "y", field: "ms", offset: -6 },
          fontSize: { value: 9 },
          fill: { value: "#555" },
          text: { signal: "datum.status !== 'ok' && datum.metric !== 'specialize' ? datum.status : ''" },
        },
      },
    },
  ];
}

/** A triangle at the time limit for each program whose build timed out. */
function timeoutMarks(): vega.Mark[] {
  return [
    {
      type: "symbol",
      from: { data: "timeouts" },
      encode: {
        enter: {
          x: { scale: "x", field: "size" },
          y: { scale: "y", field: "ms" },
          shape: { value: "triangle-up" },
          stroke: { scale: "color", field: "series" },
          fill: { value: "white" },
          size: { value: 80 },
        },
      },
    },
    {
      type: "text",
      from: { data: "timeouts" },
      encode: {
        enter: {
          x: { scale: "x", field: "size", offset: 6 },
          y: { scale: "y", field: "ms" },
          baseline: { value: "middle" },
          fontSize: { value: 10 },
          text: { value: "timeout" },
        },
      },
    },
  ];
}

export async function writeCompileReports(
  rows: CompileRow[],
  meta: CompileMeta,
  outDir: string,
  jsonPath?: string,
): Promise<string[]> {
  const json = JSON.stringify({ meta, rows, scaling: scaling(rows) }, null, 2) + "\n";
  mkdirSync(outDir, { recursive: true });
  const files = [
    join(outDir, "bench-compile.json"),
    join(outDir, "bench-compile.md"),
    join(outDir, "bench-compile.svg"),
  ];
  writeFileSync(files[0], json);
  writeFileSync(files[1], compileMarkdown(rows, meta));
  writeFileSync(files[2], await compileChart(rows, meta));
  if (jsonPath) {
    writeFileSync(jsonPath, json);
    files.push(jsonPath);
  }
  return files;
}
