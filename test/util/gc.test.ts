// util/gc.ts: a collection only for a request of COLLECT_MIN_VALUES values or more, and only where gc is exposed; the
// specializing node's flags are ones this node takes and applies.
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { buildNodeFlags, collectAfter, COLLECT_MIN_VALUES, SPECIALIZING_NODE_FLAGS } from "../../util/gc.ts";

describe("collectAfter", () => {
  const g = globalThis as { gc?: () => void };
  const saved = g.gc;
  afterEach(() => {
    g.gc = saved;
  });

  it("collects after a big request when gc is exposed, not after a small one", () => {
    let calls = 0;
    g.gc = () => calls++;
    expect(collectAfter(COLLECT_MIN_VALUES - 1)).toBe(false);
    expect(calls).toBe(0);
    expect(collectAfter(COLLECT_MIN_VALUES)).toBe(true);
    expect(calls).toBe(1);
  });

  it("does nothing without an exposed gc", () => {
    g.gc = undefined;
    expect(collectAfter(COLLECT_MIN_VALUES * 2)).toBe(false);
  });
});

describe.each([
  ["SPECIALIZING_NODE_FLAGS", SPECIALIZING_NODE_FLAGS],
  ["buildNodeFlags(2)", buildNodeFlags(2)],
  ["buildNodeFlags(16)", buildNodeFlags(16)],
])("%s", (_, flags) => {
  it("start a node (an unknown or malformed V8 flag is an error at start-up), gc exposed", () => {
    const script = "process.stdout.write(typeof gc)";
    const r = spawnSync(process.execPath, [...flags, "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("function");
  });
});
