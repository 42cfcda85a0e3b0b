// Fern's array bound checks and its small-object pool (interp/as/fern.ts, fern-heap.ts): an index is checked by one
// unsigned compare, so -1, the length, 2^32 + 1 (which a 32-bit truncation would take for 1) and -2^63 must all
// still be "index out of range" at the right line, reading and writing arrays and reading strings, interpreted and
// wevaled alike; and millions of small objects made and dropped must run in bounded memory (the pool reuses what
// the collector frees). lang/programs/pool.fern checks that pooled objects keep their contents.
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { BufferedOutput, InterpreterHost, instantiate } from "../../interp/host.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { fernHost } from "../../lang/values.ts";
import { buildProgram } from "../../pipeline/build.ts";
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
      [...indices, "0", "2"].map((i) => ({
        name: `${name} at ${i}`,
        ok: i === "0" || i === "2",
        source: `${fn}\nprint(f([10, 20, 30], "xyz", ${i}));\n`,
      })),
    );
    const programs = cases.map((c, k) => fernLoaded(compileFern(c.source, `case${k}.fern`)));
    const results = await differential(interp, programs, { optimizeLevel: 0 });
    results.forEach((r, k) => {
      const c = cases[k];
      expect(r.wevaled, c.name).toEqual(r.interpreted);
      if (c.ok) expect(r.interpreted.error, c.name).toBeUndefined();
      else expect(r.interpreted.error, c.name).toBe(`case${k}.fern:4: runtime error: index out of range in f`);
    });
    expect(results.filter((r) => r.interpreted.error === undefined).map((r) => r.interpreted.stdout)).toEqual([
      "10\n",
      "30\n",
      "10\n",
      "30\n",
      "2\n",
      "2\n",
      "x\n",
      "z\n",
    ]);
  });
});

describe("Fern's small-object pool", () => {
  it("runs 1,000,000 short-lived small arrays and strings in bounded memory, in both modes", async () => {
    const source = [
      "let keep = [];",
      "let n = 0;",
      "for (let i = 0; i < 1000000; i += 1) {",
      "  let a = [i, i + 1];",
      '  let s = "k" + str(i % 100);',
      "  n += a[1] - a[0] + len(s) - len(s);",
      "  if (i % 1000 == 0) { push(keep, a); }",
      "}",
      "print(n, len(keep), keep[999][0]);",
    ].join("\n");
    const p = compileFern(source, "small-churn.fern");
    const built = await buildProgram(interp, fernLoaded(p), { cache: false, optimizeLevel: 0 });
    for (const wasm of [built.snapshot, built.wasm]) {
      const out = new BufferedOutput();
      const instance = await instantiate(wasm, new InterpreterHost(p.bytes, out, { host: fernHost(p.bytes) }));
      (instance.exports.run as () => bigint)();
      expect(out.text()).toBe("1000000 1000 999000\n");
      // ~100 MB allocated in all: the collector's threshold and the pool's reuse keep memory near what the 67 MB
      // frame stack and a few collections' worth of objects take.
      expect((instance.exports.memory as WebAssembly.Memory).buffer.byteLength).toBeLessThan(160 << 20);
    }
  });

  it("past the pool's 128 MB cap, small objects come from the general allocator and keep their contents", async () => {
    // 600,000 live arrays of 14 elements (256 bytes each, the largest pooled size): 154 MB of them.
    const source = [
      "let keep = array(600000);",
      "for (let i = 0; i < 600000; i += 1) { let a = array(14); a[0] = i; a[13] = i * 3; keep[i] = a; }",
      "let bad = 0;",
      "for (let i = 0; i < 600000; i += 1) { let a = keep[i]; if (a[0] != i || a[13] != i * 3 || a[7] != nil) { bad += 1; } }",
      "print(bad);",
    ].join("\n");
    const p = compileFern(source, "past-cap.fern");
    const [r] = await differential(interp, [fernLoaded(p)], { optimizeLevel: 0 });
    expect(r.interpreted.error).toBeUndefined();
    expect(r.interpreted.stdout).toBe("0\n");
    expect(r.wevaled).toEqual(r.interpreted);
  });
});

describe("a Fern program run again in one instance (as `futamura bench` times warm runs)", () => {
  /** The program built (optimizeLevel 0), then `runs` runs of one instance of its snapshot and of its wevaled module:
   *  each's outputs and its memory's size after the last run. */
  async function runsOf(source: string, runs: number) {
    const p = compileFern(source, "again.fern");
    const built = await buildProgram(interp, fernLoaded(p), { cache: false, optimizeLevel: 0 });
    const results = [];
    for (const wasm of [built.snapshot, built.wasm]) {
      let out = new BufferedOutput();
      const instance = await instantiate(
        wasm,
        new InterpreterHost(p.bytes, { write: (t) => out.write(t) }, { host: fernHost(p.bytes) }),
      );
      const outputs = [];
      for (let i = 0; i < runs; i++) {
        out = new BufferedOutput();
        (instance.exports.run as () => bigint)();
        outputs.push(out.text());
      }
      results.push({ outputs, bytes: (instance.exports.memory as WebAssembly.Memory).buffer.byteLength });
    }
    return results;
  }

  it("frees the earlier runs' objects even when main has no safe point (a leaf)", async () => {
    // 16 MB per run, 12 runs: kept, they would take the memory from ~136 MB (mostly the frame stack) past 300 MB.
    const results = await runsOf("let a = array(1000000);\na[999999] = 7;\nprint(len(a), a[999999]);\n", 12);
    for (const r of results) {
      expect(r.outputs).toEqual(Array(12).fill("1000000 7\n"));
      expect(r.bytes).toBeLessThan(160 << 20);
    }
  });

  it("starts with every global nil again, as the first run did", async () => {
    const results = await runsOf("fn seen() { return g; }\nprint(seen());\nlet g = [1];\nprint(seen());\n", 2);
    for (const r of results) expect(r.outputs).toEqual(["nil\n[1]\n", "nil\n[1]\n"]);
  });
});
