// Fern's front door: source → binary program (program.ts, the browser-safe part), and loading it from a file.
// Relies on program.ts and util/files.ts.
import { readUserFile } from "../util/files.ts";
import { compileFern, type FernProgram } from "./program.ts";

export { compileFern, type FernProgram } from "./program.ts";

export function loadFernFile(path: string): FernProgram {
  return compileFern(new TextDecoder().decode(readUserFile(path)), path);
}
