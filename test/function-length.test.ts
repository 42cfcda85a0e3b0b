// No function over ~80 lines (STYLE.md) except a dispatch loop or a table-shaped switch that says so in the comment
// above it: scripts/check-function-length.ts finds them, this test holds the rule, and checks that the lexer behind
// it measures what it claims on small sources.
import { describe, expect, it } from "vitest";
import { longFunctions, projectLongFunctions } from "../scripts/check-function-length.ts";

/** Functions still to be split into named steps, as `file name`. Each entry is a debt, not an exemption: remove it
 *  when the function is split (the test fails on an entry that no longer matches, so the list cannot go stale). */
const TO_SPLIT = new Set<string>([]);

const lines = (n: number) => Array.from({ length: n }, (_, i) => `  x += ${i};`).join("\n");

describe("function length", () => {
  it("no function over 80 lines outside the to-split list, and every entry of the list still long", () => {
    const found = projectLongFunctions().map((f) => `${f.file} ${f.name}`);
    expect(found.filter((f) => !TO_SPLIT.has(f))).toEqual([]);
    expect([...TO_SPLIT].filter((f) => !found.includes(f))).toEqual([]);
  });

  it("measures declarations, methods and arrows; skips strings, templates, regexps and comments", () => {
    const src = [
      "export function a(): { x: number } {",
      "  const s = `${'}'}{`; const r = /[}{]/g; // }",
      lines(80),
      "}",
      "class C {",
      "  private m<T>(v: T): void {",
      lines(78),
      "  }",
      "}",
      "const f = (y: number) => {",
      "  const q = y! / 2 / 3; /* { */",
      lines(81),
      "};",
    ].join("\n");
    expect(longFunctions("t.ts", src).map((f) => [f.name, f.line, f.lines])).toEqual([
      ["a", 1, 83],
      ["f", 166, 84],
    ]);
  });

  it("exempts a function whose comment says it is a dispatch switch, and not a control statement", () => {
    const src = [
      "/** The interpreter's loop: a dispatch",
      " *  switch over the opcode. */",
      "export function run(): void {",
      lines(90),
      "}",
      "if (x) {",
      lines(90),
      "}",
    ].join("\n");
    expect(longFunctions("t.ts", src)).toEqual([]);
  });
});
