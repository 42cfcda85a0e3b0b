// Before/after for a change to the specializer: the wevaled modules two builds of futamura made for the same
// programs, timed warm (TurboFan) in ONE process, interleaved run by run, so the machine's drift hits both alike.
// Fern programs (.fern) run one instance per module (as `futamura bench` does); Lua programs (.lua, e.g.
// interp/lua/bench/*.lua) a fresh instance per run, timing `_start` alone (a Lua state runs its script once; as
// bench/lua.ts times them).
//   1. node bench/compare-builds.ts build <repo> <outdir> [--train] [--options JSON] prog.fern|prog.lua…   (with each
//      repo's own dist/, e.g. a git worktree of the old commit with node_modules linked, after `npx tsc -p
//      tsconfig.build.json` there; --train builds Fern as `futamura bench --train` does (a training run of the default
//      fuel before the snapshot); --options: buildProgram options, e.g. '{"fullOptimizeMaxValues":5000}', so that
//      one repo can build both sides of a change behind an option; FERN_INTERP=fern-memory in the environment builds
//      the Fern programs with that interpreter instead of fern: registers in linear memory, as Lua's are)
//   2. node bench/compare-builds.ts compare <olddir> <newdir> [--json FILE] [--cpu] [--runs N] [--js]
// Prints per program the medians, new/old and whether both printed the same; the JSON keeps every run. --cpu times
// each run by the process's CPU time (process.cpuUsage) instead of the wall clock: on a machine shared with other
// work (load 15 on 2 cores, 2026-12-06) wall-clock medians of the same module varied 3x between runs, CPU-time ones
// ~5%. --runs N: N interleaved runs per module (default 9). --js: also the program's JavaScript peer
// (lang/bench/peers/NAME.js, as `bench --peers` runs it: a function of `print` made once), interleaved with the two
// and timed the same way, so "within 1.5x of V8" is a same-process ratio too.
// Lua modules' warm runs meet Liftoff code until V8's background TurboFan compiles land (up to the 8th run, 2026-12-07,
// docs/lua-memory-ops.md "The warm tier"): `node --no-liftoff --import tsx bench/compare-builds.ts compare …` times
// TurboFan code only, as `futamura bench` does.
// Run with `node --import tsx`; `build` runs the given repo's dist/.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { BufferedOutput, InterpreterHost, instantiate, type HostContext } from "../interp/host.ts";
import { fernHost } from "../lang/values.ts";
import { runOnce } from "./lua-run.ts";
import { placementDepth } from "./stack-placement.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function build(repo: string, out: string, files: string[], train: boolean, options: object = {}): Promise<void> {
  const dist = join(resolve(repo), "dist");
  const clash = sameNames(files);
  if (clash) throw new Error(`${clash}: two programs of one name would overwrite each other's module in ${out}`);
  mkdirSync(out, { recursive: true });
  const lua = files.filter((f) => f.endsWith(".lua"));
  if (lua.length) await buildLuaPrograms(dist, out, lua, options);
  files = files.filter((f) => !f.endsWith(".lua"));
  if (!files.length) return;
  const { compileFern } = await import(join(dist, "lang/index.js"));
  const { buildInterpreter } = await import(join(dist, "interp/build.js"));
  // Repositories from before the pipeline layer kept buildProgram in specializer/ and took the program's bytes.
  const layered = existsSync(join(dist, "pipeline/build.js"));
  const { buildProgram } = await import(join(dist, layered ? "pipeline/build.js" : "specializer/build.js"));
  const { fernHost: theirHost } = layered ? await import(join(dist, "lang/values.js")) : { fernHost: undefined };
  const fuel = train ? (await import(join(dist, "pipeline/train.js"))).DEFAULT_TRAINING_FUEL : undefined;
  const interp = (await buildInterpreter(process.env.FERN_INTERP ?? "fern")).wasm;
  for (const f of files) {
    const program = compileFern(readFileSync(f, "utf8"), f);
    const t = performance.now();
    const built = await buildProgram(
      interp,
      layered ? { bytes: program.bytes, host: theirHost(program.bytes) } : program.bytes,
      { cache: false, ...(fuel !== undefined ? { train: fuel, interpreterName: "fern" } : {}), ...options },
    );
    const name = basename(f).replace(/\.fern$/, "");
    rmSync(join(out, `${name}.lua`), { force: true }); // a Lua program's marker left from an earlier build
    writeFileSync(join(out, `${name}.wasm`), built.wasm);
    writeFileSync(join(out, `${name}.prog`), program.bytes);
    console.log(`${name}: built in ${(performance.now() - t).toFixed(0)} ms, ${built.wasm.length} B`);
  }
}

