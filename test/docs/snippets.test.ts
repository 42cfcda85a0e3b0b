// The docs' generated IR and WAT snippets (scripts/doc-snippets.ts) are what the code produces now: each fenced
// block after a `<!-- generated: SOURCE -->` line equals SOURCE's output today. On a difference, regenerate with
// `node --import tsx scripts/doc-snippets.ts` and read the diff. Builds sum.asm and calls.fern: ~10 s.
import { describe, expect, it } from "vitest";
import { DOCS, generate, snippetsOf } from "../../scripts/doc-snippets.ts";

describe("the docs' generated snippets", () => {
  for (const doc of DOCS) {
    const snippets = snippetsOf(doc);
    it(`${doc} has some`, () => expect(snippets.length).toBeGreaterThan(0));
    for (const s of snippets) {
      it(`${doc}:${s.line}: ${s.source}`, { timeout: 120_000 }, async () => {
        expect(
          s.text,
          `${doc}:${s.line} is not what \`${s.source}\` gives now: run node --import tsx scripts/doc-snippets.ts`,
        ).toBe(await generate(s.source));
      });
    }
  }
});
