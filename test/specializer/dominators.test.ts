// Dominance on a small graph with a diamond, a loop and an unreachable block: immediate dominators, the tree's
// children in reverse postorder, and the O(1) queries (reflexive, strict, false for an unreachable block).
import { describe, expect, it } from "vitest";
import { DominatorTree, immediateDominators } from "../../specializer/ssa/dominators.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";

// block0 → block1 | block2 → block3 (diamond join) ⇄ block4 (loop); block5 is unreachable and branches into it.
const text = `function f(i32) -> i32 {
block0(v0:i32):
  cond v0, block1(), block2()
block1():
  br block3()
block2():
  br block3()
block3():
  cond v0, block4(), block6()
block4():
  br block3()
block5():
  br block4()
block6():
  return v0
}`;

describe("dominators", () => {
  const f = parseFunction(text);

  it("finds each reachable block's immediate dominator", () => {
    const idom = immediateDominators(f);
    expect([...idom.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 3],
      [6, 3],
    ]);
  });

  it("answers dominance queries from the tree", () => {
    const dom = new DominatorTree(f);
    expect([...dom.childrenOf(0)].sort()).toEqual([1, 2, 3]);
    expect([...dom.childrenOf(3)].sort()).toEqual([4, 6]);
    expect(dom.dominates(0, 4)).toBe(true);
    expect(dom.dominates(3, 3)).toBe(true);
    expect(dom.strictlyDominates(3, 3)).toBe(false);
    expect(dom.strictlyDominates(3, 4)).toBe(true);
    expect(dom.dominates(1, 3)).toBe(false); // the diamond's other arm reaches block3 too
    expect(dom.dominates(4, 3)).toBe(false); // a loop body does not dominate its header
    expect(dom.dominates(5, 4)).toBe(false); // unreachable: dominates nothing
    expect(dom.dominates(0, 5)).toBe(false); // and is dominated by nothing
  });
});
