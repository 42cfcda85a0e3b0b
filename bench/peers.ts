// Peer languages for `futamura bench --peers`: the languages a user would pick instead of Fern, running the same
// program. A Fern benchmark lang/bench/NAME.fern may have peers beside it in lang/bench/peers/: NAME.js
// (JavaScript) and NAME.lua (Lua 5.4), written as idiomatically in each language as the Fern program is, printing
// with `print` (arguments joined by one space, one line per call). They run as:
// - `js`: the JavaScript on V8 in this process (V8's JIT: the engine Fern's Wasm runs on);
// - `quickjs`: the same JavaScript in QuickJS compiled to Wasm (npm quickjs-emscripten), on V8;
// - `lua-wasm`: the Lua in Lua 5.4 compiled to Wasm (npm wasmoon), on V8;
// - `lua` / `luajit`: native lua5.4 / luajit when on PATH, in a child process that times its own runs (os.clock,
//   CPU time), since they cannot run in this process; otherwise a note says they are absent. They run unprivileged
//   (as nobody when this process is root: util/unprivileged.ts) in a scratch directory holding the harness and a
//   copy of the program.
// In-process peers are warm variants like Fern's (one instance, warm-up calls, then runs interleaved with the
// others by bench/main.ts); each run's output is checked against the Fern program's `// expect:` lines by the
// caller.
import { createRequire } from "node:module";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InternalError, UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";
import { scratchDir, spawnUnprivileged } from "../util/unprivileged.ts";

export type PeerName = "js" | "quickjs" | "lua-wasm" | "lua" | "luajit";

/** A peer that runs in this process: made once, then called per run; returns what the program printed. */
export interface InProcessPeer {
  name: "js" | "quickjs" | "lua-wasm";
  warm: () => Promise<() => string>;
  dispose: () => void;
}

/** The peer programs found beside a Fern benchmark program (undefined when it has none). */
export function peerSources(fernPath: string): { js?: string; lua?: string; dir: string } {
  const dir = join(dirname(fernPath), "peers");
  const name = basename(fernPath).replace(/\.fern$/, "");
  const read = (ext: string) =>
    existsSync(join(dir, `${name}.${ext}`)) ? readFileSync(join(dir, `${name}.${ext}`), "utf8") : undefined;
  return { js: read("js"), lua: read("lua"), dir };
}

/** JavaScript on V8: the program becomes a function of `print`, made once and called per run. */
function jsPeer(source: string, file: string): InProcessPeer {
  return {
    name: "js",
    warm: async () => {
      let main: (print: (...args: unknown[]) => void) => void;
      try {
        main = new Function("print", source) as typeof main;
      } catch (e) {
        throw new UserError(`${file}: ${(e as Error).message}`);
      }
      return () => {
        const lines: string[] = [];
        main((...args) => lines.push(args.map(String).join(" ")));
        return lines.map((l) => l + "\n").join("");
      };
    },
    dispose: () => {},
  };
}

/** The same JavaScript in QuickJS (Wasm): a context made once; `print` collects inside QuickJS. */
function quickjsPeer(source: string, file: string): InProcessPeer {
  let dispose = () => {};
  return {
    name: "quickjs",
    warm: async () => {
      const { getQuickJS } = await import("quickjs-emscripten");
      const runtime = (await getQuickJS()).newRuntime();
      runtime.setMemoryLimit(-1);
      runtime.setMaxStackSize(0);
      const vm = runtime.newContext();
      dispose = () => (vm.dispose(), runtime.dispose());
      /** The evaluation's value as a string, or its exception (dumped) thrown as `fail` makes it. */
      const evaluate = (code: string, fail: (message: string) => Error): string => {
        const r = vm.evalCode(code, file);
        if (r.error) {
          const message = JSON.stringify(vm.dump(r.error));
          r.error.dispose();
          throw fail(message);
        }
        const text = vm.typeof(r.value) === "string" ? vm.getString(r.value) : "";
        r.value.dispose();
        return text;
      };
      const define = `globalThis.__out = []; globalThis.print = (...a) => { __out.push(a.join(" ")); };\nglobalThis.__main = function () {\n${source}\n};`;
      evaluate(define, (m) => new UserError(`${file}: QuickJS: ${m}`));
      return () =>
        evaluate(
          `__out = []; __main(); __out.map((l) => l + "\\n").join("")`,
          (m) => new InternalError(`${file} in QuickJS: ${m}`),
        );
    },
    dispose: () => dispose(),
  };
}

/** `print` for Lua that collects lines in a Lua table (`__out`), joined by the caller after each run. Lua 5.1
 *  as well (luajit): `{ n = select("#", ...), ... }`, not 5.2's table.pack, and whole numbers printed as integers
 *  (5.1's tostring gives 5.00000005e+15). The committed peers avoid 5.3's `//`, `<<` and math.tointeger. */
const LUA_PRINT = `local __tostring = tostring
if not math.type then -- Lua 5.1 (luajit) has one number type: a whole number prints as 5.4 prints the integer
  __tostring = function(v)
    if type(v) == "number" and v == math.floor(v) and v > -2^53 and v < 2^53 then return string.format("%.0f", v) end
    return tostring(v)
  end
end
print = function(...)
  local t = { n = select("#", ...), ... }
  for i = 1, t.n do t[i] = __tostring(t[i]) end
  __out[#__out + 1] = table.concat(t, " ", 1, t.n) .. "\\n"
end`;

