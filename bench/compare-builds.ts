// Before/after for a change to the specializer: the wevaled modules two builds of futamura made for the same
// programs, timed warm (TurboFan) in ONE process, one instance per module (as `futamura bench` does), interleaved
// run by run, so the machine's drift hits both alike.
//   1. node bench/compare-builds.ts build <repo> <outdir> [--train] prog.fern…   (with each repo's own dist/, e.g. a
//      git worktree of the old commit with node_modules linked, after `npx tsc -p tsconfig.build.json` there);
//      --train builds as `futamura bench --train` does (a training run of the default fuel before the snapshot)
//   2. node bench/compare-builds.ts compare <olddir> <newdir> [--json FILE] [--cpu] [--runs N] [--js]
// Prints per program the medians, new/old and whether both printed the same; the JSON keeps every run. --cpu times
// each run by the process's CPU time (process.cpuUsage) instead of the wall clock: on a machine shared with other
// work (load 15 on 2 cores, 2026-12-06) wall-clock medians of the same module varied 3x between runs, CPU-time ones
// ~5%. --runs N: N interleaved runs per module (default 9). --js: also the program's JavaScript peer
// (lang/bench/peers/NAME.js, as `bench --peers` runs it: a function of `print` made once), interleaved with the two
// and timed the same way, so "within 1.5x of V8" is a same-process ratio too.
// Run with `node --import tsx`; `build` runs the given repo's dist/.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { BufferedOutput, InterpreterHost, instantiate, type HostContext } from "../interp/host.ts";
import { fernHost } from "../lang/values.ts";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function build(repo: string, out: string, files: string[], train: boolean): Promise<void> {
  const dist = join(resolve(repo), "dist");
  const { compileFern } = await import(join(dist, "lang/index.js"));
  const { buildInterpreter } = await import(join(dist, "interp/build.js"));
  // Repositories from before the pipeline layer kept buildProgram in specializer/ and took the program's bytes.
  const layered = existsSync(join(dist, "pipeline/build.js"));
  const { buildProgram } = await import(join(dist, layered ? "pipeline/build.js" : "specializer/build.js"));
  const { fernHost: theirHost } = layered ? await import(join(dist, "lang/values.js")) : { fernHost: undefined };
  const fuel = train ? (await import(join(dist, "pipeline/train.js"))).DEFAULT_TRAINING_FUEL : undefined;
  mkdirSync(out, { recursive: true });
  const interp = (await buildInterpreter("fern")).wasm;
  for (const f of files) {
    const program = compileFern(readFileSync(f, "utf8"), f);
    const t = performance.now();
    const built = await buildProgram(
      interp,
      layered ? { bytes: program.bytes, host: theirHost(program.bytes) } : program.bytes,
      { cache: false, ...(fuel !== undefined ? { train: fuel, interpreterName: "fern" } : {}) },
    );
    const name = basename(f).replace(/\.fern$/, "");
    writeFileSync(join(out, `${name}.wasm`), built.wasm);
    writeFileSync(join(out, `${name}.prog`), program.bytes);
    console.log(`${name}: built in ${(performance.now() - t).toFixed(0)} ms, ${built.wasm.length} B`);
  }
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
    const program = new Uint8Array(readFileSync(join(newDir, `${name}.prog`)));
    const modules = {
      old: new WebAssembly.Module(readFileSync(join(oldDir, `${name}.wasm`))),
      new: new WebAssembly.Module(readFileSync(join(newDir, `${name}.wasm`))),
    };
    const printed: Record<string, string> = {};
    // One instance per module, as `futamura bench` times warm runs: instantiating per run would time the
    // interpreter's memory set-up too (Fern's frame stack alone is 67 MB) and understate every ratio.
    const instance = async (k: "old" | "new") => {
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
        modules[k],
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
        printed[k] = out.text();
        return ms;
      };
    };
    const runners = { old: await instance("old"), new: await instance("new") };
    const peer = js ? jsPeer(name, cpu) : undefined;
    const run = async (k: "old" | "new") => runners[k]();
    for (let i = 0; i < 2; i++) for (const k of ["old", "new"] as const) await run(k); // warm up to TurboFan
    for (let i = 0; peer && i < 2; i++) peer();
    const ms = { old: [] as number[], new: [] as number[], js: [] as number[] };
    for (let i = 0; i < runs; i++) {
      for (const k of i % 2 ? (["old", "new"] as const) : (["new", "old"] as const)) ms[k].push(await run(k));
      if (peer) ms.js.push(peer());
    }
    const row = {
      program: name,
      old_ms: ms.old,
      new_ms: ms.new,
      old_median_ms: median(ms.old),
      new_median_ms: median(ms.new),
      new_over_old: median(ms.new) / median(ms.old),
      same_output: printed.old === printed.new,
      ...(peer ? { js_ms: ms.js, js_median_ms: median(ms.js), new_over_js: median(ms.new) / median(ms.js) } : {}),
    };
    rows.push(row);
    console.log(
      `${name.padEnd(12)} old ${row.old_median_ms.toFixed(2)} ms  new ${row.new_median_ms.toFixed(2)} ms  new/old ${row.new_over_old.toFixed(3)}  (new ${Math.min(...ms.new).toFixed(2)}–${Math.max(...ms.new).toFixed(2)})  same output: ${row.same_output}${peer ? `  js ${median(ms.js).toFixed(2)} ms, new/js ${(median(ms.new) / median(ms.js)).toFixed(2)}` : ""}`,
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

const [mode, ...rest] = process.argv.slice(2);
if (mode === "build" && rest.length >= 3)
  await build(
    rest[0],
    rest[1],
    rest.slice(2).filter((a) => a !== "--train"),
    rest.includes("--train"),
  );
else if (mode === "compare" && rest.length >= 2) {
  const option = (name: string) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
  const runs = Number(option("--runs") ?? 9);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs takes a whole number of runs, got ${option("--runs")}`);
  await compare(rest[0], rest[1], option("--json"), rest.includes("--cpu"), runs, rest.includes("--js"));
} else {
  console.error(
    "usage: compare-builds.ts build <repo> <outdir> [--train] prog.fern… | compare <olddir> <newdir> [--json FILE] [--cpu] [--runs N] [--js]",
  );
  process.exitCode = 1;
}
