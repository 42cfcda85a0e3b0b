// Random Lua programs about string patterns (test/fuzz/lua-patterns-random.ts: patterns as literal constants at
// find/match/gmatch/gsub calls, malformed ones among them) run interpreted and wevaled: stdout, stderr and exit code
// equal, and equal to native lua5.4's when it is on PATH. A few fixed seeds with few patterns here (a build costs
// seconds); `npm run fuzz -- --lua-patterns` runs many, whole-sized.
import { describe, expect, it } from "vitest";
import { nativeAvailable } from "../../util/unprivileged.ts";
import { luaDifferential } from "../fuzz/lua-differential.ts";
import { luaOutcome, nativeLuaOutcome } from "./lua-native.ts";
import { randomLuaPatterns } from "../fuzz/lua-patterns-random.ts";

const native = nativeAvailable("lua5.4");

describe("random Lua pattern programs: interpreted = wevaled" + (native ? " = native lua5.4" : ""), () => {
  for (const seed of [1, 2]) {
    it(`seed ${seed}`, async () => {
      const r = await luaDifferential(randomLuaPatterns(seed, 5), `patterns-seed-${seed}.lua`);
      expect(r.aborted).toEqual([]);
      expect(r.wevaled).toEqual(r.interpreted);
      const lines = r.interpreted.stdout!.split("\n").filter(Boolean);
      expect(lines.filter((l) => / DIFF /.test(l))).toEqual([]); // the boxed pattern matched as the pattern did
      expect(lines.filter((l) => / true /.test(l)).length).toBeGreaterThan(20);
      if (native) expect(luaOutcome(r.interpreted)).toEqual(nativeLuaOutcome(r.file));
    }, 300_000);
  }
});
