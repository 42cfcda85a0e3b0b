// The IR and WAT snippets of the docs, generated from what the code produces now: a fenced block right after a
// `<!-- generated: SOURCE -->` line holds SOURCE's output. test/docs/snippets.test.ts checks every one; this script
// rewrites them: `node --import tsx scripts/doc-snippets.ts` (the one command to regenerate them after a change).
//
// SOURCE is one of (BLOCKS: optional block names, `blockN`, then optionally `with:TEXT`, the blocks whose text
// contains TEXT, the rest of the line):
// - `ir INTERP FUNC BLOCKS` — the generic function as `futamura ir INTERP --func FUNC` prints it;
// - `dump PROGRAM FILE BLOCKS` — the file `futamura build PROGRAM --dump-ir DIR` writes into DIR (request1-specialized.ir);
// - `wat PROGRAM` — the specialized functions of the module `futamura build PROGRAM` makes, as binaryen prints them;
// - `fixture NAME` / `fixture NAME out` — a transform fixture's generic function (test/specializer/transform/NAME.ir,
//   its header comments left out) or its blessed specialized output (NAME.out.ir, which the golden test checks).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildInterpreter } from "../interp/build.ts";
import { manifestForFile } from "../interp/manifest.ts";
import { buildProgram } from "../pipeline/build.ts";
import { loadProgram } from "../pipeline/program.ts";
import { buildFunctionIR } from "../specializer/ssa/frontend.ts";
import { decodeModule } from "../specializer/ssa/module.ts";
import { printFunction } from "../specializer/ssa/print.ts";
import { loadBinaryen } from "../util/binaryen.ts";
import { ROOT } from "../util/root.ts";

/** The documents with generated snippets. */
export const DOCS = ["docs/how-the-specializer-works.md"];

const MARK = /^<!-- generated: (.*) -->$/;

export interface Snippet {
  doc: string;
  /** The line of its marker (1-based). */
  line: number;
  source: string;
  /** The fenced block's text as the document has it (between the fences). */
  text: string;
}

/** Every generated snippet of `doc`, as the document has it. */
export function snippetsOf(doc: string): Snippet[] {
  const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
  const out: Snippet[] = [];
  lines.forEach((l, i) => {
    const m = MARK.exec(l);
    if (!m) return;
    if (!lines[i + 1]?.startsWith("```"))
      throw new Error(`${doc}:${i + 1}: a generated-snippet marker must be followed by a fenced block`);
    const end = lines.findIndex((x, j) => j > i + 1 && x.startsWith("```"));
    out.push({ doc, line: i + 1, source: m[1].trim(), text: lines.slice(i + 2, end).join("\n") });
  });
  return out;
}

/** Keep the blocks `filters` name (in the order the function has them), or all when none; `with:` takes the rest
 *  of the source as its text. */
function blocks(ir: string, tokens: string[]): string {
  const w = tokens.findIndex((t) => t.startsWith("with:"));
  const filters = w < 0 ? tokens : [...tokens.slice(0, w), tokens.slice(w).join(" ")];
  if (filters.length === 0) return ir.trimEnd();
  const chunks: string[][] = [];
  for (const line of ir.trimEnd().split("\n")) {
    if (/^block\d+\(/.test(line)) chunks.push([line]);
    else if (/^\s/.test(line) && chunks.length) chunks[chunks.length - 1].push(line);
  }
  const keep = chunks.filter((c) =>
    filters.some((f) => (f.startsWith("with:") ? c.join("\n").includes(f.slice(5)) : c[0].startsWith(`${f}(`))),
  );
  if (keep.length === 0) throw new Error(`no block matches ${filters.join(" ")}`);
  return keep.map((c) => c.join("\n")).join("\n");
}

/** A program built as `futamura build` builds it (no cache), with its --dump-ir files. */
async function build(file: string): Promise<{ wasm: Uint8Array; dumps: Map<string, string> }> {
  const m = manifestForFile(join(ROOT, file));
  const dumps = new Map<string, string>();
  // Loaded by its path relative to the checkout, as the docs' commands name it: Fern's debug info holds the path.
  const program = await loadProgram(m, file, readFileSync(join(ROOT, file)));
  const r = await buildProgram((await buildInterpreter(m.name)).wasm, program, {
    cache: false,
    dumpIr: (name, text) => dumps.set(name, text),
  });
  return { wasm: r.wasm, dumps };
}

/** The functions of the module's last element segment (the specializer's) as binaryen prints them. */
async function specializedWat(wasm: Uint8Array): Promise<string> {
  const b = await loadBinaryen();
  const mod = b.readBinary(wasm);
  try {
    const seg = b.getElementSegmentInfo(mod.getElementSegmentByIndex(mod.getNumElementSegments() - 1));
    const text = mod.emitText().split("\n");
    return seg.data
      .map((name) => {
        const start = text.findIndex((l) => l.startsWith(` (func $${name} `) || l === ` (func $${name}`);
        const end = text.findIndex((l, j) => j > start && l === " )");
        return text
          .slice(start, end + 1)
          .map((l) => l.slice(1))
          .join("\n");
      })
      .join("\n");
  } finally {
    mod.dispose();
  }
}

/** What `source` produces now. */
export async function generate(source: string): Promise<string> {
  const [kind, ...args] = source.split(/\s+/);
  switch (kind) {
    case "ir": {
      const [interp, func, ...filters] = args;
      const info = decodeModule((await buildInterpreter(interp)).wasm);
      const fn = info.functions.find((f) => !f.import && f.name === func);
      if (!fn) throw new Error(`${interp} has no function ${func}`);
      return blocks(printFunction(buildFunctionIR(info, fn.index)), filters);
    }
    case "dump": {
      const [program, file, ...filters] = args;
      const text = (await build(program)).dumps.get(file);
      if (text === undefined) throw new Error(`building ${program} dumps no ${file}`);
      return blocks(text, filters);
    }
    case "wat":
      return specializedWat((await build(args[0])).wasm);
    case "fixture": {
      const [name, out] = args;
      const text = readFileSync(
        join(ROOT, "test", "specializer", "transform", `${name}${out === "out" ? ".out" : ""}.ir`),
        "utf8",
      );
      return text
        .split("\n")
        .filter((l) => !l.startsWith(";"))
        .join("\n")
        .trimEnd();
    }
    default:
      throw new Error(`unknown snippet source '${source}'`);
  }
}

/** Rewrite every generated snippet of the docs with what its source produces now. */
async function main(): Promise<void> {
  for (const doc of DOCS) {
    const path = join(ROOT, doc);
    const lines = readFileSync(path, "utf8").split("\n");
    // From the last snippet up, so earlier line numbers stay valid.
    for (const s of snippetsOf(doc).reverse()) {
      const end = lines.findIndex((x, j) => j > s.line && x.startsWith("```"));
      lines.splice(s.line + 1, end - s.line - 1, ...(await generate(s.source)).split("\n"));
    }
    writeFileSync(path, lines.join("\n"));
    console.log(`${doc}: ${snippetsOf(doc).length} snippets generated`);
  }
}

if (process.argv[1]?.endsWith("doc-snippets.ts")) await main();
