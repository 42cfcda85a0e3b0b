#!/usr/bin/env node
// futamura's command-line entry. The sources are TypeScript; Node 20 cannot run them directly, and loading them
// through a TypeScript loader makes binaryen's 15 MB module take ~8 s to import, so the CLI runs the JavaScript
// that `tsc -p tsconfig.build.json` writes to dist/, rebuilding it first when any source is newer.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "dist", "cli", "main.js");
const SOURCE_DIRS = ["abi", "brainfuck", "cli", "bytecode", "interp", "lang", "pipeline", "snapshot", "specializer", "bench", "util"];

function newestSource(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "as" && e.name !== "programs") newest = Math.max(newest, newestSource(p));
    } else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sources = Math.max(...SOURCE_DIRS.filter((d) => existsSync(join(root, d))).map((d) => newestSource(join(root, d))), statSync(join(root, "tsconfig.json")).mtimeMs);
if (sources > built) {
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const r = spawnSync(tsc, ["-p", join(root, "tsconfig.build.json")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (!existsSync(entry)) {
    process.stderr.write("futamura: could not compile the TypeScript sources (is `npm install` done?)\n");
    process.exit(1);
  }
  if (r.status !== 0) process.stderr.write("futamura: warning: the TypeScript sources have type errors (running anyway)\n");
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
