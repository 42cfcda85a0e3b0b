#!/usr/bin/env node
// futamura's command-line entry. The sources are TypeScript; Node 20 cannot run them directly, and loading them
// through a TypeScript loader makes binaryen's 15 MB module take ~8 s to import (2026-11-22), so the CLI runs the
// JavaScript that `tsc -p tsconfig.build.json` writes to dist/, rebuilding it first when any source is newer. An
// installed package (npm pack builds dist/ in `prepack`) ships no tsconfig and no TypeScript compiler: it runs dist/ as
// it is.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
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
// Every command but `explore` (which handles signals itself) runs in a second node, which this one supervises: the
// work is synchronous, so a node killed by Ctrl-C in the middle of it cannot tidy up, and this one does (see stopped).
// The commands that specialize get util/gc.ts's SPECIALIZING_NODE_FLAGS (a bigger young generation, less TurboFan
// inlining), and those that only build its buildNodeFlags (no Wasm tiered up to TurboFan besides). The second node
// costs ~0.08 s of CPU (`dis` of a small file: 0.09 -> 0.17 s).

/** The child was stopped by `signal` (Ctrl-C: SIGINT to the process group) in the middle of its work, which is
 *  synchronous, so it could not tidy up itself: erase its progress line, show the cursor, remove the temporary files
 *  its atomic writes left (no partial output; util/files.ts lists them in `registry`), and say so in one line. */
function stopped(registry, signal) {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K\x1b[?25h");
  removeRegisteredTemps(registry);
  process.stderr.write(`futamura: stopped by ${signal}\n`); // as run-command.ts says it when a program is stopped
}
const args = process.argv.slice(2);
const aot = args[0] === "run" && args.includes("--aot");
const specializes = ["build", "specialize", "diff", "bench"].includes(args[0]) || aot;
// `build` and `specialize` run no program afterwards: their Wasm stays on Liftoff (util/gc.ts's buildNodeFlags).
const buildsOnly = ["build", "specialize"].includes(args[0]);
// `explore` passes signals on to its server. `run` is supervised too: while its program runs it flushes what the
// program printed and says itself why it stopped (exit 130/143, which this node passes on); before that — building
// Lua with clang, compiling the program — it is as synchronous as a build, and a Ctrl-C there was silent.
const handlesSignals = args[0] === "explore";
const { TEMP_REGISTRY_ENV, removeRegisteredTemps, tempRegistryPath } = await import(
  pathToFileURL(join(root, "dist", "util", "files.js")).href
);
const { buildNodeFlags, SPECIALIZING_NODE_FLAGS } = await import(
  pathToFileURL(join(root, "dist", "util", "gc.js")).href
);
// The node this one started has its registry named after this one (a futamura it runs in turn supervises its own).
const supervised = process.env[TEMP_REGISTRY_ENV] === tempRegistryPath(process.ppid);
if (!supervised && !handlesSignals) {
  const registry = tempRegistryPath(process.pid);
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      ...(buildsOnly ? buildNodeFlags(availableParallelism()) : specializes ? SPECIALIZING_NODE_FLAGS : []),
      fileURLToPath(import.meta.url),
      ...args,
    ],
    { stdio: "inherit", env: { ...process.env, [TEMP_REGISTRY_ENV]: registry } },
  );
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (signal) {
      stopped(registry, signal);
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else {
      removeRegisteredTemps(registry); // renamed into place, all of them, or removed by the child on an error
      process.exit(code ?? 1);
    }
  });
} else {
  const { main } = await import(pathToFileURL(entry).href);
  process.exitCode = await main(args);
}