/** Lua 5.4 in Wasm (wasmoon): the chunk is loaded once and called per run. */
export function luaWasmPeer(source: string, file: string): InProcessPeer {
  let dispose = () => {};
  return {
    name: "lua-wasm",
    warm: async () => {
      const { LuaFactory } = await import("wasmoon");
      const lua = await new LuaFactory().createEngine({
        injectObjects: false,
        enableProxy: false,
        openStandardLibs: true,
      });
      dispose = () => lua.global.close();
      lua.global.set("__src", source);
      try {
        lua.doStringSync(`${LUA_PRINT}\n__main = assert(load(__src, "=${basename(file)}"))`);
      } catch (e) {
        throw new UserError(`${file}: Lua: ${(e as Error).message}`);
      }
      return () => String(lua.doStringSync(`__out = {}; __main(); return table.concat(__out)`));
    },
    dispose: () => dispose(),
  };
}

export function inProcessPeers(fernPath: string): InProcessPeer[] {
  const src = peerSources(fernPath);
  const name = basename(fernPath).replace(/\.fern$/, "");
  const peers: InProcessPeer[] = [];
  if (src.js !== undefined) peers.push(jsPeer(src.js, join(src.dir, `${name}.js`)));
  if (src.js !== undefined && installed("quickjs-emscripten"))
    peers.push(quickjsPeer(src.js, join(src.dir, `${name}.js`)));
  if (src.lua !== undefined && installed("wasmoon")) peers.push(luaWasmPeer(src.lua, join(src.dir, `${name}.lua`)));
  return peers;
}

/** The optional npm packages the in-process peers run on (optionalDependencies: a light install has none). */
export const PEER_PACKAGES = { quickjs: "quickjs-emscripten", "lua-wasm": "wasmoon" } as const;

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** One note per peer whose package is not installed (its rows are absent), or none. */
export function missingPeerNotes(): string[] {
  return Object.entries(PEER_PACKAGES)
    .filter(([, pkg]) => !installed(pkg))
    .map(([peer, pkg]) => `${peer} rows absent: the optional package ${pkg} is not installed (npm install ${pkg})`);
}

/** The native Lua interpreters on PATH, by peer name. */
export function nativeLuas(): { name: "lua" | "luajit"; command: string; version: string }[] {
  const found: { name: "lua" | "luajit"; command: string; version: string }[] = [];
  for (const [name, command] of [
    ["lua", "lua5.4"],
    ["luajit", "luajit"],
  ] as const) {
    let r;
    try {
      r = spawnUnprivileged(command, ["-v"]);
    } catch {
      continue; // root without setpriv: not run at all
    }
    if (r.status === 0) found.push({ name, command, version: (r.stdout || r.stderr).trim().split("\n")[0] });
  }
  return found;
}

/** The harness a native Lua runs: warm-up runs, then timed runs; prints the output of the last run, then a
 * line `TIMES ms ms …`. arg[1] is the program file, arg[2] the warm-ups, arg[3] the runs. */
const NATIVE_HARNESS = `__out = {}
${LUA_PRINT}
local main = assert(loadfile(arg[1]))
local warmups, runs = tonumber(arg[2]), tonumber(arg[3])
for _ = 1, warmups do __out = {}; main() end
local times = {}
for _ = 1, runs do
  __out = {}
  local t = os.clock()
  main()
  times[#times + 1] = string.format("%.4f", (os.clock() - t) * 1000)
end
io.write(table.concat(__out), "TIMES ", table.concat(times, " "), "\\n")`;

/** Runs a Lua peer under a native interpreter, unprivileged and in a scratch directory; returns each run's
 *  milliseconds and the program's output. */
export function runNativeLua(
  command: string,
  luaFile: string,
  warmups: number,
  runs: number,
): { runs_ms: number[]; output: string } {
  const dir = scratchDir("futamura-lua-");
  try {
    writeFileSync(join(dir, "harness.lua"), NATIVE_HARNESS);
    mkdirSync(join(dir, "program"));
    const program = join("program", basename(luaFile));
    copyFileSync(luaFile, join(dir, program));
    const r = spawnUnprivileged(command, ["harness.lua", program, String(warmups), String(runs)], {
      cwd: dir,
      timeout: 600_000,
    });
    if (r.status !== 0)
      throw new InternalError(`${command} ${luaFile} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}`);
    const at = r.stdout.lastIndexOf("TIMES ");
    return {
      output: r.stdout.slice(0, at),
      runs_ms: r.stdout
        .slice(at + 6)
        .trim()
        .split(/\s+/)
        .map(Number),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every Fern benchmark program (lang/bench/*.fern) that has at least one peer. */
export function programsWithPeers(): string[] {
  const dir = join(ROOT, "lang", "bench");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".fern"))
    .sort()
    .map((f) => join(dir, f))
    .filter((f) => peerSources(f).js !== undefined || peerSources(f).lua !== undefined);
}

/** What the report says about the peers of this run. */
export function peerNote(natives: { name: string; command: string; version: string }[]): string {
  const found = natives.map((n) => `${n.command} (${n.version})`);
  const missing = ["lua5.4", "luajit"].filter((c) => !natives.some((n) => n.command === c));
  return (
    "peers: js = the same program in JavaScript on V8 (JIT, this process); quickjs = that JavaScript in QuickJS compiled to Wasm (quickjs-emscripten); " +
    "lua-wasm = the Lua version in Lua 5.4 compiled to Wasm (wasmoon); all warm, interleaved with Fern's runs" +
    (found.length ? `; native: ${found.join(", ")}, timed by os.clock in its own process` : "") +
    (missing.length ? `; not on PATH, so no rows: ${missing.join(", ")}` : "")
  );
}
