// Times binaryen pass by pass on the functions a build specializes (issue 26: which passes grow faster than the
// function): builds the program unoptimized (optimizeLevel 0), then runs each pass of a list alone, in order, on
// each specialized function with at least --min locals, and prints the CPU time of each. The first run of each
// pass also pays for V8 compiling that part of binaryen's Wasm (~0.5 s in all, once per process): compare passes
// on a list that runs them twice, or over many functions. A measuring tool, not part of any build.
// Usage: node --import tsx scripts/profile-binaryen.ts <program> [--interp name] [--passes lean|structured|full|a,b,c] [--min locals]
//        [--save file.wasm]   (a program may be `series:size` of bench/compile-programs.ts, e.g. brainfuck:50000 or
//        toy:100000, or a module --save wrote, to profile other pass lists without specializing again).
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SERIES, type SeriesName } from "../bench/compile-programs.ts";
import { buildProgram, loadProgram, resolveInterpreter } from "../pipeline/index.ts";
import { LEAN_PASSES, STRUCTURED_PASSES } from "../specializer/optimize.ts";
import { loadBinaryen, withFeatures } from "../util/binaryen.ts";

/** Close to binaryen 132's default function pipeline at -O3 without GC (pass.cpp, addDefaultFunctionOptimizationPasses);
 *  not byte-identical to optimizeFunction on every function. */
const FULL_O3 = [
  "dce",
  "remove-unused-names",
  "remove-unused-brs",
  "remove-unused-names",
  "optimize-instructions",
  "pick-load-signs",
  "precompute-propagate",
  "code-pushing",
  "tuple-optimization",
  "simplify-locals-nostructure",
  "vacuum",
  "reorder-locals",
  "remove-unused-brs",
  "merge-locals",
  "coalesce-locals",
  "local-cse",
  "simplify-locals",
  "vacuum",
  "reorder-locals",
  "coalesce-locals",
  "reorder-locals",
  "vacuum",
  "code-folding",
  "merge-blocks",
  "remove-unused-brs",
  "remove-unused-names",
  "merge-blocks",
  "precompute-propagate",
  "optimize-instructions",
  "rse",
  "vacuum",
];

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const interpName = opt("--interp");
const passArg = opt("--passes") ?? "lean";
const minLocals = Number(opt("--min") ?? "0");
const save = opt("--save");
let file = args[0];
const saved = file.endsWith(".wasm");
const m = /^([a-z-]+):(\d+)$/.exec(file);
let interpFor = interpName;
if (m) {
  const s = SERIES.find((x) => x.name === (m[1] as SeriesName))!;
  file = join(tmpdir(), `${m[1]}-${m[2]}.${s.ext}`);
  writeFileSync(file, s.source(Number(m[2])));
  interpFor ??= s.interpreter;
}
const named: Record<string, readonly string[]> = { lean: LEAN_PASSES, structured: STRUCTURED_PASSES, full: FULL_O3 };
const passes = named[passArg] ?? passArg.split(",");
const b = await loadBinaryen();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let c = cpu();
const wasm = saved ? new Uint8Array(readFileSync(file)) : await buildUnoptimized(file);
if (save) writeFileSync(save, wasm);
const mod = withFeatures(b, b.readBinary(wasm));
b.setOptimizeLevel(3);
b.setShrinkLevel(0);
// The specialized functions are the last element segment's (names are not kept through the binary).
const segs = mod.getNumElementSegments();
const specialized = b.getElementSegmentInfo(mod.getElementSegmentByIndex(segs - 1)).data;
const fns: { name: string; locals: number }[] = [];
for (const name of specialized) {
  const locals = b.getFunctionInfo(mod.getFunction(name)).vars.length;
  if (locals >= minLocals) fns.push({ name, locals });
}
const total = new Map<string, number>();
const rows: { sum: number; line: string }[] = [];
for (const f of fns) {
  const row: string[] = [];
  let sum = 0;
  passes.forEach((p, k) => {
    c = cpu();
    mod.runPassesOnFunction(f.name, [p]);
    const ms = cpu() - c;
    sum += ms;
    total.set(`${k}:${p}`, (total.get(`${k}:${p}`) ?? 0) + ms);
    row.push(`${p} ${ms.toFixed(0)}`);
  });
  rows.push({ sum, line: `${f.name} (${f.locals} locals): ${sum.toFixed(0)} ms: ${row.join(", ")}` });
}
// The 8 costliest functions.
for (const r of rows.sort((x, y) => y.sum - x.sum).slice(0, 8)) console.log(r.line);
console.log(
  `all ${fns.length} functions: ${[...total].map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(", ")}; sum ${[...total.values()].reduce((a, x) => a + x, 0).toFixed(0)} ms CPU`,
);

/** The program's wevaled module at optimize level 0 (every function on the structured layout, binaryen not run). */
async function buildUnoptimized(file: string): Promise<Uint8Array> {
  const interp = await resolveInterpreter(interpFor, file);
  const program = await loadProgram(interp.manifest, file);
  const built = await buildProgram(interp.wasm, program, { cache: false, optimizeLevel: 0 });
  const s = built.specialize!;
  console.log(
    `build at -O0: ${(cpu() - c).toFixed(0)} ms CPU (specialize ${s.specializeMs.toFixed(0)} ms wall, emit ${s.optimizeMs.toFixed(0)} ms wall), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  return built.wasm;
}
