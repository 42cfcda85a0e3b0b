// `futamura ir` takes an interpreter by name (built when stale), so the docs' `futamura ir toy --func '$20'` works
// right after `npm install`; a wrong name or a file that is not Wasm is a one-line user error.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

const futamura = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });

describe("futamura ir", () => {
  it("prints an interpreter's function by the interpreter's name", () => {
    const r = futamura("ir", "toy", "--func", "$20");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^function \$20\(i32, i32\) -> i64 \{/);
    expect(r.stdout).toContain("i64.sub"); // DEC, as docs/how-the-specializer-works.md shows it
  });

  it.each([
    [["ir", "nope"], /error: no interpreter named 'nope' \(known: .*toy/],
    [["ir", "README.md"], /README\.md: error: not a WebAssembly module \(it is a text file\)/],
    [["ir", "toy", "--func", "nope"], /no function named 'nope' \(functions: .*run/],
  ])("%j is a one-line user error", (args, message) => {
    const r = futamura(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
