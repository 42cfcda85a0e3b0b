// Imports point one way and form no cycle (scripts/check-layers.ts, no exceptions list), and the checker reports
// each kind of problem it exists for.
import { describe, expect, it } from "vitest";
import { graphProblems, layerProblems } from "../scripts/check-layers.ts";

describe("layers", () => {
  it("every import points down the layer table, with no cycle (type imports included)", () => {
    expect(layerProblems()).toEqual([]);
  });

  it("reports an upward import, a cycle, a file in no layer and an import it cannot follow", () => {
    const graph = new Map([
      ["util/a.ts", ["pipeline/b.ts"]],
      ["pipeline/b.ts", ["util/a.ts"]],
      ["nowhere/c.ts", []],
      ["cli/d.ts", ["cli/missing.ts"]],
    ]);
    expect(graphProblems(graph)).toEqual([
      "in no layer: nowhere/c.ts",
      "not a checked source: cli/d.ts -> cli/missing.ts",
      "upward: util/a.ts -> pipeline/b.ts",
      "cycle: pipeline/b.ts -> util/a.ts -> pipeline/b.ts",
    ]);
  });
});
