// The repository root (the folder with package.json), found from this file's location so it is the same whether
// the code runs from the TypeScript sources or from the compiled dist/. Relies on node:fs.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "asconfig.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the futamura repository root above ${start}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
