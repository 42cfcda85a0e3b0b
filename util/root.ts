// The repository root (the folder with package.json), found from this file's location so it is the same whether
// the code runs from the TypeScript sources or from the compiled dist/, and the project futamura works for: the
// repository itself, or, when futamura is installed as a dependency (its root inside a node_modules folder), the
// project that installed it — where caches and outputs go, never inside node_modules.
import { existsSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { InternalError } from "../util/errors.ts";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "asconfig.json"))) return dir;
    if (dirname(dir) === dir) throw new InternalError(`cannot find the futamura repository root above ${start}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** futamura runs as an installed package (`npm install futamura`), not from its repository. */
export const INSTALLED = ROOT.split(sep).includes("node_modules");

/** Where futamura writes what it keeps between runs (caches, benchmark results): the repository, or the project
 *  that installed futamura (the folder above the outermost node_modules holding it). */
export function projectRoot(): string {
  if (!INSTALLED) return ROOT;
  const parts = ROOT.split(sep);
  return parts.slice(0, parts.indexOf("node_modules")).join(sep) || sep;
}

/** A TypeScript module of futamura's own sources as the CLI runs it: the compiled .js under dist/ when the code runs
 *  from dist/ (or the package ships no sources); otherwise the path as given. */
export function runnableModulePath(path: string): string {
  const fromDist = fileURLToPath(import.meta.url).includes(`${sep}dist${sep}`);
  if ((fromDist || !existsSync(path)) && path.endsWith(".ts") && path.startsWith(ROOT + sep)) {
    const compiled = join(ROOT, "dist", relative(ROOT, path).replace(/\.ts$/, ".js"));
    if (existsSync(compiled)) return compiled;
  }
  return path;
}

/** The specialization cache's folder (built modules, interpreters an installed package had to build): in the project,
 *  or $FUTAMURA_CACHE_DIR. */
export function projectCacheDir(): string {
  return process.env.FUTAMURA_CACHE_DIR ?? join(projectRoot(), ".futamura-cache");
}
