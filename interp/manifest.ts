// Interpreters described by data: a manifest (JSON) per interpreter says what to compile and how a program file
// becomes the bytes the interpreter loads, so every command works with any interpreter and none is special.
//
//   {
//     "name": "bf",                       unique; `--interp bf`
//     "entry": "../as/bf.ts",             the AssemblyScript entry, relative to the manifest
//     "loader": "../../lang-bf/loader.ts" a module exporting load(file, data) (see LoadedProgram), or
//               {"command": ["node", "compile.mjs", "{file}"]} whose standard output is the program's bytes;
//               omitted: the file's bytes as they are
//     "extensions": [".b", ".bf"],        program files this interpreter takes (chosen by extension when unique)
//     "imports": ["fern"],                import modules beyond futamura's host ABI that the loader provides
//     "use": ["FERN_REGISTERS=1"],        asc --use constants (optional)
//     "runtime": "minimal",               AssemblyScript runtime (default "stub": a bump allocator that never
//                                         frees; "minimal" gives heap.free a real allocator, TLSF)
//     "out": "build/bf.wasm",             where build-interp writes the module (default build/<name>.wasm)
//     "deepStack": true,                  programs may recurse deeply (each of their calls a Wasm call): they run on
//                                         a worker thread with a 4 GB native stack (interp/deep-run.ts), the
//                                         loader's host(bytes) making their host additions there (default false)
//     "searchPath": {"env": ["LUA_PATH"], "default": "/usr/share/lua/5.4/?.lua;./?.lua"}
//                                         a WASI interpreter's module search path, templates as Lua's package.path
//                                         (';' between them, '?' for the name, the first ";;" for the default): the
//                                         first variable set, else the default; the folders its templates name are
//                                         granted for reading (interp/wasi.ts's hostAccess), so that `require` finds
//                                         what it finds natively (optional)
//   }
//
// A clang-built WASI interpreter (a C one, e.g. Lua) names its build instead of "entry": "clang": {"variant":
// "lua", "control": "lua-stock"} — one of the clang builds CLANG_BUILDS lists (interp/build.ts: Lua, the C toy),
// and optionally the same interpreter built without annotations, which `futamura bench` times beside it. Its
// programs reach init on standard input (what the loader makes of the file), as under wizer.
//
// Built-in manifests live in interp/manifests/; a project's own are found as */futamura-interp.json under the
// current directory (what `futamura new-interp NAME` writes).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { UserError } from "../util/errors.ts";
import { checkUserFile, isStandardInput } from "../util/files.ts";
import { ROOT, runnableModulePath } from "../util/root.ts";

export const MANIFEST_FILE = "futamura-interp.json";
export const BUILTIN_MANIFESTS = join(ROOT, "interp", "manifests");

export interface Manifest {
  name: string;
  /** Absolute path of the AssemblyScript entry. */
  entry: string;
  loader: { module: string } | { command: string[] } | { raw: true };
  extensions: string[];
  imports: string[];
  use: string[];
  /** AssemblyScript runtime: "stub" (default) or "minimal". */
  runtime: "stub" | "minimal";
  /** Absolute path of the built module. */
  out: string;
  /** The manifest file (absolute), or the entry for an entry-only interpreter. */
  file: string;
  /** Run programs on the large-stack worker (interp/deep-run.ts). */
  deepStack?: boolean;
  /** A clang-built WASI interpreter: its builder variant, and the unannotated variant to compare with. */
  clang?: { variant: string; control?: string };
  /** A WASI interpreter's module search path, whose folders its programs may read. */
  searchPath?: SearchPath;
}

/** Module search templates (Lua's package.path form) from the first of `env` that is set, else `default`. */
export interface SearchPath {
  env: string[];
  default: string;
}

function fail(file: string, what: string): never {
  throw new UserError(`${file}: error: ${what}`);
}

const stringList = (file: string, v: unknown, field: string): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) fail(file, `"${field}" must be a list of strings`);
  return v as string[];
};

/** A manifest's "searchPath", checked. */
function readSearchPath(file: string, v: unknown): SearchPath | undefined {
  if (v === undefined) return undefined;
  const p = v as SearchPath;
  if (typeof p !== "object" || p === null || typeof p.default !== "string")
    fail(file, `"searchPath" must be {"env": [VARIABLE, ...], "default": "TEMPLATE;TEMPLATE..."}`);
  return { env: stringList(file, p.env, "searchPath.env"), default: p.default };
}

