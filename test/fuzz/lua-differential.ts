// One Lua file run interpreted (the interpreter's own module, as `futamura run` runs it) and wevaled (snapshot +
// specialize, as `run --aot` does), in this process: the shared step of `npm run fuzz -- --lua`,
// test/interp/lua-random.test.ts and test/interp/lua-suite.test.ts. A generated source is written to build/fuzz/lua/
// first, since a Lua program is a file.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { hostAccess, runWasiCommand, type WasiRunResult } from "../../interp/wasi.ts";
import { runWasiCommandDeep } from "../../interp/wasi-deep.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";

export interface LuaDifferential {
  file: string;
  interpreted: WasiRunResult;
  wevaled: WasiRunResult;
  aborted: unknown[];
}

/** `file` (relative to the working directory) run on the interpreter's own module, as `futamura run` does; with what
 *  a build and a wevaled run of it need. */
export async function interpretLuaFile(file: string) {
  const interp = buildLua("lua").wasm;
  const program = await loadProgram(builtinManifest("lua"), file);
  const access = hostAccess(file, {});
  const opts = { capture: true, files: access.files, env: { ...access.env, PWD: process.cwd() } };
  const interpreted = await runWasiCommand(interp, { ...opts, stdinPrefix: program.bytes });
  return { interp, program, opts, interpreted };
}

/** `file` run interpreted, then built (no cache) and run wevaled. */
export async function luaFileDifferential(file: string): Promise<LuaDifferential> {
  const { interp, program, opts, interpreted } = await interpretLuaFile(file);
  const built = await buildProgram(interp, program, { cache: false });
  const wevaled = await runWasiCommandDeep(built.wasm, opts);
  return { file, interpreted, wevaled, aborted: built.aborted };
}

/** Writes `source` as build/fuzz/lua/`name` and runs it both ways. */
export async function luaDifferential(source: string, name: string): Promise<LuaDifferential> {
  const dir = join(ROOT, "build", "fuzz", "lua");
  mkdirSync(dir, { recursive: true });
  const file = relative(process.cwd(), join(dir, name));
  writeFileSync(file, source);
  return luaFileDifferential(file);
}
