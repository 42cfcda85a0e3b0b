// The host additions each language's programs need (interp/host.ts's ProgramHost): Fern's printing and runtime
// error messages, Brainfuck's error messages (by instruction: the bytes carry no lines); the toy machine needs none. Shared by the page (snapshot) and the run worker: functions cannot
// be posted to a worker, so each side makes its own from the program's bytes.
import type { ProgramHost } from "../../interp/host.ts";
import { host as bfHost } from "../../brainfuck/loader.ts";
import { fernHost } from "../../lang/values.ts";

/** The languages the page compiles. */
export type Language = "toy" | "fern" | "bf";

export function programHost(language: Language, bytes: Uint8Array): ProgramHost | undefined {
  return language === "fern" ? fernHost(bytes) : language === "bf" ? bfHost(bytes) : undefined;
}
