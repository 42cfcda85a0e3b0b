// Output is not lost when a run is stopped (issue 25, item 7). In-process: how `run` flushes standard output — by
// blocks into a pipe or file, at each newline on a terminal, at every write in the child of --timeout (which may be
// killed while a Wasm loop holds its thread). Through the CLI: a Fern program that printed and loops forever on
// the large-stack worker, sent SIGTERM, writes what it printed and exits 143; a Lua script (a WASI interpreter on its
// own large-stack worker) says why it stopped and exits 130 on SIGINT, compiled too (`run --aot` runs in a second node,
// bin/futamura.mjs passing the signal on). (`run --timeout` itself is timed, so
// it is checked by hand: see the report of issue 25.) The commands the first node runs in a second one (all but `run`
// and `explore`; `run` too, since this stop), stopped by Ctrl-C, erase their line and remove their temporary files (util/files.ts's registry).
import { spawn } from "node:child_process";
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fernManyFunctions } from "../../bench/compile-programs.ts";
import { StdoutOutput, type FlushMode } from "../../cli/run-command.ts";
import {
  removeRegisteredTemps,
  TEMP_REGISTRY_ENV,
  tempPathFor,
  tempRegistryPath,
  writeFileAtomic,
} from "../../util/files.ts";
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

  // `run` ran in the first node and said why only while its program ran: stopped while it compiled the program (or
  // built Lua with clang) it died without a word. Its second node now dies there, and the first one says so.
  it("run stopped by Ctrl-C before its program starts says so in one line", async () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-stop-run-"));
    writeFileSync(join(out, "many.fern"), fernManyFunctions(5000)); // compiling it takes seconds
    const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "run", join(out, "many.fern")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<[number | null, string | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    for (let i = 0; i < 1200 && !runsCommand(child.pid!, "many.fern"); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, "SIGINT");
    const [code, signal] = await closed;
    expect(stderr).toBe("futamura: stopped by SIGINT\n");
    expect(signal ?? code).toBe(stdout === "" ? "SIGINT" : 130); // before its program ran, or (a slow machine) in it
  }, 120_000);

  it("lists every temporary file in the registry before writing it, and removes exactly those listed", () => {
    const d = mkdtempSync(join(tmpdir(), "futamura-stop-tmp-"));
    const registry = join(d, "registry");
    const before = process.env[TEMP_REGISTRY_ENV];
    process.env[TEMP_REGISTRY_ENV] = registry;
    try {
      writeFileAtomic(join(d, "a.wasm"), "done"); // renamed into place: listed, gone
      const left = tempPathFor(join(d, "b.wasm")); // a write a signal stopped
      writeFileSync(left, "half");
      const folder = tempPathFor(join(d, "src-c")); // a folder half copied (Lua's patched source)
      mkdirSync(folder);
      writeFileSync(join(folder, "lvm.c"), "half");
    } finally {
      if (before === undefined) delete process.env[TEMP_REGISTRY_ENV];
      else process.env[TEMP_REGISTRY_ENV] = before;
    }
    const listed = readFileSync(registry, "utf8").trim().split("\n");
    expect(listed).toHaveLength(3);
    expect(listed.slice(0, 2).every((p) => /\/\.[ab]\.wasm\.\d+\.\d+\.tmp$/.test(p))).toBe(true);
    writeFileSync(join(d, ".c.wasm.1.2.tmp"), "another process's");
    expect(removeRegisteredTemps(registry)).toEqual([listed[1], listed[2]]);
    expect(readdirSync(d).sort()).toEqual([".c.wasm.1.2.tmp", "a.wasm"]);
  });

  // The commands that run in the first node (build-interp, snapshot, asm...) were killed outright by Ctrl-C: no line,
  // the progress line and a hidden cursor left on the terminal, temporary files left beside the outputs.
  it("build-interp stopped by Ctrl-C on a terminal erases its progress line, shows the cursor and says so", async () => {
    // `script` gives the command a terminal; ^C typed into it is SIGINT to the command's process group, as in a shell.
    const bin = join(ROOT, "bin", "futamura.mjs");
    const s = spawn("script", ["-qfec", `"${process.execPath}" "${bin}" build-interp --force toy`, "/dev/null"], {
      cwd: dir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    s.stdout.on("data", (d) => {
      out += d;
      if (out.includes("build interpreter toy (asc)") && !out.includes("^C")) s.stdin.write("\x03");
    });
    const status = await new Promise((resolve) => s.on("close", resolve));
    expect(out).toMatch(/build interpreter toy \(asc\) 0\/1.*\r\x1b\[2K\x1b\[\?25hfutamura: stopped by SIGINT\r\n$/s);
    expect(status).toBe(130); // script -e: as a shell says a command ended by SIGINT
  }, 120_000);

  it("a command the first node runs itself, stopped by SIGINT, leaves none of its temporary files", async () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-stop-interp-"));
    const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "build-interp", "--force", "toy"], {
      cwd: out,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const closed = new Promise<[number | null, string | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    // Started: the node running the command exists; a temporary file it was writing when stopped stands listed.
    for (let i = 0; i < 1200 && !runsCommand(child.pid!, "build-interp"); i++)
      await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200)); // the first node returns from spawn() and sets its handlers
    const half = join(out, ".toy.wasm.1.2.tmp");
    writeFileSync(half, "half");
    appendFileSync(tempRegistryPath(child.pid!), `${half}\n`);
    process.kill(-child.pid!, "SIGINT");
    const [code, signal] = await closed;
    expect(signal ?? code).toBe("SIGINT");
    expect(stderr).toBe("futamura: stopped by SIGINT\n");
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(tempRegistryPath(child.pid!))).toBe(false);
  }, 120_000);
});

/** The first node `pid` has started the second one, whose command line has `arg` (not the TypeScript compiler the
 *  first node may run before, when dist/ is older than the sources) and whose environment names the registry (so it
 *  is past exec: a child just forked shows the first node's own command line, and the first node has not yet set
 *  its signal handlers, so a SIGINT then killed it silently on a loaded machine); true too when it has ended already
 *  (then the checks after say what went wrong). */
function runsCommand(pid: number, arg: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .split(" ")
      .filter(Boolean)
      .some(
        (child) =>
          readFileSync(`/proc/${child}/cmdline`, "utf8").includes(arg) &&
          readFileSync(`/proc/${child}/environ`, "utf8").includes(`${TEMP_REGISTRY_ENV}=`),
      );
  } catch {
    return true;
  }
}
