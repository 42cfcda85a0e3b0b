// binaryen.js as loadBinaryen imports it under Node (util/binaryen.ts; Node-only, imported only there): its glue with
// two fixes for speed, kept as a copy in the repository's build/binaryen/ with its Wasm in a file of its own.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
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

/** The glue holds binaryen's 9.9 MB of Wasm as a 14.7 MB template literal, which V8 scans and `x6` turns into bytes
 *  at every load; the copy reads them from a file instead (with OA, the glue's own `require` under Node). Measured
 *  2026-12-07 (load ~9, 3 runs each): importing binaryen 387-411 -> 100-103 ms of CPU. */
const EMBEDDED_WASM = "x6(`\\0asm";
const TO_BYTES =
  "function x6(r){for(var G=0,t=r.length,j=new Uint8Array(t),F;G<t;++G)F=r.charCodeAt(G),j[G]=~F>>8&F;return j}";
const NODE_REQUIRE = "var OA=r(import.meta.url)";

/** What loadBinaryen imports: the faster copy of binaryen.js (fasterGlue), kept in build/binaryen/ (written the
 *  first time, named by binaryen's version and size), when the repository's build/ can be written and the glue is
 *  the one fasterGlue knows; else binaryen.js itself (an installed futamura never writes inside node_modules). The
 *  copy imports nothing but node's own modules and its .wasm beside it, so it runs from any folder. */
export function binaryenEntry(): string {
  if (INSTALLED) return "binaryen";
  try {
    const original = createRequire(import.meta.url).resolve("binaryen");
    const { version } = JSON.parse(readFileSync(join(original, "..", "package.json"), "utf8")) as { version: string };
    const copy = join(ROOT, "build", "binaryen", `binaryen-${version}-${statSync(original).size}.mjs`);
    const wasmFile = copy.replace(/\.mjs$/, ".wasm");
    if (!existsSync(copy) || !existsSync(wasmFile)) {
      const faster = fasterGlue(readFileSync(original, "utf8"), basename(wasmFile));
      if (faster === undefined) return "binaryen";
      writeFileAtomic(wasmFile, faster.wasm); // first: the .mjs, once there, finds it
      writeFileAtomic(copy, faster.js);
    }
    return pathToFileURL(copy).href;
  } catch {
    return "binaryen"; // an unwritable build/: as it comes
  }
}

/** binaryen.js's glue with DENSE_TABLE_CACHE, reading its Wasm from `wasmFile` (beside it) instead of the literal,
 *  and those bytes; undefined unless every piece replaced or relied on is there exactly once (another binaryen
 *  release: it loads as it comes). The literal is turned into bytes as the glue does (`TO_BYTES`). */
export function fasterGlue(glue: string, wasmFile: string): { js: string; wasm: Uint8Array } | undefined {
  const once = (s: string) => glue.indexOf(s) >= 0 && glue.indexOf(s) === glue.lastIndexOf(s);
  if (![SPARSE_TABLE_CACHE, EMBEDDED_WASM, TO_BYTES, NODE_REQUIRE].every(once)) return undefined;
  const start = glue.indexOf(EMBEDDED_WASM) + "x6(".length;
  let end = start + 1; // the closing backtick: the first one not escaped
  for (;;) {
    end = glue.indexOf("`", end);
    if (end < 0) return undefined;
    let backslashes = 0;
    while (glue[end - 1 - backslashes] === "\\") backslashes++;
    if (backslashes % 2 === 0) break;
    end++;
  }
  if (glue[end + 1] !== ")") return undefined;
  const text = new Function(`return ${glue.slice(start, end + 1)}`)() as string; // binaryen's own code, cooked
  const wasm = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    wasm[i] = (~c >> 8) & c;
  }
  if (!WebAssembly.validate(wasm)) return undefined;
  const read = `OA("fs").readFileSync(new URL(${JSON.stringify(`./${wasmFile}`)},import.meta.url))`;
  const js = glue.slice(0, start - "x6(".length) + read + glue.slice(end + 2);
  return { js: js.replace(SPARSE_TABLE_CACHE, DENSE_TABLE_CACHE), wasm };
}
