// A few fixed seeds of `npm run fuzz:backend` (backend.ts): random IR functions through the backend agree
// with the reference IR interpreter. Seed 848 is the one that found the Relooper dropping a one-edge br_table's
// index (fixture test/specializer/passes/locals/relooper-table.ir).
import { describe, expect, it } from "vitest";
import { checkSeeds } from "./backend.ts";

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe("random IR functions through the backend", () => {
  it("seeds 1..200 and 848", async () => {
    expect(await checkSeeds([...range(1, 200), 848])).toEqual([]);
  }, 120_000);
});
