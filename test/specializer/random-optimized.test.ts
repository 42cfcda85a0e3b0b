// Random programs through the optimized pipeline: binaryen's lean passes on the Relooper's layout (the default for a
// small function), on the backend's structured layout, and binaryen's -O3 (an option).
import { describe, it } from "vitest";
import { SMALL_MAX_VALUES } from "../../specializer/optimize.ts";
import { differential, range } from "./fuzz-shared.ts";

describe("random programs, reference vs wevaled (optimized output)", () => {
  it("seeds 5001..5040", () => differential(range(5001, 40), 3));
  // Every function over the bound: the lean passes on the backend's own structured layout (ssa/structure.ts).
  it("seeds 5041..5060, lean passes on the structured layout", () =>
    differential(range(5041, 20), 3, undefined, { relooperMaxValues: 0 }));
  it("seeds 5061..5070, binaryen -O3", () =>
    differential(range(5061, 10), 3, undefined, { fullOptimizeMaxValues: SMALL_MAX_VALUES }));
});
