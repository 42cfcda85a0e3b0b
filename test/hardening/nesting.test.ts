// Deep nesting (issue 25, item 1): Brainfuck brackets nested past MAX_BRACKET_NESTING are a file:line:col error
// (binaryen's recursive passes exhausted the stack on ~500-deep loops: an internal error). A program nested to the
// limit compiles (checked by hand on 2026-12-06, 3 s: too slow for npm test).
import { describe, expect, it } from "vitest";
import { MAX_BRACKET_NESTING, parseBrainfuck } from "../../brainfuck/loader.ts";
import { SourceError } from "../../util/errors.ts";

const nested = (depth: number) => `+\n${"[".repeat(depth)}-${"]".repeat(depth)}.`;

describe("Brainfuck nesting", () => {
  it("is a file:line:col error past the limit", () => {
    expect(() => parseBrainfuck(nested(MAX_BRACKET_NESTING + 1), "deep.b")).toThrow(SourceError);
    expect(() => parseBrainfuck(nested(1000), "deep.b")).toThrow(
      `deep.b:2:${MAX_BRACKET_NESTING + 1}: error: brackets nested too deep (more than ${MAX_BRACKET_NESTING} levels`,
    );
  });
});
