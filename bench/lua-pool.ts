// The Lua bench's warm runs from several processes pooled into one row's figures (bench/lua.ts): a short program's
// warm speed depends on its process's memory layout (wevaled mandelbrot.lua ~4.2 or ~5.2 ms of CPU by layout,
// docs/lua-memory-ops.md "The warm tier"), so one process's median lands in either mode. Per process, the median of its
// runs (a preempted run does not move it); over processes, their geometric mean, which averages the modes instead
// of picking one (a median over processes of a two-mode quantity still flips between modes) and makes the ratio of
// two variants' figures equal to the geometric mean of the per-process ratios, so a process in which everything ran
// slower cancels out of the ratio.

/** One warm child's timed runs of one variant, by both clocks. */
export interface ProcessRuns {
  wall_ms: number[];
  cpu_ms: number[];
}

/** One clock's view of a row: every run per process, the pooled min/median/max, each process's median, the figure. */
export interface ClockStats {
  /** Each process's timed runs, in the order they ran. */
  processes_ms: number[][];
  /** Over every run of every process. */
  min_ms: number;
  median_ms: number;
  max_ms: number;
  /** Each process's median, in process order. */
  process_medians_ms: number[];
  /** The geometric mean of the process medians: the figure the table shows and the ratios use. */
  figure_ms: number;
}

/** Which clock the ratios use: the main thread's CPU time (bench/thread-cpu.ts). */
export type WarmClock = "cpu" | "wall";
export const RATIO_CLOCK: WarmClock = "cpu";

/** A warm row's runs from several processes, both clocks; `clock` names the one the figures and ratios use. */
export interface WarmPool {
  processes: number;
  clock: WarmClock;
  wall: ClockStats;
  cpu: ClockStats;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** One clock's statistics over processes' runs (each process with at least one run). */
export function clockStats(processes: number[][]): ClockStats {
  if (!processes.length || processes.some((p) => !p.length))
    throw new RangeError(`clockStats: ${processes.length} process(es), each needs a run`);
  const all = processes.flat();
  const medians = processes.map(median);
  return {
    processes_ms: processes.map((p) => p.map(round)),
    min_ms: round(Math.min(...all)),
    median_ms: round(median(all)),
    max_ms: round(Math.max(...all)),
    process_medians_ms: medians.map(round),
    figure_ms: round(geomean(medians)),
  };
}

/** A variant's warm runs from its processes, pooled; the figures use `clock`. */
export function poolProcesses(processes: ProcessRuns[], clock: WarmClock = RATIO_CLOCK): WarmPool {
  return {
    processes: processes.length,
    clock,
    wall: clockStats(processes.map((p) => p.wall_ms)),
    cpu: clockStats(processes.map((p) => p.cpu_ms)),
  };
}

/** The ms a warm row's table cell and ratios use: its pool's figure, or (a report from before 2026-12-07's pooling,
 *  one process, the wall clock) its median. */
export function warmFigure(row: { median_ms: number; warm?: WarmPool }): number {
  return row.warm ? row.warm[row.warm.clock].figure_ms : row.median_ms;
}

/** min and max over processes of a's process median over b's (the same process's), by a's clock: how far one
 *  process's ratio strays from the pooled one. Undefined unless both rows have the same processes. */
export function processRatioRange(a: WarmPool | undefined, b: WarmPool | undefined): [number, number] | undefined {
  if (!a || !b || a.processes !== b.processes || a.clock !== b.clock) return undefined;
  const bm = b[b.clock].process_medians_ms;
  const ratios = a[a.clock].process_medians_ms.map((m, k) => m / bm[k]);
  return [Math.min(...ratios), Math.max(...ratios)];
}
