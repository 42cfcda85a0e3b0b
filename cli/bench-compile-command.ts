// `futamura bench --compile` and `npm run bench:compile`: check the compile benchmark's flags (a bad one is a
// one-line error, exit 1), run it, and print its table, the scaling per 10× and where the reports went. Exits 1 when
// a wevaled module printed something else than the interpreter (a timeout or an abort is a result, not a failure).
import { compileProgramsDir, runCompileBench } from "../bench/compile.ts";
import { SERIES, type SeriesName } from "../bench/compile-programs.ts";
import { compileTable, rowNotes, scalingLines } from "../bench/compile-report.ts";
import { UserError } from "../util/errors.ts";

export interface BenchCompileFlags {
  quick?: boolean;
  sizes?: string;
  series?: string;
  timeout?: string;
  out?: string;
  json?: string;
}

function list(flag: string, value: string): string[] {
  const items = value.split(",").map((x) => x.trim());
  if (items.some((x) => x === ""))
    throw new UserError(`futamura bench --compile: ${flag} takes a comma-separated list, got '${value}'`);
  return items;
}

/** Said before a benchmark starts (it takes minutes), after its flags are checked: the reports it will replace. */
export function replacingNote(out: string | undefined, reports: string): void {
  process.stderr.write(
    `futamura bench: this run replaces ${reports} in ${out ?? "results/"} (--out DIR writes elsewhere)\n`,
  );
}

export async function benchCompileCommand(opts: BenchCompileFlags): Promise<number> {
  if (opts.quick && opts.sizes)
    throw new UserError("futamura bench --compile: --quick and --sizes exclude each other (--quick is --sizes 1)");
  const multipliers =
    opts.sizes === undefined
      ? undefined
      : list("--sizes", opts.sizes).map((x) => {
          const n = Number(x);
          if (!Number.isInteger(n) || n < 1)
            throw new UserError(
              `futamura bench --compile: --sizes takes positive whole multipliers of each series' smallest size (e.g. 1,10,100), got '${x}'`,
            );
          return n;
        });
  const names = SERIES.map((s) => s.name as string);
  const series =
    opts.series === undefined
      ? undefined
      : list("--series", opts.series).map((x) => {
          if (!names.includes(x))
            throw new UserError(`futamura bench --compile: unknown series '${x}' (series: ${names.join(", ")})`);
          return x as SeriesName;
        });
  const timeoutS = opts.timeout === undefined ? undefined : Number(opts.timeout);
  if (timeoutS !== undefined && !(timeoutS > 0))
    throw new UserError(
      `futamura bench --compile: --timeout takes a positive number of seconds, got '${opts.timeout}'`,
    );

  replacingNote(opts.out, "bench-compile.{json,md,svg}");
  const { rows, meta, scaling, files } = await runCompileBench({
    quick: opts.quick,
    multipliers: multipliers && [...new Set(multipliers)].sort((a, b) => a - b),
    series,
    timeoutS,
    out: opts.out,
    json: opts.json,
  });
  process.stdout.write(`${compileTable(rows)}\n\n`);
  for (const l of [...scalingLines(scaling), ...rowNotes(rows), ...meta.notes.map((n) => `note: ${n}`)])
    process.stdout.write(`${l}\n`);
  process.stdout.write(
    `node ${meta.node}, V8 ${meta.v8}, ${meta.cpus}\nwrote ${files.join(", ")}; the programs are in ${compileProgramsDir()}\n`,
  );
  const wrong = rows.filter((r) => r.status === "mismatch");
  if (wrong.length)
    process.stderr.write(
      `futamura bench --compile: interpreted and wevaled outputs differ for ${wrong.map((r) => r.program).join(", ")}\n`,
    );
  return wrong.length ? 1 : 0;
}
