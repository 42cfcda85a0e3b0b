// Builds PUC-Rio Lua 5.4 for wasm32-wasi with clang, in two variants: "lua" (the weval annotations of
// interp/lua/lua-weval.patch applied, specializable) and "lua-stock" (the same sources unannotated: the control
// the benchmark compares with); both get interp/lua/lua-runtime.patch (runtime changes that are not annotations),
// so the two differ by the annotations alone. Lua's source is never in this repository: it comes from Debian's source package
// `lua5.4` (`apt-get source`, MIT licence, see interp/lua/README.md), fetched into build/lua-src/ when missing, after
// adding a deb-src entry beside the system's Debian entry when there is none (as root; otherwise a one-line error
// naming the commands). The patches are applied to a copy and must apply exactly (a clear error otherwise). A build is
// cached in build/interp-lua/ by a hash of everything it reads (Lua's sources, the patches, the driver, the flags,
// clang's version): a cache hit reads one file. From an installed package (never written to), both folders are in the
// project's cache folder instead (.futamura-cache/).
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { C_DIR, CLANG_BUILD_RULE, CLANG_PACKAGES, clangAvailable, clangEnv } from "./c-build.ts";
import { UserError } from "../util/errors.ts";
import { tempPathFor } from "../util/files.ts";
import { INSTALLED, projectCacheDir, ROOT } from "../util/root.ts";

export const LUA_DIR = join(ROOT, "interp", "lua");
const OUTPUT_ROOT = INSTALLED ? projectCacheDir() : join(ROOT, "build");
const SOURCE_ROOT = join(OUTPUT_ROOT, "lua-src");
const BUILD_DIR = join(OUTPUT_ROOT, "interp-lua");
/** Runtime changes both variants get (ldo.c: yields without exceptions, stacks kept), then the annotations ("lua"
 *  only, on top of the first). */
const RUNTIME_PATCH = "lua-runtime.patch";
const ANNOTATION_PATCH = "lua-weval.patch";
const patchesOf = (variant: LuaVariant) => (variant === "lua" ? [RUNTIME_PATCH, ANNOTATION_PATCH] : [RUNTIME_PATCH]);
/** Files written here that every build compiles or includes. */
const OWN_FILES = ["lua-wasi.h", "sjlj.s", "driver.c", "mem.c", "include/setjmp.h", "include/lua5.4-deb-multiarch.h"];
const DEB_SRC_FILE = "/etc/apt/sources.list.d/futamura-deb-src.sources";

export const LUA_VARIANTS = ["lua", "lua-stock"] as const;
export type LuaVariant = (typeof LUA_VARIANTS)[number];

/** clang flags: -O2 as Debian builds Lua, Wasm exception handling (sjlj.s: errors and coroutines), the switch loop (no computed goto: Wasm has none), the emulated clocks
 *  os.clock needs, and a 16 MB shadow stack placed first (an overflow traps instead of overwriting data; a large
 *  stack placed after the data made V8 on Node 20 crash in its GC). */
const FLAGS = [
  "--target=wasm32-wasi",
  "-O2",
  "-mexception-handling",
  "-D_WASI_EMULATED_PROCESS_CLOCKS",
  "-D_WASI_EMULATED_SIGNAL",
  "-DLUA_USE_JUMPTABLE=0",
  "-Wno-everything",
];
const LINK = [
  "-lwasi-emulated-process-clocks",
  "-lwasi-emulated-signal",
  "-Wl,-z,stack-size=67108864",
  "-Wl,--stack-first",
];

/** Link-time optimization (clang -flto: inlining across Lua's files, e.g. ltable.c's lookups into lapi.c and the
 *  collector's allocation into ltable.c/lstring.c) for everything but the interpreter loop, lvm.c, which is compiled
 *  to an object of its own as before: with lvm.c in the LTO too, the interpreted builds ran up to 1.3x faster
 *  (oop.lua, nbody.lua) but the specialized code slower (mandelbrot.lua 0.8x, fib.lua 0.87x; 2026-12-07, CPU time). */
const LTO = "-flto";
/** The annotated lvm.c only: Wasm tail calls, for execute_specialized's `musttail` call of a guessed callee's body
 *  (lua-weval.patch, wtailbody), which becomes a return_call that the specializer keeps. */
const VM_WEVAL_FLAGS = ["-mtail-call"];
const NOT_LTO = "lvm.c";
/** interp/lua/mem.c (memcpy, memset, memcmp in place of wasi-libc's): outside the LTO (a libcall defined in bitcode is
 *  an error), with bulk memory (memory.copy/fill for long blocks) and without builtins (its loops stay loops). */
const MEM = "mem.c";
const MEM_FLAGS = ["-mbulk-memory", "-fno-builtin"];

