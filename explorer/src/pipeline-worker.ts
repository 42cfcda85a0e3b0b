// The explorer's heavy work off the page's thread: compile, snapshot, specialize and binaryen (pipeline.ts), then,
// on request, Wasm text for a selection (wasm-text.ts) from the IR kept here. The page (workers.ts) posts one
// message per job and may terminate this worker at any moment (Stop): nothing here needs to finish.
import { ProgramError } from "./program-error.ts";
import { explore, type Exploration, type Language, type RequestBodies } from "./pipeline.ts";
import { loadBinaryen } from "../../util/binaryen.ts";
import { WasmPrinter } from "./wasm-text.ts";
import type { Limits } from "../../specializer/weval/specialize.ts";
import { UserError } from "../../util/errors.ts";

export type PipelineJob =
  | {
      kind: "explore";
      id: number;
      language: Language;
      source: string;
      interpreter: Uint8Array;
      limits?: Partial<Limits>;
    }
  | { kind: "wasm"; id: number; request: number; generic: number[]; cleaned: number[] }
  | { kind: "final"; id: number; request: number };

export type PipelineReply =
  | { kind: "progress"; id: number; stage: string }
  | { kind: "explored"; id: number; exploration: Exploration }
  | { kind: "wasm"; id: number; before: string; after: string }
  | { kind: "final"; id: number; text: string }
  | { kind: "failed"; id: number; message: string; line?: number; col?: number; program: boolean; stack?: string };

/** What the last exploration left for the Wasm views. */
let kept:
  | { exploration: Exploration; bodies: RequestBodies[]; printer?: Promise<WasmPrinter>; final?: Promise<WasmPrinter> }
  | undefined;

// binaryen.js (15 MB of JavaScript) starts loading with the worker, while the page fetches the interpreter.
void loadBinaryen();

const post = (m: PipelineReply, transfer: Transferable[] = []) => self.postMessage(m, { transfer });

/** The last exploration, or a clear error when there is none (Stop ended its worker). */
function last(): NonNullable<typeof kept> {
  if (!kept) throw new UserError("this worker holds no exploration (it was stopped): press Compile again");
  return kept;
}

/** One printer for both sides: the snapshot's functions, plus stand-ins for the specialized ones. */
function printer(): Promise<WasmPrinter> {
  const k = last();
  const specialized = k.exploration.requests.filter((q) => !q.stats.aborted).map((q) => q.tableIndex);
  return (k.printer ??= WasmPrinter.load(k.exploration.snapshotWasm, specialized));
}

/** Wasm text of a selection, or the reason it cannot be printed (shown in the view, never thrown). */
function wasmOf(make: () => string): string {
  try {
    return make();
  } catch (e) {
    return `;; could not print this selection as Wasm: ${(e as Error).message}`;
  }
}

async function handle(job: PipelineJob): Promise<void> {
  switch (job.kind) {
    case "explore": {
      kept?.printer?.then((p) => p.dispose());
      kept?.final?.then((p) => p.dispose());
      kept = undefined;
      const { exploration, bodies } = await explore({
        ...job,
        progress: (stage) => post({ kind: "progress", id: job.id, stage }),
      });
      kept = { exploration, bodies };
      post({ kind: "explored", id: job.id, exploration });
      return;
    }
    case "wasm": {
      const p = await printer();
      const b = last().bodies[job.request];
      const before = wasmOf(() => p.fragmentText(b.generic, job.generic));
      const after = b.cleaned ? wasmOf(() => p.fragmentText(b.cleaned!, job.cleaned)) : "";
      post({ kind: "wasm", id: job.id, before, after });
      return;
    }
    case "final": {
      const k = last();
      const q = k.exploration.requests[job.request];
      const p = await (k.final ??= WasmPrinter.load(k.exploration.wevaledWasm));
      post({
        kind: "final",
        id: job.id,
        text: q.stats.aborted
          ? `;; not specialized: ${q.stats.aborted}`
          : wasmOf(() => p.tableFunctionText(q.stats.tableIndex)),
      });
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<PipelineJob>) => {
  const job = e.data;
  handle(job).catch((err: Error) => {
    const program = err instanceof ProgramError;
    post({
      kind: "failed",
      id: job.id,
      message: err.message,
      line: program ? err.line : undefined,
      col: program ? err.col : undefined,
      program,
      stack: program ? undefined : err.stack,
    });
  });
};
