// `futamura bench --peers`: the peer languages run the same program, their outputs are checked against the Fern
// program's expectations (a wrong peer fails the bench), and the reports carry each peer's ratio to wevaled Fern.
// Also: every committed peer program (lang/bench/peers/) prints what its Fern program expects. No timing asserted.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inProcessPeers, nativeLuas, peerSources, programsWithPeers, runNativeLua } from "../../bench/peers.ts";
import { loadFernFile } from "../../lang/index.ts";
import { ROOT } from "../../util/root.ts";

const fixtures = join(ROOT, "test", "bench", "fixtures");
const futamura = (args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 180_000,
  });

describe("futamura bench --peers", () => {
  it("runs each peer, checks its output and reports its ratio to wevaled Fern; with --train, untrained Fern too", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-peers-"));
    const r = futamura([
      "bench",
      "--peers",
      "--train",
      "--quick",
      "--engine",
      "v8",
      "--out",
      out,
      join(fixtures, "tiny.fern"),
    ]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, "bench.json"), "utf8"));
    const variants = report.rows.map((row: { variant: string }) => row.variant);
    expect(variants).toEqual(
      expect.arrayContaining(["interpreted", "wevaled", "untrained", "js", "quickjs", "lua-wasm"]),
    );
    for (const row of report.rows) expect(row.result).toBe("599997\n55\n");
    const warm = report.ratios.find((x: { tier: string }) => x.tier === "warm (TurboFan)");
    expect(warm.peers.map((p: { variant: string }) => p.variant)).toEqual(
      expect.arrayContaining(["untrained", "js", "quickjs", "lua-wasm"]),
    );
    for (const p of warm.peers) expect(p.peer_over_wevaled).toBeGreaterThan(0);
    expect(report.peer_geomeans.length).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toMatch(
      /vs peers, wevaled Fern is [\d.]+x (faster|slower) than untrained, [\d.]+x (faster|slower) than js/,
    );
    const md = readFileSync(join(out, "bench.md"), "utf8");
    expect(md).toMatch(
      /\| program \| Fern interpreted \| \*\*Fern wevaled\*\* \| Fern wevaled untrained \| JS on V8 \(JIT\) \| QuickJS in Wasm \| Lua 5\.4 in Wasm/,
    );
    expect(md).toMatch(/Note: wevaled modules built with training \(--train-fuel 10000000\)/);
    expect(md).toMatch(/Note: peers: js = /);
    expect(readFileSync(join(out, "bench.svg"), "utf8")).toContain("lua-wasm");
  }, 180_000);

  it("fails when a peer prints something else than the Fern program expects", () => {
    const out = mkdtempSync(join(tmpdir(), "futamura-bench-peers-"));
    const r = futamura([
      "bench",
      "--peers",
      "--quick",
      "--engine",
      "v8",
      "--out",
      out,
      join(fixtures, "wrong", "wrong.fern"),
    ]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/wrong (js|quickjs): result "599997\\n56\\n", expected "599997\\n55\\n"/);
  }, 180_000);

  it("rejects --peers with --compile", () => {
    const r = futamura(["bench", "--compile", "--peers"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/takes no --peers/);
  });
});

describe("the committed peer programs", () => {
  const programs = programsWithPeers();
  it("cover every lang/bench program", () => {
    expect(programs.map((p) => p.split("/").pop()).sort()).toEqual(
      expect.arrayContaining([
        "calls.fern",
        "fib.fern",
        "mandelbrot.fern",
        "nested.fern",
        "sieve.fern",
        "sort.fern",
        "sum.fern",
        "trees.fern",
      ]),
    );
    for (const p of programs) {
      const src = peerSources(p);
      expect(src.js, `${p}: JavaScript peer`).toBeDefined();
      expect(src.lua, `${p}: Lua peer`).toBeDefined();
    }
  });

  it.each(programsWithPeers().map((p) => [p.split("/").pop()!, p]))(
    "%s: JavaScript on V8 and Lua 5.4 in Wasm print what the Fern program expects",
    async (_name, path) => {
      const expected = loadFernFile(path).expect.stdout;
      // QuickJS runs the same JavaScript as V8 (checked by the bench test above); here V8 and Lua stand for each file.
      for (const peer of inProcessPeers(path).filter((p) => p.name !== "quickjs")) {
        const run = await peer.warm();
        expect(run(), `${peer.name}`).toBe(expected);
        peer.dispose();
      }
    },
    60_000,
  );

  it.runIf(nativeLuas().some((l) => l.name === "lua"))("native lua5.4 agrees on a small program", () => {
    const r = runNativeLua("lua5.4", join(fixtures, "peers", "tiny.lua"), 1, 2);
    expect(r.output).toBe("599997\n55\n");
    expect(r.runs_ms).toHaveLength(2);
  });

  // A peer is someone else's Lua: as root it runs as nobody (util/unprivileged.ts), in a scratch directory.
  it.runIf(nativeLuas().length > 0 && existsSync("/proc/self/status"))(
    "native Lua peers never run as root, and write only in their scratch directory",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "futamura-peer-uid-"));
      const file = join(dir, "uid.lua");
      writeFileSync(
        file,
        'for l in io.lines("/proc/self/status") do local u = l:match("^Uid:%s+(%d+)") if u then print(u) end end\n' +
          'local f = io.open("written.txt", "w") print(f ~= nil) if f then f:close() end\n',
      );
      try {
        const uid = process.getuid?.() === 0 ? "65534" : String(process.getuid?.());
        for (const lua of nativeLuas())
          expect(runNativeLua(lua.command, file, 0, 1).output, lua.command).toBe(`${uid}\ntrue\n`);
        expect(existsSync(join(dir, "written.txt"))).toBe(false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  // The peers are written as Lua 5.4 is (`//`, `<<`, math.tointeger where they fit): luajit runs those that are also
  // Lua 5.1 and is left out of the others with a note (bench/main.ts), never an internal error.
  it.runIf(nativeLuas().some((l) => l.name === "luajit"))(
    "luajit (Lua 5.1) runs the harness and prints whole numbers as Lua 5.4 does; a 5.4-only peer fails in one line",
    () => {
      const r = runNativeLua("luajit", join(fixtures, "peers", "tiny.lua"), 1, 2);
      expect(r.output).toBe("599997\n55\n");
      expect(runNativeLua("luajit", join(ROOT, "lang", "bench", "peers", "fib.lua"), 0, 1).output).toBe(
        loadFernFile(join(ROOT, "lang", "bench", "fib.fern")).expect.stdout,
      );
      expect(() => runNativeLua("luajit", join(ROOT, "lang", "bench", "peers", "sort.lua"), 0, 1)).toThrow(/luajit/);
    },
  );
});
