// The Lua bench's warm runs pooled over child processes (bench/lua-pool.ts, bench/lua.ts): each process's median, the
// geometric mean over processes as the figure, a ratio equal to the geometric mean of the per-process ratios, both
// clocks kept, the table's cells and ranges from the pool, and reports from before the pooling still rendered from
// their medians. The thread CPU clock leaves out time spent waiting. No benchmark timing asserted.
import { describe, expect, it } from "vitest";
import { clockStats, poolProcesses, processRatioRange, warmFigure, type ProcessRuns } from "../../bench/lua-pool.ts";
import { luaReport, processRuns, type LuaBenchResult } from "../../bench/lua.ts";
import { spreadLines, warmSpeedups } from "../../bench/lua-spread.ts";
import { geomean, median, summarize, type Row } from "../../bench/stats.ts";
import { threadCpuClock } from "../../bench/thread-cpu.ts";

const runs = (wall: number[], cpu = wall): ProcessRuns => ({ wall_ms: wall, cpu_ms: cpu });

describe("pooling a warm row's processes", () => {
  it("takes each process's median, then their geometric mean; min/median/max over every run", () => {
    // Two layouts: a fast process (one preempted run, 9 ms) and a slow one.
    const s = clockStats([
      [4, 4.2, 9],
      [5.3, 5.2, 5.1],
    ]);
    expect(s.process_medians_ms).toEqual([4.2, 5.2]);
    expect(s.figure_ms).toBeCloseTo(Math.sqrt(4.2 * 5.2), 3);
    expect([s.min_ms, s.median_ms, s.max_ms]).toEqual([4, 5.15, 9]);
    expect(s.processes_ms).toEqual([
      [4, 4.2, 9],
      [5.3, 5.2, 5.1],
    ]);
  });

  it("averages two modes instead of picking one, as a median over processes would", () => {
    // Three fast processes and two slow, then two fast and three slow: the median jumps a mode, the figure moves by
    // a fifth of the gap.
    const a = clockStats([[4.2], [4.2], [4.2], [5.2], [5.2]]);
    const b = clockStats([[4.2], [4.2], [5.2], [5.2], [5.2]]);
    expect(median(a.process_medians_ms)).toBe(4.2);
    expect(median(b.process_medians_ms)).toBe(5.2);
    expect(b.figure_ms / a.figure_ms).toBeLessThan(1.05);
    expect(b.figure_ms / a.figure_ms).toBeGreaterThan(1.03);
  });

  it("refuses a process with no runs rather than pooling a NaN", () => {
    expect(() => clockStats([[1], []])).toThrow(RangeError);
    expect(() => clockStats([])).toThrow(RangeError);
  });

  it("keeps both clocks and uses the CPU clock's figure by default", () => {
    const pool = poolProcesses([runs([10, 12, 30], [9, 9.5, 10]), runs([11, 11, 11], [10, 10, 10])]);
    expect(pool.clock).toBe("cpu");
    expect(pool.processes).toBe(2);
    expect(pool.wall.process_medians_ms).toEqual([12, 11]);
    expect(pool.cpu.process_medians_ms).toEqual([9.5, 10]);
    expect(warmFigure({ median_ms: 99, warm: pool })).toBeCloseTo(Math.sqrt(95), 3);
    expect(warmFigure({ median_ms: 99, warm: poolProcesses([runs([4], [3])], "wall") })).toBe(4);
    // A report written before the pooling: the row's median.
    expect(warmFigure({ median_ms: 7 })).toBe(7);
  });

  it("gives a ratio of figures equal to the geometric mean of the per-process ratios; a slow process cancels", () => {
    const interp = [50, 48, 75]; // process 3: everything 1.5x slower
    const wevaled = [4.2, 5.2, 6.3];
    const i = poolProcesses(interp.map((x) => runs([x]))),
      w = poolProcesses(wevaled.map((x) => runs([x])));
    const ratio = warmFigure({ median_ms: 0, warm: i }) / warmFigure({ median_ms: 0, warm: w });
    expect(ratio).toBeCloseTo(geomean(interp.map((x, k) => x / wevaled[k])), 2);
    expect(processRatioRange(i, w)![0]).toBeCloseTo(48 / 5.2, 2);
    expect(processRatioRange(i, w)![1]).toBeCloseTo(50 / 4.2, 2);
    // Rows from different process counts or clocks have no per-process pairs.
    expect(processRatioRange(i, poolProcesses([runs([1])]))).toBeUndefined();
    expect(processRatioRange(i, undefined)).toBeUndefined();
  });
});

