// How a Lua script meets the host under futamura, as under `lua`: its arguments (`futamura run x.lua a b`, arg[1..n]
// and `...`, interpreted and --aot), a large output through a non-blocking pipe and into `| head`, LUA_PATH/LUA_CPATH with ";;" (loadlib.c's
// setpath: ";;" alone is the default exactly), the empty path naming nothing (ENOENT, where wasi-libc took "" for the
// current directory), `require` through a library folder on LUA_PATH laid out as Debian's (/usr/share/lua/5.4/x.lua a
// link to ../5.1/x.lua) with no --allow-read, and math.randomseed() with no argument differing between runs started
// within one second. Interpreted (the driver's and libc's code, the same in the wevaled module), and against native
// lua5.4 when it is on PATH (unprivileged, util/unprivileged.ts).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { hostAccess, runWasiCommand, searchPathFolders } from "../../interp/wasi.ts";
import { loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";
import { nativeAvailable, scratchDir, spawnUnprivileged } from "../../util/unprivileged.ts";
import { normalizeLua } from "./lua-native.ts";

const native = nativeAvailable("lua5.4");
const dir = scratchDir("futamura-lua-paths-");
const libRoot = mkdtempSync(join(tmpdir(), "futamura-lua-lib-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(libRoot, { recursive: true, force: true });
});

/** `source` as a script in `dir`, run interpreted with `env` added, as `futamura run` runs it from `dir`. */
async function runLua(name: string, source: string, env: Record<string, string> = {}) {
  const file = join(dir, name);
  writeFileSync(file, source);
  const access = hostAccess(file, { searchPath: builtinManifest("lua").searchPath, env: { ...process.env, ...env } });
  const program = await loadProgram(builtinManifest("lua"), file);
  const r = await runWasiCommand(buildLua("lua").wasm, {
    capture: true,
    files: access.files,
    env: { ...access.env, PWD: dir },
    stdinPrefix: program.bytes,
  });
  return { exitCode: r.exitCode, stdout: normalizeLua(r.stdout!), stderr: normalizeLua(r.stderr!) };
}

/** The same script under native lua5.4 (nobody may read `dir`; the scripts here write nothing). */
function nativeLua(name: string, env: Record<string, string> = {}, args: string[] = []) {
  const r = spawnUnprivileged("lua5.4", [name, ...args], { cwd: dir, env: { PATH: process.env.PATH, ...env } });
  return { exitCode: r.status, stdout: normalizeLua(r.stdout), stderr: normalizeLua(r.stderr) };
}

/** The CLI in `dir`, with its own specialization cache. */
function futamura(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: dir,
    encoding: "utf8",
    maxBuffer: 64 << 20,
    timeout: 120_000,
    env: { ...process.env, FUTAMURA_CACHE_DIR: join(libRoot, "cache") },
  });
  return { exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("Lua: arguments, paths and seeds as `lua` has them", () => {
  it(`the script's arguments: arg[1..n] and ..., interpreted and --aot${native ? " (= native lua5.4)" : ""}`, () => {
    writeFileSync(
      join(dir, "args.lua"),
      'print(#arg, arg[0], arg[-1], select("#", ...), ...)\nprint(arg[1], arg[2])\n',
    );
    const expected = { exitCode: 0, stdout: "3\targs.lua\tlua\t3\tx\ty z\t-v\nx\ty z\n", stderr: "" };
    expect(futamura("run", "args.lua", "x", "y z", "--", "-v")).toEqual(expected);
    expect(futamura("run", "--aot", "args.lua", "--", "x", "y z", "-v")).toEqual(expected);
    if (native) {
      const n = nativeLua("args.lua", {}, ["x", "y z", "-v"]);
      expect({ ...n, stdout: n.stdout.replace("\tlua5.4\t", "\tlua\t") }).toEqual(expected);
    }
    // An interpreter on futamura's host ABI has no argv: said, not dropped.
    const fern = futamura("run", join(ROOT, "test", "fuzz", "corpus", "small-bench.fern"), "a");
    expect(fern.exitCode).toBe(1);
    expect(fern.stderr).toMatch(/error: program arguments \(a\) are for WASI programs/);
  }, 120_000);

  it("a large output through a pipe Node opened (non-blocking) and into `| head`: all of it, or a quiet end", () => {
    // Both were "internal error: EAGAIN" (a full non-blocking pipe) and "internal error: EPIPE" (the reader gone).
    writeFileSync(join(dir, "big.lua"), 'for i = 1, 20000 do print(("x"):rep(60), i) end\n');
    const r = futamura("run", "big.lua");
    expect(r.stderr).toBe("");
    expect(r.stdout.length).toBe(1_328_894);
    const head = spawnSync(
      "bash",
      ["-c", `set -o pipefail; "${process.execPath}" "${join(ROOT, "bin", "futamura.mjs")}" run big.lua | head -1`],
      {
        cwd: dir,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect({ status: head.status, stdout: head.stdout, stderr: head.stderr }).toEqual({
      status: 0,
      stdout: `${"x".repeat(60)}\t1\n`,
      stderr: "",
    });
  }, 120_000);

  it(`LUA_PATH and LUA_CPATH with ";;" give loadlib.c's path${native ? " (= native lua5.4's)" : ""}`, async () => {
    const script = "print(package.path)\nprint(package.cpath)\n";
    const plain = await runLua("path.lua", script);
    const [D, C] = plain.stdout.split("\n");
    for (const [path, cpath, expected] of [
      [";;", ";;", `${D}\n${C}\n`],
      ["a/?.lua;;", ";;b/?.so", `a/?.lua;${D}\n${C};b/?.so\n`],
      ["a/?.lua;;b/?.lua", "c/?.so", `a/?.lua;${D};b/?.lua\nc/?.so\n`],
    ]) {
      const r = await runLua("path.lua", script, { LUA_PATH: path, LUA_CPATH: cpath });
      expect(r.stdout).toBe(expected);
      if (native) {
        const n = nativeLua("path.lua", { LUA_PATH: path, LUA_CPATH: cpath });
        expect(r.stdout.split("\n")[0]).toBe(n.stdout.split("\n")[0]); // cpath: Debian's multiarch folder differs
      }
    }
    // The manifest's searchPath default (whose folders are granted) is the build's LUA_PATH_DEFAULT.
    expect(plain.stdout.split("\n")[0]).toBe(builtinManifest("lua").searchPath!.default);
  }, 60_000);

  it(`the empty path names nothing: ENOENT, not the current directory${native ? " (= native lua5.4)" : ""}`, async () => {
    const script =
      'print(io.open(""))\nprint(io.open("", "w"))\nprint(loadfile(""))\nprint(os.remove(""))\nprint(os.rename("", "x"))\n' +
      'print(pcall(io.lines, ""))\npackage.path = ""\npackage.cpath = ""\nprint(pcall(require, "nothing"))\n';
    const r = await runLua("empty.lua", script);
    expect(r.stdout).toContain("nil\t: No such file or directory\t2\n");
    expect(r.stdout).not.toContain("directory\t21");
    if (native) expect(r).toEqual(nativeLua("empty.lua"));
  }, 60_000);

  it("require finds a module through a Debian-style library folder on LUA_PATH (links to ../5.1), with no --allow-read", async () => {
    const lib = join(libRoot, "share", "lua");
    mkdirSync(join(lib, "5.1"), { recursive: true });
    mkdirSync(join(lib, "5.4"), { recursive: true });
    writeFileSync(join(lib, "5.1", "libmod.lua"), "return { answer = 42 }\n");
    symlinkSync("../5.1/libmod.lua", join(lib, "5.4", "libmod.lua"));
    // A link out of the script's own folder (granted without links) is still refused: only library folders follow them.
    symlinkSync(join(lib, "5.1", "libmod.lua"), join(dir, "outside.lua"));
    const env = { LUA_PATH: `${join(lib, "5.4")}/?.lua;;` };
    expect(searchPathFolders(builtinManifest("lua").searchPath!, env)).toContain(join(lib, "5.4"));
    const script = 'print(require("libmod").answer)\nprint(io.open("outside.lua"))\n';
    const r = await runLua("req.lua", script, env);
    expect(r).toEqual({
      exitCode: 0,
      stdout: "42\nnil\toutside.lua: Permission denied\t13\n",
      stderr: "",
    });
  }, 60_000);

  it("math.randomseed() with no argument: runs within one second draw different numbers, one run repeats as lua's", async () => {
    const script =
      "local a, b = math.randomseed()\nlocal x = math.random(1 << 50)\nlocal c, d = math.randomseed()\n" +
      "print(x, math.type(a), math.type(b), b == d)\n";
    const first = await runLua("seed.lua", script);
    const second = await runLua("seed.lua", script);
    expect(first.stdout).toMatch(/^\d+\tinteger\tinteger\ttrue\n$/); // the second seed is the run's, as lua's address
    expect(second.stdout).not.toBe(first.stdout);
  }, 60_000);
});
