// util/gc.ts: the specializing and building nodes' flags are ones this node takes and applies.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildNodeFlags, SEMI_SPACE_MB, SPECIALIZING_NODE_FLAGS, v8PoolSize } from "../../util/gc.ts";

describe.each([
  ["SPECIALIZING_NODE_FLAGS", SPECIALIZING_NODE_FLAGS],
  ["buildNodeFlags(2)", buildNodeFlags(2)],
  ["buildNodeFlags(16)", buildNodeFlags(16)],
])("%s", (_, flags) => {
  it("start a node (an unknown or malformed V8 flag is an error at start-up) with the young generation asked for", () => {
    const script =
      "const v8 = require('node:v8'); const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); process.stdout.write(String(s.space_size))";
    const r = spawnSync(process.execPath, [...flags, "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThanOrEqual(SEMI_SPACE_MB * 1024 * 1024);
  });
});

describe("v8PoolSize", () => {
  it("leaves one core to the main thread, at least one thread and at most Node's 4", () => {
    expect([1, 2, 3, 8, 64].map(v8PoolSize)).toEqual([1, 1, 2, 4, 4]);
  });
});
