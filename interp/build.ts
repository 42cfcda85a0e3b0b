// Builds any interpreter described by a manifest (interp/manifest.ts) with asc, in-process (~0.6 s instead of
// ~3.4 s for the CLI on 2026-12-01), with asconfig.json's `release` target as flags (-O3, stub runtime, no
// asserts, exported table), then renames exports to the ABI's dotted names (AssemblyScript cannot export them) with
// binaryen and checks the result: the exports and their types, every import against the host ABI and the manifest, and
// that every function decodes in futamura's IR (the Wasm features the specializer reads). Results are cached beside
// the manifest's `out`, keyed by a hash of the entry's folder, the manifest, this file and the compiler version, so
// tests and the CLI can call buildInterpreter freely. The built-in interpreters' generated opcode constants are
// compiled as committed (pipeline/generated.ts writes and checks them).
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { buildFunctionIR } from "../specializer/ssa/frontend.ts";
import { decodeModule, type WasmModuleInfo } from "../specializer/ssa/module.ts";
import { loadBinaryen, withFeatures } from "../util/binaryen.ts";
import { InternalError, UserError } from "../util/errors.ts";
import { writeFileAtomic } from "../util/files.ts";
import { INSTALLED, projectCacheDir, ROOT } from "../util/root.ts";
import type { ProgressCallback } from "../util/progress.ts";
import { buildCInterpreter, C_VARIANTS, type CVariant } from "./c-build.ts";
import { coreImportNames } from "./host.ts";
import { buildLua, LUA_VARIANTS } from "./lua-build.ts";
import { builtinManifest, type Manifest } from "./manifest.ts";

export { ROOT };
const AS_DIR = join(ROOT, "interp", "as");

/** Export renames applied after asc: AssemblyScript name → ABI name. */
export const EXPORT_RENAMES: Record<string, string> = {
  init: "wizer.initialize",
  wevalPendingHead: "weval.pending.head",
  wevalIsWevaled: "weval.is.wevaled",
};

/** The asc flags every interpreter is built with: asconfig.json's `release` target (its one source), as flags, so
 *  they apply to an entry anywhere (a config file is resolved against the entry's folder). */
export function ascFlags(): string[] {
  const release = (
    JSON.parse(readFileSync(join(ROOT, "asconfig.json"), "utf8")) as { targets: { release: Record<string, unknown> } }
  ).targets.release;
  return Object.entries(release).flatMap(([k, v]) =>
    v === true ? [`--${k}`] : v === false ? [] : [`--${k}`, String(v)],
  );
}

export interface BuiltInterpreter {
  name: string;
  wasm: Uint8Array<ArrayBuffer>;
  path: string;
}

function sourceHash(m: Manifest): string {
  const h = createHash("sha256");
  const dir = dirname(m.entry);
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort())
    h.update(f).update(readFileSync(join(dir, f)));
  h.update(readFileSync(m.file));
  // The entry relative to the checkout: a scratch copy sharing build/ (test/docs/commands.test.ts) must find the
  // same stamp, or each side rebuilt every interpreter after the other (~40 s of CPU each way on a quiet machine).
  h.update(JSON.stringify([relative(ROOT, m.entry), m.use, m.runtime]));
  h.update(readFileSync(createRequire(import.meta.url).resolve("assemblyscript/package.json")));
  // This file's TypeScript source, the same whether it runs from dist/ (the CLI) or as .ts (vitest): hashing the
  // running file made the two rebuild every interpreter after each other (~1 min on a busy machine).
  const self = join(ROOT, "interp", "build.ts");
  h.update(readFileSync(existsSync(self) ? self : fileURLToPath(import.meta.url)));
  return h.digest("hex").slice(0, 16);
}

/** The clang-built interpreters a manifest's "clang" may name (each caches its own build). */
export const CLANG_BUILDS: Record<string, () => { wasm: Uint8Array; path: string }> = {
  ...Object.fromEntries(LUA_VARIANTS.map((v) => [v, () => buildLua(v)])),
  ...Object.fromEntries(Object.keys(C_VARIANTS).map((v) => [v, () => buildCInterpreter(v as CVariant)])),
};

