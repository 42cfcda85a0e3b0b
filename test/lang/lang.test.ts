// Fern: every program in lang/programs meets its `// expect:` lines and `// expect runtime error:` interpreted
// and wevaled alike (the generic differential tester); compile errors carry file:line:col; random programs agree.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { disassembleFern } from "../../lang/disassembler.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { randomFern } from "../../lang/random.ts";
import { differential } from "../../pipeline/differential.ts";
import { buildProgram } from "../../pipeline/build.ts";
import { BufferedOutput, InterpreterHost, instantiate } from "../../interp/host.ts";
import { fernHost } from "../../lang/values.ts";
import { SourceError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { expectUserError } from "../helpers.ts";

const interp = (await buildInterpreter("fern")).wasm;
const dir = join(ROOT, "lang", "programs");
const programs = readdirSync(dir)
  .filter((f) => f.endsWith(".fern"))
  .sort()
  .map((f) => compileFern(readFileSync(join(dir, f), "utf8"), f));

describe("Fern programs, interpreted and wevaled", () => {
  it.each(programs.map((p) => [p.file, p] as const))("%s", async (_f, p) => {
    const [r] = await differential(interp, [fernLoaded(p)], { verify: true });
    expect(r.aborted).toEqual([]);
    expect(r.interpreted.stdout).toBe(p.expect.stdout ?? "");
    expect(r.interpreted.error).toBe(p.expect.runtimeError);
    expect(r.wevaled).toEqual(r.interpreted);
  });

  it("has programs for every runtime error kind", () => {
    const errors = programs
      .map((p) => p.expect.runtimeError)
      .filter(Boolean)
      .join("\n");
    for (const kind of [
      "type error",
      "index out of range",
      "wrong number of arguments",
      "stack overflow",
      "division by zero",
      "out of memory",
    ])
      expect(errors).toContain(kind);
  });

  it("collects garbage: 300,000 temporary arrays of 1,000 elements run in bounded memory, in both modes", async () => {
    const p = programs.find((q) => q.file === "churn.fern")!;
    const built = await buildProgram(interp, fernLoaded(p), { cache: false });
    for (const wasm of [built.snapshot, built.wasm]) {
      const out = new BufferedOutput();
      const instance = await instantiate(wasm, new InterpreterHost(p.bytes, out, { host: fernHost(p.bytes) }));
      (instance.exports.run as () => bigint)();
      expect(out.text()).toBe(p.expect.stdout);
      // 4.8 GB allocated in total; the heap stays near the collector's threshold, next to the 64 MB frame stack
      // (memory is ~143 MB because AssemblyScript's allocator grows memory by doubling it).
      expect((instance.exports.memory as WebAssembly.Memory).buffer.byteLength).toBeLessThan(200 << 20);
    }
  });
});

describe("Fern examples in the docs", () => {
  const docs = [
    "README.md",
    ...readdirSync(join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  const blocks = docs.flatMap((doc) =>
    [...readFileSync(join(ROOT, doc), "utf8").matchAll(/^```fern\n([\s\S]*?)^```/gm)].map(
      (m, i) => [`${doc} #${i + 1}`, m[1]] as const,
    ),
  );
  it("finds some", () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  it.each(blocks)("%s runs, the same interpreted and wevaled", async (name, source) => {
    const p = compileFern(source, "example.fern");
    const [r] = await differential(interp, [fernLoaded(p)], { optimizeLevel: 0 });
    expect(r.interpreted.error, name).toBeUndefined();
    if (p.expect.stdout !== undefined) expect(r.interpreted.stdout).toBe(p.expect.stdout);
    expect(r.wevaled).toEqual(r.interpreted);
  });
});

describe("Fern with its slots in memory (the control for measuring registers)", () => {
  it("gives the same results as the register build, interpreted and wevaled", async () => {
    const memoryInterp = (await buildInterpreter("fern-memory")).wasm;
    const sample = programs.filter((p) =>
      ["functions.fern", "arrays.fern", "type-error.fern", "arguments.fern"].includes(p.file),
    );
    const results = await differential(memoryInterp, sample.map(fernLoaded), { optimizeLevel: 0 });
    results.forEach((r, i) => {
      expect(r.wevaled).toEqual(r.interpreted);
      expect(r.interpreted.stdout).toBe(sample[i].expect.stdout ?? "");
    });
  });
});

describe("Fern compile errors", () => {
  it.each<[string, string]>([
    ["print(x);", "t.fern:1:7: error: undefined variable 'x'"],
    ["let a = 1;\nlet a = 2;", "t.fern:2:1: error: 'a' is already declared in this block"],
    ["print(f(1));", "t.fern:1:7: error: undefined function 'f'"],
    ["let x = (1 + ;", "t.fern:1:14: error: expected an expression, found ';'"],
    ["while (true) { print(1);", "t.fern:1:25: error: expected '}' before the end of the file"],
    ["1 + 2 = 3;", "t.fern:1:7: error: only a variable or an element (a[i], m[k]) can be assigned to"],
    ["let s = 9223372036854775808;", "t.fern:1:9: error: 9223372036854775808 does not fit in a 64-bit integer"],
    ["print(1) @", "t.fern:1:10: error: unexpected character '@'"],
    ["print(len(1, 2));", "t.fern:1:7: error: len() takes 1 argument, got 2"],
    ['print(substr("a"));', "t.fern:1:7: error: substr() takes 3 arguments, got 1"],
    ["while (true) { }\nbreak;", "t.fern:2:1: error: 'break' outside a loop"],
    ["fn f() { continue; }", "t.fern:1:10: error: 'continue' outside a loop"],
    ['let s = "abc;', "t.fern:1:9: error: unterminated string literal"],
    ['let s = "a\\qb";', "t.fern:1:11: error: unknown escape '\\q' in a string literal"],
    ["/* never closed\nprint(1);", "t.fern:1:1: error: unterminated block comment"],
    ["let h = 0x;", "t.fern:1:9: error: expected hexadecimal digits after '0x'"],
    ["let h = 0x10000000000000000;", "t.fern:1:9: error: 0x10000000000000000 does not fit in 64 bits"],
    ["let m = -9223372036854775809;", "t.fern:1:9: error: -9223372036854775809 does not fit in a 64-bit integer"],
    ["fn f() {}\nf = 1;", "t.fern:2:1: error: cannot assign to function 'f'"],
    ["let p = print;", "t.fern:1:9: error: built-in 'print' can only be called, not used as a value"],
    ["let m = {1: 2, 3};", "t.fern:1:17: error: expected ':', found '}'"],
    ["fn f(a, a) {}", "t.fern:1:9: error: parameter 'a' is declared twice"],
    ["let x = 1;\nfn x() {}", "t.fern:2:1: error: 'x' is declared both as a function and as a top-level variable"],
  ])("%s", (source, message) => expectUserError(() => compileFern(source, "t.fern"), SourceError, message));

  it("gives every pc one stack depth", () => {
    const p = compileFern(
      "fn f(a) { if (a > 1 && a < 5 || !a) { return a * 2; } else { return 0; } }\nlet i = 0; while (i < 3) { print(f(i)); i = i + 1; }",
      "t.fern",
    );
    for (const f of p.functions) for (const d of f.depths.values()) expect(d).toBeGreaterThanOrEqual(0);
    // main: `i < 3` compares against a constant without pushing it; f: `a * 2` likewise, but `||` keeps a on the stack.
    expect(p.functions.map((f) => f.maxStack)).toEqual([1, 2]);
  });

  it("makes a loop's back-edge a collection safe point only when its body can allocate", () => {
    const backEdges = (source: string) => {
      const listing = disassembleFern(compileFern(source, "t.fern").functions[0].code);
      return ["JUMP", "LOOP"].map(
        (name) => listing.filter((i) => i.name === name && Number(i.operands[0]) < i.pc).length,
      );
    };
    // numbers only: a plain backward JUMP (the loop's exit is a compare-and-branch)
    expect(backEdges("let s = 0; let i = 10; while (i > 0) { s = s + i; i -= 1; }")).toEqual([1, 0]);
    // a string may be concatenated, an array made: LOOP
    expect(backEdges('let s = ""; for (let i = 0; i < 3; i += 1) { s = s + str(i); }')[1]).toBe(1);
    expect(backEdges("for (let i = 0; i < 3; i += 1) { let a = [i]; }")[1]).toBe(1);
  });
});

describe("random Fern programs", () => {
  it("agree interpreted vs wevaled on 60 random programs", async () => {
    const progs = Array.from({ length: 60 }, (_, i) => {
      const source = randomFern(i + 1);
      return { ...fernLoaded(compileFern(source, `seed${i + 1}.fern`)), name: `seed ${i + 1}`, source };
    });
    const results = await differential(interp, progs, { optimizeLevel: 0 });
    for (const r of results) {
      expect(r.aborted, r.name).toEqual([]);
      expect(r.wevaled, `${r.name}:\n${progs.find((p) => p.name === r.name)!.source}`).toEqual(r.interpreted);
    }
    // The generator must exercise both outcomes.
    expect(results.some((r) => r.interpreted.error)).toBe(true);
    expect(results.some((r) => !r.interpreted.error)).toBe(true);
  });
});
