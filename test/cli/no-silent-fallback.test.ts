// Nothing falls back silently: an aborted request prints one line (request, function, reason) on every build and
// cache hit, --strict makes it exit 1; diff never calls two runs that failed outside the program "same"; a
// deepStack manifest needs no host(); a loader without extensions takes any file; a built module keeps its error
// lines from another folder. The interpreter is the stack VM fixture without specializeValue on its return
// addresses (stackvm-naive.json), whose requests abort.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diff, run } from "../../api/index.ts";
import { ROOT } from "../../util/root.ts";
import { COMPILE_STATUS } from "../helpers.ts";
import { stackvmFixture } from "../specializer/stackvm-fixture.ts";

const FIXTURE = stackvmFixture();
const NAIVE = join(FIXTURE, "stackvm-naive.json");
const home = mkdtempSync(join(tmpdir(), "futamura-fallback-"));
const env = { ...process.env, FUTAMURA_CACHE_DIR: join(home, ".cache") };

function futamura(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    env,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(COMPILE_STATUS, "") };
}

const ABORT =
  /^calls\.svm: warning: request 100 \(\$\d+\) not specialized, the interpreter runs it: weval\.update\.context in .*the pc is not a constant/;

describe("no silent fallback", () => {
  it("says every aborted request on build, on a cache hit and in run --aot; --strict exits 1", () => {
    writeFileSync(join(home, "calls.svm"), "call f\nprint r1   ; expect: 7\nhalt\nf:\nset r1 7\nret\n");
    const first = futamura(home, "build", "--interp", NAIVE, "calls.svm", "-o", "calls.wasm");
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(ABORT);
    const cached = futamura(home, "build", "--stats", "--interp", NAIVE, "calls.svm", "-o", "calls.wasm");
    expect(cached.stdout).toMatch(/\(from the cache\)\nstatistics stored with the cache entry/);
    expect(cached.stdout).toMatch(/request 100 \(\$\d+\): ABORTED/);
    expect(cached.stderr).toMatch(ABORT);
    const aot = futamura(home, "run", "--aot", "--interp", NAIVE, "calls.svm");
    expect(aot).toMatchObject({ code: 0, stdout: "7\n" });
    expect(aot.stderr).toMatch(ABORT);
    const strict = futamura(home, "run", "--aot", "--strict", "--interp", NAIVE, "calls.svm");
    expect(strict).toMatchObject({ code: 1, stdout: "" });
    expect(strict.stderr).toMatch(/^calls\.svm: error: request 100 \(\$\d+\) not specialized \(strict\): /);
  });

  it("a built module keeps its error lines from another folder", () => {
    writeFileSync(join(home, "bad.svm"), "set r0 1\nret\n");
    expect(
      futamura(home, "build", "--interp", join(FIXTURE, "futamura-interp.json"), "bad.svm", "-o", "bad.wasm").code,
    ).toBe(0);
    const elsewhere = join(home, "elsewhere");
    mkdirSync(elsewhere);
    expect(futamura(elsewhere, "run", "../bad.wasm")).toMatchObject({
      code: 1,
      stderr: "../bad.svm:2: runtime error: ret with an empty call stack\n",
    });
  });

  it("diff fails when both sides fail outside the program; deepStack needs no host(); no extensions take any file", async () => {
    writeFileSync(
      join(home, "throwing-loader.mjs"),
      `import { load as base } from ${JSON.stringify(join(FIXTURE, "loader.mjs"))};\nexport function load(file, data) {\n  return { ...base(file, data), host: { describeError() { throw new TypeError("the loader's bug"); } } };\n}\n`,
    );
    const manifest = (name: string, extra: object) => {
      const file = join(home, `${name}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          name,
          entry: join(FIXTURE, "stackvm.ts"),
          use: ["SPECIALIZE_RETURNS=1"],
          out: join(home, `${name}.wasm`),
          ...extra,
        }),
      );
      return file;
    };
    // On the main thread and on the large-stack worker (where describeError runs in an event handler); the second
    // manifest also names no extensions and has no host().
    const anyFile = manifest("anyfile", { loader: "throwing-loader.mjs", deepStack: true });
    for (const interp of [manifest("throwing", { loader: "throwing-loader.mjs" }), anyFile]) {
      const [r] = await diff([join(home, "bad.svm")], { interp, cache: false });
      expect(r.hostFailure).toBe(true);
      expect(r.same).toBe(false);
      expect(r.interpreted.error).toContain("the loader's bug");
    }

    writeFileSync(join(home, "prog.asm"), "call f\nprint r1\nhalt\nf:\nset r1 9\nret\n"); // .asm is toy's extension
    for (const aot of [false, true])
      expect(await run(join(home, "prog.asm"), { interp: anyFile, aot, cache: false })).toMatchObject({
        stdout: "9\n",
        exitCode: 0,
        aborted: [],
      });
  });
});
