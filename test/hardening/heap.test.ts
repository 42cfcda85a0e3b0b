// The Fern collector near a full heap (issue 25, item 6): a program keeping 16 KB arrays until the 1 GiB heap is full
// gets "out of memory" in bounded time (17 s on a loaded 2-core machine on 2026-12-06; before, 65,000 arrays ran past
// 100 s, each allocation collecting the whole heap again). Long: runs only with FUTAMURA_LONG_TESTS=1.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadFernFile } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { resolveInterpreter, runOutcome } from "../../pipeline/index.ts";
import { ROOT } from "../../util/root.ts";

describe.runIf(process.env.FUTAMURA_LONG_TESTS === "1")("a heap filling gradually", () => {
  it("is out of memory, interpreted", async () => {
    const fern = await resolveInterpreter("fern");
    const file = join(ROOT, "test", "hardening", "fixtures", "heap-fill.fern");
    const program = fernLoaded(loadFernFile(file));
    const outcome = await runOutcome(fern.wasm, program);
    expect(JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v))).toContain(
      "out of memory in main",
    );
  }, 300_000);
});
