// Mistakes a user makes with modules are one-line user errors (exit 1, no "internal error", nothing written):
// a file that is not Wasm given to specialize or ir, a module with nothing to specialize, an interpreter module
// run as if it were a built program; and `run --expect` says how many expectations held.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { ROOT } from "../../util/root.ts";

const futamura = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
const dir = mkdtempSync(join(tmpdir(), "futamura-user-errors-"));

function userError(args: string[], message: RegExp) {
  const r = futamura(...args);
  expect(r.status, r.stdout).toBe(1);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/internal error|this is a bug/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

describe("module mistakes", () => {
  it("specialize on a text file or random bytes names what the file is, and writes nothing", () => {
    const random = join(dir, "random.bin");
    writeFileSync(
      random,
      Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256),
    );
    userError(
      ["specialize", "README.md", "-o", join(dir, "a.wasm")],
      /README\.md: error: not a WebAssembly module \(it is a text file\)/,
    );
    userError(
      ["specialize", random, "-o", join(dir, "b.wasm")],
      /random\.bin: error: not a WebAssembly module \(it does not start with \\0asm\)/,
    );
    expect(existsSync(join(dir, "a.wasm")) || existsSync(join(dir, "b.wasm"))).toBe(false);
  });

  it("specialize on an interpreter that was not snapshotted says so and writes nothing", async () => {
    const toy = (await buildInterpreter("toy")).path;
    userError(
      ["specialize", toy, "-o", join(dir, "c.wasm")],
      /no pending specialization requests: this module still has its init export \(wizer\.initialize\).*futamura snapshot/,
    );
    expect(existsSync(join(dir, "c.wasm"))).toBe(false);
  });

  it("run on an interpreter module says to give it a program", async () => {
    const toy = (await buildInterpreter("toy")).path;
    userError(
      ["run", toy],
      /this is an interpreter module, not a built program .*futamura run --interp .*toy\.wasm PROGRAM/,
    );
  });
});

describe("run --expect", () => {
  it("says how many expectations held", () => {
    const r = futamura("run", "--expect", "bytecode/programs/fib.asm");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/fib\.asm: (\d+) of \1 expectations met \(stdout/);
  });
});

describe("binary input where a program's text is expected", () => {
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256);
  it.each([
    [
      "random.asm",
      [],
      /random\.asm: error: not a text file \(a zero byte at byte \d+\); a toy program is assembly text, or a \.fbc binary/,
    ],
    ["random.bin", ["--interp", "toy"], /random\.bin: error: not a text file .*a toy program is assembly text/],
    ["random.fern", [], /random\.fern: error: not a text file .*a Fern program is source text/],
    ["random.b", [], /random\.b: error: not a text file .*a Brainfuck program is source text/],
  ] as [string, string[], RegExp][])("run %s is named as not text", (name, flags, message) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    userError(["run", ...flags, file], message);
  });

  it("an executable given to a text language is named as not text", () => {
    userError(
      ["run", "--interp", "fern", process.execPath],
      /error: not a text file \(a zero byte at byte \d+\); a Fern program is source text/,
    );
  });
});

describe("run --aot", () => {
  it("says on stderr when it compiled, and when it used the cache, with the time, with --verbose (off a terminal)", () => {
    const cache = mkdtempSync(join(tmpdir(), "futamura-aot-cache-"));
    const run = (...flags: string[]) =>
      spawnSync(
        process.execPath,
        [join(ROOT, "bin", "futamura.mjs"), ...flags, "run", "--aot", "bytecode/programs/fib.asm"],
        { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, FUTAMURA_CACHE_DIR: cache } },
      );
    const first = run("--verbose");
    expect(first.stderr).toMatch(
      /^futamura: bytecode\/programs\/fib\.asm: compiled in [\d.]+ s \(cached for the next run\)\n$/,
    );
    const second = run("--verbose");
    expect(second.stderr).toMatch(
      /^futamura: bytecode\/programs\/fib\.asm: compiled code from the cache \([\d.]+ s\)\n$/,
    );
    expect(second.stdout).toBe(first.stdout);
    // Piped, without --verbose: nothing on stderr (no progress line, no note).
    expect(run()).toMatchObject({ status: 0, stdout: first.stdout, stderr: "" });
  });
});

