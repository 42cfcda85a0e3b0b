// Which specialized callees are inlined (specializer/inline-leaves.ts): leaves only, small ones only, and no more
// than keeps each caller within the full-optimization budget.
import { describe, expect, it } from "vitest";
import { leavesToInline } from "../../specializer/inline-leaves.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";

/** A function that calls each of `callees` (output function indices) once. */
const caller = (callees: number[]) =>
  parseFunction(`function f(i32) -> () {
block0(v0:i32): ; entry
${callees.map((c, i) => `  v${i + 1} = call ${c} v0`).join("\n")}
  return
}`);

describe("leavesToInline", () => {
  // Output functions 100.. are the specialized ones: bodies[k] is function 100 + k.
  it("takes small leaves that something calls; not a function that calls a specialized function, nor a big one", () => {
    // 0 calls 1, 2 and 3; 1 calls 0 (so it is no leaf); 2 is a small leaf; 3 a big leaf; 4 a leaf nobody calls.
    const bodies = [caller([101, 102, 103]), caller([100]), caller([]), caller([]), caller([])];
    expect([...leavesToInline(bodies, [50, 50, 50, 500, 50], 100, 200)]).toEqual([2]);
    // Calls to functions before the first specialized one (the interpreter's own) do not make a function a caller.
    expect([...leavesToInline([caller([5]), caller([100])], [50, 50], 100, 200)]).toEqual([0]);
  });

  it("stops inlining into a caller at its budget, counting every call site", () => {
    // main (100 values) calls leaves 1..4 (150 values each), leaf 1 three times: 100 + 450 + 150 + 150 = 850 > 800.
    const main = caller([101, 101, 101, 102, 103, 104]);
    const leaves = [1, 2, 3, 4].map(() => caller([]));
    expect([...leavesToInline([main, ...leaves], [100, 150, 150, 150, 150], 100, 200, 800)]).toEqual([1, 2]);
    expect([...leavesToInline([main, ...leaves], [100, 150, 150, 150, 150], 100, 200, 100_000)]).toEqual([1, 2, 3, 4]);
  });
});
