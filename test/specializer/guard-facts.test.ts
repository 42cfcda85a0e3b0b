// guardSeparates (specializer/passes/guard-facts.ts): whether a guard `(pos - neg + c) >=u k` proves a store through
// pos's root apart from a slot of neg's root, checked against the bytes themselves: for every guard value y the
// fact allows near the wrap-around (where the store and the slot can meet, the offsets being small), the store's
// bytes and the slot's bytes do not intersect modulo 2^32 when it says so, and they do for some y when it does not.
import { describe, expect, it } from "vitest";
import { guardSeparates } from "../../specializer/passes/guard-facts.ts";

const TWO32 = 4294967296;
const m = (x: number) => ((x % TWO32) + TWO32) % TWO32;

/** Whether [a, a + wa) and [b, b + wb) intersect modulo 2^32, byte by byte. */
function meet(a: number, wa: number, b: number, wb: number): boolean {
  for (let i = 0; i < wa; i++) for (let j = 0; j < wb; j++) if (m(a + i) === m(b + j)) return true;
  return false;
}

describe("guardSeparates", () => {
  it("agrees with the bytes on small offsets around the wrap-around", () => {
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    let proved = 0;
    for (let t = 0; t < 3000; t++) {
      const c = m(rnd(81) - 40);
      const k = 1 + rnd(80);
      const w = [1, 2, 4, 8][rnd(4)];
      const kw = [1, 2, 4, 8][rnd(4)];
      const sd = m(rnd(81) - 40);
      const kd = m(rnd(81) - 40);
      const says = guardSeparates([{ pos: 1, neg: 2, c, k }], 1, sd, w, 2, kd, kw);
      // neg's root at 0: pos's root is y - c, the store at y - c + sd, the slot at kd.
      let collides = false;
      for (let y = k; y < 260 && !collides; y++) collides = meet(y - c + sd, w, kd, kw);
      for (let y = TWO32 - 260; y < TWO32 && !collides; y++) collides = y >= k && meet(y - c + sd, w, kd, kw);
      expect(says && collides, `c=${c} k=${k} w=${w} kw=${kw} sd=${sd} kd=${kd}`).toBe(false);
      if (!says) expect(collides, `not proved but apart: c=${c} k=${k} w=${w} kw=${kw} sd=${sd} kd=${kd}`).toBe(true);
      if (says) proved++;
    }
    expect(proved).toBeGreaterThan(100);
  });

  it("needs a fact about the same two roots", () => {
    const g = [{ pos: 1, neg: 2, c: 16, k: 4112 }];
    expect(guardSeparates(g, 1, 0, 8, 2, 32, 8)).toBe(true);
    expect(guardSeparates(g, 3, 0, 8, 2, 32, 8)).toBe(false);
    expect(guardSeparates(g, 1, 0, 8, 3, 32, 8)).toBe(false);
    expect(guardSeparates([], 1, 0, 8, 2, 32, 8)).toBe(false);
  });
});
