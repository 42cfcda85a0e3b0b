// Bring your own interpreter, as a user does it: manifests and their errors, build-interp's checks (one error
// line per missing thing), every command with Brainfuck chosen by extension or --interp, raw bytes and input
// through the host ABI, and a clear error for another interpreter's program (the scaffold: test/docs/).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../interp/build.ts";
import { readManifest } from "../../interp/manifest.ts";
import { encodeBrainfuck, parseBrainfuck } from "../../brainfuck/loader.ts";
import { UserError } from "../../util/errors.ts";
import { COMPILE_STATUS, expectUserError } from "../helpers.ts";

const cacheDir = mkdtempSync(join(tmpdir(), "futamura-cache-"));
const dir = mkdtempSync(join(tmpdir(), "futamura-interp-"));

function futamura(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd,
    encoding: "buffer",
    timeout: 180_000,
    env: { ...process.env, FUTAMURA_CACHE_DIR: cacheDir },
  });
  // `run --aot` says on stderr when it compiled or used the cache; the assertions here are about the program's own.
  return {
    code: r.status,
    bytes: r.stdout,
    stdout: r.stdout.toString(),
    stderr: r.stderr.toString().replace(COMPILE_STATUS, ""),
  };
}
const inRepo = (...args: string[]) => futamura(ROOT, ...args);

