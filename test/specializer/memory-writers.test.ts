// memoryWriters (specializer/memory-writers.ts): which functions may write linear memory, as store forwarding asks
// of a call. A function that only loads, or only calls such functions, is read-only; a store, a bulk memory
// operation, an import, an indirect call, a writing callee or a call cycle make it a writer.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { irCalls, memoryWriters, walkCalls } from "../../specializer/memory-writers.ts";
import { forwardStores } from "../../specializer/passes/store-forwarding.ts";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { ROOT } from "../../util/root.ts";

const WAT = `(module
  (import "env" "host" (func $host (param i32)))
  (memory 1)
  (table 1 funcref)
  (type $t (func (param i32) (result i32)))
  (func $reads (param i32) (result i32) (i32.add (i32.load (local.get 0)) (i32.load8_u offset=8 (local.get 0))))
  (func $callsReader (param i32) (result i32) (call $reads (local.get 0)))
  (func $stores (param i32) (result i32) (i32.store (local.get 0) (i32.const 1)) (i32.const 0))
  (func $callsWriter (param i32) (result i32) (call $stores (local.get 0)))
  (func $fills (param i32) (result i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 4)) (i32.const 0))
  (func $callsImport (param i32) (result i32) (call $host (local.get 0)) (i32.const 0))
  (func $indirect (param i32) (result i32) (call_indirect (type $t) (local.get 0) (i32.const 0)))
  (func $recursive (param i32) (result i32)
    (if (result i32) (local.get 0) (then (call $recursive (i32.load (local.get 0)))) (else (i32.const 0))))
  (export "reads" (func $reads)) (export "callsReader" (func $callsReader)) (export "stores" (func $stores))
  (export "callsWriter" (func $callsWriter)) (export "fills" (func $fills)) (export "callsImport" (func $callsImport))
  (export "indirect" (func $indirect)) (export "recursive" (func $recursive)))`;

describe("memoryWriters", () => {
  it("says which functions may write memory, looking through direct calls", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(b, b.parseText(WAT));
    const info = decodeModule(mod.emitBinary());
    mod.dispose();
    const writes = memoryWriters(info);
    const byName = (name: string) => writes(info.exports.find((e) => e.name === name)!.index);
    expect(byName("reads")).toBe(false);
    expect(byName("callsReader")).toBe(false);
    for (const name of ["stores", "callsWriter", "fills", "callsImport", "indirect", "recursive"])
      expect([name, byName(name)]).toEqual([name, true]);
    expect(writes(0)).toBe(true); // the import itself
    expect(memoryWriters(info)).toBe(writes); // one per module
  });

  // The predicate is kept per module and asked by each request's cleanup in turn, so a worker thread asks in another
  // order than the serial build (pipeline/parallel.ts): an answer that depended on the order made the threaded
  // output differ from the serial one. A chain of calls longer than MAX_DEPTH: c0 reaches c5 five calls deep.
  it("gives each function the same answer whatever was asked before (the order requests are cleaned up in)", async () => {
    const b = await loadBinaryen();
    const chain = Array.from({ length: 6 }, (_, k) =>
      k === 5
        ? `(func $c5 (param i32) (result i32) (i32.load (local.get 0)))`
        : `(func $c${k} (param i32) (result i32) (call $c${k + 1} (local.get 0)))`,
    );
    const exports = chain.map((_, k) => `(export "c${k}" (func $c${k}))`);
    const mod = withFeatures(b, b.parseText(`(module (memory 1) ${chain.join(" ")} ${exports.join(" ")})`));
    const bytes = mod.emitBinary();
    mod.dispose();
    const answers = (order: number[]) => {
      const info = decodeModule(bytes);
      const writes = memoryWriters(info);
      const index = (k: number) => info.exports.find((e) => e.name === `c${k}`)!.index;
      const out: boolean[] = [];
      for (const k of order) out[k] = writes(index(k));
      return out;
    };
    const alone = [0, 1, 2, 3, 4, 5].map((k) => answers([k])[k]);
    expect(answers([0, 1, 2, 3, 4, 5])).toEqual(alone);
    expect(answers([5, 4, 3, 2, 1, 0])).toEqual(alone);
    expect(answers([2, 0, 1, 3, 4, 5])).toEqual(alone);
    expect(alone[5]).toBe(false); // it only loads
    expect(alone[0]).toBe(true); // too deep to look at all of
  });
});

