// The constants files the built-in interpreters include, generated from each language's opcode table, so no
// interpreter restates an opcode number, operand offset or header offset by hand: interp/as/toy-opcodes.ts and
// interp/c/toy-opcodes.h from bytecode/opcodes.ts, interp/as/fern-opcodes.ts from lang/opcodes.ts.
// The table sits above the languages and the interpreters because it joins them; the interpreter builders
// (interp/build.ts, interp/c-build.ts) compile the committed files as they are. `futamura build-interp` rewrites the
// stale ones (writeGenerated) and the test suite fails when a committed one drifted (staleGenerated).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { toyOpcodesAssemblyScript, toyOpcodesC } from "../bytecode/gen-as-constants.ts";
import { fernOpcodesAssemblyScript } from "../lang/gen-as-constants.ts";
import { INSTALLED, ROOT } from "../util/root.ts";

export interface GeneratedFile {
  path: string;
  content: string;
}

/** Every generated file: its path and up-to-date contents. */
export function generatedFiles(): GeneratedFile[] {
  return [
    { path: join(ROOT, "interp", "as", "toy-opcodes.ts"), content: toyOpcodesAssemblyScript() },
    { path: join(ROOT, "interp", "as", "fern-opcodes.ts"), content: fernOpcodesAssemblyScript() },
    { path: join(ROOT, "interp", "c", "toy-opcodes.h"), content: toyOpcodesC() },
  ];
}

/** The generated files whose committed contents differ from their table's, as paths relative to the project. */
export function staleGenerated(): string[] {
  return generatedFiles()
    .filter(({ path, content }) => !existsSync(path) || readFileSync(path, "utf8") !== content)
    .map(({ path }) => relative(ROOT, path));
}

/** Rewrite the stale generated files (never in an installed package, which is not written to); returns their paths. */
export function writeGenerated(): string[] {
  if (INSTALLED) return [];
  const stale = staleGenerated();
  for (const { path, content } of generatedFiles())
    if (stale.includes(relative(ROOT, path))) writeFileSync(path, content);
  return stale;
}
