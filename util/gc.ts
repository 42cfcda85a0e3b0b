// A full garbage collection between the stages of a big build, when the process exposes one (node --expose-gc: the
// CLI and the compile benchmark's child run so). V8 sizes its next collection from the live data at its last one,
// and the last one of a big request comes while the specializer's worklist is at its largest: Fern's one function
// of 10,000 statements (1.1M values) had 516 MB live then and let the heap grow to 986 MB of garbage before
// collecting again, past the specializer's end (live: 297 MB). Collected when the specializer returns, the build
// peaked at 998-1,076 MB (bench --compile: 1,058) instead of 1,156-1,198 (maxRSS, 4 runs each, 2026-12-07, load
// 10-20); what is left of the peak is the specializer's own heap growth before it returns. The collection replaces
// one V8 would run soon after anyway (~0.4 s of CPU on that heap). Without --expose-gc this does nothing.

/** The semi-space size of a process or worker thread that specializes (MB; V8's default is 16). */
export const SEMI_SPACE_MB = 64;

/** Node's flags for a process that specializes (bin/futamura.mjs's second node, bench --compile's children, so that
 *  the benchmark times what a user runs): `gc` exposed for collectAfter, and a bigger young generation — the
 *  specializer allocates much short-lived IR, and V8's default (16 MB semi-spaces) cost Lua app.lua's build 11.0 s of
 *  CPU against 9.7 s with 64 MB (2026-12-07). Node reads both only at start-up. */
export const SPECIALIZING_NODE_FLAGS = [`--max-semi-space-size=${SEMI_SPACE_MB}`, "--expose-gc"];

/** From this many IR values in one request its end is worth a collection (the 1,000-statement function: 104k
 *  values, peak 344 MB, is not). */
export const COLLECT_MIN_VALUES = 500_000;

/** Runs a full collection when the process exposes `gc` and `values` reaches COLLECT_MIN_VALUES; whether it ran. */
export function collectAfter(values: number): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc || values < COLLECT_MIN_VALUES) return false;
  gc();
  return true;
}
