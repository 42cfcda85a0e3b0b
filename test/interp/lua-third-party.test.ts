// Held-out third-party Lua through futamura: programs in test/interp/lua-third-party/ that drive libraries nobody here
// wrote (Debian's lua-dkjson, lua-inspect, lua-argparse, lua-penlight, and lua-unit's luaunit running a suite over
// lua-binaryheap, lua-basexx, lua-messagepack and lua-moses; scripts/setup-system.sh downloads and unpacks them into
// build/lua-third-party/), each run as `futamura run` runs it (the interpreter's own module, unsnapshotted) and as
// `run --aot` does (snapshot + specialize, the wevaled module), with the libraries found through LUA_PATH as a user's
// would be (the folders on it are readable, following Debian's links from 5.4/ to 5.1/; no --allow-read): stdout,
// stderr and exit code must be equal, and equal to native lua5.4's when it is on PATH (run unprivileged on a copy in a
// scratch directory, util/unprivileged.ts). The required modules load at run time, so they run interpreted in both;
// the script's own functions are the specialized ones. Licences (nothing of theirs is in this repository; the programs
// here only call them), as each package's debian/copyright says: luaunit BSD-2-Clause, the others MIT (Expat).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { hostAccess, runWasiCommand } from "../../interp/wasi.ts";
import { runWasiCommandDeep } from "../../interp/wasi-deep.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";
import { nativeAvailable } from "../../util/unprivileged.ts";
import { luaOutcome, nativeLuaOutcome } from "./lua-native.ts";

const LIBS = join(ROOT, "build", "lua-third-party", "root", "usr", "share", "lua");
const present = existsSync(join(LIBS, "5.4", "dkjson.lua"));
const native = nativeAvailable("lua5.4");
// Debian ships inspect.lua, basexx.lua for 5.1 only, MessagePack, binaryheap and moses for 5.1 and 5.3 (they run on
// 5.4 unchanged).
const LUA_PATH = ["5.4/?.lua", "5.4/?/init.lua", "5.3/?.lua", "5.1/?.lua"].map((p) => join(LIBS, p)).join(";") + ";;";
/** Each program, and the library files it needs (a list downloaded before it grew lacks the newer ones). */
const PROGRAMS: [string, string[]][] = [
  ["use-dkjson.lua", ["5.4/dkjson.lua"]],
  ["use-inspect.lua", ["5.1/inspect.lua"]],
  ["use-argparse.lua", ["5.4/argparse.lua"]],
  ["use-penlight.lua", ["5.4/pl/init.lua"]],
  [
    "use-luaunit.lua",
    ["5.4/luaunit.lua", "5.1/binaryheap.lua", "5.1/basexx.lua", "5.3/MessagePack.lua", "5.1/moses.lua"],
  ],
];
const missing = (files: string[]) => files.filter((f) => !existsSync(join(LIBS, f)));

describe.skipIf(!present)(
  `third-party Lua, interpreted = wevaled${native ? " = native lua5.4" : ""}${present ? "" : " (skipped: build/lua-third-party/ is missing: run sh scripts/setup-system.sh, which needs apt-get)"}`,
  () => {
    for (const [name, needs] of PROGRAMS) {
      const absent = missing(needs);
      it.skipIf(absent.length > 0)(
        `${name}${absent.length ? ` (skipped: ${absent.join(", ")} missing from build/lua-third-party/: run sh scripts/setup-system.sh)` : ""}`,
        async () => {
          const file = join("test", "interp", "lua-third-party", name);
          const access = hostAccess(file, {
            searchPath: builtinManifest("lua").searchPath,
            env: { ...process.env, LUA_PATH },
          });
          const opts = { capture: true, files: access.files, env: { ...access.env, PWD: ROOT } };
          const interp = buildLua("lua").wasm;
          const program = await loadProgram(builtinManifest("lua"), file);
          const interpreted = await runWasiCommand(interp, { ...opts, stdinPrefix: program.bytes });
          const built = await buildProgram(interp, program, { cache: false });
          expect(built.aborted).toEqual([]);
          const wevaled = await runWasiCommandDeep(built.wasm, opts);
          expect(wevaled).toEqual(interpreted);
          expect(interpreted.stdout!.length).toBeGreaterThan(100);
          if (name === "use-argparse.lua") expect(interpreted.exitCode).toBe(1); // argparse's error: usage, os.exit(1)
          if (name === "use-luaunit.lua") {
            expect(interpreted.exitCode).toBe(2); // luaunit's exit code: one failure and one error, on purpose
            expect(interpreted.stdout).toContain("Ran 8 tests in 0.000 seconds, 6 successes, 1 failure, 1 error");
          }
          if (native)
            expect(luaOutcome(interpreted)).toEqual(nativeLuaOutcome(file, { env: { ...process.env, LUA_PATH } }));
        },
        180_000,
      );
    }
  },
);
