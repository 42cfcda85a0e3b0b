// Lua's own test suite as held-out conformance scripts: fengari (npm, MIT) ships PUC-Rio's test files cut into
// JavaScript tests, each loading one chunk of Lua; this module evaluates those files with stand-in modules to collect
// the chunks (exactly the text fengari would load), and writes one Lua script per file that runs every chunk as a
// function under pcall and prints "name: ok" or its error. Nothing of the suite is stored in this repository.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";

/** One fengari test: its name, the Lua it loads, and whether it needs Lua's internal test library (ltests, `T`). */
export interface SuiteChunk {
  name: string;
  code: string;
  needsTestLibrary: boolean;
}

/** The folder of fengari's copy of the suite (node_modules/fengari/test/test-suite), found through Node's resolver. */
export function suiteDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("fengari/package.json")), "test", "test-suite");
}

/** The suite's file names without `.test.js` (api, calls, closure, …). */
export function suiteFiles(): string[] {
  return readdirSync(suiteDir())
    .filter((f) => f.endsWith(".test.js"))
    .map((f) => f.slice(0, -".test.js".length))
    .sort();
}

/** Runs `name.test.js` with stand-ins for fengari's modules that record each test's loaded source: the tests call
 *  `luaL_loadstring` once with their chunk (a shared prefix concatenated in JavaScript included). Tests that load
 *  no chunk or several (the C API tests) are left out; `test.skip` ones too. */
export function extractChunks(name: string): SuiteChunk[] {
  const chunks: SuiteChunk[] = [];
  let current: { name: string; code: string[]; needsTestLibrary: boolean } | undefined;
  const record = (_L: unknown, source: string | Uint8Array) => {
    current!.code.push(typeof source === "string" ? source : Buffer.from(source).toString("latin1"));
    return 0;
  };
  const anything = (known: Record<string, unknown>) =>
    new Proxy(known, { get: (target, key: string) => (key in target ? target[key] : () => 0) });
  const modules: Record<string, unknown> = {
    "lua.js": anything({ LUA_OK: 0, LUA_ERRSYNTAX: 3 }),
    "lauxlib.js": anything({ luaL_newstate: () => ({}), luaL_loadstring: record, luaL_loadbuffer: record }),
    "lualib.js": anything({}),
    "fengaricore.js": anything({ to_luastring: (s: string) => s }),
    "ltests.js": anything({ luaopen_tests: () => (current!.needsTestLibrary = true) }),
  };
  const test = (testName: string, body: () => void) => {
    current = { name: testName, code: [], needsTestLibrary: false };
    body();
    if (current.code.length === 1)
      chunks.push({ name: testName, code: current.code[0]!, needsTestLibrary: current.needsTestLibrary });
  };
  test.skip = () => {};
  const require = (path: string) => modules[path.slice(path.lastIndexOf("/") + 1)] ?? {};
  vm.runInNewContext(readFileSync(join(suiteDir(), `${name}.test.js`), "utf8"), { require, test, Buffer });
  return chunks;
}

/** A Lua long string holding `text` verbatim: a level of `=` that does not occur in it closed. */
function longString(text: string): string {
  let eq = "";
  while (text.includes(`]${eq}]`)) eq += "=";
  return `[${eq}[\n${text}]${eq}]`;
}

/** A Lua script that compiles each chunk with `load` and prints one line per chunk: "ok" or its syntax error. Run it
 *  on the interpreter to keep out the chunks Lua 5.4 rejects (the suite's copy is Lua 5.3's in places). */
export function syntaxCheckScript(chunks: readonly SuiteChunk[]): string {
  const lines = chunks.map((c) => `check(${longString(c.code)})`);
  return `local function check(s)\n  local f, e = load(s, "=chunk")\n  print(f and "ok" or e)\nend\n${lines.join("\n")}\n`;
}

/** The conformance script: each chunk is a function of its own run under pcall, with the globals it changes put back
 *  afterwards and no hook left set (each fengari test had a fresh state), printing "name: ok" or "name: error: message". */
export function suiteScript(chunks: readonly SuiteChunk[]): string {
  const head = `local pcall, tostring, write, collectgarbage, pairs, sethook, G =
  pcall, tostring, io.write, collectgarbage, pairs, debug.sethook, _G
local function run(name, f)
  local saved = {}
  for k, v in pairs(G) do saved[k] = v end
  local ok, e = pcall(f)
  sethook()
  write(name, ": ", ok and "ok" or ("error: " .. tostring(e)), "\\n")
  for k in pairs(G) do if saved[k] == nil then G[k] = nil end end
  for k, v in pairs(saved) do G[k] = v end
  collectgarbage()
end
`;
  const body = chunks.map((c) => `run(${longString(c.name)}, function(...)\n${c.code}\nend)`);
  return head + body.join("\n") + "\n";
}

/** Writes `text` to `dir/file`, making the folder, and returns the path. */
export function writeScript(dir: string, file: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, text);
  return path;
}
