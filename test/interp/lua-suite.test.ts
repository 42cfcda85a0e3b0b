// Lua's own test suite (PUC-Rio's test files as fengari's npm package ships them, test/interp/lua-suite.ts) run
// interpreted and wevaled: every chunk's verdict, stdout, stderr and exit code equal in both, and equal to native
// lua5.4's when it is on PATH (run unprivileged on a copy). `npm test` runs a few files; FUTAMURA_LUA_SUITE=all
// (`npm run test:lua-suite`) runs every file. Chunks needing Lua's internal test library, or that Lua 5.4's parser
// rejects (the suite's copy is 5.3's in places), are left out, and the test's name says how many.
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";
import { nativeAvailable } from "../../util/unprivileged.ts";
import { interpretLuaFile, luaFileDifferential } from "../fuzz/lua-differential.ts";
import { luaOutcome, nativeLuaOutcome } from "./lua-native.ts";
import { extractChunks, suiteFiles, suiteScript, syntaxCheckScript, writeScript } from "./lua-suite.ts";

const ALL = process.env.FUTAMURA_LUA_SUITE === "all";
const DEFAULT_FILES = ["calls", "closure", "coroutine", "events", "goto", "locals", "vararg"];
const OUT = join(ROOT, "build", "lua-suite");
const native = nativeAvailable("lua5.4");

/** The chunks of one suite file that Lua 5.4 compiles, checked by the interpreter itself. */
async function compilableChunks(name: string) {
  const extracted = extractChunks(name);
  const chunks = extracted.filter((c) => !c.needsTestLibrary);
  const checker = writeScript(OUT, `${name}.check.lua`, syntaxCheckScript(chunks));
  const { interpreted } = await interpretLuaFile(relative(ROOT, checker));
  const verdicts = interpreted.stdout!.split("\n");
  return { all: extracted.length, kept: chunks.filter((_, i) => verdicts[i] === "ok") };
}

describe("Lua's test suite (fengari's copy): interpreted = wevaled" + (native ? " = native lua5.4" : ""), () => {
  for (const name of ALL ? suiteFiles() : DEFAULT_FILES) {
    it(`${name}`, async () => {
      const { all, kept } = await compilableChunks(name);
      if (kept.length === 0)
        return void console.log(`lua-suite ${name}: none of its ${all} chunks runs without ltests`);
      const file = relative(ROOT, writeScript(OUT, `${name}.lua`, suiteScript(kept)));
      const { interpreted, wevaled, aborted } = await luaFileDifferential(file);
      const oks = interpreted.stdout!.split("\n").filter((l) => l.endsWith(": ok")).length;
      console.log(
        `lua-suite ${name}: ${kept.length} of ${all} chunks run without ltests and compile on 5.4; ${oks} pass`,
      );
      expect(oks).toBeGreaterThan(kept.length / 2);
      expect(aborted).toEqual([]);
      expect(wevaled).toEqual(interpreted);
      if (native) expect(luaOutcome(interpreted)).toEqual(nativeLuaOutcome(file));
    }, 600_000);
  }
});
