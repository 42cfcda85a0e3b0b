// Random Lua programs (test/fuzz/lua-random.ts: eight functions each, numbers, strings, tables, a metatable'd
// object, closures, pcall/error, coroutines, loops with break and goto, some runtime errors on purpose) run
// interpreted and wevaled: stdout, stderr and exit code equal, and equal to native lua5.4's when it is on PATH (run
// unprivileged on a copy). A few fixed seeds here; `npm run fuzz -- --lua` runs many.
import { describe, expect, it } from "vitest";
import { nativeAvailable } from "../../util/unprivileged.ts";
import { luaDifferential } from "../fuzz/lua-differential.ts";
import { luaOutcome, nativeLuaOutcome } from "./lua-native.ts";
import { randomLua } from "../fuzz/lua-random.ts";

const native = nativeAvailable("lua5.4");

describe("random Lua programs: interpreted = wevaled" + (native ? " = native lua5.4" : ""), () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}`, async () => {
      const r = await luaDifferential(randomLua(seed), `seed-${seed}.lua`);
      expect(r.aborted).toEqual([]);
      expect(r.wevaled).toEqual(r.interpreted);
      const lines = r.interpreted.stdout!.split("\n").filter(Boolean);
      expect(lines.length).toBe(24); // 8 functions × 3 calls, none of which ended the program
      expect(lines.filter((l) => /\ttrue /.test(l)).length).toBeGreaterThan(8);
      if (native) expect(luaOutcome(r.interpreted)).toEqual(nativeLuaOutcome(r.file));
    }, 300_000);
  }
});