describe("manifests", () => {
  const write = (name: string, text: string) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  it.each([
    ["bad.json", "{", /bad\.json: error: not valid JSON/],
    ["noname.json", '{"entry": "x.ts"}', /noname\.json: error: "name" must be a lowercase name/],
    [
      "noentry.json",
      '{"name": "x", "entry": "missing.ts"}',
      /noentry\.json: error: "entry": missing\.ts does not exist/,
    ],
    [
      "extra.json",
      '{"name": "x", "entry": "extra.json", "loadr": "l.mjs"}',
      /extra\.json: error: unknown field "loadr"/,
    ],
    [
      "ext.json",
      '{"name": "x", "entry": "ext.json", "extensions": ["b"]}',
      /ext\.json: error: extension "b" must look like "\.ext"/,
    ],
    [
      "deep.json",
      '{"name": "x", "entry": "deep.json", "deepStack": "yes"}',
      /deep\.json: error: "deepStack" must be true or false/,
    ],
  ])("%s is refused with one line", (name, text, message) => {
    const f = write(name, text);
    let err: unknown;
    try {
      readManifest(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain("\n");
  });

  it("resolves the built-in ones' paths", () => {
    const m = readManifest(join(ROOT, "interp", "manifests", "bf.json"));
    expect(m).toMatchObject({
      name: "bf",
      extensions: [".b", ".bf"],
      entry: join(ROOT, "interp", "as", "bf.ts"),
      out: join(ROOT, "build", "interp", "bf.wasm"),
    });
    expectUserError(
      () => readManifest(join(dir, "none.json")),
      UserError,
      `${join(dir, "none.json")}: error: no such file`,
    );
  });
});

describe("build-interp", () => {
  it("names every missing export and unknown import, one line each", () => {
    const entry = join(dir, "broken.ts");
    writeFileSync(
      entry,
      '@external("futamura", "print_text") declare function printText(p: usize, n: u32): void;\n@external("mine", "f") declare function f(): void;\nexport function init(): void { printText(0, 0); f(); }\nexport function run(x: i32): i32 { return x; }\n',
    );
    const r = futamura(dir, "build-interp", "broken.ts");
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toContain(
      "broken.ts: error: export 'run' has type (i32) -> (i32); expected export function run(): void | i32 | i64 (the result diff compares)",
    );
    expect(lines).toContain(
      "broken.ts: error: missing export 'weval.pending.head' (export { wevalPendingHead } from \"./weval\")",
    );
    expect(
      lines.some((l) =>
        l.startsWith("broken.ts: error: import 'futamura.print_text' is not part of futamura's host ABI"),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        l.startsWith("broken.ts: error: import 'mine.f': module 'mine' is neither futamura's host ABI nor listed"),
      ),
    ).toBe(true);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  }, 120_000);

  it("builds every known interpreter", () => {
    const r = inRepo("build-interp");
    expect(r.code).toBe(0);
    for (const name of ["toy", "fern", "fern-memory", "bf"])
      expect(r.stdout).toMatch(new RegExp(`build/interp/${name}\\.wasm: ${name}, `));
  }, 120_000);
});

describe("a loader command", () => {
  it("turns a file into the program's bytes through its standard output, and its failure into one line", () => {
    const home = mkdtempSync(join(tmpdir(), "futamura-command-loader-"));
    // The bytes bf.ts runs, made here; the "compiler" copies the file (bytecode already) and refuses bad.bfc.
    const bytecode = encodeBrainfuck(
      parseBrainfuck(readFileSync(join(ROOT, "brainfuck", "programs", "hello.b"), "utf8"), "hello.b"),
    );
    writeFileSync(join(home, "hello.bfc"), bytecode);
    writeFileSync(join(home, "bad.bfc"), bytecode);
    const compiler =
      "const f = process.argv[1]; if (f.endsWith('bad.bfc')) { console.error('bad.bfc: not today'); process.exit(3); } process.stdout.write(require('fs').readFileSync(f));";
    writeFileSync(
      join(home, "futamura-interp.json"),
      JSON.stringify({
        name: "bfc",
        entry: join(ROOT, "interp", "as", "bf.ts"),
        loader: { command: [process.execPath, "-e", compiler, "{file}"] },
        extensions: [".bfc"],
      }),
    );
    expect(futamura(home, "run", "hello.bfc")).toMatchObject({ code: 0, stdout: "Hello from futamura!\n" });
    expect(futamura(home, "run", "--aot", "--interp", "futamura-interp.json", "hello.bfc")).toMatchObject({
      code: 0,
      stdout: "Hello from futamura!\n",
    });
    expect(futamura(home, "run", "bad.bfc")).toMatchObject({
      code: 1,
      stderr: "bad.bfc: error: the loader command failed (exit 3): bad.bfc: not today\n",
    });
  }, 120_000);
});

describe("Brainfuck through every command", () => {
  it("runs by extension, interpreted and --aot, with raw bytes and input", () => {
    expect(inRepo("run", "brainfuck/programs/hello.b").stdout).toBe("Hello from futamura!\n");
    expect(inRepo("run", "--aot", "--interp", "bf", "brainfuck/programs/hello.b").stdout).toBe(
      "Hello from futamura!\n",
    );
    const bytes = inRepo("run", "--aot", "brainfuck/programs/bytes.b").bytes;
    expect([...bytes]).toEqual(Array.from({ length: 256 }, (_, i) => i)); // 0xCA stays 0xCA
    const input = join(dir, "in.txt");
    writeFileSync(input, "abc");
    expect(inRepo("run", "--input", input, "brainfuck/programs/reverse-input.b").stdout).toBe("cba");
    expect(inRepo("run", "--expect", "brainfuck/programs/reverse-input.b").code).toBe(0); // its .in file
  });

  it("runs on the large-stack worker when a project's manifest says deepStack, input and output unchanged", () => {
    // The same interpreter as a project's own, with "deepStack": true: the run goes through interp/deep-run.ts
    // (the manifest decides, not the language), standard input read up front, --input and --aot as usual.
    const cwd = join(dir, "deep-project");
    const project = join(cwd, "bfdeep");
    mkdirSync(project, { recursive: true });
    const bf = readManifest(join(ROOT, "interp", "manifests", "bf.json"));
    const loader = (bf.loader as { module: string }).module;
    writeFileSync(
      join(project, "futamura-interp.json"),
      JSON.stringify({
        name: "bf-deep",
        entry: bf.entry,
        loader,
        extensions: [".b"],
        out: join(project, "bf-deep.wasm"),
        deepStack: true,
      }),
    );
    const programs = join(ROOT, "brainfuck", "programs");
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "run", "--interp", "bf-deep", ...args], {
        cwd,
        input: "xyz",
        encoding: "utf8",
        env: { ...process.env, FUTAMURA_CACHE_DIR: cacheDir },
      });
    expect(run(join(programs, "reverse-input.b"))).toMatchObject({ status: 0, stdout: "zyx" });
    expect(run("--aot", join(programs, "reverse-input.b"))).toMatchObject({ status: 0, stdout: "zyx" });
    const input = join(dir, "in2.txt");
    writeFileSync(input, "abc");
    expect(run("--input", input, join(programs, "reverse-input.b"))).toMatchObject({ status: 0, stdout: "cba" });
    // A runtime error is described by the loader's host on the main thread: file:line:col, as without the worker.
    for (const mode of [[], ["--aot"]]) {
      const r = run(...mode, join(programs, "tape-error.b"));
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("tape-error.b:5:2: runtime error: the tape pointer moved off the tape");
    }
  });

  it("reports a runtime error at file:line:col in both modes, exit code 1", () => {
    for (const mode of [[], ["--aot"]]) {
      const r = inRepo("run", ...mode, "brainfuck/programs/tape-error.b");
      expect(r).toMatchObject({
        code: 1,
        stderr:
          "brainfuck/programs/tape-error.b:5:2: runtime error: the tape pointer moved off the tape (cells 0 to 65535)\n",
      });
    }
    expect(inRepo("run", "--expect", "brainfuck/programs/tape-error.b").code).toBe(0);
  });

  it("snapshots, builds and diffs; diff prints outputs and times with the Liftoff caveat", () => {
    expect(inRepo("snapshot", "bf", "brainfuck/programs/hello.b", "-o", join(dir, "hello.snapshot.wasm")).code).toBe(0);
    const out = join(dir, "hello.wasm");
    expect(inRepo("build", "brainfuck/programs/hello.b", "-o", out).stdout).toMatch(/hello\.wasm: .* \[bf\]/);
    expect(inRepo("run", out).stdout).toBe("Hello from futamura!\n");
    // A built module names its interpreter and carries its program: the language's host comes back without the source.
    const fern = join(dir, "divzero.wasm");
    expect(inRepo("build", "lang/programs/divzero.fern", "-o", fern).code).toBe(0);
    expect(inRepo("run", fern)).toMatchObject({
      code: 1,
      stdout: "true\n",
      stderr: "lang/programs/divzero.fern:5: runtime error: division by zero in main\n",
    });
    // A built Fern program runs on the large-stack worker too: 100,000-deep recursion (interp/deep-run.ts).
    const deep = join(dir, "deep.wasm");
    expect(inRepo("build", "lang/programs/deep-recursion.fern", "-o", deep).code).toBe(0);
    expect(inRepo("run", deep)).toMatchObject({ code: 0, stdout: "5000050000\n100000\n" });
    const tape = join(dir, "tape-error.wasm");
    expect(inRepo("build", "brainfuck/programs/tape-error.b", "-o", tape).code).toBe(0);
    expect(inRepo("run", tape).stderr).toBe(
      "runtime error: the tape pointer moved off the tape (cells 0 to 65535) (instruction 9; run the source for its line)\n",
    );
    const d = inRepo("diff", "brainfuck/programs/hello.b", "bytecode/programs/fib.asm");
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(
      /ok {4}brainfuck\/programs\/hello\.b \[bf\]: interpreted [\d.]+ m?s, wevaled [\d.]+ m?s \([\d.]+x\), build/,
    );
    expect(d.stdout).toContain('output: "Hello from futamura!\\n" (21 bytes)');
    expect(d.stdout).toContain("[toy]");
    expect(d.stdout).toContain("Liftoff");
    // diff runs a deepStack interpreter's programs on the large-stack worker too: Fern's own depth limit, with its
    // line, in both modes (not V8's "Maximum call stack size exceeded").
    const deepDiff = inRepo("diff", "lang/programs/stack-overflow-deep.fern");
    expect(deepDiff.code).toBe(0);
    expect(deepDiff.stdout).toContain(
      'error "lang/programs/stack-overflow-deep.fern:4: runtime error: stack overflow in count"',
    );
  });

  it("has rows in futamura bench, checked by its expected output", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-bf-"));
    const r = inRepo("bench", "--quick", "--engine", "v8", "--out", out, "brainfuck/programs/hello.b");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8"));
    const rows = report.rows.filter((row: { program: string }) => row.program === "hello");
    expect(rows.map((row: { variant: string }) => row.variant).sort()).toEqual([
      "interpreted",
      "interpreted",
      "wevaled",
      "wevaled",
    ]);
    expect(rows.every((row: { result: string }) => row.result === "Hello from futamura!\n")).toBe(true);
  });

  it("refuses another interpreter's program with a clear error, not its assembler's", () => {
    const r = inRepo("run", "--interp", "toy", "brainfuck/programs/hello.b");
    expect(r).toMatchObject({
      code: 1,
      stderr:
        "brainfuck/programs/hello.b: error: this is a bf program (.b), but the interpreter is toy, which takes .asm, .fbc; drop --interp or choose bf\n",
    });
    expect(
      inRepo("build", "--interp", "fern", "brainfuck/programs/hello.b", "-o", join(dir, "x.wasm")).stderr,
    ).toContain("this is a bf program");
    expect(inRepo("run", "prog.unknown").stderr).toBe("prog.unknown: error: no such file\n");
    writeFileSync(join(dir, "prog.zzz"), "");
    expect(futamura(dir, "run", "prog.zzz").stderr).toMatch(
      /^prog\.zzz: error: no interpreter takes \.zzz files \(known: .*\.b \.bf \(bf\).*\); choose one with --interp\n$/,
    );
    expect(inRepo("run", "--interp", "nope", "brainfuck/programs/hello.b").stderr).toMatch(
      /^error: no interpreter named 'nope' \(known: bf, fern-memory, fern, lua, toy/,
    );
  });
});
