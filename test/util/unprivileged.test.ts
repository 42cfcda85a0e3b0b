// util/unprivileged.ts: a native command run for a test or a benchmark never runs as root (as nobody when this
// process is root, as this user otherwise), and its scratch directory is one that user may write in.
import { rmSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { scratchDir, spawnUnprivileged, unprivileged } from "../../util/unprivileged.ts";

const root = process.getuid?.() === 0;

describe("unprivileged native commands", () => {
  it(`run as ${root ? "nobody (this process is root)" : "this user"}, with the arguments given`, () => {
    const r = spawnUnprivileged("sh", ["-c", 'id -u; echo "$1"', "sh", "an argument"]);
    expect(r.status).toBe(0);
    const uid = root ? spawnUnprivileged("id", ["-u", "nobody"]).stdout.trim() : String(process.getuid?.());
    expect(r.stdout).toBe(`${uid}\nan argument\n`);
    expect(uid).not.toBe("0");
    expect(unprivileged("lua5.4", ["x.lua"]).args.at(-1)).toBe("x.lua");
  });

  it("get a scratch directory anyone may write in", () => {
    const dir = scratchDir("futamura-unprivileged-");
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o777);
      expect(spawnUnprivileged("sh", ["-c", "echo x > f && cat f"], { cwd: dir }).stdout).toBe("x\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
