// `futamura explore` (= `npm run explorer`, explorer/serve.mjs): builds the interpreters and the static site, serves
// it on localhost and prints the URL; the page and its scripts come back from that URL; SIGTERM stops the server.
// A wrong option is one line.
// The browser tests (explorer.test.ts) drive the same build.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

describe("futamura explore", () => {
  it("writes the static site, serves it and prints the URL", async () => {
    const out = join(ROOT, "build", "explorer-serve-test");
    const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "explore", "--port", "0", "--out", out], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    try {
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", (d) => {
          stdout += d;
          const m = /serving at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
          if (m) resolve(m[1]);
        });
        child.on("exit", (code) => reject(new Error(`serve.mjs exited (${code}) before serving:\n${stdout}${stderr}`)));
      });
      expect(stdout).toContain(`static site written to ${out}`);
      expect(existsSync(join(out, "index.html"))).toBe(true);
      const html = await (await fetch(url)).text();
      expect(html).toContain("<title>futamura explorer");
      const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)![1];
      const js = await fetch(url + script);
      expect(js.status).toBe(200);
      // Nothing went wrong: only the steps' own lines (no Vite "externalized" warnings).
      expect(stderr.split("\n").filter((l) => l.trim() && !/^explorer: /.test(l))).toEqual([]);
      // SIGTERM to the CLI alone stops the server it started.
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await expect(fetch(url)).rejects.toThrow();
    } finally {
      try {
        process.kill(-child.pid!); // whatever is left of the CLI and the server it started
      } catch {
        // all gone already
      }
    }
  });

  it("says what is wrong with a bad option, in one line, exit 1", () => {
    for (const [args, message] of [
      [["--port", "http"], "futamura explore: --port takes a port number (0 to 65535; 0 picks a free one), got 'http'"],
      [
        ["--port", "70000"],
        "futamura explore: --port takes a port number (0 to 65535; 0 picks a free one), got '70000'",
      ],
      [["--build", "--port", "8080"], "futamura explore: --port is for serving; --build only writes the site"],
    ] as const) {
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), "explore", ...args], {
        cwd: ROOT,
        encoding: "utf8",
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`${message}\n`);
    }
  });
});
