// The one-line verdict under the two runs, honest about what the numbers can say: outputs compared first; no
// speed ratio when a run is under RATIO_MIN_MS (timer and start-up noise), when a module was not fully
// specialized (some function aborted: partly interpreted), or when a run was stopped; a slower module is called
// slower. Pure: the page (main.ts) and its test feed it numbers.

/** Below this a run's time is mostly noise: no ratio. */
export const RATIO_MIN_MS = 1;

export interface RunTimes {
  /** The first call (cold), NaN when the module did not run. */
  cold: number;
  /** The median of the later calls, if any. */
  warm?: number;
}

export interface VerdictInput {
  same: boolean;
  interpreted: RunTimes;
  wevaled: RunTimes;
  /** How many of the module's requests aborted, and how many there were. */
  aborted: number;
  requests: number;
  /** What stopped a run, if one was stopped. */
  stopped?: string;
}

/** "2.3× faster", "4.0× slower", "about the same" (within ±15%). */
export function speedWords(interpretedMs: number, wevaledMs: number): string {
  const r = interpretedMs / wevaledMs;
  if (r >= 1.15) return `${r.toFixed(1)}× faster`;
  if (r <= 1 / 1.15) return `${(1 / r).toFixed(1)}× slower`;
  return "about as fast (within ±15%)";
}

export function verdict(v: VerdictInput): { text: string; kind: "ok" | "bad" | "" } {
  if (v.stopped) return { text: `■ ${v.stopped}: outputs not compared.`, kind: "" };
  const out = v.same ? "✓ same output" : "✗ outputs differ";
  const ratio = (a: number | undefined, b: number | undefined, what: string) => {
    if (a === undefined || b === undefined) return undefined;
    if (a < RATIO_MIN_MS || b < RATIO_MIN_MS) return `${what}: under ${RATIO_MIN_MS} ms, too short to compare`;
    return `${what}: wevaled ${speedWords(a, b)}`;
  };
  let speed: string;
  if (v.aborted === v.requests && v.requests > 0)
    speed = "nothing was specialized (every request aborted): both run the interpreter, any difference is noise";
  else {
    const parts = [
      ratio(v.interpreted.cold, v.wevaled.cold, "first call"),
      ratio(v.interpreted.warm, v.wevaled.warm, "warm"),
    ].filter((x) => x !== undefined);
    speed = parts.join(", ");
    if (v.aborted > 0) speed = `partly interpreted (${v.aborted} of ${v.requests} functions aborted) · ${speed}`;
  }
  return { text: `${out} · ${speed}.`, kind: v.same ? "ok" : "bad" };
}
