// The interpreter's init queues exactly the request weval's ABI describes (shared/DESIGN.md), byte for byte:
// weval_req_t {next@0, prev@4, user_id@8, num_globals@12, func@16, argbuf@20, arglen@24, specialized@28} and the
// argument records {u32 specialize@0, u32 ty@4, u64 payload@8} (+ zero-padded buffer bytes).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter, ROOT } from "../../interp/build.ts";
import { stubBehaviour, WEVAL_STUBS } from "../../interp/weval-stubs.ts";
import { BufferedOutput, InterpreterHost, instantiate } from "../../interp/host.ts";
import { InternalError } from "../../util/errors.ts";
import { corpus } from "../helpers.ts";

const sum = corpus().find((p) => p.file.endsWith("sum.asm"))!;

describe("weval ABI in the toy interpreter", async () => {
  const { wasm } = await buildInterpreter("toy");
  const instance = await instantiate(wasm, new InterpreterHost(sum.bytes, new BufferedOutput()));
  const ex = instance.exports as Record<string, unknown>;

  it("exports the ABI's names", () => {
    for (const name of ["memory", "table", "wizer.initialize", "run", "weval.pending.head", "weval.is.wevaled"])
      expect(ex[name], name).toBeDefined();
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
    const weval = imports
      .filter((i) => i.module === "weval")
      .map((i) => i.name)
      .sort();
    expect(weval).toEqual(["pop.context", "push.context", "read.reg", "update.context", "write.reg"]);
  });

  it("queues one request with the program as a constant buffer and the locals at run time", () => {
    const headAddr = (ex["weval.pending.head"] as () => number)();
    const flagAddr = (ex["weval.is.wevaled"] as () => number)();
    const mem = () => new DataView((ex.memory as WebAssembly.Memory).buffer);
    expect(mem().getUint32(headAddr, true)).toBe(0);
    (ex["wizer.initialize"] as () => void)();
    const m = mem();
    const req = m.getUint32(headAddr, true);
    expect(req).not.toBe(0);
    expect(m.getUint8(flagAddr)).toBe(0);
    expect(m.getUint32(req + 0, true)).toBe(0); // next: the only request
    expect(m.getUint32(req + 4, true)).toBe(0); // prev
    expect(m.getUint32(req + 8, true)).toBe(1); // user_id
    expect(m.getUint32(req + 12, true)).toBe(0); // num_globals
    const func = m.getUint32(req + 16, true);
    const table = ex.table as WebAssembly.Table;
    expect(table.get(func)).toBeTypeOf("function"); // the specializable body, by table index
    const argbuf = m.getUint32(req + 20, true);
    const arglen = m.getUint32(req + 24, true);
    const slot = m.getUint32(req + 28, true);
    expect(m.getUint32(slot, true)).toBe(0); // not specialized yet
    const padded = (sum.bytes.length + 7) & ~7;
    expect(arglen).toBe(16 + padded + 16);
    // arg 0: specialize=1, ty=4 (buffer), len, padded_len, then the program bytes, zero-padded
    expect(m.getUint32(argbuf + 0, true)).toBe(1);
    expect(m.getUint32(argbuf + 4, true)).toBe(4);
    expect(m.getUint32(argbuf + 8, true)).toBe(sum.bytes.length);
    expect(m.getUint32(argbuf + 12, true)).toBe(padded);
    const bytes = new Uint8Array(m.buffer, argbuf + 16, padded);
    expect(bytes.slice(0, sum.bytes.length)).toEqual(sum.bytes);
    expect([...bytes.slice(sum.bytes.length)].every((b) => b === 0)).toBe(true);
    // arg 1: runtime: specialize=0, ty=255, payload 0
    const a1 = argbuf + 16 + padded;
    expect(m.getUint32(a1 + 0, true)).toBe(0);
    expect(m.getUint32(a1 + 4, true)).toBe(255);
    expect(m.getBigUint64(a1 + 8, true)).toBe(0n);
  });

  it("runs the generic body while the slot is empty", () => {
    expect(BigInt.asUintN(64, (ex.run as () => bigint)())).toBe(5000000050000000n);
  });
});

describe("weval's stubs, one table (interp/weval-stubs.ts)", () => {
  it("is what the host gives an unspecialized module: nothing, identity, or a trap naming the intrinsic", () => {
    const weval = new InterpreterHost(new Uint8Array(0), new BufferedOutput()).imports.weval as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    expect(Object.keys(weval).sort()).toEqual(Object.keys(WEVAL_STUBS).sort());
    expect(weval["write.reg"](1n, 2n)).toBeUndefined();
    expect(weval["specialize.value"](7, 0, 10)).toBe(7);
    expect(() => weval["read.reg"](1n)).toThrow(InternalError);
    expect(stubBehaviour("some.future.intrinsic")).toBe("trap");
  });

  it("is what interp/c/weval-stubs.wat (the file the real wizer preloads) does, export by export", () => {
    const wat = readFileSync(join(ROOT, "interp", "c", "weval-stubs.wat"), "utf8");
    const funcs = [...wat.matchAll(/\(func \(export "([^"]+)"\)([^\n]*)/g)];
    expect(funcs.length).toBeGreaterThan(10);
    for (const [, name, rest] of funcs) {
      const behaviour = rest.includes("(unreachable)")
        ? "trap"
        : rest.includes("(local.get 0)")
          ? "identity"
          : "nothing";
      expect(behaviour, name).toBe(WEVAL_STUBS[name]);
    }
  });
});
