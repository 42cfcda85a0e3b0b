// Output is not lost when a run is stopped (issue 25, item 7). In-process: how `run` flushes standard output — by
// blocks into a pipe or file, at each newline on a terminal, at every write in the child of --timeout (which may be
// killed while a Wasm loop holds its thread). Through the CLI: a Fern program that printed and loops forever on
// the large-stack worker, sent SIGTERM, writes what it printed and exits 143; a Lua script (a WASI interpreter on its
// own large-stack worker) says why it stopped and exits 130 on SIGINT, compiled too (`run --aot` runs in a second node,
// bin/futamura.mjs passing the signal on). (`run --timeout` itself is timed, so
// it is checked by hand: see the report of issue 25.)
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fernManyFunctions } from "../../bench/compile-programs.ts";
import { StdoutOutput, type FlushMode } from "../../cli/run-command.ts";
import { removeTempFiles } from "../../util/files.ts";
import { ROOT } from "../../util/root.ts";

const dir = mkdtempSync(join(tmpdir(), "futamura-stop-"));

describe("run's standard output", () => {
  it.each([
    ["block", ["", "", "a\nb\nc"]],
    ["line", ["", "a\nb\n", "a\nb\nc"]],
    ["write", ["a", "a\nb\n", "a\nb\nc"]],
  ] as [FlushMode, string[]][])("flushes by %s", (mode, seen) => {
    const file = join(dir, `${mode}.out`);
    const fd = openSync(file, "w");
    const out = new StdoutOutput(false, mode, fd);
    const written = () => readFileSync(file, "utf8");
    out.write("a");
    expect(written()).toBe(seen[0]);
    out.write("\nb\n");
    expect(written()).toBe(seen[1]);
    out.write("c");
    out.flush();
    expect(written()).toBe(seen[2]);
    closeSync(fd);
  });

  it("is written out on SIGTERM while a Fern program loops", async () => {
    writeFileSync(join(dir, "loop.fern"), 'print("before");\nwhile (true) {}\n');
    const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "run", join(dir, "loop.fern")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, FUTAMURA_RUN_FLUSH: "write" },
    });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("before")) child.kill("SIGTERM");
    });
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect(status).toBe(143);
    expect(stdout).toBe("before\n");
  }, 120_000);

  it.skipIf(!existsSync(join(ROOT, "build", "interp-lua")))(
    "says why a Lua script stopped on SIGINT, after what it printed, and exits 130",
    async () => {
      writeFileSync(join(dir, "loop.lua"), 'print("before")\nlocal x = 0\nwhile true do x = x + 1 end\n');
      const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "run", join(dir, "loop.lua")], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("before\n")) child.kill("SIGINT"); // print writes the text and the newline apart
      });
      const status = await new Promise((resolve) => child.on("close", resolve));
      expect(stdout).toBe("before\n");
      expect(stderr).toContain("futamura: stopped by SIGINT");
      expect(status).toBe(130);
    },
    120_000,
  );

  it.skipIf(!existsSync(join(ROOT, "build", "interp-lua")))(
    "passes SIGINT on to the node that `run --aot` runs in (bin/futamura.mjs starts it again with a bigger heap)",
    async () => {
      writeFileSync(join(dir, "loop-aot.lua"), 'print("before")\nlocal x = 0\nwhile true do x = x + 1 end\n');
      const child = spawn(
        process.execPath,
        [join(ROOT, "bin", "futamura.mjs"), "run", "--aot", join(dir, "loop-aot.lua")],
        { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.stdout.on("data", (d) => {
        stdout += d;
        if (stdout.includes("before\n")) child.kill("SIGINT");
      });
      const status = await new Promise((resolve) => child.on("close", resolve));
      expect(stdout).toBe("before\n");
      expect(stderr).toContain("futamura: stopped by SIGINT");
      expect(status).toBe(130);
    },
    300_000,
  );

  it("a build stopped by Ctrl-C (SIGINT to its process group) says so in one line and leaves no output", async () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-stop-build-"));
    writeFileSync(join(out, "many.fern"), fernManyFunctions(1000));
    const child = spawn(
      process.execPath,
      [join(ROOT, "bin", "futamura.mjs"), "build", "--no-cache", join(out, "many.fern"), "-o", join(out, "many.wasm")],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, FUTAMURA_THREADS: "1" } },
    );
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    setTimeout(() => process.kill(-child.pid!, "SIGINT"), 3000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    expect(signal ?? code).toBe("SIGINT"); // re-raised: a shell sees 130 and stops a script's loop
    expect(stderr).toBe("futamura: stopped by SIGINT\n");
    expect(readdirSync(out)).toEqual(["many.fern"]);
  }, 120_000);

  it("removes the temporary files a killed process's atomic writes left, and only those", () => {
    const d = mkdtempSync(join(tmpdir(), "futamura-stop-tmp-"));
    for (const n of [".a.wasm.4242.1765000000000.tmp", ".a.wasm.4243.1765000000000.tmp", "a.wasm", ".4242.tmp"])
      writeFileSync(join(d, n), "");
    expect(removeTempFiles(d, 4242)).toEqual([join(d, ".a.wasm.4242.1765000000000.tmp")]);
    expect(readdirSync(d).sort()).toEqual([".4242.tmp", ".a.wasm.4243.1765000000000.tmp", "a.wasm"]);
  });
});
