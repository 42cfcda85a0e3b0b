// Where a wevaled Lua module's memory traffic goes: every load and store the program executes, counted per function
// and per site (binaryen's instrument-memory pass, one run of `_start`), with the specialized functions — appended
// after the interpreter's own — told apart from the interpreter's runtime (tables, GC, calls into C). It is how the
// Lua numbers in docs/lua-memory-ops.md were taken: e.g. fib(30) runs 36.5 loads and 17 stores per Lua call in its
// specialized body, and none of those stores is dead.
//   node --import tsx bench/memory-ops.ts <module.wasm> [--top N]
// <module.wasm>: a wevaled Lua program as `futamura build x.lua -o m.wasm` or `bench/compare-builds.ts build` writes
// it (a WASI command). Prints the totals, the functions with the most accesses and the N hottest sites of the
// specialized functions (load/store, bytes, memarg offset, the address expression's first operand).
// Run with `node --import tsx`; the instrumented run is ~10x slower than the module.
import { readFileSync } from "node:fs";
import { InterpreterHost, BufferedOutput } from "../interp/host.ts";
import { buildLua } from "../interp/lua-build.ts";
import { loadBinaryen, projectFeatures, type Binaryen, type BinaryenModule } from "../util/binaryen.ts";
import { UserError } from "../util/errors.ts";
import { WasiShim } from "../util/wasi-shim.ts";

/** One instrumented access: its function (defined-function index), kind and what the text says of it. */
interface Site {
  func: number;
  store: boolean;
  what: string;
}

export interface MemoryOps {
  /** The first defined-function index of the specialized functions. */
  firstSpecialized: number;
  /** The interpreter's function names by defined-function index (from its name section), where it has them. */
  names: string[];
  /** Executions per site id, and the sites. */
  counts: Map<number, number>;
  sites: Map<number, Site>;
  output: string;
}

/** The project's features and tail calls (the annotated Lua's execute_specialized ends in a return_call). */
function withTailCalls(b: Binaryen, mod: BinaryenModule): BinaryenModule {
  mod.setFeatures(projectFeatures(b) | b.Features.TailCall);
  return mod;
}

/** Instruments `wasm`, runs it once and returns the counts (`firstSpecialized`: the interpreter's function count). */
export async function countMemoryOps(
  wasm: Uint8Array,
  firstSpecialized: number,
  names: string[] = [],
): Promise<MemoryOps> {
  const b = await loadBinaryen();
  const mod = withTailCalls(b, b.readBinary(wasm));
  let text: string;
  let bytes: Uint8Array;
  const defined = new Map<string, number>();
  try {
    for (let i = 0, k = 0; i < mod.getNumFunctions(); i++) {
      const info = b.getFunctionInfo(mod.getFunctionByIndex(i));
      if (!info.module) defined.set(info.name, k++);
    }
    mod.runPasses(["instrument-memory"]);
    text = mod.emitText();
    bytes = mod.emitBinary();
  } finally {
    mod.dispose();
  }
  const sites = sitesOf(text, defined);
  const counts = new Map<number, number>();
  const bump = (id: number) => counts.set(id, (counts.get(id) ?? 0) + 1);
  const pass = (_id: number, v: unknown) => v;
  const env = {
    load_ptr: (id: number, _b: number, _o: number, ptr: unknown) => (bump(id), ptr),
    store_ptr: (id: number, _b: number, _o: number, ptr: unknown) => (bump(id), ptr),
    ...Object.fromEntries(
      ["load_val_i32", "load_val_i64", "load_val_f32", "load_val_f64", "store_val_i32", "store_val_i64"]
        .concat(["store_val_f32", "store_val_f64", "memory_grow_pre", "memory_grow_post"])
        .map((n) => [n, pass]),
    ),
  };
  const chunks: Uint8Array[] = [];
  const wasi = new WasiShim({ args: ["lua"], stdout: (c) => chunks.push(c), stderr: (c) => chunks.push(c) });
  const host = new InterpreterHost(new Uint8Array(0), new BufferedOutput());
  const instance = await WebAssembly.instantiate(new WebAssembly.Module(new Uint8Array(bytes)), {
    ...host.imports,
    wasi_snapshot_preview1: wasi.wasiImport,
    env,
  } as WebAssembly.Imports);
  host.bind(instance);
  wasi.start(instance);
  return { firstSpecialized, names, counts, sites, output: new TextDecoder().decode(Buffer.concat(chunks)) };
}

