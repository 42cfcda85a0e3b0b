// The specialized copy's new keys (lua-weval.patch: wsetempty, wnewnode, wrehash place a new short-string key and
// rehash a table of short-string keys without luaH_newkey) leave every table as Lua's own code would: the traversal
// order of tables grown key by key (test/interp/lua-table-layout.lua; the string hash seed is fixed in these builds,
// so the order is the hash part's layout) is the same wevaled, interpreted and on the stock build.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { runWasiCommand } from "../../interp/wasi.ts";
import { loadProgram } from "../../pipeline/index.ts";
import { luaFileDifferential } from "../fuzz/lua-differential.ts";

describe("Lua tables grown key by key", () => {
  it("traverse in the same order wevaled, interpreted and on the stock build", async () => {
    const file = join("test", "interp", "lua-table-layout.lua");
    const r = await luaFileDifferential(file);
    expect(r.aborted).toEqual([]);
    expect(r.wevaled).toEqual(r.interpreted);
    const program = await loadProgram(builtinManifest("lua"), file);
    const stock = await runWasiCommand(buildLua("lua-stock").wasm, { stdin: program.bytes, capture: true });
    expect(stock.stdout).toEqual(r.interpreted.stdout);
    expect(r.interpreted.exitCode).toBe(0);
    expect(r.interpreted.stdout).toContain("l=12 m=13 n=14 o=15 p=16 q=17 r=18 s=19 a=1"); // the build's seed's order
  }, 300_000);
});
