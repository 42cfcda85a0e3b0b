// What a new user tries in the first hour (issue 29): a program piped in on standard input (`-`, /dev/stdin) is
// read once and runs; a module that is neither an interpreter nor a built program is named in one line; `asm` and
// `dis` choose the language by extension as `run` does; `diff --timeout` stops an endless program; `--init-func` is
// `--init`; a cached `run --aot` loads neither binaryen nor asc (Fern's `build --stats` naming each request's
// function is checked in cli.test.ts, on its Fern build).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

const futamura = (args: string[], input?: string) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
    input,
  });
const dir = mkdtempSync(join(tmpdir(), "futamura-newcomer-"));

function userError(args: string[], message: RegExp) {
  const r = futamura(args);
  expect(r.status, r.stdout).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|this is a bug/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

describe("a program on standard input", () => {
  it.each([["-"], ["/dev/stdin"]])("runs from %s, read once", (name) => {
    expect(futamura(["run", "--interp", "fern", name], "print(6 * 7);\n")).toMatchObject({ status: 0, stdout: "42\n" });
  });

  it("with no --interp, says to choose one", () => {
    const r = futamura(["run", "-"], "print(1);\n");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^-: error: a program on standard input has no file extension .*--interp/);
  });
});

describe("modules and languages named in one line", () => {
  it("an empty module, run or given as the interpreter, is not an interpreter or a built program", () => {
    const empty = join(dir, "empty.wasm");
    writeFileSync(empty, Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    userError(
      ["run", empty],
      /empty\.wasm: error: not an interpreter or a program futamura built: the module exports no `run` function/,
    );
    userError(
      ["run", "--interp", empty, "lang/bench/calls.fern"],
      /empty\.wasm: error: not an interpreter or a program futamura built/,
    );
  });

  it("asm and dis read a file by its extension", () => {
    userError(
      ["dis", "brainfuck/programs/hello.b"],
      /hello\.b: error: dis lists toy .* and Fern .* programs; this is a bf program/,
    );
    userError(
      ["asm", "lang/bench/calls.fern"],
      /calls\.fern: error: asm assembles the toy machine's assembly .*; this is a fern program/,
    );
  });
});

describe("fast start", () => {
  it("a cached run --aot loads neither binaryen nor the AssemblyScript compiler", () => {
    // A resolve hook that names those two packages on stderr when anything imports them (binaryen also as the copy
    // of its glue that util/binaryen-glue.ts keeps in build/binaryen/). It writes to fd 2 itself: hooks run on a
    // thread of their own, whose process.stderr reaches the process's asynchronously and was lost once (a loaded
    // CI run) when the command exited right after.
    const hook = join(dir, "watch-imports.mjs");
    const watcher = `import { writeSync } from "node:fs"; export async function resolve(s, c, next) { const m = /^(binaryen|assemblyscript)(\\/|$)/.exec(s) ?? (/\\/build\\/binaryen\\/binaryen-[^/]*\\.mjs$/.test(s) ? ["binaryen", "binaryen"] : null); if (m) writeSync(2, "LOADED " + m[1] + "\\n"); return next(s, c); }`;
    writeFileSync(
      hook,
      `import { register } from "node:module";\nregister("data:text/javascript," + encodeURIComponent(${JSON.stringify(watcher)}));\n`,
    );
    const env = { ...process.env, FUTAMURA_CACHE_DIR: join(dir, "cache") };
    const program = join(dir, "three.asm");
    writeFileSync(program, "LOAD_IMMEDIATE 3\nHALT\n"); // the smallest build there is
    const run = () =>
      spawnSync(process.execPath, ["--import", hook, join(ROOT, "bin", "futamura.mjs"), "run", "--aot", program], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env,
      });
    const first = run();
    expect(first).toMatchObject({ status: 0, signal: null });
    expect(first.stderr).toContain("LOADED binaryen"); // compiling: the hook sees it
    const second = run();
    expect(second).toMatchObject({ status: 0, stdout: first.stdout });
    expect(second.stderr).not.toContain("LOADED");
  });
});

describe("--init-func", () => {
  it("is --init, as weval and wizer name it (both spellings)", () => {
    for (const flag of [["--init-func", "nope"], ["--init-func=nope"]])
      userError(
        ["snapshot", ...flag, "toy", "bytecode/programs/fib.asm", "-o", join(dir, "x.wasm")],
        /no exported function 'nope' to run/,
      );
  });
});

describe("diff --timeout", () => {
  it("stops an endless program with exit code 124", () => {
    const file = join(dir, "forever.fern");
    writeFileSync(file, "let i = 0;\nwhile (true) { i += 1; }\n");
    const r = futamura(["diff", "--timeout", "1", file]);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/forever\.fern: stopped after 1 s \(--timeout\)/);
  });
});