// The byte walk (walkCalls) answers for the IR (irCalls) wherever it answers: the same writes flag and, for a
// read-only function, the same callees (reachable code only, as the frontend translates it).
const DEAD_CODE = `(module
  (memory 1)
  (func $w (param i32) (i32.store (local.get 0) (i32.const 1)))
  (func $r (param i32) (result i32) (i32.load (local.get 0)))
  (func $afterBr (param i32) (result i32) (block (br 0) (i32.store (local.get 0) (i32.const 1)) (call $w (i32.const 0)))
    (call $r (local.get 0)))
  (func $afterIf (param i32) (result i32)
    (if (local.get 0) (then (return (i32.const 1))) (else (return (call $r (i32.const 2)))))
    (call $w (i32.const 0)) (i32.const 0))
  (func $afterLoop (param i32) (result i32) (loop (br_if 0 (local.get 0))) (unreachable) (call $w (i32.const 0)))
  (func $brIfOut (param i32) (result i32)
    (block (if (local.get 0) (then (return (i32.const 1))) (else (br 1)))) (call $w (i32.const 0)) (i32.const 0))
  (func $table (param i32) (result i32)
    (block (block (br_table 0 1 (local.get 0))) (return (i32.const 3))) (call $r (i32.const 0)))
  (func $tail (param i32) (result i32) (return_call $r (local.get 0)) (call $w (i32.const 0)) (i32.const 0))
  (func $tailToWriter (param i32) (result i32) (call $w (local.get 0)) (return_call $r (local.get 0)))
  (export "afterBr" (func $afterBr)) (export "afterIf" (func $afterIf)) (export "afterLoop" (func $afterLoop))
  (export "brIfOut" (func $brIfOut)) (export "table" (func $table)) (export "tail" (func $tail))
  (export "tailToWriter" (func $tailToWriter)))`;

describe("walkCalls", () => {
  const agrees = (bytes: Uint8Array) => {
    const info = decodeModule(bytes);
    let walked = 0;
    for (const fn of info.functions) {
      if (fn.import) continue;
      const w = walkCalls(info, fn.index);
      if (w === "read IR") continue;
      walked++;
      const ir = irCalls(info, fn.index);
      const norm = (c: { writes: boolean; callees: number[] } | undefined) =>
        c === undefined || c.writes ? "writes" : [...c.callees].sort((a, b) => a - b);
      expect([fn.index, norm(w)]).toEqual([fn.index, norm(ir)]);
    }
    return walked;
  };

  it("agrees with the IR on reachable code after br, return, unreachable, br_table and return_call", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(b, b.parseText(DEAD_CODE));
    const bytes = mod.emitBinary();
    mod.dispose();
    expect(agrees(bytes)).toBe(9);
    const info = decodeModule(bytes);
    const writes = memoryWriters(info);
    const byName = (name: string) => writes(info.exports.find((e) => e.name === name)!.index);
    expect(["afterBr", "afterIf", "afterLoop", "table", "tail"].map(byName)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(byName("brIfOut")).toBe(true);
    expect(byName("tailToWriter")).toBe(true);
  });

  it("agrees with the IR on every function of the built interpreters (Lua's 731 among them)", () => {
    const files = [
      ...readdirSync(join(ROOT, "build", "interp"))
        .filter((f) => f.endsWith(".wasm"))
        .map((f) => join("interp", f)),
      ...readdirSync(join(ROOT, "build", "interp-lua"))
        .filter((f) => f.endsWith(".wasm"))
        .map((f) => join("interp-lua", f)),
    ];
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) agrees(new Uint8Array(readFileSync(join(ROOT, "build", f))));
  });
});

// A store, a call, a load of the stored slot: the call keeps the slot known only when it cannot write memory.
const ACROSS_CALL = `function f(i32) -> i32 {
block0(v0:i32): ; entry
  v1:i32 = const 7
  v2 = i32.store offset=0 align=2 v0, v1
  v3:i32 = call 0 v0
  v4:i32 = i32.load offset=0 align=2 v0
  v5:i32 = i32.add v3, v4
  return v5
}`;

describe("store forwarding across a call", () => {
  it("forwards the store over a call of a function that never writes memory, and only then", () => {
    for (const writes of [false, true]) {
      const f = parseFunction(ACROSS_CALL);
      f.recomputePreds();
      expect(forwardStores(f, () => writes)).toBe(writes ? 0 : 1);
    }
  });
});
