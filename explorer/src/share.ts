// The page's state in its address, to share or bookmark: `#language=…&interpreter=…&source=…&max=…&runs=…&raw=1
// &select=FUNC:PC` (or `select=gBLOCK` for a generic block). Written after each run and selection; read once at
// load, when the page runs the program and restores the selection.
import type { Language } from "./pipeline.ts";

export interface Shared {
  language: Language;
  interpreter: string;
  source: string;
  maxContexts?: string;
  runs?: string;
  /** Show the specialized graph after cleanup (the default) or before. */
  cleaned: boolean;
  select?: string;
}

export function writeShared(s: Shared): void {
  const p = new URLSearchParams({ language: s.language, interpreter: s.interpreter, source: s.source });
  if (s.maxContexts) p.set("max", s.maxContexts);
  if (s.runs && s.runs !== "1") p.set("runs", s.runs);
  if (!s.cleaned) p.set("raw", "1");
  if (s.select) p.set("select", s.select);
  history.replaceState(null, "", `#${p}`);
}

/** The state in the address, or undefined when there is none (or its language is unknown). */
export function readShared(): Shared | undefined {
  const p = new URLSearchParams(location.hash.slice(1));
  const source = p.get("source");
  const language = p.get("language");
  if (source === null || (language !== "toy" && language !== "fern" && language !== "bf")) return undefined;
  return {
    language,
    interpreter: p.get("interpreter") ?? "",
    source,
    maxContexts: p.get("max") ?? undefined,
    runs: p.get("runs") ?? undefined,
    cleaned: p.get("raw") !== "1",
    select: p.get("select") ?? undefined,
  };
}
