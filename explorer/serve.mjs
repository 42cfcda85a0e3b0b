#!/usr/bin/env node
// `npm run explorer` and `npm run explorer:build`: build the interpreters (build/interp/, the same cache the CLI
// uses), build the page with Vite into build/explorer/ (a static site: any static file server can serve it), and
// unless --build was given, serve it on localhost and print the URL. Options: --build, --port N (default 5173),
// --host H (default 127.0.0.1), --out DIR. Relies on bin/futamura.mjs (build-interp) and vite.
import { spawnSync } from "node:child_process";
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

const interp = spawnSync(process.execPath, [join(root, "bin", "futamura.mjs"), "build-interp", "toy", "fern", "fern-memory"], { stdio: ["ignore", "ignore", "inherit"] });
if (interp.status !== 0) {
  console.error("explorer: building the interpreters failed");
  process.exit(1);
}
const configFile = join(here, "vite.config.ts");
await build({ configFile, build: { outDir }, logLevel: "warn" });
console.log(`explorer: static site written to ${outDir}`);
if (!buildOnly) {
  const server = await preview({ configFile, build: { outDir }, preview: { port, host, strictPort: false }, logLevel: "warn" });
  console.log(`explorer: serving at ${server.resolvedUrls?.local[0] ?? `http://${host}:${port}/`} (Ctrl-C to stop)`);
}
