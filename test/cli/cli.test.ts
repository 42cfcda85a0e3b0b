// The `futamura` command as a user runs it: real processes, exit codes, one-line errors with no stack trace,
// and outputs that never overwrite an input.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../interp/build.ts";

function futamura(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], { cwd: ROOT, encoding: "utf8" });
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
    writeFileSync(wrong, "; expect: 2\nLOAD_IMMEDIATE 1\nPRINTI\nPRINT \"\\n\"\nHALT\n");
    const r = futamura("run", "--expect", wrong);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expectation failed: stdout "1\\n" != expected "2\\n"');
  });

  it("traces pc, instruction and accumulator", () => {
    const r = futamura("run", "--trace", "bytecode/programs/wrap_add.asm");
    expect(r.code).toBe(0);
    expect(r.stderr.split("\n")[0]).toMatch(/^\s+0\s+LOAD_IMMEDIATE 9223372036854775813\s+acc=0\s+\(line 4\)$/);
    expect(r.stderr).toContain("halt: acc=12");
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
    expect(b.stderr).toBe(`${badBin}: byte 16 (0x10): error: the last instruction (pc 0) is INC, not HALT: control would fall off the end\n`);
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

  it("has --help everywhere", () => {
    for (const args of [["--help"], ["run", "--help"], ["asm", "--help"], ["dis", "--help"]]) {
      const r = futamura(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toContain("Usage: futamura");
    }
    expect(futamura("frobnicate").code).toBe(1);
  });
});