describe("the warm children's results", () => {
  it("regroup per variant, one entry per child in order, and a child whose clocks disagree is an internal error", () => {
    const grouped = processRuns([
      { samples: { interpreted: [50, 51], wevaled: [5, 4] }, cpu: { interpreted: [49, 50], wevaled: [4.9, 3.9] } },
      { samples: { interpreted: [52, 53], wevaled: [6, 6] }, cpu: { interpreted: [51, 52], wevaled: [5.9, 5.8] } },
    ]);
    expect([...grouped.keys()]).toEqual(["interpreted", "wevaled"]);
    expect(grouped.get("wevaled")).toEqual([runs([5, 4], [4.9, 3.9]), runs([6, 6], [5.9, 5.8])]);
    expect(() => processRuns([{ samples: { wevaled: [5, 4] }, cpu: { wevaled: [5] } }])).toThrow(
      /wevaled has 2 wall-clock runs, 1 CPU/,
    );
  });
});

/** A report of one program from pooled warm rows (and the first calls it also shows). */
function pooledReport(interp: ProcessRuns[], wevaled: ProcessRuns[]): string {
  const row = (variant: Row["variant"], tier: string, ms: number[]) =>
    summarize({ program: "p", variant, engine: "v8", tier, runs_ms: ms, result: "" });
  const warm = (variant: Row["variant"], p: ProcessRuns[]) => ({
    ...row(
      variant,
      "warm",
      p.flatMap((x) => x.wall_ms),
    ),
    warm: poolProcesses(p),
  });
  const r: LuaBenchResult = {
    programs: [{ program: "p", buildMs: 1000, aborted: [], requests: 1 }],
    notes: [],
    rows: [
      warm("interpreted", interp),
      warm("wevaled", wevaled),
      warm("stock", interp),
      row("interpreted", "first call", [80]),
      row("wevaled", "first call", [10]),
    ],
  };
  return luaReport(r);
}

describe("the Lua table from pooled rows", () => {
  it("shows the CPU figures, the speedup's range over processes and says what a cell is", () => {
    // Wall clock says 20 (a preempted process), CPU says 10: the cells and ratios are the CPU clock's.
    const out = pooledReport(
      [runs([40, 40, 40], [40, 40, 40]), runs([50, 50, 50], [50, 50, 50])],
      [runs([20, 20, 20], [4, 4, 4]), runs([5, 5, 5], [5, 5, 5])],
    );
    expect(out).toContain("| p | 44.7 | **4.5** | 44.7 | 10.00× (10.00–10.00) |");
    expect(out).toMatch(/wevaled 10\.00× the interpreter warm/);
    expect(out).toContain("the geometric mean over 2 processes of each one's median run");
    expect(out).toContain("main-thread CPU time");
  });
});

describe("the spread between reports (bench/lua-spread.ts)", () => {
  it("takes each report's speedups as the table does, by either clock, and the spread of each and of the geomean", () => {
    const rows = (wevaledCpu: number, wevaledWall: number, old = false): Row[] =>
      (
        [
          ["interpreted", 40, 80],
          ["wevaled", wevaledCpu, wevaledWall],
        ] as const
      ).map(([variant, cpu, wall]) => ({
        ...summarize({ program: "p", variant, engine: "v8", tier: "warm", runs_ms: [wall], result: "" }),
        ...(old ? {} : { warm: poolProcesses([runs([wall], [cpu])]) }),
      }));
    expect(warmSpeedups(rows(4, 10)).get("p")).toBeCloseTo(10, 5);
    expect(warmSpeedups(rows(4, 10), "wall").get("p")).toBeCloseTo(8, 5);
    expect(warmSpeedups(rows(4, 10, true)).get("p")).toBeCloseTo(8, 5); // a pre-pooling report: its wall medians
    expect(spreadLines([warmSpeedups(rows(4, 10)), warmSpeedups(rows(5, 10))])).toEqual([
      "p: 8.00, 10.00 (spread 22.2%)",
      "geomean over 1: 8.00, 10.00 (spread 22.2%)",
    ]);
  });
});

describe("the thread's CPU clock", () => {
  it("counts a busy loop and leaves out a sleep", () => {
    const cpu = threadCpuClock();
    const c0 = cpu(),
      t0 = performance.now();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200); // 200 ms asleep
    const sleptCpu = cpu() - c0,
      sleptWall = performance.now() - t0;
    expect(sleptWall).toBeGreaterThanOrEqual(190);
    expect(sleptCpu).toBeLessThan(50);
    const c1 = cpu();
    let x = 0;
    while (cpu() - c1 < 20) x++; // it advances while this thread computes
    expect(x).toBeGreaterThan(0);
    expect(cpu()).toBeGreaterThanOrEqual(c1 + 20);
  });
});
