// What the page gets for node:fs (vite.config.ts aliases it): brainfuck/loader.ts reads a program's .in and .out
// files with it when the CLI loads a file, which the page never asks for (it uses the parser and the encoder, and
// examples.ts has the files' text). Vite's dev server cannot serve node:fs to a browser; a call says so.
const unavailable = (): never => {
  throw new Error("the explorer page has no file system (node:fs is Node's)");
};
export const existsSync = unavailable;
export const readFileSync = unavailable;
