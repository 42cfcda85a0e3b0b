// `futamura bench --quick` end to end, once: it must finish, write JSON/Markdown/SVG, and every row must carry the
// schema's fields with the right result. No timing is asserted: speed is measured by the harness, not tested.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

describe("futamura bench --quick", () => {
  it("measures every variant on every tier and writes the reports", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-"));
    const json = join(out, "extra.json");
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "futamura.mjs"), "bench", "--quick", "--out", out, "--json", json],
      { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sum-to-10M\s+wevaled\s+v8\s+warm \(TurboFan\)/);
    expect(r.stdout).toMatch(/wevaled is [\d.]+x faster than interpreted/);
    for (const f of ["bench.json", "bench.md", "bench.svg"]) expect(existsSync(join(out, f)), f).toBe(true);
    expect(readFileSync(join(out, "bench.svg"), "utf8")).toMatch(/^<svg/);
    const report = JSON.parse(readFileSync(json, "utf8"));
    const variants = new Set(report.rows.map((row: { variant: string }) => row.variant));
    expect([...variants].sort()).toEqual(["interpreted", "js", "limit", "wevaled"]);
    for (const row of report.rows) {
      expect(Object.keys(row)).toEqual(
        expect.arrayContaining(["program", "variant", "engine", "tier", "runs_ms", "min_ms", "median_ms", "max_ms"]),
      );
      expect(row.result).toBe("50000005000000");
      expect(row.min_ms).toBeLessThanOrEqual(row.median_ms);
      expect(row.median_ms).toBeLessThanOrEqual(row.max_ms);
    }
    expect(report.ratios.length).toBeGreaterThanOrEqual(2);
    // The same modules as WASI components through jco: the harness checks their output equals V8's on every call.
    const jco = report.rows.filter((row: { engine: string }) => row.engine === "jco");
    expect(jco.map((row: { variant: string }) => row.variant).sort()).toEqual([
      "interpreted",
      "interpreted",
      "wevaled",
      "wevaled",
    ]);
  });

  it("benchmarks Fern programs, checked by their output, and reports the geomean", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-fern-"));
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, "bin", "futamura.mjs"),
        "bench",
        "--quick",
        "--engine",
        "v8",
        "--out",
        out,
        "lang/bench/fib.fern",
        "lang/bench/calls.fern",
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /geomean over 2 programs, v8 warm \(TurboFan\): wevaled is [\d.]+x faster than interpreted/,
    );
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8"));
    expect(
      report.rows
        .filter((row: { program: string }) => row.program === "fib")
        .every((row: { result: string }) => row.result === "832040\n"),
    ).toBe(true);
    expect(report.geomeans.length).toBeGreaterThan(0);
  });
});
