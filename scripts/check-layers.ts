// Imports point one way: every source file belongs to a layer (by folder, in LAYERS, lowest first), a file may
// import only files of its own layer or lower ones, and no files import each other in a cycle — type imports and
// re-exports included. No exceptions list. Reads the sources as text (~0.2 s); prints each problem and exits 1.
// Run: `node --import tsx scripts/check-layers.ts`. It becomes test/layers.test.ts once it passes (three upward
// imports are left: interp/build.ts and interp/c-build.ts import the languages' opcode-constant generators).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../util/root.ts";

/** Folders, lowest layer first; folders in one entry are one layer. A file is in the layer of its longest
 *  matching folder. */
const LAYERS: string[][] = [
  ["util"],
  ["abi"], // weval's ABI table
  ["wasm"], // the Wasm decoder and value types, shared by every stage
  ["specializer/ssa"], // the IR, its printer, parser, verifier, frontend and backend
  ["specializer/weval", "specializer/passes"], // the transform and the cleanup passes
  ["specializer"],
  ["snapshot"],
  ["interp"],
  ["bytecode"],
  ["lang"],
  ["brainfuck"],
  ["pipeline"],
  ["bench"],
  ["cli"],
  ["explorer"],
  ["bin", "scripts"],
  ["test"],
];
const SKIP = new Set(["node_modules", "dist", "build", "results", "docs", ".git", ".futamura-cache"]);
/** AssemblyScript sources and the template a user copies: compiled by asc, not part of the TypeScript graph. */
const NOT_TS_GRAPH = ["interp/as", "interp/template"];

function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(join(ROOT, dir))) {
      const p = dir ? `${dir}/${e}` : e;
      if (SKIP.has(e) || NOT_TS_GRAPH.includes(p)) continue;
      if (statSync(join(ROOT, p)).isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs)$/.test(e) && !e.endsWith(".d.ts") && dir) out.push(p);
    }
  };
  walk("");
  return out;
}

function layerOf(file: string): number {
  let best = -1;
  let len = -1;
  LAYERS.forEach((folders, i) => {
    for (const f of folders) if ((file.startsWith(`${f}/`)) && f.length > len) [best, len] = [i, f.length];
  });
  return best;
}

/** Relative imports of a file: static imports and re-exports (type ones too) and dynamic import("…"). */
function importsOf(file: string): string[] {
  const src = readFileSync(join(ROOT, file), "utf8");
  const specs = [...src.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** Every problem: files in no layer, upward imports, cycles. */
export function layerProblems(): string[] {
  const files = sources();
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const problems = files.filter((f) => layerOf(f) < 0).map((f) => `in no layer: ${f}`);
  for (const [f, deps] of graph) for (const d of deps) if (layerOf(d) > layerOf(f)) problems.push(`upward: ${f} -> ${d}`);
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 1) problems.push(`cycle: ${[...stack.slice(stack.indexOf(d)), d].join(" -> ")}`);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of [...graph.keys()].sort()) if (!state.has(f)) visit(f);
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = layerProblems();
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problems` : "imports point one way, no cycles");
  process.exitCode = problems.length ? 1 : 0;
}
