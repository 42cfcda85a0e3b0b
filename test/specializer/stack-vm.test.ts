// A stack VM whose return addresses are specialize.value'd (weval's inclusive range, no generic path) specializes
// fully: calls, recursion and a program with 200 call sites compile with no aborted request and run the same
// interpreted and wevaled. The VM is the scaffold's register machine with call/ret (stackvm-fixture.ts).
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { readManifest } from "../../interp/manifest.ts";
import { differential, loadProgram } from "../../pipeline/index.ts";
import { stackvmFixture } from "./stackvm-fixture.ts";

const CALLS = `; calls and recursion: sum 1..10 by a recursive function, then a leaf called from two sites
set r0 10
set r2 1
call sumdown
print r1            ; expect: 55
call twice
call twice
print r3            ; expect: 4
halt
sumdown:
add r1 r0
sub r0 r2
jnz r0 again
ret
again:
call sumdown
ret
twice:
call leaf
call leaf
ret
leaf:
set r4 1
add r3 r4
ret
`;

const MANY_SITES = [
  "; 200 call sites of one function",
  "set r2 1",
  ...Array.from({ length: 200 }, () => "call inc"),
  "print r1            ; expect: 200",
  "halt",
  "inc:",
  "add r1 r2",
  "ret",
  "",
].join("\n");

describe("a stack VM with specialized return addresses", () => {
  it("specializes calls, recursion and 200 call sites with no aborted request", async () => {
    const manifest = readManifest(join(stackvmFixture(), "futamura-interp.json"));
    const interp = await buildInterpreter(manifest);
    const dir = mkdtempSync(join(tmpdir(), "futamura-stackvm-"));
    const programs = [];
    for (const [name, text] of [
      ["calls.svm", CALLS],
      ["many-sites.svm", MANY_SITES],
    ]) {
      writeFileSync(join(dir, name), text);
      const p = await loadProgram(manifest, join(dir, name));
      programs.push({ name, bytes: p.bytes, host: p.host });
    }
    const results = await differential(interp.wasm, programs, { optimizeLevel: 0 });
    expect(results.map((r) => r.wevaled.stdout)).toEqual(["55\n4\n", "200\n"]);
    for (const r of results) {
      expect(r.aborted, r.name).toEqual([]);
      expect(r.same, r.name).toBe(true);
    }
  }, 120_000);
});