/** Read and check a manifest file; paths in it are relative to its folder. */
export function readManifest(file: string): Manifest {
  const path = resolve(file);
  if (!existsSync(path)) fail(file, "no such file");
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    fail(file, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(file, "a manifest is a JSON object");
  const known = new Set([
    "name",
    "entry",
    "loader",
    "extensions",
    "imports",
    "use",
    "runtime",
    "out",
    "description",
    "deepStack",
    "clang",
    "searchPath",
  ]);
  for (const k of Object.keys(raw))
    if (!known.has(k)) fail(file, `unknown field "${k}" (fields: ${[...known].join(", ")})`);
  const dir = dirname(path);
  if (typeof raw.name !== "string" || !/^[a-z][a-z0-9-]*$/.test(raw.name))
    fail(file, `"name" must be a lowercase name like "calc" (letters, digits, '-')`);
  let clang: Manifest["clang"];
  if (raw.clang !== undefined) {
    const c = raw.clang as Record<string, unknown>;
    if (
      typeof c !== "object" ||
      c === null ||
      typeof c.variant !== "string" ||
      (c.control !== undefined && typeof c.control !== "string")
    )
      fail(file, `"clang" must be {"variant": NAME, "control"?: NAME}`);
    clang = { variant: c.variant as string, control: c.control as string | undefined };
  } else if (typeof raw.entry !== "string") fail(file, `"entry" must name the interpreter's AssemblyScript file`);
  const entry = typeof raw.entry === "string" ? resolve(dir, raw.entry) : path;
  if (!existsSync(entry)) fail(file, `"entry": ${raw.entry} does not exist`);
  let loader: Manifest["loader"] = { raw: true };
  if (typeof raw.loader === "string") {
    loader = { module: resolve(dir, raw.loader) };
    if (!existsSync(runnableModulePath(loader.module))) fail(file, `"loader": ${raw.loader} does not exist`);
  } else if (
    raw.loader &&
    typeof raw.loader === "object" &&
    Array.isArray((raw.loader as { command?: unknown }).command)
  ) {
    loader = { command: stringList(file, (raw.loader as { command: unknown }).command, "loader.command") };
    if (!loader.command.length) fail(file, `"loader.command" is empty`);
  } else if (raw.loader !== undefined) fail(file, `"loader" must be a module path or {"command": [...]}`);
  const extensions = stringList(file, raw.extensions, "extensions");
  for (const e of extensions) if (!/^\.[A-Za-z0-9]+$/.test(e)) fail(file, `extension "${e}" must look like ".ext"`);
  const out = typeof raw.out === "string" ? resolve(dir, raw.out) : join(dir, "build", `${raw.name}.wasm`);
  if (raw.runtime !== undefined && raw.runtime !== "stub" && raw.runtime !== "minimal")
    fail(file, `"runtime" must be "stub" or "minimal"`);
  const runtime = (raw.runtime ?? "stub") as Manifest["runtime"];
  if (raw.deepStack !== undefined && typeof raw.deepStack !== "boolean")
    fail(file, `"deepStack" must be true or false`);
  const deepStack = raw.deepStack === true;
  const searchPath = readSearchPath(file, raw.searchPath);
  return {
    name: raw.name,
    entry,
    loader,
    extensions,
    imports: stringList(file, raw.imports, "imports"),
    use: stringList(file, raw.use, "use"),
    runtime,
    out,
    file: path,
    deepStack,
    ...(clang ? { clang } : {}),
    ...(searchPath ? { searchPath } : {}),
  };
}

/** An interpreter given only by its AssemblyScript entry: programs are passed as raw bytes. */
export function entryOnlyManifest(entry: string): Manifest {
  const path = resolve(entry);
  if (!existsSync(path)) fail(entry, "no such file");
  return rawManifest(path, join(dirname(path), "build", `${basename(path, extname(path))}.wasm`));
}

/** The manifest of an interpreter known only by a file (its entry or its built module, at `path`, building to
 *  `out`): named after the file, programs passed as raw bytes, stub runtime, no extensions. */
export function rawManifest(path: string, out: string): Manifest {
  return {
    name: basename(path, extname(path)),
    entry: path,
    loader: { raw: true },
    extensions: [],
    imports: [],
    use: [],
    runtime: "stub",
    out,
    file: path,
  };
}

interface ManifestScan {
  manifests: Manifest[];
  /** Names that two project manifests both claim: an error only when that name is asked for. */
  ambiguous: Map<string, string[]>;
  /** Project manifests (in cwd's subfolders) that could not be read: reported when a lookup fails. */
  broken: string[];
}

/** The built-in manifests, then the project's (`*\/futamura-interp.json` under `cwd`). A project folder's
 *  manifest that collides with another or cannot be read does not stop commands that do not need it (running a toy
 *  program in a folder full of other projects must work); asking for it is the error. */
function scanManifests(cwd: string): ManifestScan {
  const builtins = readdirSync(BUILTIN_MANIFESTS)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(BUILTIN_MANIFESTS, f));
  const project: string[] = [];
  if (existsSync(join(cwd, MANIFEST_FILE))) project.push(join(cwd, MANIFEST_FILE));
  for (const e of readdirSync(cwd, { withFileTypes: true })) {
    if (
      e.isDirectory() &&
      !e.name.startsWith(".") &&
      e.name !== "node_modules" &&
      existsSync(join(cwd, e.name, MANIFEST_FILE))
    )
      project.push(join(cwd, e.name, MANIFEST_FILE));
  }
  const seen = new Map<string, Manifest>();
  const ambiguous = new Map<string, string[]>();
  const broken: string[] = [];
  for (const f of [...builtins, ...project]) {
    let m: Manifest;
    try {
      m = readManifest(f);
    } catch (e) {
      if (builtins.includes(f)) throw e;
      broken.push((e as Error).message);
      continue;
    }
    const prior = seen.get(m.name);
    if (prior && prior.file !== m.file)
      ambiguous.set(m.name, [
        ...(ambiguous.get(m.name) ?? [relative(cwd, prior.file) || prior.file]),
        relative(cwd, f) || f,
      ]);
    else seen.set(m.name, m);
  }
  return { manifests: [...seen.values()], ambiguous, broken };
}

