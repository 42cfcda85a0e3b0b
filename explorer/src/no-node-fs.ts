// What the page gets for node:fs (vite.config.ts aliases it): brainfuck/loader.ts reads a program's .in and .out
// files with it when the CLI loads a file, and util/wasi-shim.ts (via snapshot/) reads and writes standard streams
// for WASI modules, and util/wasi-files.ts gives WASI programs the host directories they are granted; the page asks for neither (it uses the parser and the encoder, examples.ts has the files' text,
// and it runs no WASI module). Vite's dev server cannot serve node:fs to a browser; a call says so.
import { InternalError } from "../../util/errors.ts";
const unavailable = (): never => {
  throw new InternalError("the explorer page has no file system (node:fs is Node's)");
};
export const existsSync = unavailable;
export const readFileSync = unavailable;
export const readSync = unavailable;
export const writeSync = unavailable;
export const closeSync = unavailable;
export const fstatSync = unavailable;
export const mkdirSync = unavailable;
export const openSync = unavailable;
export const realpathSync = unavailable;
export const renameSync = unavailable;
export const rmdirSync = unavailable;
export const statSync = unavailable;
export const unlinkSync = unavailable;
/** node:fs's open flags: util/wasi-files.ts reads them only when it opens a file, which the page never does. */
export const constants: Record<string, number> = {};