const run = (cmd: string, args: string[], cwd?: string) =>
  spawnSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** True when apt knows a deb-src entry. */
function hasDebSrc(): boolean {
  const files = [
    "/etc/apt/sources.list",
    ...(existsSync("/etc/apt/sources.list.d")
      ? readdirSync("/etc/apt/sources.list.d").map((f) => join("/etc/apt/sources.list.d", f))
      : []),
  ];
  return files.some((f) => existsSync(f) && /^\s*(deb-src\s|Types:.*deb-src)/m.test(readFileSync(f, "utf8")));
}

/** Add a deb-src stanza for every Debian `deb` stanza of debian.sources (bookworm's format), then apt-get update. */
function addDebSrc(): void {
  const sources = "/etc/apt/sources.list.d/debian.sources";
  const how = `add a deb-src entry and run \`apt-get update && apt-get source lua5.4\` in ${SOURCE_ROOT}`;
  if (process.getuid?.() !== 0)
    throw new UserError(`Lua's source is missing and fetching it needs root: ${how} (or run this as root)`);
  if (!existsSync(sources))
    throw new UserError(`Lua's source is missing and ${sources} is not there to copy a deb-src entry from: ${how}`);
  writeFileSync(DEB_SRC_FILE, readFileSync(sources, "utf8").replace(/^Types:\s*deb\s*$/gm, "Types: deb-src"));
  process.stderr.write(`futamura: added ${DEB_SRC_FILE} (deb-src entries) to fetch Lua's source\n`);
  const r = run("apt-get", ["update", "-qq"]);
  if (r.status !== 0)
    throw new UserError(`apt-get update failed: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`);
}

/** `apt-get source` unpacks with dpkg-source (dpkg-dev) and the build applies the patch with patch(1): installed
 *  when missing (as root), else a one-line error naming the command. */
function ensureTools(): void {
  const missing = [
    ["dpkg-source", "dpkg-dev"],
    ["patch", "patch"],
  ]
    .filter(([cmd]) => run("sh", ["-c", `command -v ${cmd}`]).status !== 0)
    .map(([, pkg]) => pkg);
  if (!missing.length) return;
  if (process.getuid?.() !== 0)
    throw new UserError(`building Lua needs ${missing.join(" and ")}: apt-get install -y ${missing.join(" ")}`);
  process.stderr.write(`futamura: installing ${missing.join(", ")} (apt-get) to fetch and patch Lua's source\n`);
  const r = run("apt-get", ["install", "-y", "-qq", ...missing]);
  if (r.status !== 0)
    throw new UserError(
      `apt-get install ${missing.join(" ")} failed: ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`,
    );
}

/** The pristine Lua source folder (its src/), fetched with `apt-get source lua5.4` when missing. */
export function luaSource(): string {
  const find = () =>
    existsSync(SOURCE_ROOT)
      ? readdirSync(SOURCE_ROOT).find(
          (d) => /^lua5\.4-5\.4\.\d+$/.test(d) && existsSync(join(SOURCE_ROOT, d, "src", "lvm.c")),
        )
      : undefined;
  let dir = find();
  if (dir) return join(SOURCE_ROOT, dir, "src");
  if (!existsSync("/usr/bin/apt-get"))
    throw new UserError(
      `Lua's source is missing: put Debian's lua5.4 source package (apt-get source lua5.4) in ${SOURCE_ROOT}`,
    );
  if (!hasDebSrc()) addDebSrc();
  ensureTools();
  mkdirSync(SOURCE_ROOT, { recursive: true });
  process.stderr.write(`futamura: fetching Lua's source (apt-get source lua5.4) into ${SOURCE_ROOT}\n`);
  const r = run("apt-get", ["source", "-qq", "lua5.4"], SOURCE_ROOT);
  dir = find();
  if (r.status !== 0 || !dir)
    throw new UserError(
      `apt-get source lua5.4 failed (needs a deb-src entry and dpkg-dev): ${(r.stderr || r.error?.message || "").trim().split("\n").pop()}`,
    );
  return join(SOURCE_ROOT, dir, "src");
}

function luaSourceFiles(src: string): string[] {
  return readdirSync(src)
    .filter((f) => /\.[ch]$/.test(f))
    .sort();
}

/** Copy the source and apply the patches in order; a patch that does not apply exactly is an error. The copy is made
 *  under a temporary name and renamed into place when patched, so a build stopped half-way (Ctrl-C) or one running
 *  beside it (parallel tests) never leaves or meets a half-made folder under the final name. */
