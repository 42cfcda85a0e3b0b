// Held-out conformance of futamura's Lua with stock lua5.4: each program in test/interp/lua-conformance/ (errors and
// their file:line messages, error objects, pcall/xpcall, coroutines, integer/float semantics and string.format,
// metatables, __close and __gc, patterns, utf8, table.move/sort, load/string.dump, os.date, io on files, exit codes
// and finalizers at exit) runs interpreted (the annotated interpreter, as `futamura run`) and wevaled (as `run
// --aot`), in a scratch directory granted for writing, NAME.input (if any) on standard input: stdout, stderr and exit
// code must equal NAME.expected, which holds what native lua5.4 printed. When lua5.4 is on PATH it runs too
// (unprivileged, util/unprivileged.ts, in a scratch directory, TZ=UTC as WASI's clock is) and must print
// NAME.expected; FUTAMURA_BLESS=1 re-records the files from it. Addresses (0x…) and lua.c's program name are normalized.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { runWasiCommandDeep } from "../../interp/wasi-deep.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";
import { nativeAvailable, scratchDir } from "../../util/unprivileged.ts";
import { luaOutcome, nativeLuaOutcome, type LuaOutcome } from "./lua-native.ts";

const DIR = join("test", "interp", "lua-conformance");
const PROGRAMS = readdirSync(join(ROOT, DIR)).filter((f) => f.endsWith(".lua"));
const native = nativeAvailable("lua5.4");
const bless = process.env.FUTAMURA_BLESS === "1";

/** NAME.expected: "exit N", then stdout and stderr, each after a marker line. */
const format = (o: LuaOutcome) => `exit ${o.exitCode}\n--- stdout ---\n${o.stdout}\n--- stderr ---\n${o.stderr}`;
function parse(text: string): LuaOutcome {
  const m = /^exit (\d+)\n--- stdout ---\n([\s\S]*)\n--- stderr ---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error("not an .expected file");
  return { exitCode: Number(m[1]), stdout: m[2], stderr: m[3] };
}

/** A Lua module run as `futamura run` runs it (on the large-stack worker: a wevaled Lua call is a Wasm call), with
 *  a scratch directory as its working directory, granted for writing. */
async function runIn(wasm: Uint8Array, stdin: Uint8Array, stdinPrefix?: Uint8Array): Promise<LuaOutcome> {
  const dir = scratchDir("futamura-lua-conformance-");
  try {
    const files = [{ dir, write: true }];
    return luaOutcome(await runWasiCommandDeep(wasm, { stdin, stdinPrefix, capture: true, files, env: { PWD: dir } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Native lua5.4 (unprivileged, on a copy in a scratch directory), TZ=UTC as WASI's clock. */
function runNative(file: string, input: Uint8Array): LuaOutcome {
  return nativeLuaOutcome(file, { env: { PATH: process.env.PATH, TZ: "UTC" }, input });
}

describe(`Lua conformance: interpreted = wevaled = lua5.4 (recorded${native ? ", and live" : ""})`, () => {
  it("has programs", () => {
    expect(PROGRAMS.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of PROGRAMS) {
    const file = join(DIR, name);
    const expectedFile = join(ROOT, DIR, name.replace(/\.lua$/, ".expected"));
    const inputFile = join(ROOT, DIR, name.replace(/\.lua$/, ".input"));
    it(
      name,
      async () => {
        const input = existsSync(inputFile) ? new Uint8Array(readFileSync(inputFile)) : new Uint8Array(0);
        if (native) {
          const fromNative = runNative(file, input);
          if (bless) writeFileSync(expectedFile, format(fromNative));
          expect(fromNative, "native lua5.4").toEqual(parse(readFileSync(expectedFile, "utf8")));
        }
        const expected = parse(readFileSync(expectedFile, "utf8"));
        const interp = buildLua("lua").wasm;
        const program = await loadProgram(builtinManifest("lua"), file);
        expect(await runIn(interp, input, program.bytes), "interpreted").toEqual(expected);
        const built = await buildProgram(interp, program, { cache: false });
        expect(built.aborted).toEqual([]);
        expect(await runIn(built.wasm, input), "wevaled").toEqual(expected);
      },
      180_000,
    );
  }
});