/** The first two of `files` whose modules would have one name (fib.fern and fib.lua), or undefined. */
function sameNames(files: string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const f of files) {
    const name = basename(f).replace(/\.(fern|lua)$/, "");
    const other = seen.get(name);
    if (other !== undefined) return `${other} and ${f}`;
    seen.set(name, f);
  }
  return undefined;
}

/** The Lua programs' wevaled modules, as the repo's `futamura build` makes them; `<name>.lua` beside each marks
 *  it a Lua program (a WASI command, run afresh each time) for compare. */
async function buildLuaPrograms(dist: string, out: string, files: string[], options: object): Promise<void> {
  const { buildLua } = await import(join(dist, "interp/lua-build.js"));
  const { builtinManifest } = await import(join(dist, "interp/manifest.js"));
  const { buildProgram, loadProgram } = await import(join(dist, "pipeline/index.js"));
  const manifest = builtinManifest("lua");
  const interp = buildLua("lua").wasm;
  for (const f of files) {
    const program = await loadProgram(manifest, f);
    const t = performance.now();
    const built = await buildProgram(interp, program, { cache: false, interpreterName: "lua", ...options });
    const name = basename(f).replace(/\.lua$/, "");
    rmSync(join(out, `${name}.prog`), { force: true }); // a Fern program's bytes left from an earlier build
    writeFileSync(join(out, `${name}.wasm`), built.wasm);
    writeFileSync(join(out, `${name}.lua`), readFileSync(f));
    console.log(`${name}: built in ${(performance.now() - t).toFixed(0)} ms, ${built.wasm.length} B`);
  }
}

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/** A Lua program's run: a fresh instance of the module, `_start` timed by the CPU or the wall clock, the n-th run
 *  called at the n-th stack placement (bench/stack-placement.ts), as `futamura bench` does: old and new meet the same
 *  placements, so neither gains from where this process's stack happens to be. */
function luaRunner(module: WebAssembly.Module, cpu: boolean, printed: (out: string) => void): () => Promise<number> {
  let n = 0;
  return async () => {
    const r = await runOnce(module, cpu ? cpuMs : undefined, { depth: placementDepth(n++) });
    printed(`${r.out}\nexit ${r.code}`);
    return r.ms;
  };
}

/** Milliseconds `f` took: wall clock, or this process's CPU time (user + system) with `cpu`. */
function timed(f: () => void, cpu: boolean): number {
  if (cpu) {
    const c = process.cpuUsage();
    f();
    const d = process.cpuUsage(c);
    return (d.user + d.system) / 1000;
  }
  const t = performance.now();
  f();
  return performance.now() - t;
}

/** The program's JavaScript peer as a run that returns its time, or undefined when it has none. */
function jsPeer(name: string, cpu: boolean): (() => number) | undefined {
  const file = join(import.meta.dirname, "..", "lang", "bench", "peers", `${name}.js`);
  if (!existsSync(file)) return undefined;
  const main = new Function("print", readFileSync(file, "utf8")) as (print: (...a: unknown[]) => void) => void;
  return () => timed(() => main(() => {}), cpu);
}

async function compare(
  oldDir: string,
  newDir: string,
  json?: string,
  cpu = false,
  runs = 9,
  js = false,
): Promise<void> {
  const names = readdirSync(newDir)
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => f.replace(/\.wasm$/, ""))
    .sort();
  const rows = [];
  for (const name of names) {
    const row = await compareOne(name, oldDir, newDir, cpu, runs, js);
    rows.push(row);
    console.log(
      `${name.padEnd(12)} old ${row.old_median_ms.toFixed(2)} ms  new ${row.new_median_ms.toFixed(2)} ms  new/old ${row.new_over_old.toFixed(3)}  (new ${Math.min(...row.new_ms).toFixed(2)}–${Math.max(...row.new_ms).toFixed(2)})  same output: ${row.same_output}${row.js_ms ? `  js ${row.js_median_ms!.toFixed(2)} ms, new/js ${row.new_over_js!.toFixed(2)}` : ""}`,
    );
  }
  if (json)
    writeFileSync(
      json,
      JSON.stringify(
        {
          meta: {
            date: new Date().toISOString(),
            node: process.version,
            tier: `warm (TurboFan), 2 warm-up runs, ${runs} interleaved`,
            clock: cpu ? "process CPU time" : "wall",
            oldDir,
            newDir,
          },
          rows,
        },
        null,
        2,
      ) + "\n",
    );
}