/** Build (or reuse) a clang-built variant by name. */
export function buildClangVariant(variant: string, m?: Manifest): { wasm: Uint8Array; path: string } {
  const build = CLANG_BUILDS[variant];
  if (!build)
    throw new UserError(
      `${m?.file ?? "clang"}: error: no clang build named "${variant}" (known: ${Object.keys(CLANG_BUILDS).join(", ")})`,
    );
  return build();
}

/** Build (or reuse) an interpreter module: a built-in one by name, or any manifest. */
export async function buildInterpreter(
  which: string | Manifest = "toy",
  opts: { force?: boolean; onProgress?: ProgressCallback } = {},
): Promise<BuiltInterpreter> {
  let m = typeof which === "string" ? builtinManifest(which) : which;
  if (m.clang) {
    const built = buildClangVariant(m.clang.variant, m);
    return { name: m.name, wasm: built.wasm as Uint8Array<ArrayBuffer>, path: built.path };
  }
  if (INSTALLED && m.entry.startsWith(AS_DIR)) {
    // An installed package ships its interpreters prebuilt (npm's prepack) and is never written to: use them as
    // they are, or build a missing one into the project's cache folder.
    if (!opts.force && existsSync(m.out))
      return { name: m.name, wasm: new Uint8Array(readFileSync(m.out)), path: m.out };
    m = { ...m, out: join(projectCacheDir(), "interp", basename(m.out)) };
  }
  const path = m.out;
  const stamp = `${path}.hash`;
  const hash = sourceHash(m);
  if (!opts.force && existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
    return { name: m.name, wasm: new Uint8Array(readFileSync(path)), path };
  }
  opts.onProgress?.(`build interpreter ${m.name} (asc)`, 0, 1);
  const wasm = (await renameExports(await compile(m))) as Uint8Array<ArrayBuffer>;
  opts.onProgress?.(`build interpreter ${m.name} (asc)`, 1, 1);
  checkInterpreter(wasm, m);
  writeFileAtomic(path, wasm);
  writeFileAtomic(stamp, hash);
  return { name: m.name, wasm, path };
}

async function compile(m: Manifest): Promise<Uint8Array> {
  const asc = (await import("assemblyscript/asc")).default;
  let binary: Uint8Array | undefined;
  const messages: string[] = [];
  const entry = relative(process.cwd(), m.entry);
  const flags = ascFlags().map((f) => (f === "stub" ? m.runtime : f)); // the manifest may ask for another runtime
  const { error } = await asc.main([entry, ...flags, "--outFile", "out.wasm", ...m.use.flatMap((u) => ["--use", u])], {
    readFile: (file: string, baseDir: string) => {
      const p = join(process.cwd(), baseDir, file);
      return existsSync(p) ? readFileSync(p, "utf8") : null;
    },
    writeFile: (file: string, contents: Uint8Array | string) => {
      if (file.endsWith(".wasm")) binary = contents as Uint8Array;
    },
    stdout: { write: (s: string | Uint8Array) => (messages.push(String(s)), true) } as never,
    stderr: { write: (s: string | Uint8Array) => (messages.push(String(s)), true) } as never,
  } as never);
  if (error || !binary)
    throw new UserError(`${entry}: error: asc failed to compile the interpreter:\n${messages.join("").trim()}`);
  return binary;
}

