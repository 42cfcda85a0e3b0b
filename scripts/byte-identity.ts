// The behaviour-preservation check for refactors: builds every bench and corpus program (bytecode/programs,
// lang/programs, lang/bench, brainfuck/programs) through the whole pipeline, hashing each interpreter's .wasm, each
// request's generic, specialized and cleaned IR and each emitted module, and compares with (or, with --record,
// writes) scripts/byte-identity.json. Run: `nice node --import tsx scripts/byte-identity.ts [--record] [--quick]`.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildInterpreter } from "../interp/build.ts";
import { manifestForFile } from "../interp/manifest.ts";
import { buildProgram } from "../pipeline/build.ts";
import { loadProgram } from "../pipeline/program.ts";
import { ROOT } from "../util/root.ts";

const FILE = join(ROOT, "scripts", "byte-identity.json");
process.chdir(ROOT); // program paths below are relative to the repository
const DIRS: [string, string[]][] = [
  ["bytecode/programs", [".asm"]],
  ["lang/programs", [".fern"]],
  ["lang/bench", [".fern"]],
  ["brainfuck/programs", [".b"]],
  ["brainfuck/programs/acme", [".b"]],
];

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex").slice(0, 16);

async function main() {
  const record = process.argv.includes("--record");
  const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
  const hashes: Record<string, string> = {};
  const interps = new Map<string, Uint8Array>();
  const interp = async (name: string) => {
    if (!interps.has(name)) {
      const built = await buildInterpreter(name);
      interps.set(name, built.wasm);
      hashes[`interp:${name}`] = sha(built.wasm);
    }
    return interps.get(name)!;
  };
  for (const [dir, exts] of DIRS) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) {
      if (!exts.some((e) => f.endsWith(e))) continue;
      const file = join(dir, f);
      if (only && !file.includes(only)) continue;
      const names = f.endsWith(".fern") ? ["fern", "fern-memory"] : [manifestForFile(join(ROOT, file)).name];
      for (const name of names) {
        const key = `${name}:${file}`;
        const t = performance.now();
        try {
          // fern-memory takes the bytes Fern's loader makes. The path is relative to the repository (Fern's debug
          // info records it), so the hashes do not depend on the folder the checkout is in.
          const program = await loadProgram(manifestForFile(join(ROOT, file)), file);
          const irs: string[] = [];
          const r = await buildProgram(await interp(name), program, {
            cache: false,
            dumpIr: (n, text) => irs.push(`${n}\n${text}`),
          });
          hashes[key] = sha(r.wasm);
          hashes[`${key}:ir`] = sha(irs.join("\n"));
          const aborted = r.specialize?.requests.filter((q) => q.aborted).map((q) => q.aborted) ?? [];
          if (aborted.length) hashes[`${key}:aborted`] = sha(aborted.join("\n"));
        } catch (e) {
          hashes[key] = `error: ${(e as Error).message.split("\n")[0]}`;
        }
        process.stderr.write(`${key} ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
      }
    }
  }
  if (record) {
    writeFileSync(FILE, JSON.stringify(hashes, null, 1) + "\n");
    console.log(`recorded ${Object.keys(hashes).length} hashes in ${FILE}`);
    return;
  }
  const base: Record<string, string> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  let bad = 0;
  for (const [k, v] of Object.entries(hashes)) {
    if (base[k] !== v) {
      bad++;
      console.log(`DIFFERS ${k}: ${base[k]} -> ${v}`);
    }
  }
  console.log(`${Object.keys(hashes).length - bad} of ${Object.keys(hashes).length} identical`);
  process.exitCode = bad ? 1 : 0;
}

await main();
