// What the page gets for node:fs (vite.config.ts aliases it): brainfuck/loader.ts reads a program's .in and .out
// files with it when the CLI loads a file; the page never asks (it uses the parser and the encoder, and examples.ts
// has the files' text). Vite's dev server cannot serve node:fs to a browser; a call says so. (util/wasi-shim.ts,
// which snapshot/ imports, takes its files and streams from its caller and imports no node:fs.)
import { InternalError } from "../../util/errors.ts";
const unavailable = (): never => {
  throw new InternalError("the explorer page has no file system (node:fs is Node's)");
};
export const existsSync = unavailable;
export const readFileSync = unavailable;
