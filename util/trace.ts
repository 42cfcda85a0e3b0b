// Debug traces on standard error, switched on by topic in $FUTAMURA_TRACE (a comma-separated list, as cranelift's
// trace! behind RUST_LOG): `worklist` — the specializer's worklist decisions (specializer/weval/specialize.ts: each
// processing and why its block was queued, how it was entered, straight lines continued and undone, forks);
// `stages` — each stage's name and time (specializer/ssa/stage-runner.ts). Read once at load; off, and free, when
// unset and in the browser. Example: `FUTAMURA_TRACE=worklist npx futamura build bytecode/programs/sum.asm -o x.wasm`.

export type TraceTopic = "worklist" | "stages";

const topics = new Set(
  (typeof process !== "undefined" ? (process.env?.FUTAMURA_TRACE ?? "") : "").split(",").map((t) => t.trim()),
);

/** Whether `topic` is traced (check before building a line: the checks are meant to cost nothing when off). */
export function tracing(topic: TraceTopic): boolean {
  return topics.has(topic);
}

/** One trace line, `topic: line`. */
export function trace(topic: TraceTopic, line: string): void {
  process.stderr.write(`${topic}: ${line}\n`);
}
