// Fern source → binary program, with the expectations written in the source (`// expect: text` per output line,
// `// expect runtime error: message`). Browser-safe (no node: modules): explorer/ uses it directly; index.ts adds
// loading from a file.
import { compile, type CompiledFunction, type CompileOptions } from "./compiler.ts";
import { encodeFern } from "./format.ts";
import { lex } from "./lexer.ts";
import { parse } from "./parser.ts";

export interface FernProgram {
  file: string;
  bytes: Uint8Array;
  functions: CompiledFunction[];
  expect: { stdout?: string; runtimeError?: string };
}

export function compileFern(source: string, file: string, options: CompileOptions = {}): FernProgram {
  const program = compile(parse(lex(source, file), file), file, options);
  const lines = [...source.matchAll(/\/\/ expect: ?(.*)$/gm)].map((m) => m[1]);
  const err = /\/\/ expect runtime error: (.*)$/m.exec(source);
  return {
    file,
    bytes: encodeFern(program, file),
    functions: program.functions,
    expect: {
      stdout: lines.length ? lines.map((l) => l + "\n").join("") : err ? "" : undefined,
      runtimeError: err?.[1].trim(),
    },
  };
}
