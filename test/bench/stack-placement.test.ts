// The warm Lua runs' stack placements (bench/stack-placement.ts): spread over the whole span, the same sequence every
// time, and a call at a depth returns what the function returns.
import { describe, expect, it } from "vitest";
import { atDepth, PLACEMENT_FRAMES, placementDepth } from "../../bench/stack-placement.ts";

describe("stack placements of timed runs", () => {
  it("spreads any run count over the span: 9 runs touch 9 distinct depths across at least 3/4 of it", () => {
    const depths = Array.from({ length: 9 }, (_, i) => placementDepth(i));
    expect(new Set(depths).size).toBe(9);
    for (const d of depths) expect(d >= 0 && d < PLACEMENT_FRAMES).toBe(true);
    expect(Math.max(...depths) - Math.min(...depths)).toBeGreaterThanOrEqual((PLACEMENT_FRAMES * 3) / 4);
  });

  it("calls the function that many frames down and returns its result", () => {
    const stackDepth = () => new Error().stack!.split("\n").filter((l) => l.includes("atDepth")).length;
    expect(atDepth(0, () => 7)).toBe(7);
    Error.stackTraceLimit = 50;
    expect(atDepth(20, stackDepth)).toBeGreaterThanOrEqual(20);
    expect(atDepth(0, stackDepth)).toBeLessThanOrEqual(1);
  });
});
