// Random programs through the fully optimized pipeline (binaryen -O3 on the specialized function).
import { describe, it } from "vitest";
import { differential, range } from "./fuzz-shared.ts";

describe("random programs, reference vs wevaled (optimized output)", () => {
  it("seeds 5001..5040", () => differential(range(5001, 40), 3));
  // Every function over the bound: the lean passes on the backend's own structured layout (ssa/structure.ts).
  it("seeds 5041..5060, lean passes on the structured layout", () =>
    differential(range(5041, 20), 3, undefined, { fullOptimizeMaxValues: 0 }));
});
