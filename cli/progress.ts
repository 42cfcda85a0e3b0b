// The CLI's rendering of a build's progress (the library's `onProgress(stage, done, total)`): one line on stderr,
// redrawn in place — `futamura: FILE: specialize 3/10 [######------] 4 s, about 6 s left` — and erased when the
// work ends, only when stderr is a terminal (piped or redirected, nothing is drawn). The stages call back
// synchronously from long synchronous work, so the line is drawn from the callback (at most every 100 ms, and at
// each stage's start so a long single step shows its name), not from a timer.
import type { ProgressCallback } from "../specializer/index.ts";

const WIDTH = 20;
const secs = (ms: number) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);

export interface ProgressLine {
  /** Give this to the library (BuildOptions.onProgress); undefined when nothing is drawn (not a terminal). */
  onProgress?: ProgressCallback;
  /** Erase the line (call before printing anything else, and at the end). */
  clear(): void;
}

/** A progress line labelled `label` (the program's file), or a no-op when stderr is not a terminal. */
export function progressLine(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (!stream.isTTY) return { clear() {} };
  const started = performance.now();
  let stage = "";
  let stageStarted = started;
  let drawn = false;
  let lastDraw = 0;
  const clear = () => {
    if (drawn) stream.write("\r\x1b[2K");
    drawn = false;
  };
  const onProgress: ProgressCallback = (name, done, total) => {
    const now = performance.now();
    if (name !== stage) [stage, stageStarted] = [name, now];
    if (done !== 0 && done !== total && now - lastDraw < 100) return;
    lastDraw = now;
    const filled = total > 0 ? Math.round((WIDTH * done) / total) : 0;
    const spent = now - stageStarted;
    const eta = done > 0 && done < total ? `, about ${secs((spent / done) * (total - done))} left` : "";
    const line = `futamura: ${label}: ${name} ${done}/${total} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${secs(now - started)}${eta}`;
    stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns || 120) - 1))}`);
    drawn = true;
  };
  return { onProgress, clear };
}
