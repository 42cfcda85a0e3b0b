// util/gc.ts: a collection only for a request of COLLECT_MIN_VALUES values or more, and only where gc is exposed.
import { afterEach, describe, expect, it } from "vitest";
import { collectAfter, COLLECT_MIN_VALUES } from "../../util/gc.ts";

describe("collectAfter", () => {
  const g = globalThis as { gc?: () => void };
  const saved = g.gc;
  afterEach(() => {
    g.gc = saved;
  });

  it("collects after a big request when gc is exposed, not after a small one", () => {
    let calls = 0;
    g.gc = () => calls++;
    expect(collectAfter(COLLECT_MIN_VALUES - 1)).toBe(false);
    expect(calls).toBe(0);
    expect(collectAfter(COLLECT_MIN_VALUES)).toBe(true);
    expect(calls).toBe(1);
  });

  it("does nothing without an exposed gc", () => {
    g.gc = undefined;
    expect(collectAfter(COLLECT_MIN_VALUES * 2)).toBe(false);
  });
});
