// Builds the C interpreter (interp/c/toy.c) with Debian's clang for wasm32-wasi, in the variants the tests and the
// benchmark use, cached in build/interp-c/ by a hash of the sources, the flags and clang's version (a build was
// ~0.2 s on 2026-12-01; a cache hit reads one file). interp/c/toy-opcodes.h is generated (pipeline/generated.ts).
// Needs `clang`, `wasm-ld`, wasi-libc and the wasm32 compiler runtime: `apt-get install -y clang lld wasi-libc
// libclang-rt-dev-wasm32`.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { UserError } from "../util/errors.ts";
import { tempPathFor, writeFileAtomic } from "../util/files.ts";
import { INSTALLED, projectCacheDir, ROOT } from "../util/root.ts";

export const C_DIR = join(ROOT, "interp", "c");
/** Where C builds and clang's version line are kept: the repository's build/, or for an installed package the
 *  project's cache (nothing is written inside node_modules), as lua-build.ts does. */
const BUILD_DIR = join(INSTALLED ? projectCacheDir() : join(ROOT, "build"), "interp-c");
export const CLANG_PACKAGES = "clang lld wasi-libc libclang-rt-dev-wasm32";

/** The variants: optimization level, state kept in registers or on the virtual stack/locals, SIMD, loop shape. */
export const C_VARIANTS = {
  "toy-c": ["-O2", "-msimd128"],
  "toy-c-os": ["-Os", "-msimd128"],
  "toy-c-virtual": ["-O2", "-msimd128", "-DTOY_STATE=1"],
  "toy-c-virtual-os": ["-Os", "-DTOY_STATE=1"],
  "toy-c-loop-bottom": ["-O2", "-DTOY_LOOP_BOTTOM"],
} as const satisfies Record<string, readonly string[]>;

export type CVariant = keyof typeof C_VARIANTS;

let clangVersion: string | undefined;

/** What clang runs with (made on the first build, not at every command's start): PATH without the folders that hold
 *  a `wasm-opt`. clang's wasm32 driver runs the first
 *  wasm-opt it finds over what it links (at -O1 and up), and `npx`/`npm run` put binaryen's on PATH: a build made
 *  through them was another binary under the same cache key (no name section, post-optimized), so what a user's
 *  project built differed from what the tests had checked. clang finds its own linker beside itself; a wasm-opt in
 *  clang's own folder (a system-wide binaryen) stays, as every build on that machine then gets it alike. */
export function clangEnv(): NodeJS.ProcessEnv {
  clangEnvMemo ??= {
    ...process.env,
    PATH: (process.env.PATH ?? "")
      .split(delimiter)
      .filter((dir) => !existsSync(join(dir, "wasm-opt")) || existsSync(join(dir, "clang")))
      .join(delimiter),
  };
  return clangEnvMemo;
}
let clangEnvMemo: NodeJS.ProcessEnv | undefined;

/** Part of every clang build's cache key: builds from before clangEnv may have been post-optimized. */
export const CLANG_BUILD_RULE = "clang without wasm-opt";

/** clang's version line, or a UserError saying what to install. Asked of each clang binary once: the line is kept in
 *  BUILD_DIR's clang-version.json under the binary's real path, size, mtime and inode (`clang --version` ran at
 *  every Lua build, ~0.08-0.2 s of wall time before the snapshot could start; 2026-12-07). */
export function clangAvailable(): string {
  if (clangVersion) return clangVersion;
  const id = clangIdentity();
  const memo = id ? readVersionMemo() : undefined;
  if (id && memo?.id === id) return (clangVersion = memo.version);
  try {
    clangVersion = execFileSync("clang", ["--version"], { encoding: "utf8", env: clangEnv() }).split("\n")[0];
  } catch {
    throw new UserError(
      `clang is not installed (it builds the C interpreter for wasm32-wasi): apt-get install -y ${CLANG_PACKAGES}`,
    );
  }
  if (id) {
    try {
      mkdirSync(BUILD_DIR, { recursive: true });
      writeFileAtomic(VERSION_MEMO, JSON.stringify({ id, version: clangVersion }));
    } catch {
      // A folder we may not write: ask clang again next time.
    }
  }
  return clangVersion;
}

const VERSION_MEMO = join(BUILD_DIR, "clang-version.json");

/** The `clang` that clangEnv's PATH runs, as its real path, size, mtime and inode; undefined when none is found. */
function clangIdentity(): string | undefined {
  for (const dir of (clangEnv().PATH ?? "").split(delimiter)) {
    const p = join(dir || ".", "clang");
    if (!existsSync(p)) continue;
    const real = realpathSync(p);
    const s = statSync(real);
    return s.isFile() ? `${real} ${s.size} ${s.mtimeMs} ${s.ino}` : undefined;
  }
  return undefined;
}

function readVersionMemo(): { id: string; version: string } | undefined {
  try {
    const m = JSON.parse(readFileSync(VERSION_MEMO, "utf8"));
    return typeof m?.id === "string" && typeof m?.version === "string" ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Build (or reuse) a variant of the C interpreter; returns its bytes and path. */
export function buildCInterpreter(variant: CVariant = "toy-c"): { wasm: Uint8Array; path: string } {
  const flags = C_VARIANTS[variant];
  const h = createHash("sha256").update(clangAvailable()).update(CLANG_BUILD_RULE).update(flags.join(" "));
  for (const f of ["toy.c", "weval.h", "toy-opcodes.h"]) h.update(f).update(readFileSync(join(C_DIR, f)));
  const path = join(BUILD_DIR, `${variant}-${h.digest("hex").slice(0, 16)}.wasm`);
  if (existsSync(path)) return { wasm: new Uint8Array(readFileSync(path)), path };
  mkdirSync(BUILD_DIR, { recursive: true });
  const tmp = tempPathFor(path);
  try {
    execFileSync("clang", ["--target=wasm32-wasi", ...flags, "-I", C_DIR, join(C_DIR, "toy.c"), "-o", tmp], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: clangEnv(),
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const missing = /wasm32-wasi|stdio\.h|crt1|libclang_rt|wasm-ld/.test(err.stderr ?? "")
      ? ` (is the WASI toolchain installed? apt-get install -y ${CLANG_PACKAGES})`
      : "";
    rmSync(tmp, { force: true });
    throw new UserError(`clang failed to build ${variant}${missing}:\n${err.stderr ?? err.message}`);
  }
  renameSync(tmp, path);
  return { wasm: new Uint8Array(readFileSync(path)), path };
}
