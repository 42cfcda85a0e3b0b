// Benchmark rows and their summary statistics (min / median / max of the runs), in the JSON schema the README
// documents.

export type Tier = "cold (first call, Liftoff)" | "warm (TurboFan)" | "cold (first call)" | "warm";

export interface Row {
  program: string;
  /** js: the same program in JavaScript on V8's JIT; quickjs, lua-wasm, lua, luajit: peers (bench/peers.ts); stock: a
   *  clang-built interpreter without its annotations (bench/lua.ts). */
  variant:
    "interpreted" | "wevaled" | "untrained" | "stock" | "limit" | "js" | "quickjs" | "lua-wasm" | "lua" | "luajit";
  engine: "v8" | "jco" | "wasmtime" | "native";
  tier: string;
  runs_ms: number[];
  min_ms: number;
  median_ms: number;
  max_ms: number;
  /** The program's result (HALT value or the baseline's sum), as a decimal string. */
  result: string;
  /** A wevaled module with requests the specializer gave up on: those run the interpreter (shown in the table). */
  partially_interpreted?: boolean;
  /** A Lua warm row (bench/lua.ts): its runs from several processes by the wall clock and the thread's CPU time, and
   *  the figure its ratios use; runs_ms/min/median/max are then every process's wall-clock runs, pooled. */
  warm?: WarmPool;
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

/** The clock a pooled row's figures and ratios use (bench/lua-pool.ts's RATIO_CLOCK). */
export type WarmClock = "cpu" | "wall";

/** A warm row's runs from several processes, both clocks; `clock` names the one the figures and ratios use. */
export interface WarmPool {
  processes: number;
  clock: WarmClock;
  wall: ClockStats;
  cpu: ClockStats;
}

/** The middle of `xs` (the mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The geometric mean of `xs` (all positive): the mean the benches use for ratios over programs. */
export function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

export function summarize(base: Omit<Row, "min_ms" | "median_ms" | "max_ms">): Row {
  const s = [...base.runs_ms].sort((a, b) => a - b);
  return {
    ...base,
    runs_ms: base.runs_ms.map(round),
    min_ms: round(s[0]),
    median_ms: round(median(s)),
    max_ms: round(s[s.length - 1]),
  };
}

export const round = (x: number) => Math.round(x * 100) / 100;

/** Spread of a row as a percentage of its median: (max - min) / median. */
export const spread = (r: Row) => (r.median_ms > 0 ? ((r.max_ms - r.min_ms) / r.median_ms) * 100 : 0);

/** A time in ms for tables: three significant digits at most (1234 → "1234", 12.34 → "12.3", 1.234 → "1.23"). */
export const formatMs = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