function patchedSource(src: string, key: string, patches: string[]): string {
  const dir = join(BUILD_DIR, `src-${key}`);
  if (existsSync(join(dir, ".patched")) && existsSync(join(dir, NOT_LTO))) return dir;
  rmSync(dir, { recursive: true, force: true });
  ensureTools();
  const tmp = tempPathFor(dir);
  cpSync(src, tmp, { recursive: true });
  for (const patch of patches) {
    const r = run("patch", ["-p1", "--forward", "--batch", "--fuzz=0", "-i", join(LUA_DIR, patch)], tmp);
    if (r.status === 0) continue;
    rmSync(tmp, { recursive: true, force: true });
    throw new UserError(
      `interp/lua/${patch} does not apply to ${src} (Lua ${src.match(/5\.4\.\d+/)?.[0]}${patch === patches[0] ? "" : ` after ${patches[0]}`}):\n${(r.stdout + r.stderr).trim()}`,
    );
  }
  writeFileSync(join(tmp, ".patched"), "");
  try {
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true }); // another build put the same folder in place first
    if (!existsSync(join(dir, ".patched"))) throw e;
  }
  return dir;
}

/** Build (or reuse) a Lua variant; returns its bytes and path. */
export function buildLua(variant: LuaVariant = "lua"): { wasm: Uint8Array; path: string } {
  const annotated = variant === "lua";
  const src = luaSource();
  const h = createHash("sha256")
    .update(clangAvailable())
    .update(CLANG_BUILD_RULE)
    .update(FLAGS.join(" "))
    .update(LINK.join(" "))
    .update(`${LTO} except ${NOT_LTO}`)
    .update(MEM_FLAGS.join(" "))
    .update(VM_WEVAL_FLAGS.join(" "))
    .update(variant);
  for (const f of luaSourceFiles(src)) h.update(f).update(readFileSync(join(src, f)));
  for (const f of OWN_FILES) h.update(f).update(readFileSync(join(LUA_DIR, f)));
  h.update(readFileSync(join(C_DIR, "weval.h")));
  for (const patch of patchesOf(variant)) h.update(patch).update(readFileSync(join(LUA_DIR, patch)));
  const key = h.digest("hex").slice(0, 16);
  const path = join(BUILD_DIR, `${variant}-${key}.wasm`);
  if (existsSync(path)) return { wasm: new Uint8Array(readFileSync(path)), path };
  mkdirSync(BUILD_DIR, { recursive: true });
  const dir = patchedSource(src, key, patchesOf(variant));
  const sources = luaSourceFiles(dir).filter((f) => f.endsWith(".c") && f !== "lua.c" && f !== "luac.c");
  const tmp = tempPathFor(path);
  const compile = [
    ...FLAGS,
    ...(annotated ? ["-DFUTAMURA_LUA_WEVAL"] : []),
    "-I",
    dir,
    "-I",
    join(LUA_DIR, "include"),
    "-I",
    C_DIR,
    "-include",
    join(LUA_DIR, "lua-wasi.h"),
  ];
  const vmObject = tempPathFor(`${path}.${NOT_LTO}.o`); // clang links a file of unknown suffix as an object
  const memObject = tempPathFor(`${path}.${MEM}.o`);
  try {
    const vmFlags = annotated ? VM_WEVAL_FLAGS : [];
    execFileSync("clang", [...compile, ...vmFlags, "-c", join(dir, NOT_LTO), "-o", vmObject], {
      stdio: ["ignore", "pipe", "pipe"],
      env: clangEnv(),
    });
    execFileSync("clang", [...FLAGS, ...MEM_FLAGS, "-c", join(LUA_DIR, MEM), "-o", memObject], {
      stdio: ["ignore", "pipe", "pipe"],
      env: clangEnv(),
    });
    execFileSync(
      "clang",
      [
        ...compile,
        LTO,
        ...sources.filter((f) => f !== NOT_LTO).map((f) => join(dir, f)),
        vmObject,
        memObject,
        join(LUA_DIR, "sjlj.s"),
        join(LUA_DIR, "driver.c"),
        ...LINK,
        "-o",
        tmp,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: clangEnv() },
    );
  } catch (e) {
    const err = e as { stderr?: string | Buffer; message: string };
    const stderr = err.stderr?.toString();
    rmSync(tmp, { force: true });
    const missing = /wasm32-wasi|stdio\.h|crt1|libclang_rt|wasm-ld/.test(stderr ?? "")
      ? ` (is the WASI toolchain installed? apt-get install -y ${CLANG_PACKAGES})`
      : "";
    throw new UserError(`clang failed to build ${variant}${missing}:\n${stderr ?? err.message}`);
  } finally {
    rmSync(vmObject, { force: true });
    rmSync(memObject, { force: true });
  }
  renameSync(tmp, path);
  return { wasm: new Uint8Array(readFileSync(path)), path };
}
