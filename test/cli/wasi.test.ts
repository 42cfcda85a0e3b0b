// The CLI with a WASI interpreter (the C one, interp/c/): `snapshot --wasi` (the program on init's standard
// input, `_start` = `wizer.resume`), `specialize`, `run` of a WASI command (standard output and exit code passed
// through), `run --interp` interpreted and --aot, `diff --interp`, and `--init` on build, diff and run --aot.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildCInterpreter } from "../../interp/c-build.ts";
import { snapshot } from "../../snapshot/index.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { ROOT } from "../../util/root.ts";

const cacheDir = mkdtempSync(join(tmpdir(), "futamura-cache-"));

function futamura(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, FUTAMURA_CACHE_DIR: cacheDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const FIB = "checksum 1244\nfib(90) = 2880067194370816120\nhalt 2880067194370816120\n";

describe("futamura CLI with a WASI interpreter", () => {
  const dir = mkdtempSync(join(tmpdir(), "futamura-wasi-cli-"));
  const interp = buildCInterpreter("toy-c").path;

  it("snapshots with --wasi, specializes, and runs the WASI command", () => {
    const snap = join(dir, "fib.snapshot.wasm");
    const out = join(dir, "fib.wasm");
    expect(futamura("snapshot", "--wasi", interp, "bytecode/programs/fib.asm", "-o", snap)).toMatchObject({
      code: 0,
      stderr: "",
    });
    expect(futamura("specialize", snap, "-o", out)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("1/1 requests specialized"),
    });
    expect(futamura("run", snap)).toEqual({ code: 0, stdout: FIB, stderr: "" });
    expect(futamura("run", out)).toEqual({ code: 0, stdout: FIB, stderr: "" });
  });

  it("runs a program on it interpreted and --aot (with --init), and diffs programs", () => {
    expect(futamura("run", "--interp", interp, "bytecode/programs/fib.asm")).toEqual({
      code: 0,
      stdout: FIB,
      stderr: "",
    });
    expect(
      futamura("run", "--aot", "--init", "wizer-initialize", "--interp", interp, "bytecode/programs/fib.asm"),
    ).toEqual({ code: 0, stdout: FIB, stderr: "" });
    const diff = futamura(
      "diff",
      "--interp",
      interp,
      "--init",
      "wizer-initialize",
      "bytecode/programs/fib.asm",
      "bytecode/programs/hello.asm",
    );
    expect(diff).toMatchObject({ code: 0, stdout: expect.stringContaining("2 same, 0 different") });
    const wrong = futamura(
      "build",
      "--interp",
      interp,
      "--init",
      "nope",
      "bytecode/programs/fib.asm",
      "-o",
      join(dir, "x.wasm"),
    );
    expect(wrong).toEqual({
      code: 1,
      stdout: "",
      stderr: "snapshot: the module has no exported function 'nope' to run\n",
    });
  });

  it("passes a WASI command's exit code and standard error through", async () => {
    const { wasm } = buildCInterpreter("toy-c");
    const weval = Object.fromEntries(
      decodeModule(wasm)
        .functions.filter((f) => f.import?.module === "weval")
        .map((f) => [f.import!.name, () => {}]),
    );
    const bad = await snapshot(wasm, {
      wasi: { stdin: new TextEncoder().encode("not a program") },
      imports: { weval },
    });
    const path = join(dir, "bad.wasm");
    writeFileSync(path, bad.wasm);
    expect(futamura("run", path)).toEqual({
      code: 1,
      stdout: "",
      stderr: "toy-c: standard input is not a futamura bytecode program (.fbc)\n",
    });
  });
});
