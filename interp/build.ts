// Builds the AssemblyScript interpreters with asc (in-process: ~0.6 s instead of ~3.4 s for the CLI), using the
// `release` target of asconfig.json at the repository root, then renames exports to weval's ABI names (dots are not
// legal in AssemblyScript export names) with binaryen. Results are cached in build/interp/ keyed by a hash of the
// sources, the config and the compiler version, so tests and the CLI can call buildInterpreter freely.
// Before building the toy interpreter it rewrites interp/as/toy-opcodes.ts from the opcode table.
// Relies on assemblyscript/asc, binaryen, bytecode/gen-as-constants.ts.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { toyOpcodesAssemblyScript } from "../bytecode/gen-as-constants.ts";
import { fernOpcodesAssemblyScript } from "../lang/gen-as-constants.ts";
import { loadBinaryen, withFeatures } from "../util/binaryen.ts";
import { writeFileAtomic } from "../util/files.ts";
import { ROOT } from "../util/root.ts";

export { ROOT };
const AS_DIR = join(ROOT, "interp", "as");
const BUILD_DIR = join(ROOT, "build", "interp");

/** Export renames applied after asc: AssemblyScript name → ABI name. */
export const EXPORT_RENAMES: Record<string, string> = {
  init: "wizer.initialize",
  wevalPendingHead: "weval.pending.head",
  wevalIsWevaled: "weval.is.wevaled",
};

export type InterpreterName = "toy" | "fern" | "fern-memory";

/** Each interpreter: its AssemblyScript entry and compile-time constants (asc --use). `fern-memory` is Fern with
 *  its locals and stack kept in memory even when specialized: the control for measuring what registers buy. */
const VARIANTS: Record<InterpreterName, { entry: string; use: string[] }> = {
  toy: { entry: "toy.ts", use: [] },
  fern: { entry: "fern.ts", use: ["FERN_REGISTERS=1"] },
  "fern-memory": { entry: "fern.ts", use: ["FERN_REGISTERS=0"] },
};

export interface BuiltInterpreter {
  name: InterpreterName;
  wasm: Uint8Array<ArrayBuffer>;
  path: string;
}

/** The generated constants files' paths and up-to-date contents. */
export function generatedFiles(): { path: string; content: string }[] {
  return [
    { path: join(AS_DIR, "toy-opcodes.ts"), content: toyOpcodesAssemblyScript() },
    { path: join(AS_DIR, "fern-opcodes.ts"), content: fernOpcodesAssemblyScript() },
  ];
}

export function toyOpcodesFile(): { path: string; content: string } {
  return generatedFiles()[0];
}

/** Rewrite the generated constants when stale; with `regenerate: false`, a stale file is an error instead. */
function refreshGenerated(regenerate: boolean): void {
  for (const { path, content } of generatedFiles()) {
    if (existsSync(path) && readFileSync(path, "utf8") === content) continue;
    if (!regenerate) throw new Error(`${relative(ROOT, path)} is out of date with its opcode table: run \`npm run build:interp\``);
    writeFileSync(path, content);
  }
}

function sourceHash(): string {
  const h = createHash("sha256");
  for (const f of readdirSync(AS_DIR).sort()) h.update(f).update(readFileSync(join(AS_DIR, f)));
  h.update(readFileSync(join(ROOT, "asconfig.json")));
  h.update(readFileSync(join(ROOT, "node_modules", "assemblyscript", "package.json")));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  return h.digest("hex").slice(0, 16);
}

/** Build (or reuse) an interpreter module. */
export async function buildInterpreter(name: InterpreterName = "toy", opts: { regenerate?: boolean } = {}): Promise<BuiltInterpreter> {
  refreshGenerated(opts.regenerate ?? true);
  const path = join(BUILD_DIR, `${name}.wasm`);
  const stamp = join(BUILD_DIR, `${name}.hash`);
  const hash = sourceHash();
  if (existsSync(path) && existsSync(stamp) && readFileSync(stamp, "utf8") === hash) {
    return { name, wasm: new Uint8Array(readFileSync(path)), path };
  }
  const variant = VARIANTS[name];
  const wasm = (await compile(join(AS_DIR, variant.entry), variant.use)) as Uint8Array<ArrayBuffer>;
  writeFileAtomic(path, wasm);
  writeFileAtomic(stamp, hash);
  return { name, wasm, path };
}

async function compile(entry: string, use: string[]): Promise<Uint8Array> {
  const asc = (await import("assemblyscript/asc")).default;
  let binary: Uint8Array | undefined;
  const errors: string[] = [];
  const { error } = await asc.main(
    [relative(ROOT, entry), "--config", "asconfig.json", "--target", "release", "--outFile", "out.wasm", ...use.flatMap((u) => ["--use", u])],
    {
      readFile: (file: string, baseDir: string) => {
        const p = join(ROOT, baseDir, file);
        return existsSync(p) ? readFileSync(p, "utf8") : null;
      },
      writeFile: (file: string, contents: Uint8Array | string) => {
        if (file.endsWith(".wasm")) binary = contents as Uint8Array;
      },
      stdout: { write: (s: string | Uint8Array) => (errors.push(String(s)), true) } as never,
      stderr: { write: (s: string | Uint8Array) => (errors.push(String(s)), true) } as never,
    } as never,
  );
  if (error || !binary) throw new Error(`asc failed on ${relative(ROOT, entry)}:\n${errors.join("")}${error ? String(error) : ""}`);
  return renameExports(binary);
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
    if (!mod.validate()) throw new Error("binaryen rejected the interpreter after renaming exports");
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

// `tsx interp/build.ts` builds every interpreter.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of ["toy", "fern", "fern-memory"] as const) {
    const built = await buildInterpreter(name);
    console.log(`${relative(process.cwd(), built.path)}: ${built.wasm.length} bytes`);
  }
}
