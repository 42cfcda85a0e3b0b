// util/wasi-shim.ts is given its files and standard streams (util/wasi-files.ts is Node's side), so the explorer's
// browser bundle, which imports the shim through snapshot/, imports no node:fs for it: of everything
// explorer/src/main.ts reaches, only brainfuck/loader.ts imports node:fs (explorer/src/no-node-fs.ts stubs its two
// names). And a snapshot whose WASI init fails shows what init printed (its output is kept, not written to this
// process's descriptors, unless the caller passes sinks).
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BufferedOutput, InterpreterHost } from "../../interp/host.ts";
import { buildLua } from "../../interp/lua-build.ts";
import { snapshot } from "../../snapshot/index.ts";
import { ROOT } from "../../util/root.ts";

/** The project files `entry` reaches through static relative imports (type-only ones left out: erased). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(join(ROOT, file), "utf8");
    for (const m of src.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s*["'](\.[^"']+)["']/gm))
      visit(relative(ROOT, resolve(ROOT, dirname(file), m[1])));
  };
  visit(entry);
  return [...seen];
}

describe("the WASI shim", () => {
  it("imports no node:fs into the explorer's page: only brainfuck/loader.ts does, for the CLI", () => {
    const files = reachable("explorer/src/main.ts");
    expect(files).toContain("util/wasi-shim.ts");
    const usingFs = files.filter((f) => /from\s*["']node:fs["']/.test(readFileSync(join(ROOT, f), "utf8")));
    expect(usingFs).toEqual(["brainfuck/loader.ts"]);
    const stubs = readFileSync(join(ROOT, "explorer", "src", "no-node-fs.ts"), "utf8");
    expect([...stubs.matchAll(/^export const (\w+)/gm)].map((m) => m[1])).toEqual(["existsSync", "readFileSync"]);
  });

  it("a snapshot whose WASI init exits says what init printed", async () => {
    // Lua's init reads "NAME\0LENGTH\0SOURCE" from standard input; given nothing it says so and exits 1.
    const host = new InterpreterHost(new Uint8Array(0), new BufferedOutput());
    const wasi = { stdin: new Uint8Array(0) };
    const run = snapshot(buildLua("lua").wasm, { imports: host.imports, onInstance: (i) => host.bind(i), wasi });
    await expect(run).rejects.toThrow(
      /exited \(code 1\) instead of returning; it printed:\nlua: cannot read the script from standard input/,
    );
  }, 60_000);
});
