// Large sources (issue 25, item 6): a source over MAX_SOURCE_BYTES is one line, "too large", for every text loader;
// a string literal's plain ASCII is taken in runs (linear lexing; a 4 MB literal compiled in ~1.6 s on 2026-12-06,
// was ~12.7 s, not asserted) and gives the same bytes as before around escapes and non-ASCII characters.
import { describe, expect, it } from "vitest";
import { lex } from "../../lang/lexer.ts";
import { UserError } from "../../util/errors.ts";
import { MAX_SOURCE_BYTES, sourceText } from "../../util/text.ts";

describe("sources", () => {
  it("a source over the limit is too large, in one line", () => {
    const big = new Uint8Array(MAX_SOURCE_BYTES + 1).fill(0x2b);
    expect(() => sourceText(big, "big.b", "a Brainfuck program is source text")).toThrow(UserError);
    expect(() => sourceText(big, "big.b", "")).toThrow(
      /^big\.b: error: source too large \(8\.0 MiB; futamura reads sources up to 8 MiB\)$/,
    );
  });

  it("string literals keep their bytes around runs of ASCII", () => {
    const [t] = lex('"ab\\ncd é\\x41z\\"q" ', "s.fern");
    expect(t.kind).toBe("string");
    expect(t.text).toBe('ab\ncd \xc3\xa9Az"q');
    expect(lex(`"${"x".repeat(100_000)}"`, "s.fern")[0].text.length).toBe(100_000);
  });
});
