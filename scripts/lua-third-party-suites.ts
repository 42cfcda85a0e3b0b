// Debian's pure-Lua libraries run through their own test suites (`npm run test:lua-third-party`; minutes, not in
// `npm test`): each library's source package (apt-get source, unpacked into build/lua-third-party-suites/, never
// committed) has its suite and the library bundled into one script — every module a package.preload function of
// the script — so that the library's functions are specialized by `run --aot`, not loaded at run time and
// interpreted as a `require`d file is. busted-style specs run on a small runner written here
// (test/interp/lua-third-party/shims/minibusted.lua, over Debian's lua-luassert and lua-say, downloaded too),
// Test.More-style tests on shims/Test/More.lua. Each bundle runs on native lua5.4 (unprivileged, in a scratch copy),
// `futamura run` and `futamura run --aot`; stdout, stderr and exit code must agree (dates and durations normalized).
// Licences: the libraries are MIT (Expat), luaunit BSD-2-Clause; nothing of theirs is committed.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../util/root.ts";
import { scratchDir, spawnUnprivileged } from "../util/unprivileged.ts";

const WORK = join(ROOT, "build", "lua-third-party-suites");
const SHIMS = join(ROOT, "test", "interp", "lua-third-party", "shims");

interface Suite {
  /** Debian's source package. */
  pkg: string;
  /** "busted": specs on minibusted; "plain": `main` is the suite's own runner. */
  kind: "busted" | "plain";
  /** Module name → file in the unpacked source. */
  modules: Record<string, string>;
  /** busted: the spec files; plain: the main script. */
  files: string[];
  /** The program writes files in its folder (granted with --allow-write). */
  writes?: boolean;
}

const SUITES: Suite[] = [
  {
    pkg: "lua-inspect",
    kind: "busted",
    modules: { inspect: "inspect.lua", "spec.unindent": "spec/unindent.lua" },
    files: ["spec/inspect_spec.lua"],
  },
  {
    pkg: "lua-binaryheap",
    kind: "busted",
    modules: { binaryheap: "src/binaryheap.lua" },
    files: ["spec/binaryheap_spec.lua", "spec/dijkstras_algorithm_spec.lua"],
  },
  {
    pkg: "lua-moses",
    kind: "busted",
    modules: { moses: "moses.lua" },
    files: ["array", "chaining", "func", "import", "object", "op", "table"].map((s) => `spec/${s}_spec.lua`),
    writes: true, // object_spec opens 'f' for writing
  },
  {
    pkg: "lua-argparse",
    kind: "busted",
    modules: { argparse: "src/argparse.lua" },
    // completion_spec and integrity_spec run shell commands (io.popen): not in WASI.
    files: ["actions", "arguments", "commands", "convert", "default", "help", "invalid_property", "mutex", "options"]
      .concat(["pparse", "tip", "usage"])
      .map((s) => `spec/${s}_spec.lua`),
  },
  {
    pkg: "lua-unit",
    kind: "plain",
    modules: { luaunit: "luaunit.lua", "test.test_luaunit": "test/test_luaunit.lua" },
    files: ["run_unit_tests.lua"],
  },
  {
    pkg: "lua-messagepack",
    kind: "plain",
    modules: {
      "Test.More": join(SHIMS, "Test", "More.lua"),
      MessagePack: "src5.3/MessagePack.lua",
      ...Object.fromEntries(
        ["01-spectest", "02-except", "03-edge", "04-cover", "12-metatable", "21-multiples", "22-closure"]
          .concat(["31-custom-unpack", "issue6"])
          .map((t) => [`t.${t}`, `test/${t}.lua`]),
      ),
    },
    files: [], // main: require each test in turn (below)
    writes: true, // 01-spectest and issue6 write and remove a file
  },
];

const sh = (cmd: string, args: string[], cwd: string) =>
  spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });

