// Fern's front door: source → binary program (program.ts, the browser-safe part), and loading it from a file.
import { readUserFile } from "../util/files.ts";
import { compileFern, type FernProgram } from "./program.ts";
import { sourceText } from "../util/text.ts";

export { compileFern, type FernProgram } from "./program.ts";

export function loadFernFile(path: string): FernProgram {
  return compileFern(sourceText(readUserFile(path), path, "a Fern program is source text"), path);
}
