// PUC-Rio Lua 5.4 through futamura (interp/lua/, built by interp/lua-build.ts and cached): the annotated build
// interpreted against the same Lua built without annotations and against native lua5.4 (when on PATH; unprivileged, on
// a copy in a scratch directory), and wevaled against interpreted (stdout, stderr, exit code) on programs covering
// errors, pcall/xpcall, coroutines (yield across pcall), 100,000-deep recursion and Lua's own "stack overflow", a million tail calls, closures, varargs, goto,
// integers and floats, metatables and the standard libraries, ending in an error at top level
// (interp/lua/programs/features.lua), and a realistic 300-line program (app.lua: JSON, classes, coroutines, text):
// two wevaled builds, the expensive part. Files and environment: both modes alike.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../api/index.ts";
import { buildLua } from "../../interp/lua-build.ts";
import { load } from "../../interp/lua/loader.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { hostAccess, runWasiCommand } from "../../interp/wasi.ts";
import { buildProgram, differential, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";
import { nativeAvailable } from "../../util/unprivileged.ts";
import { luaOutcome, nativeLuaOutcome } from "./lua-native.ts";

const native = nativeAvailable("lua5.4");

/** Run a script on a Lua build as `futamura run` does (the interpreter, the script on standard input in init). */
async function runOn(wasm: Uint8Array, file: string) {
  const program = await loadProgram(builtinManifest("lua"), file);
  return runWasiCommand(wasm, { stdin: program.bytes, capture: true });
}

describe("Lua 5.4", () => {
  for (const name of ["features.lua", "app.lua"]) {
    const file = join("interp", "lua", "programs", name);
    it(`${name}: the annotated build interpreted = the stock build${native ? " = native lua5.4" : ""}`, async () => {
      const annotated = await runOn(buildLua("lua").wasm, file);
      const stock = await runOn(buildLua("lua-stock").wasm, file);
      expect(annotated).toEqual(stock);
      if (native) expect(luaOutcome(annotated)).toEqual(nativeLuaOutcome(file));
      if (name === "features.lua") expect(annotated.exitCode).toBe(1); // it ends with an error at top level
    }, 120_000);
  }

  it("wevaled = interpreted on every program: stdout, stderr, exit code, every request specialized", async () => {
    const m = builtinManifest("lua");
    const programs = [];
    for (const name of ["features.lua", "app.lua"]) {
      const p = await loadProgram(m, join("interp", "lua", "programs", name));
      programs.push({ ...p, name });
    }
    const results = await differential(buildLua("lua").wasm, programs);
    for (const r of results) {
      expect(r.aborted, r.name).toEqual([]);
      expect(r.wevaled, r.name).toEqual(r.interpreted);
    }
    expect(results[0].interpreted.stdout).toContain("100000\n1000000\n"); // deep recursion and a million tail calls
    expect(results[0].interpreted.stdout).toContain("stack overflow");
    expect(results[0].interpreted.error).toMatch(
      /^lua: interp\/lua\/programs\/features\.lua:\d+: expected a number, got string\nstack traceback:/,
    );
  }, 300_000);

  it("reads the script's own input after the script, and says what WASI cannot do (io.popen, os.tmpname)", async () => {
    const script = load(
      "p.lua",
      new TextEncoder().encode(
        "print(io.read('l'), io.read('n'))\nprint(pcall(io.popen, 'ls'))\nprint(pcall(os.tmpname))",
      ),
    );
    const r = await runWasiCommand(buildLua("lua").wasm, {
      stdinPrefix: script.bytes,
      stdin: new TextEncoder().encode("first line\n42\n"),
      capture: true,
    });
    expect(r.stdout).toBe("first line\t42\nfalse\t'popen' not supported\nfalse\t'tmpname' not supported\n");
  }, 60_000);

  it("files and environment: the same in `run` and `run --aot` (read beside the script, write where granted, getenv)", async () => {
    const file = join("test", "interp", "lua-files", "main.lua");
    const out = mkdtempSync(join(tmpdir(), "futamura-lua-"));
    try {
      const access = hostAccess(file, { allowWrite: [out] });
      const opts = {
        capture: true,
        files: access.files,
        env: { ...access.env, OUT_DIR: out, FUTAMURA_TEST_VAR: "yes", PWD: ROOT },
      };
      const program = await loadProgram(builtinManifest("lua"), file);
      const interpreted = await runWasiCommand(buildLua("lua").wasm, { ...opts, stdinPrefix: program.bytes });
      const built = await buildProgram(buildLua("lua").wasm, program, { cache: false });
      const wevaled = await runWasiCommand(built.wasm, opts);
      expect(wevaled).toEqual(interpreted);
      expect(interpreted.stderr).toBe("");
      expect(interpreted.stdout).toMatch(
        /^hello from dofile\nhello from loadfile\n42\ttrue\n\[line one\]\[line two\]\n18\t5\tone\n\t9\n/,
      );
      expect(interpreted.stdout).toContain("nil\ttest/interp/lua-files/missing.txt: No such file or directory\t2\n"); // Linux's errno, as lua5.4
      expect(interpreted.stdout).toContain(
        "false\tcannot open test/interp/lua-files/missing.lua: No such file or directory\n",
      );
      expect(interpreted.stdout).toContain("nil\ttest/interp/lua-files/new.txt: Permission denied\t13\n"); // not granted for writing
      expect(interpreted.stdout).toContain("one\n2\nthree\n\ntrue\ttrue\tnil\t");
      expect(interpreted.stdout).toContain("yes\tnil\nfalse\t'popen' not supported\nfalse\n");
      expect(existsSync(join(ROOT, "test", "interp", "lua-files", "new.txt"))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);

  it("the library's run() lets a script read beside itself, as `futamura run` does, interpreted and compiled", async () => {
    for (const aot of [false, true]) {
      const r = await run(join("test", "interp", "lua-files", "main.lua"), { aot, cache: false });
      expect(r.stdout).toMatch(/^hello from dofile\nhello from loadfile\n/);
    }
  }, 120_000);

  it("a build is the same bytes every time, and its os.clock counts from the run's start, not the build's", async () => {
    // math.random's generator (seeded from the clock by luaL_openlibs) and wasi-libc's clock() start (taken by a
    // constructor) used to be snapshotted: two builds differed, and a cached module began at os.clock() = its age.
    const file = join("test", "interp", "lua-files", "clock.lua");
    const program = await loadProgram(builtinManifest("lua"), file);
    const interp = buildLua("lua").wasm;
    const first = await buildProgram(interp, program, { cache: false });
    const second = await buildProgram(interp, program, { cache: false });
    expect(Buffer.compare(first.wasm, second.wasm)).toBe(0);
    await new Promise((r) => setTimeout(r, 1100)); // the module is older than a second when it runs
    const r = await runWasiCommand(first.wasm, { capture: true });
    expect(r).toEqual({ exitCode: 0, stdout: "clock from the run: true\n", stderr: "" });
  }, 120_000);

  it("the patches are ours, the runtime one holds no annotation, and Lua's source is not in the repository", () => {
    expect(readFileSync(join(ROOT, "interp", "lua", "lua-weval.patch"), "utf8")).toMatch(/^--- a\/lobject\.h/);
    // the stock build gets the runtime patch too, so it must hold no annotation (weval.h, its intrinsics, the two copies)
    const runtime = readFileSync(join(ROOT, "interp", "lua", "lua-runtime.patch"), "utf8");
    const added = runtime.split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++"));
    expect(added.length).toBeGreaterThan(0);
    expect(
      added.filter((l) => /weval\.h|\bw(ctx|pc|deopt|call|tailcall)\(|FUTAMURA_LUA_WEVAL|[(!]specialized\b/.test(l)),
    ).toEqual([]);
    expect(spawnSync("git", ["ls-files", "*lvm.c", "*lapi.c"], { cwd: ROOT, encoding: "utf8" }).stdout).toBe("");
  });
});
