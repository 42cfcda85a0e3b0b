// What a language's loader returns for a program file (pipeline/program.ts runs the loader named by an
// interpreter's manifest), and where a loader module runs from. Below pipeline/ so that the loaders in the
// language folders (bytecode/, lang/, brainfuck/) can use it.
import { pathToFileURL } from "node:url";
import type { HostedProgram, ProgramHost } from "./host.ts";
import type { Manifest } from "./manifest.ts";
import { runnableModulePath } from "../util/root.ts";

/** What a program says it should do (comments in its source, or files beside it): checked by `run --expect`. */
export interface Expectations {
  /** Expected output (bytes; a string is UTF-8). */
  stdout?: string | Uint8Array;
  /** Expected result of `run` (a decimal). */
  result?: string;
  /** Expected runtime error message, with the file named by its base name. */
  error?: string;
  /** Expected exit code (default 0 when anything is expected). */
  exitCode?: number;
}

/** What a loader returns. */
export interface LoadedProgram {
  /** The bytes init reads through futamura.program_read. */
  bytes: Uint8Array;
  expect?: Expectations;
  /** Input the program is meant to read (used by diff, bench, tests and `run --expect` when no --input is given). */
  input?: Uint8Array;
  /** The language's own imports and runtime error messages. */
  host?: ProgramHost;
  /** One line per step for `run --trace` (interpreters that export `runTraced` and call futamura.trace). */
  formatTrace?(pc: number, value: bigint): string;
  /** What a weval request whose constant buffer is `constant` specializes, for --stats (Fern: `fn main`). */
  describeRequest?(constant: Uint8Array): string | undefined;
}

/** How programs of `m` run on the large-stack worker (its manifest's "deepStack"), or undefined: the worker makes
 *  their host from the loader's `host(bytes)`, when the loader is a module. */
export function deepStackFor(m: Manifest): HostedProgram["deepStack"] {
  if (!m.deepStack) return undefined;
  if (!("module" in m.loader)) return {};
  return { hostModule: pathToFileURL(runnableModulePath(m.loader.module)).href, hostExport: "host" };
}