/** Every manifest futamura knows: the built-in ones, then the project's (`*\/futamura-interp.json` under `cwd`). */
export function knownManifests(cwd = process.cwd()): Manifest[] {
  return scanManifests(cwd).manifests;
}

function failIfAmbiguous(scan: ManifestScan, name: string): void {
  const files = scan.ambiguous.get(name);
  if (files)
    throw new UserError(
      `error: interpreter name "${name}" is claimed by ${files.join(", ")}; rename one, or give the manifest .json itself with --interp`,
    );
}

const brokenNote = (scan: ManifestScan) => (scan.broken.length ? ` (not read: ${scan.broken.join("; ")})` : "");

export function builtinManifest(name: string): Manifest {
  const file = join(BUILTIN_MANIFESTS, `${name}.json`);
  if (!existsSync(file)) throw new UserError(`error: no built-in interpreter named '${name}'`);
  return readManifest(file);
}

/** `--interp NAME|FILE`: a known name, a manifest (.json), an AssemblyScript entry (.ts), or a built module (.wasm). */
export type InterpreterSpec = { manifest: Manifest } | { wasmFile: string };

export function resolveInterpreterSpec(spec: string, cwd = process.cwd()): InterpreterSpec {
  if (spec.endsWith(".wasm")) return { wasmFile: spec };
  if (spec.endsWith(".json")) return { manifest: readManifest(spec) };
  if (spec.endsWith(".ts")) {
    const beside = join(dirname(resolve(spec)), MANIFEST_FILE);
    if (existsSync(beside)) {
      const m = readManifest(beside);
      if (m.entry === resolve(spec)) return { manifest: m };
    }
    return { manifest: entryOnlyManifest(spec) };
  }
  const scan = scanManifests(cwd);
  failIfAmbiguous(scan, spec);
  const known = scan.manifests;
  const m = known.find((k) => k.name === spec);
  if (!m)
    throw new UserError(
      `error: no interpreter named '${spec}' (known: ${known.map((k) => k.name).join(", ")}; or give a manifest .json, an entry .ts or a module .wasm)${brokenNote(scan)}`,
    );
  return { manifest: m };
}

/** The interpreter for a program file by its extension, when exactly one known interpreter takes it. */
export function manifestForFile(file: string, cwd = process.cwd()): Manifest {
  if (isStandardInput(file))
    throw new UserError(
      `${file}: error: a program on standard input has no file extension to choose its interpreter by; choose one with --interp (fern, toy, bf, …)`,
    );
  const ext = extname(file);
  const scan = scanManifests(cwd);
  const known = scan.manifests;
  const takers = known.filter((m) => m.extensions.includes(ext));
  for (const t of takers) failIfAmbiguous(scan, t.name);
  if (takers.length === 1) return takers[0];
  checkUserFile(file); // a missing file or a directory is the first problem, not its extension
  if (takers.length > 1)
    throw new UserError(
      `${file}: error: several interpreters take ${ext} files (${takers.map((m) => m.name).join(", ")}); choose one with --interp`,
    );
  const all = known.filter((m) => m.extensions.length).map((m) => `${m.extensions.join(" ")} (${m.name})`);
  throw new UserError(
    `${file}: error: no interpreter takes ${ext || "extension-less"} files (known: ${all.join(", ")}); choose one with --interp${brokenNote(scan)}`,
  );
}

/** A clear error when `file`'s extension belongs to another interpreter than `m`, before its loader sees it. An
 *  interpreter that names no extensions takes any file it is given (with --interp). */
export function checkExtension(m: Manifest, file: string, cwd = process.cwd()): void {
  const ext = extname(file);
  if (!ext || !m.extensions.length || m.extensions.includes(ext) || "raw" in m.loader) return;
  const other = knownManifests(cwd).find((k) => k.name !== m.name && k.extensions.includes(ext));
  if (other)
    throw new UserError(
      `${file}: error: this is a ${other.name} program (${ext}), but the interpreter is ${m.name}, which takes ${m.extensions.join(", ") || "raw program bytes"}; drop --interp or choose ${other.name}`,
    );
}
