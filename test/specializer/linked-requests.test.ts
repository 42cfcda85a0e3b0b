// Calls between specialized functions (specializer/weval/linked-requests.ts) on hand-written modules on weval's
// ABI: request A's code loads request B's slot at a constant address (as Fern's CALL does) and calls through it;
// the load folds to the table index B gets, and the call_indirect becomes a direct call. Also: a module whose code
// writes the slot keeps the load (and its run-time redirect works), and an aborted request moves the others'
// indices, which the requests that folded them are specialized again for.
import { describe, expect, it } from "vitest";
import { specializeModule, type SpecializeOptions } from "../../specializer/index.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";

/** `(data (i32.const at) "…")` holding the u32s little-endian. */
const words = (at: number, ws: number[]) =>
  `(data (i32.const ${at}) "${ws.map((w) => [0, 8, 16, 24].map((s) => "\\" + ((w >>> s) & 255).toString(16).padStart(2, "0")).join("")).join("")}")`;
/** A request record (next, prev, user_id, num_globals, func, argbuf, arglen, specialized). */
const request = (at: number, next: number, userId: number, func: number, argbuf: number, slot: number) =>
  words(at, [next, 0, userId, 0, func, argbuf, 48, slot]);
/** Arguments: a 12-byte constant buffer (three u32s) and a run-time i32. The buffer's bytes are at argbuf + 16. */
const args = (argbuf: number, buffer: number[]) =>
  [words(argbuf, [1, 4, 12, 16]), words(argbuf + 16, buffer), words(argbuf + 32, [0, 255, 0, 0])].join("\n");

/**
 * $body(buf, x) interprets buf = [op, a, b]: op 0 returns x * 3 + a; op 1 calls through the slot at address a (the
 * function specialized for the buffer at b) with x + 1 and adds 1000 — or calls $body(b, x + 1) when the slot is 0.
 * Requests (head at 16, flag at 20): A (slot 24, buffer at 144: [1, 28, 208]) and B (slot 28, buffer at 208:
 * [0, 7, 0]); with `abortFirst`, a request C before them whose generic function's pc is a run-time value (it aborts).
 * With `redirect`, an export stores 3 (the table index of $other, x * 100) into B's slot. With `calleeAborts`, B
 * asks for $bad instead of $body.
 */
interface Variant {
  abortFirst?: boolean;
  redirect?: boolean;
  calleeAborts?: boolean;
  /** A function the specializer cannot read (SIMD), which might store anywhere. */
  simd?: boolean;
  /** A function the specializer cannot read (exception handling) with no store in it. */
  eh?: boolean;
}

function moduleText(opts: Variant): string {
  const first = opts.abortFirst ? 256 : 64;
  return `(module
  (import "weval" "push.context" (func $push (param i32)))
  (import "weval" "update.context" (func $update (param i32)))
  (type $sig (func (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 1) $body $bad $other)
  ${words(16, [first])}
  ${opts.abortFirst ? `${request(256, 64, 9, 2, 320, 32)}\n${args(320, [0, 0, 0])}` : ""}
  ${request(64, 96, 5, 1, 128, 24)}
  ${args(128, [1, 28, 208])}
  ${request(96, 0, 6, opts.calleeAborts ? 2 : 1, 192, 28)}
  ${args(192, [0, 7, 0])}
  (func (export "weval.pending.head") (result i32) (i32.const 16))
  (func (export "weval.is.wevaled") (result i32) (i32.const 20))
  (func $body (type $sig) (param $buf i32) (param $x i32) (result i32)
    (local $slot i32)
    (call $push (i32.const 0))
    (if (result i32) (i32.load (local.get $buf))
      (then
        (i32.add (i32.const 1000)
          (if (result i32) (local.tee $slot (i32.load (i32.load offset=4 (local.get $buf))))
            (then (call_indirect (type $sig) (i32.load offset=8 (local.get $buf)) (i32.add (local.get $x) (i32.const 1)) (local.get $slot)))
            (else (call $body (i32.load offset=8 (local.get $buf)) (i32.add (local.get $x) (i32.const 1)))))))
      (else (i32.add (i32.mul (local.get $x) (i32.const 3)) (i32.load offset=4 (local.get $buf))))))
  (func $bad (type $sig) (param $buf i32) (param $x i32) (result i32)
    (call $push (i32.const 0))
    (call $update (local.get $x))
    (local.get $x))
  (func $other (type $sig) (param $buf i32) (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 100)))
  ${opts.redirect ? `(func (export "redirect") (i32.store (i32.const 28) (i32.const 3)))` : ""}
  ${opts.simd ? `(func (export "simd") (param i32) (result i32) (i32x4.extract_lane 0 (i32x4.splat (local.get 0))))` : ""}
  ${opts.eh ? `(tag $t) (func (export "eh") (param i32) (result i32) (try (result i32) (do (throw $t)) (catch $t (local.get 0))))` : ""}
  (func (export "run") (param $x i32) (result i32)
    (if (result i32) (i32.load (i32.const 24))
      (then (call_indirect (type $sig) (i32.const 144) (local.get $x) (i32.load (i32.const 24))))
      (else (call $body (i32.const 144) (local.get $x))))))`;
}

