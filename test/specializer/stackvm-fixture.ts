// The stack VM the tests use: `futamura new-interp stackvm --ext svm` with fixtures/stackvm/stackvm.patch applied
// (call and ret over a return stack, specializeValue on return addresses, and the stackvm-naive.json manifest without
// it). Made once per test process in a temporary folder, so the fixture is the scaffold plus a visible difference:
// when interp/template changes in a way the patch no longer fits, this fails instead of a stale copy passing.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../util/root.ts";

let made: string | undefined;

/** The folder holding futamura-interp.json, stackvm-naive.json, stackvm.ts and loader.mjs. */
export function stackvmFixture(): string {
  if (made) return made;
  const parent = mkdtempSync(join(tmpdir(), "futamura-stackvm-fixture-"));
  const dir = join(parent, "stackvm");
  const run = (cmd: string, args: string[], cwd: string) => {
    const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stderr}${r.error ?? ""}`);
  };
  run(
    process.execPath,
    [join(ROOT, "bin", "futamura.mjs"), "new-interp", "stackvm", "--ext", "svm", "--dir", dir],
    parent,
  );
  run("git", ["apply", "-p1", join(ROOT, "test", "specializer", "fixtures", "stackvm", "stackvm.patch")], dir);
  return (made = dir);
}
