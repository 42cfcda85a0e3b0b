// The tree is formatted: `prettier --check .` (config .prettierrc.json, 120 columns; .prettierignore keeps the files
// whose bytes matter as they are). Fix with `npm run format`.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "../util/root.ts";

it("is formatted as prettier formats it (npm run format)", () => {
  const bin = join(dirname(createRequire(import.meta.url).resolve("prettier/package.json")), "bin", "prettier.cjs");
  const r = spawnSync(process.execPath, [bin, "--check", "--log-level", "warn", "."], { cwd: ROOT, encoding: "utf8" });
  expect(r.stdout + r.stderr, "files prettier would change").toBe("");
  expect(r.status).toBe(0);
}, 120_000);
