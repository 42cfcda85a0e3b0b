// A program that does not compile, as the page shows it: the CLI's `file:line:col: error: …` and where. Made in
// the pipeline worker (pipeline.ts) and again on the page (workers.ts) from the worker's message.
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly col?: number,
  ) {
    super(message);
  }
}
