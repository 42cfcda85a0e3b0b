// `npm run explorer` (explorer/serve.mjs): builds the interpreters and the static site, serves it on localhost
// and prints the URL; the page and its scripts come back from that URL. The browser tests (explorer.test.ts)
// drive the same build.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

describe("npm run explorer", () => {
  it("writes the static site, serves it and prints the URL", async () => {
    const out = join(ROOT, "build", "explorer-serve-test");
    const child = spawn(process.execPath, [join(ROOT, "explorer", "serve.mjs"), "--port", "0", "--out", out], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
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
      // Nothing went wrong; Vite may still print timing warnings on a loaded machine ([PLUGIN_TIMINGS] …).
      expect(stderr.split("\n").filter((l) => l.trim() && !/PLUGIN_TIMINGS|^\s*-\s/.test(l))).toEqual([]);
    } finally {
      child.kill();
    }
  });
});
