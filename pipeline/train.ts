// Training: profile-guided speculation, the pipeline's optional step between init and the snapshot. The snapshot
// stage hands over the instance init left (snapshot/index.ts's afterCapture) with the memory image it will write;
// here the interpreter runs the program once on that instance through its `train(fuel)` export — its generic body
// notes in the bytecode what it met (Fern: feedback bytes on INDEX, STORE and calls, and in each function header
// for its parameters; lang/opcodes.ts) — then `trainEnd()` copies what it learned into its requests' constant
// buffers. Of the trained memory only those buffers
// are kept: they are copied into the image, so the snapshot holds init's state plus the feedback, and the
// specializer folds the feedback like any other constant. Prints of the training run go nowhere; a program that
// fails, overflows the stack or spends its fuel simply ends the training run (the feedback so far is kept).
//
// The interpreter must only write feedback while training, and its specialized body must check every assumption it
// makes from feedback and leave for its generic body when one fails (docs/new-interpreter.md, "Training").
import { readPendingRequests } from "../specializer/requests.ts";
import { UserError } from "../util/errors.ts";

/** Calls plus loop back-edges a training run may spend by default (Fern: ~0.1–1 s of interpretation). */
export const DEFAULT_TRAINING_FUEL = 10_000_000;

export interface TrainingReport {
  /** How the training run ended: "finished", or why it stopped early. */
  ended: string;
  ms: number;
  /** Request buffers copied into the snapshot. */
  requests: number;
}

/** The fuel `--train` / `--train-fuel N` ask for (the latter implies the former); undefined: no training. */
export function trainingFuel(train: boolean | undefined, fuel: string | undefined): number | undefined {
  if (fuel === undefined) return train ? DEFAULT_TRAINING_FUEL : undefined;
  if (!/^[1-9][0-9]*$/.test(fuel) || !Number.isSafeInteger(Number(fuel)))
    throw new UserError(
      `--train-fuel: expected a positive whole number (calls plus loop back-edges; default ${DEFAULT_TRAINING_FUEL}), got '${fuel}'`,
    );
  return Number(fuel);
}

/** The snapshot hook that trains the instance with `fuel` and keeps the requests' buffers in `image`. */
export function trainingHook(fuel: number, report: (r: TrainingReport) => void, interpreterName?: string) {
  return (instance: WebAssembly.Instance, image: Uint8Array): void => {
    const ex = instance.exports as Record<string, unknown>;
    if (typeof ex.train !== "function" || typeof ex.trainEnd !== "function") {
      const which = interpreterName ? `the ${interpreterName} interpreter` : "this interpreter";
      throw new UserError(
        `--train: ${which} has no training exports (train(fuel: i64) and trainEnd(), docs/new-interpreter.md); build without --train`,
      );
    }
    const t = performance.now();
    let ended = "finished";
    try {
      (ex.train as (fuel: bigint) => void)(BigInt(fuel));
    } catch (e) {
      const msg = (e as Error).message ?? String(e);
      ended = /unreachable/.test(msg) ? `stopped after ${fuel} units of fuel` : `stopped by the program: ${msg}`;
    }
    (ex.trainEnd as () => void)();
    const memory = new Uint8Array((ex.memory as WebAssembly.Memory).buffer);
    const head = (ex["weval.pending.head"] as () => number)() >>> 0;
    // The request list itself is init's (the image's); only the buffers' contents come from the trained memory.
    const requests = readPendingRequests(image, head);
    for (const r of requests) image.set(memory.subarray(r.argbuf, r.argbuf + r.arglen), r.argbuf);
    report({ ended, ms: performance.now() - t, requests: requests.length });
  };
}
