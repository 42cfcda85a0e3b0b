// Small things a user expects of the command itself: `futamura --version` prints package.json's version, and the
// launcher (bin/futamura.mjs) rebuilds dist/ when any compiled source folder changes — lang/ included.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

describe("the futamura command", () => {
  it("--version and -V print the package version", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    for (const flag of ["--version", "-V"]) {
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), flag], { encoding: "utf8" });
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it("the launcher watches every source folder that ends up in dist/", () => {
    const launcher = readFileSync(join(ROOT, "bin", "futamura.mjs"), "utf8");
    // The array's string literals, however the formatter lays the array out.
    const watched = [.../const SOURCE_DIRS = \[([^\]]*)\]/.exec(launcher)![1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    // tsc compiles what the included folders import, so dist/ (built by `npm install`'s prepare) lists the folders
    // the CLI runs from.
    const compiled = readdirSync(join(ROOT, "dist"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(compiled).toContain("lang");
    for (const dir of compiled) expect(watched, `bin/futamura.mjs does not watch ${dir}/`).toContain(dir);
  });
});

describe("the installed dependency tree", () => {
  it("has no invalid or conflicting peer dependencies (npm install prints no override warnings)", () => {
    const r = spawnSync("npm", ["ls", "--all", "--json"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    const problems = (JSON.parse(r.stdout) as { problems?: string[] }).problems ?? [];
    expect(problems).toEqual([]);
  }, 60_000);
});