async function specialize(opts: Variant, extra: SpecializeOptions = {}) {
  const b = await loadBinaryen();
  const mod = withFeatures(b, b.parseText(moduleText(opts)));
  if (opts.simd) mod.setFeatures(mod.getFeatures() | b.Features.SIMD128);
  const wasm = mod.emitBinary();
  mod.dispose();
  const ir = new Map<string, string>();
  const r = await specializeModule(wasm, { verify: true, dumpIr: (file, text) => ir.set(file, text), ...extra });
  const { instance } = await WebAssembly.instantiate(r.wasm as BufferSource);
  const e = instance.exports as { run(x: number): number; redirect?: () => void; memory: WebAssembly.Memory };
  const slots = new Uint32Array(e.memory.buffer, 24, 2);
  return { r, ir, e, slots: [slots[0], slots[1]] };
}

/** The cleaned IR of the request with user id `userId`. */
const cleaned = (ir: Map<string, string>, userId: number) => ir.get(`request${userId}-cleaned.ir`)!;

describe("calls between specialized functions", () => {
  it("a load of another request's slot folds to its table index, and the call through it becomes a direct call", async () => {
    const { r, ir, e, slots } = await specialize({});
    expect(r.requests.map((q) => q.tableIndex)).toEqual([4, 5]);
    expect(slots).toEqual([4, 5]);
    const a = cleaned(ir, 5);
    // 8 functions (2 imports, 6 defined) in the snapshot: A is function 8, B function 9.
    expect(a).toMatch(/= call 9\b/);
    expect(a).not.toMatch(/call_indirect|load/);
    expect(e.run(5)).toBe(1000 + 6 * 3 + 7);
  });

  it("a small callee that calls no specialized function is inlined into its callers (unless noInline)", async () => {
    const b = await loadBinaryen();
    const directCalls = (wasm: Uint8Array) => {
      const mod = withFeatures(b, b.readBinary(wasm));
      const text = mod.emitText();
      mod.dispose();
      return (text.match(/\(call \$/g) ?? []).length;
    };
    const inlined = await specialize({});
    const separate = await specialize({}, { noInline: true });
    expect(inlined.r.requests.map((q) => !!q.inlined)).toEqual([false, true]);
    expect(separate.r.requests.map((q) => !!q.inlined)).toEqual([false, false]);
    expect(directCalls(inlined.r.wasm)).toBe(directCalls(separate.r.wasm) - 1);
    expect(inlined.e.run(5)).toBe(1025);
    expect(separate.e.run(5)).toBe(1025);
  });

  it("a module whose code stores into the slot keeps the load and the indirect call, and its run-time write works", async () => {
    const { ir, e } = await specialize({ redirect: true });
    const a = cleaned(ir, 5);
    expect(a).toMatch(/call_indirect/);
    expect(a).toMatch(/i32\.load/);
    expect(e.run(5)).toBe(1025);
    // The run-time write the specializer saw: A's code now reads it and calls $other (x * 100).
    e.redirect!();
    expect(e.run(5)).toBe(1000 + 6 * 100);
  });

  it("a module with a function the specializer cannot read folds nothing, and says so", async () => {
    const { r, ir, e } = await specialize({ simd: true });
    expect(cleaned(ir, 5)).toMatch(/call_indirect/);
    expect(r.notFolded).toEqual([
      expect.stringMatching(/^no request's slot or buffer is folded into specialized code: .*unsupported SIMD/),
    ]);
    expect(e.run(5)).toBe(1025);
  });

  it("a function the specializer cannot read but with no store in it (exception handling) does not stop the folding", async () => {
    const { r, ir, e } = await specialize({ eh: true });
    expect(cleaned(ir, 5)).not.toMatch(/call_indirect/);
    expect(r.notFolded).toEqual([]);
    expect(e.run(5)).toBe(1025);
  });

  it("an aborted request takes no table index: the others move down and a request that folded one is specialized again", async () => {
    const { r, ir, e, slots } = await specialize({ abortFirst: true });
    expect(r.requests.map((q) => [q.userId, q.tableIndex, !!q.aborted])).toEqual([
      [9, 0, true],
      [5, 4, false],
      [6, 5, false],
    ]);
    expect(slots).toEqual([4, 5]);
    expect(cleaned(ir, 5)).toMatch(/= call 9\b/); // B's function after A's, as emitted
    expect(e.run(5)).toBe(1025);
  });

  it("a callee that aborts leaves its slot 0: its caller, specialized again, folds that and calls the generic function", async () => {
    const { r, ir, e, slots } = await specialize({ calleeAborts: true });
    expect(r.requests.map((q) => [q.userId, q.tableIndex, !!q.aborted])).toEqual([
      [5, 4, false],
      [6, 0, true],
    ]);
    expect(slots).toEqual([4, 0]);
    const a = cleaned(ir, 5);
    expect(a).toMatch(/= call 4\b/); // $body, the generic function (after 2 imports and 2 exports)
    expect(a).not.toMatch(/call_indirect|= call [89]\b/);
    expect(e.run(5)).toBe(1025);
  });

  it("every request aborted: nothing folds to a function that is not there", async () => {
    const { r, e, slots } = await specialize({}, { limits: { maxBlocks: 1 } });
    expect(r.requests.every((q) => q.aborted && q.tableIndex === 0)).toBe(true);
    expect(slots).toEqual([0, 0]);
    expect(e.run(5)).toBe(1025);
  });
});
