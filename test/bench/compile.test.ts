// The compile-time benchmark: its generated programs have exactly the size their name says (instructions,
// statements nested ones included, functions) and are deterministic; `futamura bench --compile --quick` runs end to
// end, writes JSON/Markdown/SVG whose rows carry the schema's fields, and the wevaled output matched the
// interpreter's. No timing is asserted: speed is measured by the harness, not tested.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileProgramsDir } from "../../bench/compile.ts";
import { runFailure } from "../../bench/compile-failure.ts";
import { compileTable, measuredStatus, rowNotes, type CompileRow } from "../../bench/compile-report.ts";
import {
  brainfuckProgram,
  fernManyFunctions,
  fernOneFunction,
  luaScript,
  toyProgram,
} from "../../bench/compile-programs.ts";
import { parseBrainfuck } from "../../brainfuck/loader.ts";
import { loadProgramSource } from "../../bytecode/index.ts";
import type { Stmt } from "../../lang/ast.ts";
import { compileFern } from "../../lang/index.ts";
import { lex } from "../../lang/lexer.ts";
import { parse } from "../../lang/parser.ts";
import { ROOT } from "../../util/root.ts";

const statements = (ss: Stmt[]): number =>
  ss.reduce(
    (n, s) =>
      n +
      1 +
      (s.kind === "if" ? statements(s.then) + statements(s.else ?? []) : s.kind === "while" ? statements(s.body) : 0),
    0,
  );
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 170_000,
  });
// Each build takes a few seconds; the limit only keeps a broken specializer from hanging the test (4 builds).
const PER_PROGRAM_S = "45";

describe("compile benchmark programs", () => {
  it("a program that fails alike interpreted and wevaled is a failure, not outputs that are the same", () => {
    const failed = { error: "lua: x.lua:1: boom\nstack traceback:", exitCode: 1 };
    const alike = runFailure(failed, failed);
    expect(alike).toBe('the program failed when run, interpreted and wevaled alike: error "lua: x.lua:1: boom"');
    expect(runFailure({ exitCode: 0 }, { exitCode: 3 })).toBe("interpreted: ran, wevaled: exit code 3");
    expect(runFailure({ exitCode: 0 }, { exitCode: 0 })).toBeUndefined();
    const row: CompileRow = { series: "lua", program: "lua-30", size: 30, unit: "lines", status: "ok" };
    const m = { outputs_match: true, run_error: alike, aborted: [] };
    Object.assign(row, m, { status: measuredStatus(m), error: alike });
    expect(row.status).toBe("error");
    expect(compileTable([row])).toContain("FAILED");
    expect(compileTable([row])).not.toContain("same");
    expect(rowNotes([row])).toEqual([`lua-30: error: ${alike}`]);
    expect(measuredStatus({ outputs_match: true, aborted: [] })).toBe("ok");
  });

  it("toy programs have exactly N instructions and halt", () => {
    for (const n of [2, 37, 1000, 10_000]) {
      const p = loadProgramSource(toyProgram(n), `toy-${n}.asm`);
      expect(p.program.instructions.length).toBe(n);
      expect(p.program.instructions.at(-1)!.op.name).toBe("HALT");
    }
    expect(toyProgram(1000)).toBe(toyProgram(1000));
  });

  it("the Fern function has exactly N statements, and N functions are N functions", () => {
    for (const n of [100, 1000]) {
      const ast = parse(lex(fernOneFunction(n), "one.fern"), "one.fern");
      expect(ast.functions.map((f) => f.name)).toEqual(["big"]);
      expect(statements(ast.functions[0].body)).toBe(n);
    }
    const many = compileFern(fernManyFunctions(100), "many.fern");
    expect(many.functions.length).toBe(101); // and main
    expect(compileFern(fernManyFunctions(1000), "many.fern").functions.length).toBe(1001); // no 256-function limit since issue 14
  });

  it("Brainfuck programs are about N bytes, deeply nested, balanced and deterministic", () => {
    for (const n of [10_000, 50_000]) {
      const source = brainfuckProgram(n);
      expect(source.length).toBeGreaterThanOrEqual(n);
      expect(source.length).toBeLessThan(n + 1000);
      let depth = 0;
      let deepest = 0;
      for (const c of source)
        if (c === "[") deepest = Math.max(deepest, ++depth);
        else if (c === "]") depth--;
      expect(depth).toBe(0);
      expect(deepest).toBeGreaterThanOrEqual(6);
      expect(parseBrainfuck(source, "g.b").length).toBeGreaterThan(n / 10);
    }
    expect(brainfuckProgram(10_000)).toBe(brainfuckProgram(10_000));
  });

  it("Lua scripts have exactly N lines, their functions in one table (a chunk has at most 200 locals)", () => {
    for (const n of [2, 30, 3000]) {
      const lines = luaScript(n).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines.length).toBe(n);
      expect(lines.at(-1)).toBe("print(total)");
    }
    const big = luaScript(3000);
    expect(big.match(/^function F\.f\d+\(n\)$/gm)!.length).toBeGreaterThan(250);
    expect(big.match(/^local /gm)!.length).toBe(1);
    expect(luaScript(300)).toBe(luaScript(300));
    expect(() => luaScript(1)).toThrow(RangeError);
  });
});