/** The unpacked upstream source of `pkg` (its orig tarball from apt-get source), or why there is none. */
function source(pkg: string): string | { missing: string } {
  const dir = join(WORK, "src", pkg);
  const unpacked = () =>
    existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).find((e) => e.isDirectory())?.name : undefined;
  if (!unpacked()) {
    mkdirSync(dir, { recursive: true });
    sh("chmod", ["0777", dir], dir);
    // As nobody when root (apt-get refuses to download as root into a folder _apt cannot write).
    const r = spawnUnprivileged("apt-get", ["source", "--download-only", "-qq", pkg], { cwd: dir });
    const tarball = readdirSync(dir).find((f) => /\.orig\.tar\.(gz|xz|bz2)$/.test(f));
    if (!tarball)
      return { missing: `apt-get source ${pkg}: ${(r.stderr || "no orig tarball").trim().split("\n").pop()}` };
    sh("tar", ["xf", tarball], dir);
  }
  const d = unpacked();
  return d ? join(dir, d) : { missing: `${pkg}: the orig tarball did not unpack` };
}

/** Debian's luassert and say (busted's assertions, which minibusted uses), unpacked; their 5.1 folder. */
function assertionLibraries(): string {
  const root = join(WORK, "debs");
  if (!existsSync(join(root, "done"))) {
    mkdirSync(root, { recursive: true });
    sh("chmod", ["0777", root], root);
    const r = spawnUnprivileged("apt-get", ["download", "-qq", "lua-luassert", "lua-say"], { cwd: root });
    if (r.status !== 0) throw new Error(`apt-get download lua-luassert lua-say failed: ${r.stderr.trim()}`);
    for (const deb of readdirSync(root).filter((f) => f.endsWith(".deb"))) sh("dpkg-deb", ["-x", deb, "root"], root);
    writeFileSync(join(root, "done"), "");
  }
  return join(root, "root", "usr", "share", "lua", "5.1");
}

/** Lua files under `dir` as module names (a/b.lua → a.b, a/init.lua → a). */
function moduleTree(dir: string, under: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(join(dir, under), { recursive: true }) as string[]) {
    if (!f.endsWith(".lua")) continue;
    const name = `${under}/${f}`
      .replace(/\.lua$/, "")
      .replace(/\/init$/, "")
      .replaceAll("/", ".");
    out[name] = join(dir, under, f);
  }
  return out;
}

/** One script: each module a package.preload function, then `main`. A leading #! line becomes a comment. */
function bundle(modules: Record<string, string>, main: string): string {
  const text = (s: string) => (s.startsWith("#") ? `--${s}` : s);
  const parts = Object.entries(modules).map(
    ([name, file]) =>
      `package.preload[${JSON.stringify(name)}] = function(...)\n${text(readFileSync(file, "latin1"))}\nend\n`,
  );
  return parts.join("") + `do\n${text(main)}\nend\n`;
}

/** The bundled script of `suite` in its source folder `dir`. */
function bundled(suite: Suite, dir: string): string {
  const at = (f: string) => (f.startsWith("/") ? f : join(dir, f));
  const modules = Object.fromEntries(Object.entries(suite.modules).map(([n, f]) => [n, at(f)]));
  if (suite.kind === "plain") {
    const main = suite.files.length
      ? readFileSync(join(dir, suite.files[0]), "latin1")
      : Object.keys(modules)
          .filter((n) => n.startsWith("t."))
          .map((n) => `require ${JSON.stringify(n)}\n`)
          .join("");
    return bundle(modules, main);
  }
  const libs = assertionLibraries();
  // The specs as modules too, run by minibusted with its environment as their _ENV.
  for (const spec of suite.files) modules[`spec:${spec}`] = join(dir, spec);
  const runner = readFileSync(join(SHIMS, "minibusted.lua"), "latin1").replace(
    /^for spec in[^]*$/m,
    `for _, spec in ipairs(${JSON.stringify(suite.files).replace(/^\[/, "{").replace(/\]$/, "}")}) do\n` +
      `  local f, holder = package.preload["spec:" .. spec], function() return env end\n` +
      `  for i = 1, 255 do local name = debug.getupvalue(f, i) if name == nil then break end\n` +
      `    if name == "_ENV" then debug.upvaluejoin(f, i, holder, 1) end end\n` +
      `  local ok, err = pcall(f)\n` +
      `  if not ok then failed = failed + 1; print("ERROR loading " .. spec .. ": " .. tostring(err)) end\n` +
      `end\nprint(("%d passed, %d failed, %d pending"):format(passed, failed, pend))\nos.exit(failed == 0 and 0 or 1)\n`,
  );
  return bundle({ ...moduleTree(libs, "luassert"), ...moduleTree(libs, "say"), ...modules }, runner);
}