async function renameExports(wasm: Uint8Array): Promise<Uint8Array> {
  const binaryen = await loadBinaryen();
  const mod = withFeatures(binaryen, binaryen.readBinary(wasm));
  try {
    for (const [from, to] of Object.entries(EXPORT_RENAMES)) {
      const exp = mod.getExport(from);
      if (!exp) continue;
      const info = binaryen.getExportInfo(exp);
      mod.removeExport(from);
      mod.addFunctionExport(info.value, to);
    }
    if (!mod.validate()) throw new InternalError("binaryen rejected the interpreter after renaming exports");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

/** What futamura needs of an interpreter's exports: name, kind, and for functions the allowed types. */
const REQUIRED_EXPORTS: {
  name: string;
  as: string;
  kind: "func" | "memory";
  params?: string[];
  results?: string[][];
}[] = [
  { name: "wizer.initialize", as: "export function init(): void", kind: "func", params: [], results: [[]] },
  {
    name: "run",
    as: "export function run(): void | i32 | i64 (the result diff compares)",
    kind: "func",
    params: [],
    results: [[], ["i32"], ["i64"]],
  },
  {
    name: "weval.pending.head",
    as: 'export { wevalPendingHead } from "./weval"',
    kind: "func",
    params: [],
    results: [["i32"]],
  },
  {
    name: "weval.is.wevaled",
    as: 'export { wevalIsWevaled } from "./weval"',
    kind: "func",
    params: [],
    results: [["i32"]],
  },
  { name: "memory", as: "AssemblyScript exports its memory by default", kind: "memory" },
];

/** Every problem with a built interpreter, one line each (empty: fine). */
export function interpreterProblems(wasm: Uint8Array, m: Pick<Manifest, "name" | "imports">): string[] {
  const problems: string[] = [];
  let info: WasmModuleInfo;
  try {
    info = decodeModule(wasm);
  } catch (e) {
    return [`cannot decode the module: ${(e as Error).message}`];
  }
  for (const r of REQUIRED_EXPORTS) {
    const e = info.exports.find((x) => x.name === r.name);
    if (!e) {
      problems.push(`missing export '${r.name}' (${r.as})`);
      continue;
    }
    if (e.kind !== r.kind) {
      problems.push(`export '${r.name}' is a ${e.kind}, expected a ${r.kind}`);
      continue;
    }
    if (r.kind !== "func") continue;
    const t = info.functions[e.index].type;
    const sig = `(${t.params.join(", ")}) -> (${t.results.join(", ")})`;
    if (t.params.length !== r.params!.length || !r.results!.some((res) => res.join() === t.results.join()))
      problems.push(`export '${r.name}' has type ${sig}; expected ${r.as}`);
  }
  if (!info.tables.length)
    problems.push(
      "no function table: the specialized function is reached through one (asc --exportTable, and call_indirect in `run`)",
    );
  const core = coreImportNames();
  for (const f of info.functions) {
    if (!f.import) continue;
    const { module, name } = f.import;
    if (core[module]) {
      if (!core[module].includes(name))
        problems.push(
          `import '${module}.${name}' is not part of futamura's host ABI (${module}: ${core[module].join(", ")})`,
        );
    } else if (!m.imports.includes(module))
      problems.push(
        `import '${module}.${name}': module '${module}' is neither futamura's host ABI nor listed in the manifest's "imports" (its loader must provide it)`,
      );
  }
  for (const g of info.globals)
    if (g.import)
      problems.push(`imported global '${g.import.module}.${g.import.name}': snapshots need globals the module defines`);
  if (info.memories.some((mem) => mem.imported))
    problems.push("the memory is imported: snapshots need a memory the module defines");
  for (const f of info.functions) {
    if (f.import) continue;
    try {
      buildFunctionIR(info, f.index);
    } catch (e) {
      problems.push(
        `function ${f.name}: futamura's IR cannot read it (${(e as Error).message}); use only the features in util/binaryen.ts`,
      );
    }
  }
  return problems;
}

function checkInterpreter(wasm: Uint8Array, m: Manifest): void {
  const problems = interpreterProblems(wasm, m);
  const where = relative(process.cwd(), m.entry) || m.entry;
  if (problems.length) throw new UserError(problems.map((p) => `${where}: error: ${p}`).join("\n"));
}

// `tsx interp/build.ts` builds every built-in interpreter.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { knownManifests } = await import("./manifest.ts");
  for (const m of knownManifests(ROOT)) {
    const built = await buildInterpreter(m);
    console.log(`${relative(process.cwd(), built.path)}: ${built.wasm.length} bytes`);
  }
}
