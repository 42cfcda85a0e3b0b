// constantStores reads into IR only the functions whose bytes say they may store into a region asked about: for any
// regions, the ranges it finds there are those reading every function finds (the interpreters' real code).
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { buildLua } from "../../interp/lua-build.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { constantStores } from "../../specializer/weval/constant-stores.ts";

const meets = (ranges: [number, number][], start: number, end: number) =>
  ranges.filter(([s, e]) => s < end && start < e).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe("constantStores", () => {
  it.each(["lua", "fern"])(
    "on %s's interpreter finds in any region what a read of every function finds",
    async (name) => {
      const wasm = name === "lua" ? buildLua("lua").wasm : (await buildInterpreter(name)).wasm;
      const info = decodeModule(wasm);
      const all = constantStores(info);
      expect(all.unreadable).toBeUndefined();
      expect(all.ranges.length).toBeGreaterThan(0);
      // Regions around the stores found, between them, and across the whole memory.
      const regions: [number, number][] = [
        [0, 2 ** 33],
        ...all.ranges.slice(0, 40).map(([s, e]): [number, number] => [s, e]),
        ...all.ranges.slice(0, 40).map(([s]): [number, number] => [s + 1, s + 2]),
        [1 << 20, 1 << 21],
        [64 << 20, 96 << 20],
      ];
      let read = 0;
      for (const [start, end] of regions) {
        const asked: [number, number][] = [];
        const found = constantStores(info, (s, e) => {
          asked.push([s, e]);
          return s < end && start < e;
        });
        read += asked.length;
        expect(meets(found.ranges, start, end)).toEqual(meets(all.ranges, start, end));
      }
      expect(read).toBeGreaterThan(0);
    },
  );
});
