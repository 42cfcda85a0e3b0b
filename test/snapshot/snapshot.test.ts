// The snapshot stage: the wizer-style differential (init + main vs snapshot + main: output, every memory byte,
// every global), a hand-written clang-shaped module (start function, __stack_pointer, passive and dropped
// segments), the pending weval request in the snapshot of sum.asm field by field, a program image over 1 MB (data
// runs that size once overflowed the stack), clear errors for what it refuses, and the real wizer binary on the same
// input when it can run.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProgramSource } from "../../bytecode/index.ts";
import { randomProgram } from "../../bytecode/random.ts";
import { buildInterpreter, ROOT } from "../../interp/build.ts";
import { BufferedOutput, InterpreterHost, instantiate } from "../../interp/host.ts";
import { snapshot } from "../../snapshot/index.ts";
import { nonZeroRuns } from "../../snapshot/segments.ts";
import { constantExport, initialMemory, readPendingRequests } from "../../specializer/requests.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";
import { corpus } from "../helpers.ts";

const interp = (await buildInterpreter("toy")).wasm;

async function watToWasm(path: string): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = withFeatures(b, b.parseText(readFileSync(path, "utf8")));
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** Every global's value through the module's own exports is not available, so compare via instrumentation:
 *  run main, then read memory and the exported globals the toy module has (none), plus output and result. */
async function toyState(wasm: Uint8Array, program: Uint8Array, runInit: boolean) {
  const out = new BufferedOutput();
  const host = new InterpreterHost(program, out);
  const inst = await instantiate(wasm, host);
  if (runInit) (inst.exports["wizer.initialize"] as () => void)();
  const halt = BigInt.asUintN(64, (inst.exports.run as () => bigint)());
  return {
    stdout: out.text(),
    halt,
    memory: new Uint8Array((inst.exports.memory as WebAssembly.Memory).buffer).slice(),
  };
}

