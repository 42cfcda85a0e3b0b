// A WASI reactor interpreter (issue 25, item 10: clang -mexec-model=reactor exports `_initialize`): the snapshot runs
// `_initialize` before init, as wizer does, and drops it, so the result runs as a command; a reactor run without a
// snapshot gets `_initialize` then `_start`. In-process, on a hand-written reactor whose exit code says what ran.
import { describe, expect, it } from "vitest";
import { runWasiCommand } from "../../interp/wasi.ts";
import { snapshot } from "../../snapshot/index.ts";
import { loadBinaryen, projectFeatures } from "../../util/binaryen.ts";

// _initialize sets byte 4; init stores 40 + 2 * byte 4 at byte 0 (42 when _initialize ran first); resume exits with
// byte 0 + byte 8 (byte 8: 1 once resume's module ran _initialize again after the snapshot: must not happen).
const REACTOR = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_initialize") (i32.store8 (i32.const 8) (i32.load8_u (i32.const 4))) (i32.store8 (i32.const 4) (i32.const 1)))
  (func (export "wizer.initialize") (i32.store8 (i32.const 0) (i32.add (i32.const 40) (i32.mul (i32.const 2) (i32.load8_u (i32.const 4))))))
  (func (export "wizer.resume") (call $exit (i32.add (i32.load8_u (i32.const 0)) (i32.load8_u (i32.const 8)))))
  (func (export "_start") (call $exit (i32.add (i32.const 7) (i32.load8_u (i32.const 4))))))`;

async function reactor(withStart: boolean): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(withStart ? REACTOR : REACTOR.replace(/\n {2}\(func \(export "_start"\).*\)\)$/, ")"));
  mod.setFeatures(projectFeatures(b));
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

describe("WASI reactors", () => {
  it("snapshot runs _initialize before init and drops it; the result runs", async () => {
    const snap = await snapshot(await reactor(false), { wasi: true });
    expect(
      WebAssembly.Module.exports(new WebAssembly.Module(snap.wasm as BufferSource)).map((e) => e.name),
    ).not.toContain("_initialize");
    expect((await runWasiCommand(snap.wasm, { capture: true })).exitCode).toBe(42);
  });

  it("an unsnapshotted reactor with _start gets _initialize first", async () => {
    expect((await runWasiCommand(await reactor(true), { capture: true })).exitCode).toBe(8);
  });
});
