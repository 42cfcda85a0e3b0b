// Lua built as a user's project builds it when binaryen's wasm-opt was on PATH (clang's wasm32 link step runs it at
// -O2; interp/c-build.ts's clangEnv keeps it out of our own builds now): the specializer must read an interpreter
// binaryen has already optimized as well as the one clang made. A structured-layout locals change of this stop
// (reverted) turned a global's lookup into another value's only on such a build: `pcall` read as a boolean.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { differential, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";

const SCRIPT = `-- third-party-style checks: pcall, error values, coroutines, deep recursion, tail calls, string library
local ok, err = pcall(function() error({code = 7}) end)
print(ok, type(err), err.code)
print(pcall(function() local t = nil; return t.x end))
local co = coroutine.wrap(function(a) for i = 1, 3 do a = coroutine.yield(a + i) end return "done" end)
print(co(10), co(20), co(30), co(40))
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(100000))
local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + n) end
print(loop(1000000, 0))
print(string.format("%5.2f|%d|%s", math.pi, 42, "x"), ("hello world"):gsub("o", "0"))
print(select("#", table.unpack({1, 2, nil, 4}, 1, 4)), utf8.char(72, 228, 8364))
local ok2, msg = pcall(function() local function f() return f() + 1 end return f() end)
print(ok2, msg)
`;

describe("Lua optimized by binaryen before futamura sees it", () => {
  it("wevaled = interpreted (pcall with an error value, a runtime error, coroutines, deep recursion, tail calls, strings)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "futamura-lua-opt-"));
    // What clang's link step runs: `wasm-opt -O2` over its output (binaryen's, from npm: ~6 s).
    const wasmOpt = join(ROOT, "node_modules", ".bin", "wasm-opt");
    const r0 = spawnSync(wasmOpt, ["-O2", buildLua("lua").path, "-o", join(dir, "lua.wasm")], { encoding: "utf8" });
    expect(r0.status, r0.stderr).toBe(0);
    const optimized = new Uint8Array(readFileSync(join(dir, "lua.wasm")));
    writeFileSync(join(dir, "prog.lua"), SCRIPT);
    const program = { ...(await loadProgram(builtinManifest("lua"), join(dir, "prog.lua"))), name: "prog.lua" };
    const [r] = await differential(optimized, [program]);
    expect(r.aborted).toEqual([]);
    expect(r.interpreted.stdout).toBe(
      "false\ttable\t7\nfalse\t" +
        `${join(dir, "prog.lua")}:4: attempt to index a nil value (local 't')\n11\t22\t33\tdone\n100000\n500000500000\n` +
        " 3.14|42|x\thell0 w0rld\t2\n4\tHä€\nfalse\t" +
        `${join(dir, "prog.lua")}:13: stack overflow\n`,
    );
    expect(r.wevaled).toEqual(r.interpreted);
  }, 300_000);
});