const normalize = (s: string) =>
  s
    .replaceAll(/0x[0-9a-f]+/g, "0x…")
    .replace(/^lua(5\.4)?: /m, "lua: ")
    .replaceAll(/Started on .*/g, "Started on …")
    .replaceAll(/ in [0-9.]+ seconds/g, " in … seconds")
    .replaceAll("x86_64-linux-gnu", "wasm32-wasi");

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}
const outcome = (r: { status: number | null; stdout: string; stderr: string }): Outcome => ({
  code: r.status,
  stdout: normalize(r.stdout),
  stderr: normalize(r.stderr),
});

/** The bundle run natively (a scratch copy of `dir`, as nobody when root) and by futamura both ways. */
function compare(dir: string, file: string, writes: boolean): { same: boolean; note: string } {
  const copy = scratchDir("futamura-suite-");
  try {
    cpSync(dir, copy, { recursive: true });
    sh("chmod", ["-R", "a+rwX", copy], copy);
    const env = { PATH: process.env.PATH, HOME: copy, LUA_PATH: ";;" };
    const native = outcome(spawnUnprivileged("lua5.4", [file], { cwd: copy, env }));
    const cli = join(ROOT, "bin", "futamura.mjs");
    const futamura = (aot: boolean) =>
      outcome(
        spawnSync(
          process.execPath,
          [cli, "run", ...(aot ? ["--aot", "--no-cache"] : []), ...(writes ? ["--allow-write", "."] : []), file],
          {
            cwd: copy,
            encoding: "utf8",
            maxBuffer: 64 << 20,
            env: { ...process.env, LUA_PATH: ";;" },
          },
        ),
      );
    const [interpreted, wevaled] = [futamura(false), futamura(true)];
    const same = (a: Outcome, b: Outcome) => JSON.stringify(a) === JSON.stringify(b);
    const last = native.stdout.trim().split("\n").pop() ?? "";
    if (same(native, interpreted) && same(interpreted, wevaled))
      return { same: true, note: `exit ${native.code}: ${last}` };
    const which = [
      !same(native, interpreted) && "native ≠ interpreted",
      !same(interpreted, wevaled) && "interpreted ≠ wevaled",
    ];
    const out = join(WORK, "differences", file.replace(/\.lua$/, ""));
    mkdirSync(out, { recursive: true });
    for (const [name, o] of Object.entries({ native, interpreted, wevaled }))
      writeFileSync(join(out, `${name}.json`), JSON.stringify(o, null, 1));
    return { same: false, note: `${which.filter(Boolean).join(", ")} (outcomes in ${relative(ROOT, out)})` };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

let failures = 0;
const only = process.argv.slice(2);
for (const suite of SUITES.filter((s) => !only.length || only.includes(s.pkg))) {
  const dir = source(suite.pkg);
  if (typeof dir !== "string") {
    console.log(`skip  ${suite.pkg}: ${dir.missing}`);
    continue;
  }
  const file = `bundle-${suite.pkg}.lua`;
  writeFileSync(join(dir, file), bundled(suite, dir));
  const lines = readFileSync(join(dir, file), "latin1").split("\n").length;
  const r = compare(dir, file, !!suite.writes);
  if (!r.same) failures++;
  console.log(`${r.same ? "same " : "DIFF "} ${suite.pkg} (${lines} lines bundled): ${r.note}`);
}
process.exitCode = failures ? 1 : 0;
