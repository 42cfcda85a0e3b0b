// `futamura snapshot`, `specialize`, `build`, `ir` and `build-interp`: thin wrappers over pipeline/, snapshot/,
// specializer/ and interp/build.ts. Outputs are written atomically and never over an input.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { relative } from "node:path";
import { buildInterpreter } from "../interp/build.ts";
import { BufferedOutput, InterpreterHost } from "../interp/host.ts";
import { knownManifests, resolveInterpreterSpec } from "../interp/manifest.ts";
import { importsWasi } from "../interp/wasi.ts";
import { writeGenerated } from "../pipeline/generated.ts";
import {
  abortedRequests,
  abortLine,
  buildProgram,
  interpreterAndProgram,
  specializeSnapshot,
  withManifestSection,
  withProgramSection,
  type Program,
} from "../pipeline/index.ts";
import { trainingFuel } from "../pipeline/train.ts";
import { snapshot } from "../snapshot/index.ts";
import type { SpecializeModuleResult, SpecializeOptions } from "../specializer/index.ts";
import { buildFunctionIR } from "../specializer/ssa/frontend.ts";
import { decodeModule, WasmDecodeError } from "../specializer/ssa/module.ts";
import { printFunction } from "../specializer/ssa/print.ts";
import { roundTripModule } from "../specializer/ssa/roundtrip.ts";
import { verifyFunction } from "../specializer/ssa/verify.ts";
import { UserError } from "../util/errors.ts";
import { exportNames, makeOutputDir, readUserFile, readUserWasm, writeFileAtomic } from "../util/files.ts";
import { fdWriter } from "../util/wasi-files.ts";
import { progressLine } from "./progress.ts";

const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

export async function snapshotCommand(
  interp: string,
  programFile: string,
  opts: { out: string; wasi?: boolean; init?: string },
): Promise<number> {
  // With --wasi the program is also init's standard input (how a C interpreter reads it, as under wizer), and a
  // module exporting `wizer.resume` gets it as `_start` (wizer's -r _start=wizer.resume). An interpreter that imports
  // WASI (Lua, by its manifest) gets it without the flag, as `build` gives it.
  const { interp: it, program } = await interpreterAndProgram(interp, programFile);
  const wasi = opts.wasi || importsWasi(it.wasm);
  const host = new InterpreterHost(program.bytes, new BufferedOutput(), { host: program.host });
  const r = await snapshot(it.wasm, {
    imports: host.imports,
    onInstance: (i) => host.bind(i),
    wasi: wasi ? { stdin: program.bytes, stdout: fdWriter(1), stderr: fdWriter(2) } : undefined,
    initExport: opts.init,
  });
  writeFileAtomic(opts.out, r.wasm, [programFile, interp]);
  process.stdout.write(
    `${opts.out}: ${kb(r.stats.outputBytes)} (interpreter ${kb(r.stats.inputBytes)}), ${r.stats.pages} pages, ${r.stats.dataSegments} data segments, ${r.stats.ms.toFixed(0)} ms\n`,
  );
  return 0;
}

function printStats(r: SpecializeModuleResult): void {
  const raw = r.rawBytes !== undefined ? ` (${kb(r.rawBytes)} before binaryen)` : "";
  const threads = r.workers ? ` on ${r.workers + 1} threads` : "";
  const cached = r.requests.filter((s) => s.cached).length;
  const fromCache = cached ? ` (${cached} of ${r.requests.length} requests from the per-request cache)` : "";
  process.stdout.write(
    `input ${kb(r.inputBytes)} -> output ${kb(r.outputBytes)}${raw}; specialize ${r.specializeMs.toFixed(1)} ms${threads}${fromCache}, binaryen optimize ${r.optimizeMs.toFixed(0)} ms\n`,
  );
  for (const s of r.requests) {
    const head = `request ${s.userId} (${s.generic}${s.label ? `, ${s.label}` : ""})`;
    if (s.aborted) process.stdout.write(`${head}: ABORTED, the interpreter will run: ${s.aborted}\n`);
    else {
      const direct =
        (s.directCalls
          ? `, ${s.directCalls} direct call${s.directCalls === 1 ? "" : "s"} to specialized functions`
          : "") + (s.inlined ? ", inlined into its callers" : "");
      process.stdout.write(
        `${head}: table slot ${s.tableIndex}; ${s.contexts} contexts, ${s.blocks} blocks (generic ${s.genericBlocks}), ${s.values} values${direct}, ${s.ms.toFixed(1)} ms\n`,
      );
      const c = s.cleanup;
      if (c)
        process.stdout.write(
          `    cleanup ${c.ms.toFixed(1)} ms: ${c.forwarded} loads forwarded, ${c.redundantParams} redundant parameters, ${c.floatParams} made f64, ${c.deadValues} dead values, ${c.threaded} jumps threaded, ${c.merged} blocks merged -> ${c.blocks} blocks, ${s.size} values; binaryen: ${s.optimize === "lean" ? "lean passes" : s.optimize === "full" ? "full pipeline" : "none"}\n`,
        );
      if (s.stages)
        process.stdout.write(
          `    stages (ms): ${Object.entries(s.stages)
            .map(([stage, ms]) => `${stage} ${ms.toFixed(1)}`)
            .join(", ")}\n`,
        );
    }
    for (const [cause, n] of s.runtimeCauses.slice(0, 5)) process.stdout.write(`    runtime x${n}: ${cause}\n`);
  }
  for (const n of r.notFolded) process.stdout.write(`note: ${n}\n`);
}