/** The index of the first byte where two arrays differ, or -1 (toEqual on megabytes is slow and prints them all). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

async function snapToy(program: Uint8Array) {
  const host = new InterpreterHost(program, new BufferedOutput());
  return snapshot(interp, { imports: host.imports, onInstance: (i) => host.bind(i) });
}

describe("snapshot of the toy interpreter", () => {
  it.each(
    corpus()
      .filter((p) => !p.file.endsWith("sum.asm"))
      .map((p) => [p.file.split("/").pop()!, p] as const),
  )("init+main == snapshot+main for %s (output, result, every memory byte)", async (_n, p) => {
    const snap = await snapToy(p.bytes);
    expect(snap.wasm.length).toBeGreaterThan(0);
    const a = await toyState(interp, p.bytes, true);
    const b = await toyState(snap.wasm, new Uint8Array(0), false); // the program is in the snapshot's memory
    expect(b.stdout).toBe(a.stdout);
    expect(b.halt).toBe(a.halt);
    expect(b.memory).toEqual(a.memory);
    expect(
      WebAssembly.Module.exports(new WebAssembly.Module(snap.wasm as BufferSource)).map((e) => e.name),
    ).not.toContain("wizer.initialize");
  });

  it("init+main == snapshot+main on 40 random programs", async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const p = loadProgramSource(randomProgram(seed), `seed ${seed}`);
      const snap = await snapToy(p.bytes);
      const a = await toyState(interp, p.bytes, true);
      const b = await toyState(snap.wasm, new Uint8Array(0), false);
      expect(b, `seed ${seed}`).toEqual(a);
    }
  });

  it("holds exactly one pending weval request for sum.asm, field by field", async () => {
    const sum = corpus().find((p) => p.file.endsWith("sum.asm"))!;
    const snap = await snapToy(sum.bytes);
    const info = decodeModule(snap.wasm);
    const memory = initialMemory(info);
    const head = constantExport(info, "weval.pending.head")!;
    const reqs = readPendingRequests(memory, head);
    expect(reqs).toHaveLength(1);
    const [r] = reqs;
    expect(r).toMatchObject({
      next: 0,
      prev: 0,
      userId: 1,
      numGlobals: 0,
      arglen: 16 + ((sum.bytes.length + 7) & ~7) + 16,
    });
    expect(info.functions[info.table0.get(r.func)!].type).toEqual({ params: ["i32", "i32"], results: ["i64"] });
    expect(new DataView(memory.buffer).getUint32(r.specializedSlot, true)).toBe(0);
    expect(r.args).toHaveLength(2);
    expect(r.args[0]).toMatchObject({ specialize: true, ty: "buffer" });
    expect(r.args[0].bytes).toEqual(sum.bytes);
    expect(r.args[1]).toEqual({ specialize: false, ty: "none", value: undefined });
  });

  it("snapshots a program image over 1 MB (one data run that size), and init+main == snapshot+main on it", async () => {
    // ~120k 9-byte LOAD_IMMEDIATEs (the zero bytes of their immediates are gaps short enough to merge, so the code
    // is one run) and a 64 KiB string: the program lands in memory twice (the copy init reads and the request's
    // buffer argument), so the snapshot's data section holds over 2 MB.
    const n = 120_000;
    const big = "0123456789abcdef".repeat(4096);
    const lines = [".locals 1", `.string "${big}"`];
    for (let i = 1; i <= n; i++) lines.push(`LOAD_IMMEDIATE ${i * 0x10001}`);
    lines.push("PRINT #0", "PRINTI", 'PRINT "\\n"', "HALT");
    const p = loadProgramSource(lines.join("\n"), "big.asm");
    expect(p.bytes.length).toBeGreaterThanOrEqual(1 << 20);
    const snap = await snapToy(p.bytes);
    expect(WebAssembly.validate(snap.wasm as BufferSource)).toBe(true);
    expect(snap.stats.dataBytes).toBeGreaterThanOrEqual(2 * p.bytes.length);
    expect(Math.max(0, ...decodeModule(snap.wasm).data.map((d) => d.bytes.length))).toBeGreaterThanOrEqual(1 << 20);
    const a = await toyState(interp, p.bytes, true);
    const b = await toyState(snap.wasm, new Uint8Array(0), false);
    expect(a.stdout).toBe(`${big}${n * 0x10001}\n`);
    expect(b.stdout).toBe(a.stdout);
    expect(b.halt).toBe(BigInt(n * 0x10001));
    expect(b.halt).toBe(a.halt);
    expect(b.memory.length).toBe(a.memory.length);
    expect(firstDifference(b.memory, a.memory), "first differing memory byte").toBe(-1);
  });

  it("is quick and small", async () => {
    const sum = corpus().find((p) => p.file.endsWith("sum.asm"))!;
    const snap = await snapToy(sum.bytes);
    expect(snap.stats.pages).toBe(1);
    expect(snap.stats.outputBytes).toBeLessThan(interp.length + 2048);
  });
});

describe("snapshot of a module not made by AssemblyScript", async () => {
  const wasm = await watToWasm(join(ROOT, "test", "snapshot", "fixtures", "clang-like.wat"));

  it("keeps the start function's and init's effects, drops start, keeps passive segments and never revives a dropped one", async () => {
    const direct = (await WebAssembly.instantiate(wasm as BufferSource)).instance.exports as Record<
      string,
      CallableFunction
    >;
    (direct["wizer.initialize"] as () => void)();
    const snap = await snapshot(wasm);
    const info = decodeModule(snap.wasm);
    expect(info.start).toBeUndefined();
    expect(info.memories[0]).toMatchObject({ initial: 2, max: 10 });
    const after = (await WebAssembly.instantiate(snap.wasm as BufferSource)).instance.exports as Record<
      string,
      CallableFunction
    >;
    expect(after.sp()).toBe(66544);
    expect(after.ratio()).toBe(2.5);
    expect(after.main()).toBe(direct.main());
    expect(() => after.try_once()).toThrow(); // dropped by init: still dropped
    expect(() => direct.try_once()).toThrow();
    const m1 = new Uint8Array((direct.memory as unknown as WebAssembly.Memory).buffer);
    const m2 = new Uint8Array((after.memory as unknown as WebAssembly.Memory).buffer);
    expect(m2).toEqual(m1);
    expect(new TextDecoder().decode(m2.subarray(2048, 2062))).toBe("copied by init");
  });

  it("snapshots a module with tail calls: init's million-deep return_call loop, then main's return_call_indirect", async () => {
    const b = await loadBinaryen();
    const mod = b.parseText(`(module
      (type $t (func (param i32 i32) (result i32)))
      (memory (export "memory") 1)
      (table 2 funcref)
      (elem (i32.const 1) $sum)
      (func $sum (type $t) (param $n i32) (param $acc i32) (result i32)
        (if (i32.eqz (local.get $n)) (then (return (local.get $acc))))
        (return_call $sum (i32.sub (local.get $n) (i32.const 1)) (i32.add (local.get $acc) (local.get $n))))
      (func (export "wizer.initialize") (i32.store (i32.const 64) (call $sum (i32.const 1000000) (i32.const 0))))
      (func (export "main") (result i32)
        (return_call_indirect (type $t) (i32.const 10) (i32.load (i32.const 64)) (i32.const 1))))`);
    mod.setFeatures(b.Features.MVP | b.Features.TailCall);
    const wasm = mod.emitBinary();
    mod.dispose();
    const direct = (await WebAssembly.instantiate(wasm as BufferSource)).instance.exports as Record<
      string,
      () => number
    >;
    direct["wizer.initialize"]();
    const snap = await snapshot(wasm);
    const after = (await WebAssembly.instantiate(snap.wasm as BufferSource)).instance.exports as Record<
      string,
      () => number
    >;
    expect(after.main()).toBe(direct.main());
    expect(after.main()).toBe(1784293664 + 55); // 1,000,000 * 1,000,001 / 2 mod 2^32 (i32), then + 55
  });

  it("merges small gaps and caps the number of segments", () => {
    const mem = new Uint8Array(100);
    mem[10] = 1;
    mem[12] = 2; // gap of 1: merged
    mem[50] = 3; // far: its own segment
    expect(nonZeroRuns(mem).map((r) => [r.offset, r.bytes.length])).toEqual([
      [10, 3],
      [50, 1],
    ]);
    const many = new Uint8Array(1000);
    for (let i = 0; i < 1000; i += 20) many[i] = 1;
    expect(nonZeroRuns(many, 10).length).toBe(10);
  });
});

describe("snapshot errors", () => {
  const cases: [string, string, RegExp][] = [
    [
      "imported memory",
      '(module (import "env" "mem" (memory 1)) (func (export "wizer.initialize")))',
      /imports its memory/,
    ],
    [
      "imported global",
      '(module (import "env" "g" (global i32)) (memory 1) (func (export "wizer.initialize")))',
      /imports global env\.g/,
    ],
    [
      "no init export",
      "(module (memory 1))",
      /exports no init function \('wizer\.initialize' or 'wizer-initialize'\); name one with --init/,
    ],
    [
      "a trap in init",
      '(module (memory 1) (func (export "wizer.initialize") unreachable))',
      /'wizer\.initialize' trapped: unreachable/,
    ],
    [
      "a table changed by init",
      '(module (memory 1) (table (export "t") 2 funcref) (func $f) (elem declare func $f) (func (export "wizer.initialize") (table.set (i32.const 1) (ref.func $f))))',
      /changed the table/,
    ],
  ];
  it.each(cases)("refuses %s", async (_name, wat, message) => {
    const b = await loadBinaryen();
    const mod = b.parseText(wat);
    mod.setFeatures(b.Features.All);
    const wasm = mod.emitBinary();
    mod.dispose();
    await expect(snapshot(wasm)).rejects.toThrow(message);
  });

  it("refuses several memories", async () => {
    const b = await loadBinaryen();
    const mod = b.parseText('(module (memory 1) (memory 1) (func (export "wizer.initialize")))');
    mod.setFeatures(b.Features.All);
    const wasm = mod.emitBinary();
    mod.dispose();
    await expect(snapshot(wasm)).rejects.toThrow(/2 memories/);
  });
});

describe("the real wizer on the same input", async () => {
  const wizer = join(ROOT, "node_modules", "@bytecodealliance", "wizer-linux-x64", "wizer");
  let why = "";
  if (!existsSync(wizer))
    why = "the wizer binary is not installed (optional dependency @bytecodealliance/wizer-linux-x64)";
  else {
    try {
      execFileSync(wizer, ["--help"], { stdio: "ignore" });
    } catch (e) {
      why = `the wizer binary cannot run here: ${(e as Error).message}`;
    }
  }
  it.skipIf(why !== "")(`behaves like ours${why ? ` (skipped: ${why})` : ""}`, async () => {
    const wasm = await watToWasm(join(ROOT, "test", "snapshot", "fixtures", "wizer-compatible.wat"));
    const dir = mkdtempSync(join(tmpdir(), "futamura-wizer-"));
    writeFileSync(join(dir, "in.wasm"), wasm);
    execFileSync(wizer, ["--init-func", "wizer.initialize", join(dir, "in.wasm"), "-o", join(dir, "out.wasm")], {
      stdio: "pipe",
    });
    const theirs = new Uint8Array(readFileSync(join(dir, "out.wasm")));
    const ours = (await snapshot(wasm)).wasm;
    const run = async (bytes: Uint8Array) => {
      const ex = (await WebAssembly.instantiate(bytes as BufferSource)).instance.exports as Record<
        string,
        CallableFunction
      >;
      return {
        main: ex.main(),
        sp: ex.sp(),
        ratio: ex.ratio(),
        pages: ex.pages(),
        memory: new Uint8Array((ex.memory as unknown as WebAssembly.Memory).buffer).slice(),
      };
    };
    expect(await run(ours)).toEqual(await run(theirs));
  });
});
