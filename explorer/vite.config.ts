// Vite configuration for the explorer page (explorer/): the page imports the pipeline's stages straight from the
// repository's sources (bytecode/, lang/, snapshot/, specializer/, interp/host.ts), so the dev server may read the
// whole repository, and the build targets browsers with top-level await (binaryen.js needs it). `base: "./"` makes
// the built site work from any folder of any static file server. The interpreters' .wasm come from build/interp/
// (`futamura build-interp` writes them; explorer/serve.mjs runs it first). node:fs (brainfuck/loader.ts reads a
// program's .in/.out files with it) is replaced by src/no-node-fs.ts: the page reads no file, and Vite's dev server
// cannot serve node:fs to a browser.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);

export default defineConfig({
  root: here,
  base: "./",
  resolve: {
    alias: [{ find: /^node:fs$/, replacement: join(here, "src", "no-node-fs.ts") }],
  },
  build: {
    outDir: join(root, "build", "explorer"),
    emptyOutDir: true,
    target: "esnext",
    // binaryen.js is a 15 MB file: minifying it costs build time and saves nothing a learner's browser would notice.
    minify: false,
    chunkSizeWarningLimit: 20_000,
    reportCompressedSize: false,
    rolldownOptions: {
      onwarn(warning, warn) {
        // How long plugins took: noise for someone who asked for the page (it shows on a loaded machine).
        if (warning.code === "PLUGIN_TIMINGS") return;
        // binaryen.js imports node:module only when it runs under Node: expected.
        if (/node:module".*externalized for browser compatibility/.test(warning.message)) return;
        warn(warning);
      },
    },
  },
  server: { fs: { allow: [root] } },
  preview: { host: "127.0.0.1" },
  worker: { format: "es" },
});
