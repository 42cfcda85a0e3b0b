// How far the Lua bench's figures move between runs: `node --import tsx bench/lua-spread.ts A.json B.json …` (reports
// of `futamura bench --interp lua`) prints, per program and for the geomean over programs, each report's warm speedup
// (interpreted over wevaled, as the table computes it: bench/lua-pool.ts's figure, or a pre-pooling report's median)
// and the spread, (max - min) / median; for reports with pooled rows, the same by the wall clock's figures too.
// docs/lua-memory-ops.md, "The warm tier pooled over processes", was measured so.
import { readFileSync } from "node:fs";
import { UserError } from "../util/errors.ts";
import { warmFigure } from "./lua-pool.ts";
import { geomean, median, type Row, type WarmPool } from "./stats.ts";

type Speedups = Map<string, number>;

/** Per program, interpreted's warm figure over wevaled's; by `clock` when the rows are pooled (else their medians). */
export function warmSpeedups(rows: Row[], clock?: WarmPool["clock"]): Speedups {
  const figure = (r: Row) => (clock && r.warm ? r.warm[clock].figure_ms : warmFigure(r));
  const warm = rows.filter((r) => r.tier === "warm");
  const out: Speedups = new Map();
  for (const w of warm.filter((r) => r.variant === "wevaled")) {
    const i = warm.find((r) => r.program === w.program && r.variant === "interpreted");
    if (i) out.set(w.program, figure(i) / figure(w));
  }
  return out;
}

/** A line per program and one for the geomean: each report's speedup, sorted, and their spread. */
export function spreadLines(reports: Speedups[]): string[] {
  const programs = [...reports[0].keys()].filter((p) => reports.every((r) => r.has(p)));
  const line = (label: string, xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const spread = ((s[s.length - 1] - s[0]) / median(s)) * 100;
    return `${label}: ${s.map((x) => x.toFixed(2)).join(", ")} (spread ${spread.toFixed(1)}%)`;
  };
  return [
    ...programs.map((p) =>
      line(
        p,
        reports.map((r) => r.get(p)!),
      ),
    ),
    line(
      `geomean over ${programs.length}`,
      reports.map((r) => geomean(programs.map((p) => r.get(p)!))),
    ),
  ];
}

function main(files: string[]): void {
  if (files.length < 2) throw new UserError("usage: node --import tsx bench/lua-spread.ts A.json B.json [more.json…]");
  const rows = files.map((f) => (JSON.parse(readFileSync(f, "utf8")) as { rows: Row[] }).rows);
  process.stdout.write(`${spreadLines(rows.map((r) => warmSpeedups(r))).join("\n")}\n`);
  if (rows.every((r) => r.some((x) => x.warm)))
    process.stdout.write(`by the wall clock:\n${spreadLines(rows.map((r) => warmSpeedups(r, "wall"))).join("\n")}\n`);
}

if (process.argv[1]?.endsWith("lua-spread.ts")) main(process.argv.slice(2));
