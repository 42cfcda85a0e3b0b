// The README's figures are the committed results': every `<!-- figures:NAME -->` block equals what
// bench/figures.ts renders from its docs/bench-*.json, so a number edited by hand, or results regenerated without
// `npm run docs:figures`, fail here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIGURES, withFigures } from "../../bench/figures.ts";
import { ROOT } from "../../util/root.ts";

describe("README figures", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  it("has a block for every figure", () => {
    for (const name of Object.keys(FIGURES)) expect(readme).toContain(`<!-- figures:${name} -->`);
  });
  it("match docs/bench-*.json (run `npm run docs:figures` after regenerating them)", () => {
    expect(withFigures(readme, ROOT)).toBe(readme);
  });
});
