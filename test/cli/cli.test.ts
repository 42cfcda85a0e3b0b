// The `futamura` command as a user runs it: real processes, exit codes, one-line errors with no stack trace,
// and outputs that never overwrite an input.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../interp/build.ts";

const cacheDir = mkdtempSync(join(tmpdir(), "futamura-cache-"));

function futamura(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, FUTAMURA_CACHE_DIR: cacheDir },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("futamura CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "futamura-cli-"));

  it("runs sum-to-100M", () => {
    const r = futamura("run", "bytecode/programs/sum.asm");
    expect(r).toMatchObject({ code: 0, stdout: "Result: 5000000050000000\n" });
  });

  it("assembles, disassembles and runs the binary, with --expect checking the comments", () => {
    const out = join(dir, "fib.fbc");
    expect(futamura("asm", "bytecode/programs/fib.asm", "-o", out).code).toBe(0);
    const dis = futamura("dis", out);
    expect(dis.code).toBe(0);
    expect(dis.stdout).toContain("JMPNZ L");
    expect(futamura("run", out).stdout).toBe("fib(90) = 2880067194370816120\n");
    expect(futamura("run", "--expect", "bytecode/programs/fib.asm").code).toBe(0);
    const wrong = join(dir, "wrong.asm");
    writeFileSync(wrong, '; expect: 2\nLOAD_IMMEDIATE 1\nPRINTI\nPRINT "\\n"\nHALT\n');
    const r = futamura("run", "--expect", wrong);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expectation failed: stdout "1\\n" != expected "2\\n"');
  });

  it("lists a Fern program's compiled functions with pcs and source lines, and its source errors as such", () => {
    const dis = futamura("dis", "lang/bench/fib.fern");
    expect(dis.code).toBe(0);
    expect(dis.stdout).toMatch(/^; lang\/bench\/fib\.fern: 2 function\(s\)/);
    expect(dis.stdout).toMatch(/\nfn fib \(function 1; 1 parameter\(s\)/);
    expect(dis.stdout).toMatch(/\n +\d+  JUMP_IF_NOT_LT_LK \d+ 0 2 +; line \d+\n/); // `if (n < 2)`, one fused instruction
    expect(dis.stdout).toMatch(/\n +\d+  RETURN +; line \d+\n/);
    const bad = join(dir, "bad.fern");
    writeFileSync(bad, "let x = ;\n");
    expect(futamura("dis", bad)).toMatchObject({
      code: 1,
      stderr: `${bad}:1:9: error: expected an expression, found ';'\n`,
    });
  });

  it("traces pc, instruction and accumulator", () => {
    const r = futamura("run", "--trace", "bytecode/programs/wrap_add.asm");
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")[0]).toMatch(/^\s+0\s+LOAD_IMMEDIATE 9223372036854775813\s+acc=0\s+\(line 4\)$/);
    expect(r.stderr).toContain("result: 12");
  });

  it("reports a malformed program on one line with file:line:col and exit code 1", () => {
    const bad = join(dir, "bad.asm");
    writeFileSync(bad, "  INC\n  JMPNZ nowhere\n  HALT\n");
    const r = futamura("run", bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${bad}:2:9: error: undefined label 'nowhere'\n`);
    const badBin = join(dir, "bad.fbc");
    writeFileSync(badBin, Buffer.from("FUTA\x01\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x07"));
    const b = futamura("run", badBin);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe(
      `${badBin}: byte 16 (0x10): error: the last instruction (pc 0) is INC, not HALT: control would fall off the end\n`,
    );
    expect(futamura("run", join(dir, "missing.asm")).stderr).toBe(`${join(dir, "missing.asm")}: error: no such file\n`);
  });

  it("never overwrites its input", () => {
    const src = join(dir, "keep.asm");
    writeFileSync(src, "HALT\n");
    const r = futamura("asm", src, "-o", src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refusing to overwrite an input file");
    expect(readFileSync(src, "utf8")).toBe("HALT\n");
  });

  it("compiles and runs sum-to-100M ahead of time, then from the cache", () => {
    const first = futamura("run", "--aot", "bytecode/programs/sum.asm");
    expect(first).toMatchObject({ code: 0, stdout: "Result: 5000000050000000\n" });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith(".wasm"))).toHaveLength(1);
    expect(futamura("run", "--aot", "--expect", "bytecode/programs/sum.asm")).toMatchObject({
      code: 0,
      stdout: "Result: 5000000050000000\n",
    });
  });

  it("snapshots, specializes with --stats and --dump-ir, builds, and runs the built module", () => {
    const snap = join(dir, "fib.snapshot.wasm");
    const s = futamura("snapshot", "toy", "bytecode/programs/fib.asm", "-o", snap);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/fib\.snapshot\.wasm: .* KiB \(interpreter .* KiB\), 1 pages, \d+ data segments/);
    const out = join(dir, "fib.wevaled.wasm");
    const irDir = join(dir, "ir");
    const sp = futamura("specialize", snap, "-o", out, "--stats", "--dump-ir", irDir, "--verify");
    expect(sp.code, sp.stderr).toBe(0);
    expect(sp.stdout).toMatch(
      /request 1 \(\$\d+\): table slot \d+; \d+ contexts, \d+ blocks \(generic \d+\), \d+ values/,
    );
    expect(sp.stdout).toMatch(
      /cleanup [\d.]+ ms: \d+ loads forwarded, \d+ redundant parameters, \d+ made f64, \d+ dead values, \d+ jumps threaded, \d+ blocks merged -> \d+ blocks, \d+ values; binaryen: lean passes/,
    );
    expect(sp.stdout).toMatch(/output [\d.]+ KiB \([\d.]+ KiB before binaryen\)/);
    // The IR before and after the cleanup passes.
    expect(readdirSync(irDir).sort()).toEqual([
      "request1-cleaned.ir",
      "request1-generic.ir",
      "request1-specialized.ir",
    ]);
    expect(readFileSync(join(irDir, "request1-specialized.ir"), "utf8")).toMatch(
      /^function .*\$specialized\(i32, i32\) -> i64 \{/,
    );
    expect(futamura("run", out)).toMatchObject({ code: 0, stdout: "fib(90) = 2880067194370816120\n" });
    const built = join(dir, "nested.wasm");
    expect(futamura("build", "bytecode/programs/nested.asm", "-o", built, "--no-cache").code).toBe(0);
    expect(futamura("run", built).stdout).toBe("inner steps: 1200\n");
  });

  it("shows calls between a Fern program's functions as direct calls (--stats, --dump-ir)", () => {
    const out = join(dir, "fib-fern.wasm");
    const irDir = join(dir, "fib-fern-ir");
    const b = futamura("build", "lang/bench/fib.fern", "-o", out, "--no-cache", "--stats", "--dump-ir", irDir);
    expect(b.code, b.stderr).toBe(0);
    // main calls fib once, fib calls itself twice: through the callee's slot, folded to a direct call.
    // Each request is headed with the Fern function it specializes.
    expect(b.stdout).toMatch(/\(\$\d+, fn fib\): table slot 2; .* values, 2 direct calls to specialized functions/);
    expect(b.stdout).toMatch(/\(\$\d+, fn main\): table slot 3; .* values, 1 direct call to specialized functions/);
    // The interpreter's CALL goes through call_indirect; fib's specialized code has none left.
    expect(readFileSync(join(irDir, "request2-1-generic.ir"), "utf8")).toMatch(/call_indirect/);
    expect(readFileSync(join(irDir, "request2-1-cleaned.ir"), "utf8")).not.toMatch(/call_indirect/);
    expect(futamura("run", out).stdout).toBe("832040\n");
  });

  it("prints IR and round-trips a module through it", () => {
    const ir = futamura("ir", "build/interp/toy.wasm", "--func", "run", "--verify");
    expect(ir.code, ir.stderr).toBe(0);
    expect(ir.stdout).toMatch(/^function run\(\) -> i64 \{\nblock0\(\): ; entry/);
    const rt = join(dir, "rt.wasm");
    expect(futamura("ir", "build/interp/toy.wasm", "--roundtrip", "-o", rt).code).toBe(0);
    expect(futamura("run", "--interp", rt, "bytecode/programs/fib.asm").stdout).toBe("fib(90) = 2880067194370816120\n");
    const junk = join(dir, "junk.wasm");
    writeFileSync(junk, "not wasm at all");
    const bad = futamura("ir", junk);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      `${junk}: error: not a WebAssembly module (it is a text file); this command takes a .wasm file\n`,
    );
    expect(futamura("ir", "build/interp/toy.wasm", "--func", "nope").stderr).toMatch(
      /no function named 'nope' \(functions: .*run.*\)/,
    );
  });

  it("has --help everywhere", () => {
    for (const args of [
      ["--help"],
      ["run", "--help"],
      ["asm", "--help"],
      ["dis", "--help"],
      ["snapshot", "--help"],
      ["specialize", "--help"],
      ["build", "--help"],
      ["ir", "--help"],
    ]) {
      const r = futamura(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: futamura");
    }
    expect(futamura("frobnicate").code).toBe(1);
  });
});
