// util/gc.ts: the specializing node's flags are ones this node takes and applies.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { SEMI_SPACE_MB, SPECIALIZING_NODE_FLAGS } from "../../util/gc.ts";

describe("SPECIALIZING_NODE_FLAGS", () => {
  it("start a node (an unknown or malformed V8 flag is an error at start-up) with the young generation asked for", () => {
    const script =
      "const v8 = require('node:v8'); const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); process.stdout.write(String(s.space_size))";
    const r = spawnSync(process.execPath, [...SPECIALIZING_NODE_FLAGS, "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThanOrEqual(SEMI_SPACE_MB * 1024 * 1024);
  });
});
