// `futamura bench`'s user-facing edges: bad flag values are one-line errors (exit 1) before anything runs,
// `--engine` does not swallow the program after it, two programs with the same file name get distinct labels and
// module files, stale module files are cleared, and a program too short to time gets a warning instead of a
// meaningless ratio. Also the report's wording and chart rules. No timing asserted.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fasterOrSlower, ratioLines, ratios, svgChart } from "../../bench/report.ts";
import { summarize, type Row } from "../../bench/stats.ts";
import { ROOT } from "../../util/root.ts";

const futamura = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });

describe("futamura bench: flag values", () => {
  it.each([
    [["--runs", "abc"], /--runs takes a whole number of runs, at least 1, got 'abc'/],
    [["--runs", "0"], /--runs takes a whole number of runs, at least 1, got '0'/],
    [["--runs", "2.5"], /--runs takes a whole number/],
    [["--cold-runs", "0"], /--cold-runs takes a whole number of runs, at least 1, got '0'/],
    [["--engine", "nope"], /unknown engine 'nope' \(engines: v8, jco, wasmtime\)/],
    [["--engine", "v8,nope"], /unknown engine 'nope'/],
    [["--processes", "0", "--interp", "lua"], /--processes takes a whole number of processes, at least 1, got '0'/],
    [["--processes", "2"], /--processes is for Lua programs/],
    [["--compile", "--processes", "2"], /--compile generates its own programs and takes no --processes/],
  ])("bench %j is a one-line user error", (args, message) => {
    const r = futamura(["bench", ...args]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("futamura bench: programs", () => {
  it("--engine v8 before a program benchmarks that program; same-named programs get distinct labels; stale modules go", () => {
    const dir = mkdtempSync(join(tmpdir(), "futamura-bench-names-"));
    for (const sub of ["a", "b"]) {
      mkdirSync(join(dir, sub));
      copyFileSync(join(ROOT, "test", "bench", "fixtures", "short.fern"), join(dir, sub, "short.fern"));
    }
    const out = join(dir, "results");
    mkdirSync(join(out, "modules"), { recursive: true });
    writeFileSync(join(out, "modules", "old-program.wevaled.wasm"), "stale");
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin", "futamura.mjs"),
        "bench",
        "--quick",
        "--engine",
        "v8",
        join("a", "short.fern"),
        "--out",
        out,
        join("b", "short.fern"),
      ],
      { cwd: dir, encoding: "utf8", timeout: 180_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`futamura bench: this run replaces bench.{json,md,svg} and modules/ in ${out}`);
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8"));
    expect([...new Set(report.rows.map((row: Row) => row.program))].sort()).toEqual(["a/short", "b/short"]);
    const modules = readdirSync(join(out, "modules")).sort();
    expect(modules).not.toContain("old-program.wevaled.wasm");
    expect(modules).toEqual(expect.arrayContaining(["a_short.wevaled.wasm", "b_short.wevaled.wasm"]));
    // short.fern runs in well under a millisecond: the ratio comes with a warning, not as a speed claim.
    expect(r.stdout).toMatch(/too short to time reliably/);
  }, 180_000);
});

const row = (program: string, variant: Row["variant"], ms: number[], tier = "warm (TurboFan)"): Row =>
  summarize({ program, variant, engine: "v8", tier, runs_ms: ms, result: "1" });

describe("bench reports", () => {
  it("say slower when wevaled is slower, and warn (no geomean) when a median is under 1 ms", () => {
    const rows = [
      row("p", "interpreted", [10, 10, 10]),
      row("p", "wevaled", [20, 20, 20]),
      row("q", "interpreted", [0.3]),
      row("q", "wevaled", [0.2]),
      row("r", "interpreted", [0]),
      row("r", "wevaled", [0]),
    ];
    const lines = ratioLines(ratios(rows)).join("\n");
    expect(lines).toMatch(/p v8 warm \(TurboFan\): wevaled is 2\.00x slower than interpreted/);
    expect(lines).toMatch(
      /q v8 warm \(TurboFan\): wevaled is 1\.50x faster than interpreted \(warning: a median under 1 ms/,
    );
    expect(lines).not.toMatch(/NaN|Infinity/);
    expect(lines).not.toMatch(/geomean/); // only one program is long enough to time
    expect(fasterOrSlower(0.5)).toBe("2.00x slower");
  });

  it("draw no bar for a row too short to time, no legend entry without bars, full labels and the speedups", async () => {
    const rows = [
      row("long-program-name", "interpreted", [100, 110, 120], "cold (first call, Liftoff)"),
      row("long-program-name", "wevaled", [10, 11, 12], "cold (first call, Liftoff)"),
      row("tiny", "interpreted", [0.01]),
      row("tiny", "wevaled", [0.01]),
    ];
    const svg = await svgChart(rows);
    expect(svg).toContain("long-program-name · v8 · cold (first call, Liftoff) · interpreted");
    expect(svg).not.toContain("…");
    expect(svg).toMatch(/10\.00x faster than interpreted/);
    expect(svg).not.toMatch(/tiny · v8/);
    expect(svg).toMatch(/2 row\(s\) with a median under 1 ms left out/);
    for (const absent of [">limit<", ">js<", ">quickjs<"]) expect(svg).not.toContain(absent);
  });
});

describe("bench chart with nothing long enough to draw", () => {
  it("still renders, with the footnote", async () => {
    const svg = await svgChart([row("tiny", "interpreted", [0.01]), row("tiny", "wevaled", [0.01])]);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toMatch(/2 row\(s\) with a median under 1 ms left out/);
  });
});

describe("bench run order", () => {
  it("interleaves the variants run by run, cold and warm, so a slow phase hits every variant alike", async () => {
    const { interleaved } = await import("../../bench/main.ts");
    expect(interleaved(2, 3)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
  });
});

describe.skipIf(!existsSync(join(ROOT, "build", "interp-lua")))("futamura bench on Lua programs", () => {
  it("says which flags it takes no use of, instead of ignoring them", () => {
    const r = futamura(["bench", "--cold-runs", "2", "--strict", "interp/lua/bench/loop.lua"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("futamura bench: Lua programs take no --cold-runs, --strict\n");
  });

  it("writes its JSON into --out, as the other benchmarks do", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-lua-"));
    const lua = join(out, "tiny.lua");
    writeFileSync(lua, "local s = 0\nfor i = 1, 1000 do s = s + i end\nprint(s)\n");
    const r = futamura(["bench", "--quick", "--processes", "2", "--out", out, lua]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(out, "bench-lua.json")}`);
    const json = JSON.parse(readFileSync(join(out, "bench-lua.json"), "utf8"));
    expect(json.rows.map((r: { tier: string }) => r.tier)).toEqual(expect.arrayContaining(["warm", "first call"]));
    // --processes 2: each warm row has both processes' runs (--quick: one each) by both clocks, and its figure.
    const warm = json.rows.filter((r: Row) => r.tier === "warm") as Row[];
    expect(warm.map((r) => r.variant).sort()).toEqual(["interpreted", "stock", "wevaled"]);
    for (const row of warm) {
      expect(row.warm, row.variant).toMatchObject({ processes: 2, clock: "cpu" });
      for (const clock of [row.warm!.wall, row.warm!.cpu]) {
        expect(clock.processes_ms.map((p) => p.length)).toEqual([1, 1]);
        expect(clock.process_medians_ms).toHaveLength(2);
        expect(clock.figure_ms).toBeGreaterThan(0);
      }
      // runs_ms is the wall clock's runs rounded to 0.01 ms from the raw times, processes_ms to 0.001 ms: the same runs
      // (rounding 0.105 again could give 0.11 where the raw 0.1049 gave 0.1)
      const wall = row.warm!.wall.processes_ms.flat();
      expect(row.runs_ms).toHaveLength(wall.length);
      row.runs_ms.forEach((x, i) => expect(Math.abs(x - wall[i]), `${x} vs ${wall[i]}`).toBeLessThanOrEqual(0.0051));
    }
    expect(r.stdout).toContain("the geometric mean over 2 processes of each one's median run");
    // The report names the warm tier and the V8 flags it is measured with (bench/lua-warm-child.ts).
    expect(r.stdout).toMatch(
      /note: tiers: warm = TurboFan code only \(2 child processes per program, .* node --no-liftoff --expose-gc/,
    );
    expect(json.meta.notes.some((n: string) => n.startsWith("tiers: warm = TurboFan"))).toBe(true);
  }, 180_000);
});

describe("bench/compare-builds.ts build", () => {
  it("refuses two programs whose modules would have one name (fib.fern and fib.lua) before building anything", () => {
    const out = mkdtempSync(join(tmpdir(), "compare-builds-"));
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "bench", "compare-builds.ts"),
        "build",
        ROOT,
        join(out, "new"),
        "a/fib.fern",
        "b/fib.lua",
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(
      /a\/fib\.fern and b\/fib\.lua: two programs of one name would overwrite each other's module/,
    );
    expect(existsSync(join(out, "new"))).toBe(false);
  });
});
