/// <reference types="vite/client" />
// The example programs offered in the page: the toy machine's programs (bytecode/programs/), Fern's
// (lang/programs/, lang/bench/) and Brainfuck's (brainfuck/programs/, with their expected output and input from
// the .out and .in files beside them), read from the repository at build time by Vite, so the page always shows
// the files the tests run.
import type { Language } from "./pipeline.ts";

const toy = import.meta.glob("../../bytecode/programs/*.asm", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const fern = import.meta.glob(["../../lang/programs/*.fern", "../../lang/bench/*.fern"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const bf = import.meta.glob("../../brainfuck/programs/*.b", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;
const bfBeside = import.meta.glob(["../../brainfuck/programs/*.out", "../../brainfuck/programs/*.in"], {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export interface Example {
  /** `sum.asm`, `programs/functions.fern`, `bench/fib.fern`. */
  name: string;
  source: string;
  /** Expected output and input kept beside the program (Brainfuck's .out and .in); toy and Fern say theirs inside. */
  expect?: string;
  input?: string;
}

const named = (files: Record<string, string>, strip: RegExp): Example[] =>
  Object.entries(files)
    .map(([path, source]) => ({ name: path.replace(strip, ""), source }))
    .sort((a, b) => a.name.localeCompare(b.name));

const beside = (ex: Example): Example => {
  const path = `../../brainfuck/programs/${ex.name.replace(/^brainfuck\//, "").replace(/\.b$/, "")}`;
  return { ...ex, expect: bfBeside[`${path}.out`], input: bfBeside[`${path}.in`] };
};

export const EXAMPLES: Example[] = [
  ...named(toy, /^.*\/programs\//),
  ...named(fern, /^.*\/lang\//),
  ...named(bf, /^.*\/brainfuck\/programs\//).map((e) => beside({ ...e, name: `brainfuck/${e.name}` })),
];

export function languageOf(name: string): Language {
  return name.endsWith(".fern") ? "fern" : name.endsWith(".b") ? "bf" : "toy";
}
