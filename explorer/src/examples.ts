/// <reference types="vite/client" />
// The example programs offered in the page: the toy machine's programs (bytecode/programs/) and Fern's
// (lang/programs/, lang/bench/), read from the repository at build time by Vite, so the page always shows the
// files the tests run. Relies on Vite's import.meta.glob.
import type { Language } from "./pipeline.ts";

const toy = import.meta.glob("../../bytecode/programs/*.asm", { query: "?raw", import: "default", eager: true }) as Record<string, string>;
const fern = import.meta.glob(["../../lang/programs/*.fern", "../../lang/bench/*.fern"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export interface Example {
  /** `sum.asm`, `programs/functions.fern`, `bench/fib.fern`. */
  name: string;
  source: string;
}

const named = (files: Record<string, string>, strip: RegExp): Example[] =>
  Object.entries(files)
    .map(([path, source]) => ({ name: path.replace(strip, ""), source }))
    .sort((a, b) => a.name.localeCompare(b.name));

export const EXAMPLES: Example[] = [...named(toy, /^.*\/programs\//), ...named(fern, /^.*\/lang\//)];

export function languageOf(name: string): Language {
  return name.endsWith(".fern") ? "fern" : "toy";
}
