// binaryen.js as loadBinaryen imports it under Node (util/binaryen.ts; Node-only, imported only there): its glue with
// one fix for speed, kept as a copy in the repository's build/binaryen/.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomic } from "./files.ts";
import { INSTALLED, ROOT } from "./root.ts";

/** binaryen.js's glue (emscripten's getWasmTableEntry, minified) caches the functions of binaryen's Wasm table by
 *  index in an array it fills at scattered indices; every C++ call that may throw goes through it (emscripten's
 *  invoke_* wrappers), millions of times a build. DENSE_TABLE_CACHE is the same cache as a dense array of the
 *  table's length. Measured 2026-12-07 (load ~9, one process, the two copies of binaryen interleaved, 5 warm rounds
 *  each): LEAN_PASSES over the 40 specialized functions of Lua's 300-line script 837-916 -> 702-759 ms of CPU, the
 *  same bytes. */
const SPARSE_TABLE_CACHE = "JA=[],l=r=>{var G=JA[r];return G||(JA[r]=G=K6.get(r)),G}";
const DENSE_TABLE_CACHE =
  "JA=[],l=r=>{var G=JA[r];if(G)return G;if(JA.length<K6.length)JA=new Array(K6.length).fill(null);return JA[r]=K6.get(r)}";

/** What loadBinaryen imports: binaryen.js with DENSE_TABLE_CACHE, a copy kept in build/binaryen/ (written the first
 *  time, named by binaryen's version and size), when its glue holds SPARSE_TABLE_CACHE exactly once and the
 *  repository's build/ can be written; else binaryen.js itself (an installed futamura never writes inside
 *  node_modules). The copy imports nothing but node's own modules, so it runs from any folder. */
export function binaryenEntry(): string {
  if (INSTALLED) return "binaryen";
  try {
    const original = createRequire(import.meta.url).resolve("binaryen");
    const { version } = JSON.parse(readFileSync(join(original, "..", "package.json"), "utf8")) as { version: string };
    const copy = join(ROOT, "build", "binaryen", `binaryen-${version}-${statSync(original).size}.mjs`);
    if (!existsSync(copy)) {
      const dense = withDenseTableCache(readFileSync(original, "utf8"));
      if (dense === undefined) return "binaryen";
      writeFileAtomic(copy, dense);
    }
    return pathToFileURL(copy).href;
  } catch {
    return "binaryen"; // an unwritable build/: as it comes
  }
}

/** binaryen.js's glue with DENSE_TABLE_CACHE for SPARSE_TABLE_CACHE, or undefined unless that is there exactly once
 *  (another binaryen release: it loads as it comes). */
export function withDenseTableCache(glue: string): string | undefined {
  const at = glue.indexOf(SPARSE_TABLE_CACHE);
  if (at < 0 || glue.indexOf(SPARSE_TABLE_CACHE, at + 1) >= 0) return undefined;
  return glue.slice(0, at) + DENSE_TABLE_CACHE + glue.slice(at + SPARSE_TABLE_CACHE.length);
}
