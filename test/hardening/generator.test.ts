// The random Fern generator emits only valid programs (issue 25, item 8): the seeds that named a closure like a
// function (`f2` both a function and a top-level variable) now compile, and so do 100 more.
import { describe, expect, it } from "vitest";
import { compileFern } from "../../lang/index.ts";
import { randomFern } from "../../lang/random.ts";

describe("randomFern", () => {
  it("emits programs that compile", () => {
    const seeds = [3296, 12460, 16808, 1280274022, ...Array.from({ length: 100 }, (_, i) => 1280274100 + i)];
    const bad = seeds.filter((seed) => {
      try {
        compileFern(randomFern(seed), `seed-${seed}.fern`);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });
});