describe("run --timeout", () => {
  it.each([
    ["forever.fern", "let i = 0;\nwhile (true) { i += 1; }\n"],
    ["forever.asm", "loop: LOAD_IMMEDIATE 1\n      JMPNZ loop\n      HALT\n"],
  ])(
    "stops %s after the time, interpreted and compiled, with exit code 124",
    (name, source) => {
      const file = join(dir, name);
      writeFileSync(file, source);
      for (const mode of [[], ["--aot"]]) {
        const r = futamura("run", ...mode, "--timeout", "2", file);
        expect(r.status).toBe(124);
        expect(r.stderr).toMatch(
          new RegExp(`futamura: .*${name.replace(".", "\\.")}: stopped after 2 s \\(--timeout\\)`),
        );
      }
    },
    60_000,
  );

  it("lets a program that finishes in time finish, and rejects a bad value", () => {
    expect(futamura("run", "--timeout", "60", "bytecode/programs/fib.asm")).toMatchObject({
      status: 0,
      stdout: "fib(90) = 2880067194370816120\n",
    });
    userError(
      ["run", "--timeout", "abc", "bytecode/programs/fib.asm"],
      /--timeout takes a positive number of seconds, got 'abc'/,
    );
    userError(
      ["run", "--timeout", "0", "bytecode/programs/fib.asm"],
      /--timeout takes a positive number of seconds, got '0'/,
    );
  }, 60_000);
});

describe("project manifests in the working folder", () => {
  it("two folders claiming one interpreter name do not stop other commands; asking for that name says who claims it", () => {
    const home = mkdtempSync(join(tmpdir(), "futamura-manifests-"));
    for (const sub of ["one", "two"]) {
      mkdirSync(join(home, sub));
      writeFileSync(
        join(home, sub, "futamura-interp.json"),
        JSON.stringify({ name: "same", entry: "lang.ts", extensions: [".same"] }),
      );
      writeFileSync(join(home, sub, "lang.ts"), "export function run(): i64 { return 0; }\n");
    }
    mkdirSync(join(home, "broken"));
    writeFileSync(join(home, "broken", "futamura-interp.json"), "{ not json");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
        cwd: home,
        encoding: "utf8",
        timeout: 120_000,
      });
    expect(run("run", join(ROOT, "bytecode", "programs", "fib.asm"))).toMatchObject({
      status: 0,
      stdout: "fib(90) = 2880067194370816120\n",
    });
    const same = run("run", "--interp", "same", join(ROOT, "bytecode", "programs", "fib.asm"));
    expect(same.status).toBe(1);
    expect(same.stderr).toMatch(
      /interpreter name "same" is claimed by one\/futamura-interp\.json, two\/futamura-interp\.json/,
    );
    const unknown = run("run", "--interp", "nope", join(ROOT, "bytecode", "programs", "fib.asm"));
    expect(unknown.stderr).toMatch(
      /no interpreter named 'nope' .*\(not read: .*broken\/futamura-interp\.json.*not valid JSON/,
    );
  });
});

describe("an interpreter module given for another language's program", () => {
  it("is a one-line user error, whether the imports or the bytecode do not fit", async () => {
    const fern = (await buildInterpreter("fern")).path;
    const toy = (await buildInterpreter("toy")).path;
    userError(
      ["run", "--interp", fern, "bytecode/programs/hello.asm"],
      /the interpreter module imports fern\.\w+, which this program's loader does not provide: the interpreter and the program are for different languages/,
    );
    userError(
      ["run", "--interp", toy, "lang/programs/arithmetic.fern"],
      /arithmetic\.fern: error: the interpreter trapped: unreachable/,
    );
  });
});

describe("usage mistakes: the first one is reported first, on one line", () => {
  it("an unknown option before a missing required option, and a missing argument before either", () => {
    userError(
      ["build", "--frobnicate", "x.lua"],
      /^error: unknown option '--frobnicate' \(run with --help for usage\)$/m,
    );
    userError(["build", "x.lua"], /^error: required option '-o, --out <file>' not specified/);
    userError(["build"], /^error: missing required argument 'program'/);
    userError(["snapshot", "toy", "--frobnicate"], /^error: unknown option '--frobnicate'/);
    // run's unknown option may be the program's own: where those go (futamura run x.lua -- -v).
    userError(
      ["run", "interp/lua/programs/app.lua", "-v"],
      /^error: unknown option '-v' \(a program's own arguments that start with '-' go after --; run with --help for usage\)$/m,
    );
  });

  it("a missing file or a directory before its extension, and before bench's note on what it replaces", () => {
    const sub = join(dir, "a directory");
    mkdirSync(sub, { recursive: true });
    userError(["build", sub, "-o", join(dir, "x.wasm")], /a directory: error: is a directory, not a file\n$/);
    userError(["diff", join(dir, "nope")], /nope: error: no such file\n$/);
    userError(["bench", join(dir, "nope.fern")], /nope\.fern: error: no such file\n$/);
    // as `run` does: the missing file before an unknown --interp, and every missing file before the first build
    userError(
      ["build", "--interp", "nope", join(dir, "nope.fern"), "-o", join(dir, "y.wasm")],
      /nope\.fern: error: no such file\n$/,
    );
    userError(["diff", "bytecode/programs/sum.asm", join(dir, "nope.asm")], /nope\.asm: error: no such file\n$/);
    // an index the help offers, but of an imported function: said as such, not "no function named"
    userError(
      ["ir", "toy", "--func", "0"],
      /^toy: function 0 \(weval\.[\w.]+\) is imported: it has no body to print\n$/,
    );
  });
});
