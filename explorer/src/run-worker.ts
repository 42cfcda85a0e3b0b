// Runs one module (the snapshot or the wevaled module) on the shared host (interp/host.ts) in a Web Worker, so a
// long or endless program never freezes the page and can be stopped (the page terminates the worker). The module
// is compiled once; each run is a fresh instance: run 1 cold, the others warm. Posts a RunOutcome.
import { BufferedOutput, runModule } from "../../interp/host.ts";
import { programHost, type Language } from "./hosts.ts";

export interface RunRequest {
  wasm: Uint8Array;
  language: Language;
  program: Uint8Array;
  runs: number;
  /** What the program reads (Brainfuck's `,`), the same bytes for every run. */
  input?: Uint8Array;
}

self.onmessage = async (e: MessageEvent<RunRequest>) => {
  const { wasm, language, program, runs, input } = e.data;
  const hosted = { bytes: program, host: programHost(language, program), input };
  const outcome: { stdout: string; result?: string; error?: string; ms: number[] } = { stdout: "", ms: [] };
  const module = await WebAssembly.compile(wasm as BufferSource);
  for (let i = 0; i < runs; i++) {
    const out = new BufferedOutput();
    const t = performance.now();
    try {
      outcome.result = String(await runModule(module, hosted, out));
      outcome.error = undefined;
    } catch (err) {
      outcome.error = (err as Error).message;
    }
    outcome.ms.push(performance.now() - t);
    outcome.stdout = out.text();
  }
  self.postMessage(outcome);
};
