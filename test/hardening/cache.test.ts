// The specialization cache's cap (issue 25, item 13): a write evicts the least recently used entries until the
// directory fits, a hit marks its entry used, and `futamura cache` (in-process) reports and clears it.
import { existsSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheCommand } from "../../cli/cache-command.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";
import { cacheEntries, SpecializationCache } from "../../pipeline/cache.ts";

const EMPTY_MODULE = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);

afterEach(() => vi.unstubAllEnvs());

describe("the specialization cache", () => {
  it("evicts the least recently used entries past its cap", () => {
    const dir = mkdtempSync(join(tmpdir(), "futamura-cache-"));
    const cache = new SpecializationCache(dir, 3 * 8);
    const age = (key: string, s: number) => utimesSync(join(dir, `${key}.wasm`), s, s);
    cache.put("a", EMPTY_MODULE);
    cache.put("b", EMPTY_MODULE);
    cache.put("c", EMPTY_MODULE);
    age("a", 1000);
    age("b", 2000);
    age("c", 3000);
    expect(cache.get("a")).toEqual(EMPTY_MODULE); // a is used now: b is the oldest
    cache.put("d", EMPTY_MODULE);
    expect(
      cacheEntries(dir)
        .map((e) => e.path.split("/").pop())
        .sort(),
    ).toEqual(["a.wasm", "c.wasm", "d.wasm"]);
  });

  it("futamura cache reports its size and clears it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "futamura-cache-"));
    vi.stubEnv("FUTAMURA_CACHE_DIR", dir);
    new SpecializationCache(dir).put("x", EMPTY_MODULE);
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await cacheCommand("size")).toBe(0);
      expect(await cacheCommand("clear")).toBe(0);
      expect(String(out.mock.calls[0][0])).toMatch(/: 1 entries, 0\.0 MiB \(cap 256\.0 MiB/);
      expect(String(out.mock.calls[1][0])).toMatch(/removed 1 entries/);
    } finally {
      out.mockRestore();
    }
    expect(existsSync(join(dir, "x.wasm"))).toBe(false);
    await expect(cacheCommand("bogus")).rejects.toThrow(/unknown action 'bogus' \(size or clear\)/);
  });

  it("a cache folder that cannot be written is no cache: the build goes on, and says why once", async () => {
    const home = mkdtempSync(join(tmpdir(), "futamura-cache-"));
    writeFileSync(join(home, "file"), "");
    const dir = join(home, "file", "cache"); // under a regular file: unwritable even for root
    const cache = new SpecializationCache(dir);
    cache.put("x", EMPTY_MODULE);
    cache.put("y", EMPTY_MODULE);
    expect(cache.unwritable).toMatch(
      /file\/cache: warning: cannot write the specialization cache \(a folder on this path is a regular file\); nothing is cached/,
    );
    const interp = (await buildInterpreter("bf")).wasm;
    const program = await loadProgram(builtinManifest("bf"), join(ROOT, "brainfuck", "programs", "hello.b"));
    const built = await buildProgram(interp, program, { cache: dir });
    expect(built.wasm.length).toBeGreaterThan(0);
    expect(built.cacheWarning).toMatch(/cannot write the specialization cache/);
  });
});
