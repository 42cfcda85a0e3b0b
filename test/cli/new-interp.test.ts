// `futamura new-interp` beyond what docs/new-interpreter.md's commands show (test/docs/commands.test.ts runs
// those): the scaffold's own errors are the user's, one line each, in both modes, and new-interp never writes
// into an existing folder nor takes a name or extension another interpreter has; bench takes it (commands.test.ts
// skips bench lines).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";
import { COMPILE_STATUS } from "../helpers.ts";

const home = mkdtempSync(join(tmpdir(), "futamura-new-interp-"));

function futamura(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: home,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, FUTAMURA_CACHE_DIR: join(home, ".cache") },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(COMPILE_STATUS, "") }; // run --aot's compile line
}

describe("new-interp", () => {
  it("scaffolds an interpreter whose program errors are the user's, and never overwrites", () => {
    expect(futamura("new-interp", "calc").code).toBe(0);
    expect(futamura("run", "--aot", "--expect", "calc/programs/example.calc")).toMatchObject({
      code: 0,
      stdout: "55\n3628800\n30000000\n",
    });
    writeFileSync(join(home, "calc", "programs", "bad.calc"), "set r0 1\nfrob r0\n");
    expect(futamura("run", "calc/programs/bad.calc")).toMatchObject({
      code: 1,
      stderr:
        "calc/programs/bad.calc:2:1: error: unknown instruction 'frob' (instructions: halt, set, add, sub, mul, div, jnz, print, exit)\n",
    });
    writeFileSync(join(home, "calc", "programs", "div.calc"), "set r0 1\ndiv r0 r1\n");
    for (const mode of [[], ["--aot"]])
      expect(futamura("run", ...mode, "calc/programs/div.calc")).toMatchObject({
        code: 1,
        stderr: "calc/programs/div.calc:2: runtime error: division by zero\n",
      });
    writeFileSync(join(home, "calc", "programs", "exit.calc"), "set r0 3\nprint r0\nexit r0\nprint r0\n");
    for (const mode of [[], ["--aot"]])
      expect(futamura("run", ...mode, "calc/programs/exit.calc")).toMatchObject({ code: 3, stdout: "3\n", stderr: "" });
    expect(futamura("diff", "calc/programs/exit.calc").stdout).toContain('output: "3\\n" (2 bytes), exit 3');
    // bench takes it like any other interpreter: rows checked against the program's `; expect:` output.
    const bench = futamura(
      "bench",
      "--quick",
      "--engine",
      "v8",
      "--out",
      join(home, "results"),
      "calc/programs/example.calc",
    );
    expect(bench.code, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/example v8 warm \(TurboFan\): wevaled is [\d.]+x faster than interpreted/);
    expect(futamura("new-interp", "calc").stderr).toBe(
      "calc: error: already exists; new-interp writes a new folder and never into an existing one\n",
    );
    expect(futamura("new-interp", "bf").stderr).toMatch(/an interpreter named 'bf' exists already/);
    expect(futamura("new-interp", "other", "--ext", "b").stderr).toMatch(/\.b files belong to 'bf' already/);
    expect(futamura("new-interp", "Bad_Name").stderr).toMatch(/is not a usable name/);
  }, 180_000);
});