/** Names each request by what its constant buffer is, as the program's loader says (Fern: the function). */
function describer(program: Program): SpecializeOptions["describeRequest"] {
  const describe = program.describeRequest;
  if (!describe) return undefined;
  return (req) => {
    const constant = req.args.find((a) => a.ty === "buffer" && a.bytes)?.bytes;
    return constant ? describe.call(program, constant) : undefined;
  };
}

function dumper(dir: string | undefined): SpecializeOptions["dumpIr"] {
  if (!dir) return undefined;
  makeOutputDir(dir);
  return (file, text) => writeFileAtomic(join(dir, file), text);
}

/** --dump-stages' list of stage names (with --dump-ir only). */
function dumpStages(list: string | undefined, dir: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  if (!dir) throw new UserError("--dump-stages names the stages --dump-ir writes: give --dump-ir DIR too");
  const names = list.split(",").map((x) => x.trim());
  if (names.some((x) => x === ""))
    throw new UserError(`--dump-stages takes a comma-separated list of stage names (or all), got '${list}'`);
  return names;
}

/** A --dump-stages name no request ran (a typo: the stage list is the runner's, known only once they ran). */
function warnUnknownStages(names: string[] | undefined, r: SpecializeModuleResult): void {
  const ran = new Set(r.requests.flatMap((q) => Object.keys(q.stages ?? {})));
  for (const n of names ?? [])
    if (n !== "all" && !ran.has(n))
      process.stderr.write(`warning: --dump-stages: no stage named '${n}' ran (stages: ${[...ran].join(", ")})\n`);
}

/** `futamura specialize`'s options, as commander gives them (cli/main.ts declares them). */
export interface SpecializeFlags {
  out: string;
  stats?: boolean;
  dumpIr?: string;
  dumpStages?: string;
  verify?: boolean;
  strict?: boolean;
}

export async function specializeCommand(input: string, opts: SpecializeFlags): Promise<number> {
  const stages = dumpStages(opts.dumpStages, opts.dumpIr);
  const wasm = readUserWasm(input);
  const progress = progressLine(input);
  const r = await specializeSnapshot(wasm, {
    verify: opts.verify,
    dumpIr: dumper(opts.dumpIr),
    dumpStages: stages,
    reportRawSize: opts.stats,
    onProgress: progress.onProgress,
  }).finally(progress.clear);
  warnUnknownStages(stages, r);
  if (r.requests.length === 0) {
    const exports = exportNames(wasm);
    const init = ["wizer.initialize", "wizer-initialize"].find((n) => exports.has(n));
    throw new UserError(
      init
        ? `${input}: error: no pending specialization requests: this module still has its init export (${init}), so it is an interpreter that was not snapshotted; run \`futamura snapshot\` on it with a program first, or \`futamura build PROGRAM\``
        : `${input}: error: no pending specialization requests (its weval request list is empty): nothing to specialize`,
    );
  }
  const aborted = abortedRequests(r);
  for (const a of aborted) process.stderr.write(`${abortLine(input, a)}\n`);
  if (opts.strict && aborted.length)
    throw new UserError(
      `${input}: error: ${aborted.length} of ${r.requests.length} request(s) not specialized (--strict); ${opts.out} not written`,
    );
  writeFileAtomic(opts.out, r.wasm, [input]);
  if (opts.stats) printStats(r);
  else
    process.stdout.write(
      `${opts.out}: ${kb(r.outputBytes)}, ${r.requests.length - aborted.length}/${r.requests.length} requests specialized\n`,
    );
  return 0;
}

/** `futamura build`'s options, as commander gives them (cli/main.ts declares them). */
export interface BuildFlags {
  out: string;
  interp?: string;
  stats?: boolean;
  dumpIr?: string;
  dumpStages?: string;
  verify?: boolean;
  cache?: boolean;
  init?: string;
  train?: boolean;
  trainFuel?: string;
  strict?: boolean;
}

