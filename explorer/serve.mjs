#!/usr/bin/env node
// `npm run explorer` and `npm run explorer:build`: build the interpreters (build/interp/, the same cache the CLI
// uses), build the page with Vite into build/explorer/ (a static site: any static file server can serve it) unless
// the site there is newer than every source it is made from, and unless --build was given, serve it on localhost,
// print the URL as soon as it answers, and stop on SIGINT or SIGTERM. Each step says what it does on standard
// error. Options: --build, --port N (default 5173), --host H (default 127.0.0.1), --out DIR.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const buildOnly = args.includes("--build");
const outDir = resolve(option("--out", join(root, "build", "explorer")));
const port = Number(option("--port", "5173"));
const host = option("--host", "127.0.0.1");
const say = (s) => process.stderr.write(`explorer: ${s}\n`);

/** The newest modification time among the files the page is built from (the page imports the stages' sources). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of ["explorer", "bytecode", "lang", "snapshot", "specializer", "interp", "util", "build/interp"])
    if (existsSync(join(root, d))) walk(join(root, d));
  return Math.max(newest, statSync(join(root, "package-lock.json")).mtimeMs);
}

say("building the interpreters (cached in build/interp/)…");
const interp = spawnSync(
  process.execPath,
  [join(root, "bin", "futamura.mjs"), "build-interp", "toy", "fern", "fern-memory", "bf"],
  { stdio: ["ignore", "ignore", "inherit"] },
);
if (interp.status !== 0) {
  console.error("explorer: building the interpreters failed");
  process.exit(1);
}
const index = join(outDir, "index.html");
if (existsSync(index) && statSync(index).mtimeMs > newestSource()) say(`the site in ${outDir} is up to date`);
else {
  say("building the page with Vite (about half a minute)…");
  await build({ configFile: join(here, "vite.config.ts"), build: { outDir }, logLevel: "warn" });
}
console.log(`explorer: static site written to ${outDir}`);
if (!buildOnly) {
  const server = await preview({
    configFile: join(here, "vite.config.ts"),
    build: { outDir },
    preview: { port, host, strictPort: false },
    logLevel: "warn",
  });
  console.log(`explorer: serving at ${server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`} (Ctrl-C to stop)`);
  const stop = async (signal) => {
    say(`${signal}: stopping the server`);
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
