// The progress callback every long stage takes (building an interpreter, snapshot, specialize, binaryen): the
// library's callers render it (the CLI draws one line on a terminal, cli/progress.ts); the stages only call it.

/** A stage as it goes: `done` of `total` steps (a stage's last call has done = total), e.g. snapshot 0/1 → 1/1,
 *  specialize request k of n, binaryen function k of n. An observer: it changes nothing. */
export type ProgressCallback = (stage: string, done: number, total: number) => void;
