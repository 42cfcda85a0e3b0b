// Fern's front end on shapes the fuzz found (issue 25, item 12): a user function named like a built-in says so; an
// `else if` chain of 1,000 branches is a chain, not nesting, and compiles (past that, its own one-line limit).
import { describe, expect, it } from "vitest";
import { compileFern } from "../../lang/index.ts";
import { MAX_TREE_DEPTH } from "../../lang/parser.ts";

const chain = (n: number) =>
  `fn pick(n) {\n  if (n == 0) { return 0; }\n${Array.from({ length: n - 1 }, (_, i) => `  else if (n == ${i + 1}) { return ${i + 1}; }\n`).join("")}  else { return -1; }\n}\nprint(pick(7));\n`;

describe("Fern front-end limits", () => {
  it("names a function that shadows a built-in", () => {
    expect(() => compileFern("fn sqrt(x) { return x; }\nprint(sqrt(4));\n", "b.fern")).toThrow(
      "b.fern:1:1: error: 'sqrt' is a built-in function; give yours another name",
    );
  });

  it("compiles an else-if chain of 1,000 branches and names a longer one", () => {
    expect(compileFern(chain(MAX_TREE_DEPTH), "chain.fern").functions.length).toBe(2);
    expect(() => compileFern(chain(MAX_TREE_DEPTH + 5), "chain.fern")).toThrow(
      /chain\.fern:\d+:\d+: error: 'else if' chain too long \(more than 1000 branches/,
    );
  });
});
