// __NAME__'s test, on futamura's library API: every program in programs/ runs identically interpreted and compiled
// (diff), compiles with no request left to the interpreter, and meets its `; expect:` lines both ways.
// Run it: `npm test` in this folder, or node --test __NAME__/
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { diff, run } from "__API__";

const here = dirname(fileURLToPath(import.meta.url));
const interp = join(here, "futamura-interp.json");
const programs = readdirSync(join(here, "programs")).filter((f) => f.endsWith(".__EXT__")).map((f) => join(here, "programs", f));

test("interpreted and compiled agree on every program, fully compiled", async () => {
  for (const r of await diff(programs, { interp })) {
    const show = (o) => `${JSON.stringify(o.stdout)}, exit ${o.exitCode}${o.error ? `, ${o.error}` : ""}`;
    if (!r.same) assert.fail(`${r.name}: interpreted ${show(r.interpreted)} but compiled ${show(r.wevaled)}`);
    assert.deepEqual(r.aborted, [], `${r.name}: requests the specializer gave up on`);
  }
});

for (const p of programs) {
  test(`${p}: meets its expectations interpreted and ahead of time`, async () => {
    for (const aot of [false, true]) {
      const r = await run(p, { interp, aot });
      const want = r.expect ?? {};
      if (want.stdout !== undefined) assert.equal(r.stdout, want.stdout, aot ? "compiled" : "interpreted");
      assert.equal(r.exitCode, want.exitCode ?? (want.error ? 1 : 0));
      if (want.error !== undefined) assert.match(r.error ?? "", new RegExp(want.error.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    }
  });
}
