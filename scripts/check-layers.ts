// Imports point one way: every source file belongs to a layer (by folder, in LAYERS, lowest first), a file may
// import only files of its own layer or lower ones, and no files import each other in a cycle — type imports and
// re-exports included. No exceptions list. Reads the sources as text (~0.2 s on 2026-12-06); prints each problem and
// exits 1. Run: `node --import tsx scripts/check-layers.ts`; test/layers.test.ts runs it in the suite.
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
  ["api"], // the library API: a thin layer over pipeline/ and the stages
  ["bench"],
  ["cli"],
  ["explorer"],
  ["bin", "scripts"],
  ["test"],
];
const SKIP = new Set(["node_modules", "dist", "build", "results", "docs", ".git", ".futamura-cache"]);
/** AssemblyScript sources (the interpreters, the template a user copies, a test's interpreter): compiled by asc, not
 *  part of the TypeScript graph. */
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
    for (const f of folders) if (file.startsWith(`${f}/`) && f.length > len) [best, len] = [i, f.length];
  });
  return best;
}

/** Relative imports of a file: static imports and re-exports (type ones too), side-effect imports and dynamic
 *  import("…"). */
function importsOf(file: string): string[] {
  const src = readFileSync(join(ROOT, file), "utf8");
  const pattern =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  const specs = [...src.matchAll(pattern)].map((m) => m[1] ?? m[2] ?? m[3]);
  return specs.filter((s) => s.startsWith(".")).map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

/** Every problem in the project's sources: files in no layer, upward imports, cycles. */
export function layerProblems(): string[] {
  return graphProblems(new Map(sources().map((f) => [f, importsOf(f)])));
}

/** The problems of an import graph (file → the files it imports, paths relative to the project). */
export function graphProblems(graph: Map<string, string[]>): string[] {
  const files = [...graph.keys()];
  const problems = files.filter((f) => layerOf(f) < 0).map((f) => `in no layer: ${f}`);
  // An import the graph cannot follow would hide its edges: every relative import names a checked source file.
  for (const [f, deps] of graph)
    for (const d of deps) if (!graph.has(d)) problems.push(`not a checked source: ${f} -> ${d}`);
  for (const [f, deps] of graph)
    for (const d of deps) if (layerOf(d) > layerOf(f)) problems.push(`upward: ${f} -> ${d}`);
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
