// The Lua bench's warm runs from several processes pooled into one row's figures (bench/lua.ts): a short program's
// warm speed depends on its process's memory layout (wevaled mandelbrot.lua ~4.2 or ~5.2 ms of CPU by layout,
// docs/lua-memory-ops.md "The warm tier"), so one process's median lands in either mode. Per process, the median of its
// runs (a preempted run does not move it); over processes, their geometric mean, which averages the modes instead
// of picking one (a median over processes of a two-mode quantity still flips between modes) and makes the ratio of
// two variants' figures equal to the geometric mean of the per-process ratios, so a process in which everything ran
// slower cancels out of the ratio.

import { geomean, median, type ClockStats, type WarmClock, type WarmPool } from "./stats.ts";

/** One warm child's timed runs of one variant, by both clocks. */
export interface ProcessRuns {
  wall_ms: number[];
  cpu_ms: number[];
}

/** Which clock the ratios use: the main thread's CPU time (bench/thread-cpu.ts). */
export const RATIO_CLOCK: WarmClock = "cpu";

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