/** One program's old and new module (and its JavaScript peer with `js`): warm-ups, then `runs` interleaved runs. */
async function compareOne(name: string, oldDir: string, newDir: string, cpu: boolean, runs: number, js: boolean) {
  const modules = {
    old: new WebAssembly.Module(readFileSync(join(oldDir, `${name}.wasm`))),
    new: new WebAssembly.Module(readFileSync(join(newDir, `${name}.wasm`))),
  };
  const printed: Record<string, string> = {};
  const lua = existsSync(join(newDir, `${name}.lua`));
  // Lua: a fresh instance per run, its instantiation untimed.
  const instance = async (k: "old" | "new"): Promise<() => number | Promise<number>> =>
    lua
      ? luaRunner(modules[k], cpu, (t) => (printed[k] = t))
      : fernRunner(
          modules[k],
          new Uint8Array(readFileSync(join(newDir, `${name}.prog`))),
          cpu,
          (t) => (printed[k] = t),
        );
  const runners = { old: await instance("old"), new: await instance("new") };
  const peer = js && !lua ? jsPeer(name, cpu) : undefined; // Fern peers only
  const run = async (k: "old" | "new") => runners[k]();
  for (let i = 0; i < 2; i++) for (const k of ["old", "new"] as const) await run(k); // warm up to TurboFan
  for (let i = 0; peer && i < 2; i++) peer();
  const ms = { old: [] as number[], new: [] as number[], js: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const k of i % 2 ? (["old", "new"] as const) : (["new", "old"] as const)) ms[k].push(await run(k));
    if (peer) ms.js.push(peer());
  }
  return {
    program: name,
    old_ms: ms.old,
    new_ms: ms.new,
    old_median_ms: median(ms.old),
    new_median_ms: median(ms.new),
    new_over_old: median(ms.new) / median(ms.old),
    same_output: printed.old === printed.new,
    ...(peer ? { js_ms: ms.js, js_median_ms: median(ms.js), new_over_js: median(ms.new) / median(ms.js) } : {}),
  };
}

/** A Fern module's warm runner: one instance, as \`futamura bench\` times warm runs: instantiating per run would time
 *  the interpreter's memory set-up too (Fern's frame stack alone is 67 MB) and understate every ratio. */
async function fernRunner(
  module: WebAssembly.Module,
  program: Uint8Array,
  cpu: boolean,
  onPrinted: (text: string) => void,
): Promise<() => number> {
  let out = new BufferedOutput();
  const host = fernHost(program);
  // fern.error is the pre-host-ABI error import: a module built before it still instantiates.
  const imports = (ctx: HostContext) => ({
    fern: {
      ...host.imports!(ctx).fern,
      error: () => {
        throw new Error("runtime error");
      },
    },
  });
  const inst = await instantiate(
    module,
    new InterpreterHost(
      program,
      { write: (t) => out.write(t), writeBytes: (b) => out.writeBytes(b) },
      { host: { ...host, imports } },
    ),
  );
  const runExport = inst.exports.run as () => unknown;
  return () => {
    out = new BufferedOutput();
    const ms = timed(() => runExport(), cpu);
    onPrinted(out.text());
    return ms;
  };
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === "build" && rest.length >= 3) {
  const i = rest.indexOf("--options");
  const options = i < 0 ? {} : JSON.parse(rest.splice(i, 2)[1]);
  const train = rest.includes("--train");
  await build(
    rest[0],
    rest[1],
    rest.slice(2).filter((a) => a !== "--train"),
    train,
    options,
  );
} else if (mode === "compare" && rest.length >= 2) {
  const option = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
  const runs = Number(option("--runs") ?? 9);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs takes a whole number of runs, got ${option("--runs")}`);
  await compare(rest[0], rest[1], option("--json"), rest.includes("--cpu"), runs, rest.includes("--js"));
} else {
  console.error(
    "usage: compare-builds.ts build <repo> <outdir> [--train] [--options JSON] prog.fern|prog.lua… | compare <olddir> <newdir> [--json FILE] [--cpu] [--runs N] [--js]",
  );
  process.exitCode = 1;
}