/** The sites in the instrumented module's text: `(call $load_ptr` or `(call $store_ptr`, its id on the next line,
 *  then the access's bytes, offset and address. */
function sitesOf(text: string, defined: Map<string, number>): Map<number, Site> {
  const sites = new Map<number, Site>();
  const lines = text.split("\n");
  let func = -1;
  for (let i = 0; i < lines.length; i++) {
    const fm = /^ \(func \$(\S+)/.exec(lines[i]);
    if (fm) func = defined.get(fm[1]) ?? -1;
    const cm = /\(call \$(load_ptr|store_ptr)$/.exec(lines[i]);
    const id = cm && /^\s*\(i32\.const (\d+)\)$/.exec(lines[i + 1]);
    if (!cm || !id) continue;
    const num = (l: string) => /\(i32\.const (-?\d+)\)/.exec(l)?.[1] ?? "?";
    const what = `${num(lines[i + 2])} B at offset ${num(lines[i + 3])} of ${lines[i + 4].trim()}`;
    sites.set(+id[1], { func, store: cm[1] === "store_ptr", what });
  }
  return sites;
}

/** The report: totals, the busiest functions, the hottest specialized sites. */
export function memoryOpsReport(r: MemoryOps, top: number): string {
  const per = new Map<number, { loads: number; stores: number }>();
  const total = { spec: { loads: 0, stores: 0 }, rt: { loads: 0, stores: 0 } };
  for (const [id, n] of r.counts) {
    const s = r.sites.get(id);
    if (!s) continue;
    const f = per.get(s.func) ?? { loads: 0, stores: 0 };
    per.set(s.func, f);
    const t = s.func >= r.firstSpecialized ? total.spec : total.rt;
    if (s.store) ((f.stores += n), (t.stores += n));
    else ((f.loads += n), (t.loads += n));
  }
  const out = [
    `specialized functions: ${total.spec.loads} loads, ${total.spec.stores} stores`,
    `interpreter runtime:   ${total.rt.loads} loads, ${total.rt.stores} stores`,
    "busiest functions (defined-function index; * specialized):",
  ];
  const byTotal = [...per].sort((a, b) => b[1].loads + b[1].stores - a[1].loads - a[1].stores);
  for (const [f, c] of byTotal.slice(0, 10))
    out.push(`  ${f}${f >= r.firstSpecialized ? "*" : ` ${r.names[f] ?? ""}`} ${c.loads} loads, ${c.stores} stores`);
  out.push(`hottest sites in specialized functions:`);
  const hot = [...r.counts].filter(([id]) => (r.sites.get(id)?.func ?? -1) >= r.firstSpecialized);
  for (const [id, n] of hot.sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const s = r.sites.get(id)!;
    out.push(`  ${String(n).padStart(10)} ${s.store ? "store" : "load "} func ${s.func}: ${s.what}`);
  }
  return out.join("\n");
}

async function main(argv: string[]): Promise<void> {
  const file = argv.find((a, i) => !a.startsWith("--") && argv[i - 1] !== "--top");
  const t = argv.indexOf("--top");
  const top = t >= 0 ? Number(argv[t + 1]) : 30;
  if (!file || !Number.isInteger(top) || top < 0)
    throw new UserError("usage: node --import tsx bench/memory-ops.ts <module.wasm> [--top N]");
  const b = await loadBinaryen();
  const m = withTailCalls(b, b.readBinary(buildLua("lua").wasm));
  const names: string[] = [];
  for (let i = 0; i < m.getNumFunctions(); i++) {
    const info = b.getFunctionInfo(m.getFunctionByIndex(i));
    if (!info.module) names.push(info.name);
  }
  m.dispose();
  const r = await countMemoryOps(readFileSync(file), names.length, names);
  process.stdout.write(`${r.output.trim()}\n${memoryOpsReport(r, top)}\n`);
}

if (process.argv[1]?.endsWith("memory-ops.ts"))
  main(process.argv.slice(2)).catch((e) => {
    if (e instanceof UserError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  });