export async function buildCommand(programFile: string, opts: BuildFlags): Promise<number> {
  const stages = dumpStages(opts.dumpStages, opts.dumpIr);
  const train = trainingFuel(opts.train, opts.trainFuel);
  const progress = progressLine(programFile);
  const { interp, program } = await interpreterAndProgram(opts.interp, programFile, progress.onProgress).finally(
    progress.clear,
  );
  const r = await buildProgram(interp.wasm, program, {
    verify: opts.verify,
    dumpIr: dumper(opts.dumpIr),
    dumpStages: stages,
    reportRawSize: opts.stats,
    cache: opts.cache === false ? false : undefined,
    init: opts.init,
    train,
    interpreterName: interp.name,
    strict: opts.strict,
    label: programFile,
    snapshotOnHit: false,
    onProgress: progress.onProgress,
    describeRequest: describer(program),
  }).finally(progress.clear);
  for (const a of r.aborted) process.stderr.write(`${abortLine(programFile, a)}\n`);
  if (r.specialize) warnUnknownStages(stages, r.specialize);
  // The interpreter's name and the program's bytes ride along (a custom section): `run out.wasm` finds its host.
  writeFileAtomic(
    opts.out,
    withManifestSection(withProgramSection(r.wasm, interp.name, program.bytes), interp.manifest.file, programFile),
    [programFile, ...(opts.interp ? [opts.interp] : [])],
  );
  process.stdout.write(`${opts.out}: ${kb(r.wasm.length)} [${interp.name}]${r.cached ? " (from the cache)" : ""}\n`);
  if (r.cacheWarning) process.stderr.write(`${r.cacheWarning}\n`);
  if (r.training)
    process.stdout.write(
      `trained: ${r.training.ended}, ${r.training.ms.toFixed(0)} ms, feedback kept in ${r.training.requests} requests\n`,
    );
  if (opts.stats && r.specialize) {
    if (r.cached) process.stdout.write("statistics stored with the cache entry (times are the original build's):\n");
    printStats(r.specialize);
  }
  return 0;
}

export async function irCommand(
  module: string,
  opts: { func?: string; roundtrip?: boolean; out?: string; verify?: boolean },
): Promise<number> {
  // An interpreter's name or manifest (toy, fern, bf, mylang.json, mylang.ts) names its module, built when stale, so
  // `futamura ir toy` works right after `npm install`, before anything has built build/interp/toy.wasm.
  const isModuleFile = module.endsWith(".wasm") || (existsSync(module) && !/\.(json|ts)$/.test(module));
  const bytes = isModuleFile ? readUserWasm(module) : (await buildInterpreter(resolveInterpreterManifest(module))).wasm;
  try {
    if (opts.roundtrip) {
      if (!opts.out) throw new UserError("futamura ir --roundtrip needs -o <out.wasm>");
      const out = await roundTripModule(bytes, { verify: opts.verify, optimize: true });
      writeFileAtomic(opts.out, out, [module]);
      process.stdout.write(`${opts.out}: ${kb(out.length)} (round trip of ${kb(bytes.length)} through the IR)\n`);
      return 0;
    }
    const info = decodeModule(bytes);
    const fns = info.functions.filter(
      (f) => !f.import && (!opts.func || f.name === opts.func || String(f.index) === opts.func),
    );
    const imported = info.functions.find((f) => f.import && (f.name === opts.func || String(f.index) === opts.func));
    if (opts.func && imported)
      throw new UserError(
        `${module}: function ${imported.index} (${imported.import!.module}.${imported.import!.name}) is imported: it has no body to print`,
      );
    if (opts.func && fns.length === 0)
      throw new UserError(
        `${module}: no function named '${opts.func}' (functions: ${info.functions
          .filter((f) => !f.import)
          .map((f) => f.name)
          .join(", ")})`,
      );
    for (const fn of fns) {
      const ir = buildFunctionIR(info, fn.index);
      if (opts.verify) verifyFunction(ir);
      process.stdout.write(printFunction(ir) + "\n");
    }
    return 0;
  } catch (e) {
    if (e instanceof WasmDecodeError) throw new UserError(`${module}: error: ${e.message}`);
    throw e;
  }
}

/** The manifest an interpreter spec (name, .json, .ts) names; a .wasm file is not one. */
function resolveInterpreterManifest(spec: string) {
  const r = resolveInterpreterSpec(spec);
  if ("wasmFile" in r) throw new UserError(`${spec}: error: expected an interpreter name, manifest or entry`);
  return r.manifest;
}

/** `futamura build-interp [manifest|entry.ts|NAME…]`: rewrite stale generated constants, then build and check
 *  interpreters (default: every known one). */
export async function buildInterpCommand(specs: string[], opts: { force?: boolean }): Promise<number> {
  const manifests = specs.length
    ? specs.map((s) => {
        const r = resolveInterpreterSpec(s);
        if ("wasmFile" in r)
          throw new UserError(
            `${s}: error: build-interp takes a manifest (.json), an AssemblyScript entry (.ts) or an interpreter name, not a built module`,
          );
        return r.manifest;
      })
    : knownManifests();
  for (const path of writeGenerated()) process.stdout.write(`${path}: regenerated from its opcode table\n`);
  for (const m of manifests) {
    const t = performance.now();
    const progress = progressLine(m.name); // asc takes seconds: a terminal shows what is being built
    const built = await buildInterpreter(m, { force: opts.force, onProgress: progress.onProgress }).finally(
      progress.clear,
    );
    process.stdout.write(
      `${relative(process.cwd(), built.path) || built.path}: ${m.name}, ${kb(built.wasm.length)}, ${(performance.now() - t).toFixed(0)} ms; exports, imports and features checked\n`,
    );
  }
  return 0;
}