describe("futamura bench --compile", () => {
  it("rejects a bad flag with a one-line error", () => {
    const r = cli("bench", "--compile", "--sizes", "0");
    expect(r.status).toBe(1);
    // (bin/futamura.mjs may add a line of its own when it rebuilds dist/ from sources with type errors.)
    expect(r.stderr).toMatch(/^futamura bench --compile: --sizes takes positive whole multipliers.*'0'$/m);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
  });

  it("--quick builds the smallest program of each series, checks its output and writes the reports", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-compile-"));
    const json = join(out, "extra.json");
    rmSync(compileProgramsDir(), { recursive: true, force: true });
    const r = cli("bench", "--compile", "--quick", "--timeout", PER_PROGRAM_S, "--out", out, "--json", json);
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/toy-1k\s+1000 instructions/);
    for (const f of ["bench-compile.json", "bench-compile.md", "bench-compile.svg"])
      expect(existsSync(join(out, f)), f).toBe(true);
    // The generated programs go to build/, never beside the reports (--out may be docs/).
    expect(existsSync(join(out, "compile-programs"))).toBe(false);
    for (const f of ["toy-1k.asm", "fern-one-function-100.fern", "brainfuck-10k.b", "lua-30.lua"])
      expect(existsSync(join(compileProgramsDir(), f)), f).toBe(true);
    expect(readFileSync(join(out, "bench-compile.svg"), "utf8")).toMatch(/^<svg/);
    expect(readFileSync(join(out, "bench-compile.md"), "utf8")).toMatch(/\| toy-1k \|/);
    const report = JSON.parse(readFileSync(json, "utf8"));
    expect(readFileSync(join(out, "bench-compile.json"), "utf8")).toBe(readFileSync(json, "utf8"));
    expect(Object.keys(report.meta)).toEqual(
      expect.arrayContaining([
        "date",
        "node",
        "v8",
        "cpus",
        "quick",
        "multipliers",
        "timeout_s",
        "target_per_10x",
        "notes",
      ]),
    );
    expect(report.rows.map((row: { program: string }) => row.program)).toEqual([
      "toy-1k",
      "fern-one-function-100",
      "fern-many-functions-10",
      "brainfuck-10k",
      "lua-30",
    ]);
    for (const row of report.rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining([
          "series",
          "program",
          "size",
          "unit",
          "status",
          "specialize_ms",
          "optimize_ms",
          "build_ms",
          "build_cpu_ms",
          "peak_rss_mb",
          "raw_bytes",
          "raw_source",
          "output_bytes",
          "contexts",
          "blocks",
          "values",
          "aborted",
          "outputs_match",
        ]),
      );
      expect(["ok", "aborted"], `${row.program}: ${row.error ?? ""}`).toContain(row.status);
      expect(row.outputs_match, row.mismatch).toBe(true);
      expect(row.output_bytes).toBeGreaterThan(0);
      expect(row.peak_rss_mb).toBeGreaterThan(0);
      expect(row.contexts).toBeGreaterThan(0);
    }
    expect(report.scaling).toEqual([]); // one size per series: nothing to scale
  }, 180_000);
});
