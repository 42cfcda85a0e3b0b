// Fern's array bound checks (interp/as/fern.ts, fern-heap.ts): an index is checked by one unsigned compare, so -1,
// the length, 2^32 + 1 (which a 32-bit truncation would take for 1) and -2^63 must all still be "index out of
// range" at the right line, reading and writing arrays and reading strings, interpreted and wevaled alike.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { differential } from "../../pipeline/differential.ts";

const interp = (await buildInterpreter("fern")).wasm;

/** The access under test is on line 4 of each program; the index reaches it as a run-time value (a parameter). */
const accesses: Record<string, string> = {
  "a[i]": "fn f(a, s, i) {\n  let x = 1;\n  x = x + 1;\n  return a[i];\n}",
  "a[i + 0]": "fn f(a, s, i) {\n  let x = 1;\n  x = x + 1;\n  return a[i + 0];\n}",
  "a[i] = v": "fn f(a, s, i) {\n  let x = 1;\n  x = x + 1;\n  a[i] = x;\n  return a[i];\n}",
  "s[i]": "fn f(a, s, i) {\n  let x = 1;\n  x = x + 1;\n  return s[i];\n}",
};
const indices = ["-1", "3", "4294967297", "-9223372036854775808"];

describe("Fern index bounds (one unsigned compare)", () => {
  it("every out-of-range index is an index error at its line, interpreted and wevaled; 0 and len - 1 are fine", async () => {
    const cases = Object.entries(accesses).flatMap(([name, fn]) =>
      [...indices, "0", "2"].map((i) => ({ name: `${name} at ${i}`, ok: i === "0" || i === "2", source: `${fn}\nprint(f([10, 20, 30], "xyz", ${i}));\n` })),
    );
    const programs = cases.map((c, k) => fernLoaded(compileFern(c.source, `case${k}.fern`)));
    const results = await differential(interp, programs, { optimizeLevel: 0 });
    results.forEach((r, k) => {
      const c = cases[k];
      expect(r.wevaled, c.name).toEqual(r.interpreted);
      if (c.ok) expect(r.interpreted.error, c.name).toBeUndefined();
      else expect(r.interpreted.error, c.name).toBe(`case${k}.fern:4: runtime error: index out of range in f`);
    });
    expect(results.filter((r) => r.interpreted.error === undefined).map((r) => r.interpreted.stdout)).toEqual(["10\n", "30\n", "10\n", "30\n", "2\n", "2\n", "x\n", "z\n"]);
  });
});
