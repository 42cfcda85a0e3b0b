// The annotated Lua's tail calls to a guessed callee are Wasm tail calls once specialized (lua-weval.patch: wtailbody
// says which guess, execute_specialized ends in a musttail call; docs/lua-memory-ops.md, "Tail calls as Wasm
// return_call"): in the wevaled tail-calls.lua (million-step tail loops; its output is lua-conformance.test.ts's to
// check), specialized functions tail-call specialized functions directly, each guess in a context of its own.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { buildFunctionIR } from "../../specializer/ssa/frontend.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";

describe("Lua tail calls", () => {
  it("are direct return_calls between specialized bodies", async () => {
    const program = await loadProgram(
      builtinManifest("lua"),
      join("test", "interp", "lua-conformance", "tail-calls.lua"),
    );
    const built = await buildProgram(buildLua("lua").wasm, program, { cache: false });
    expect(built.specialize!.requests.every((r) => r.aborted === undefined)).toBe(true);
    const first = decodeModule(built.snapshot).functions.length;
    const info = decodeModule(built.wasm);
    let direct = 0;
    let indirect = 0;
    for (const fn of info.functions.slice(first)) {
      const f = buildFunctionIR(info, fn.index);
      for (const b of f.blocks) {
        if (b.term.kind !== "return_call") continue;
        if (b.term.op.name === "call" && b.term.op.index! >= first) direct++;
        else if (b.term.op.name === "call_indirect") indirect++;
      }
    }
    expect(direct).toBeGreaterThanOrEqual(3); // count's self tail call, ping's and pong's
    expect(indirect).toBe(0);
  }, 300_000);
});
