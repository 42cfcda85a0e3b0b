#!/usr/bin/env node
// futamura's command-line entry. The sources are TypeScript; Node 20 cannot run them directly, and loading them
// through a TypeScript loader makes binaryen's 15 MB module take ~8 s to import (2026-11-22), so the CLI runs the
// JavaScript that `tsc -p tsconfig.build.json` writes to dist/, rebuilding it first when any source is newer. An
// installed package (npm pack builds dist/ in `prepack`) ships no tsconfig and no TypeScript compiler: it runs dist/ as
// it is.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// `futamura --version` alone answers from package.json before the freshness check and the CLI's imports (~0.1 s).
if (process.argv.length === 3 && ["--version", "-V"].includes(process.argv[2])) {
  process.stdout.write(`${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}\n`);
  process.exit(0);
}
const entry = join(root, "dist", "cli", "main.js");
const SOURCE_DIRS = [
  "abi",
  "api",
  "brainfuck",
  "cli",
  "bytecode",
  "interp",
  "lang",
  "pipeline",
  "snapshot",
  "specializer",
  "bench",
  "util",
];

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

const fromRepository = existsSync(join(root, "tsconfig.build.json"));
if (!fromRepository && !existsSync(entry)) {
  process.stderr.write(
    `futamura: ${entry} is missing: this copy of futamura was packed without its build (run \`npm pack\` from its repository, which builds it)\n`,
  );
  process.exit(1);
}
const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
const sources = !fromRepository
  ? 0
  : Math.max(
      ...SOURCE_DIRS.filter((d) => existsSync(join(root, d))).map((d) => newestSource(join(root, d))),
      statSync(join(root, "tsconfig.json")).mtimeMs,
    );
if (sources > built) {
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const r = spawnSync(tsc, ["-p", join(root, "tsconfig.build.json")], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (!existsSync(entry)) {
    process.stderr.write("futamura: could not compile the TypeScript sources (is `npm install` done?)\n");
    process.exit(1);
  }
  if (r.status !== 0)
    process.stderr.write("futamura: warning: the TypeScript sources have type errors (running anyway)\n");
}
// The commands that specialize allocate much short-lived IR, and V8's default young generation (16 MB semi-spaces)
// cost them: building Lua app.lua took 11.0 s of CPU with it, 9.7 s with 64 MB (main thread 6.1 -> 5.7 s; 2026-12-07,
// same session). Node reads the size only at start-up, so these commands run node again with it (~0.05 s), passing
// signals on and exiting as the child does; with --expose-gc too, for util/gc.ts's collection after a big request.
const YOUNG_GENERATION = "--max-semi-space-size=64";

/** The folders a command writes into: the current one, the cache, and those of its output options. */
function outputDirs(args, cacheDir) {
  const dirs = new Set([process.cwd(), cacheDir]);
  args.forEach((a, i) => {
    const value = ["-o", "--out", "--json", "--dump-ir"].includes(a)
      ? args[i + 1]
      : /^--(out|json)=/.test(a)
        ? a.slice(a.indexOf("=") + 1)
        : undefined;
    if (value) [value, dirname(value)].forEach((d) => dirs.add(d));
  });
  return dirs;
}

/** The child was stopped by `signal` (Ctrl-C: SIGINT to the process group) in the middle of its work, which is
 *  synchronous, so it could not tidy up itself: erase its progress line, show the cursor, remove the temporary files
 *  its atomic writes left (no partial output), and say so in one line. */
async function stopped(pid, signal) {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K\x1b[?25h");
  try {
    const { removeTempFiles } = await import(pathToFileURL(join(root, "dist", "util", "files.js")).href);
    const { projectCacheDir } = await import(pathToFileURL(join(root, "dist", "util", "root.js")).href);
    for (const dir of outputDirs(args, projectCacheDir())) removeTempFiles(dir, pid);
  } catch {
    // dist/ unreadable: nothing more to tidy than the line above
  }
  process.stderr.write(`futamura: stopped by ${signal}\n`); // as run-command.ts says it when a program is stopped
}
const args = process.argv.slice(2);
const specializes =
  ["build", "specialize", "diff", "bench"].includes(args[0]) || (args[0] === "run" && args.includes("--aot"));
if (specializes && !process.execArgv.some((a) => a.startsWith("--max-semi-space-size"))) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, YOUNG_GENERATION, "--expose-gc", fileURLToPath(import.meta.url), ...args],
    {
      stdio: "inherit",
    },
  );
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", async (code, signal) => {
    if (signal) {
      await stopped(child.pid, signal);
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  const { main } = await import(pathToFileURL(entry).href);
  process.exitCode = await main(args);
}
