// Input nested too deep for a recursive front end is a source error at its place, never a JavaScript stack
// overflow ("internal error: Maximum call stack size exceeded"): parentheses, calls, indexing, unary chains, blocks,
// and operator chains whose tree is as deep as they are long. Found by the source-mutation fuzz.
import { describe, expect, it } from "vitest";
import { compileFern } from "../../lang/index.ts";
import { MAX_NESTING, MAX_TREE_DEPTH } from "../../lang/parser.ts";
import { SourceError } from "../../util/errors.ts";

const rejects = (source: string, message: RegExp) => {
  let error: unknown;
  try {
    compileFern(source, "deep.fern");
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SourceError);
  expect((error as Error).message).toMatch(message);
};

describe("Fern nesting limits", () => {
  it.each([
    ["parentheses", (n: number) => `print(${"(".repeat(n)}1${")".repeat(n)});`],
    ["right-nested sums", (n: number) => `print(${"(1+".repeat(n)}1${")".repeat(n)});`],
    ["calls", (n: number) => `fn f(x) { return x; }\nprint(${"f(".repeat(n)}1${")".repeat(n)});`],
    ["indexing", (n: number) => `let a = array(1);\nprint(${"a[".repeat(n)}0${"]".repeat(n)});`],
    ["unary chains", (n: number) => `print(${"-".repeat(n)}1);`],
    ["blocks", (n: number) => `let x = 0;\n${"if (true) {".repeat(n)}x = 1;${"}".repeat(n)}\nprint(x);`],
  ])("%s: 5,000 levels is a source error naming the line and column", (_what, program) => {
    rejects(program(5000), /^deep\.fern:\d+:\d+: error: nested too deep \(more than 256 levels/);
  });

  it("an operator chain longer than the tree-depth limit is a source error at the node", () => {
    rejects(
      `print(${Array(MAX_TREE_DEPTH + 50)
        .fill("1")
        .join(" + ")});`,
      /^deep\.fern:1:\d+: error: expression too deep \(more than 1000 nested operations; split it with variables\)/,
    );
  });

  it("nesting up to the limit still compiles", () => {
    expect(() =>
      compileFern(
        `let x = 0;\n${"if (true) {".repeat(MAX_NESTING - 1)}x = 1;${"}".repeat(MAX_NESTING - 1)}\nprint(x);`,
        "ok.fern",
      ),
    ).not.toThrow();
    expect(() => compileFern(`print(${Array(500).fill("1").join(" + ")});`, "ok.fern")).not.toThrow();
  });
});
