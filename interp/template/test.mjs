// __NAME__'s test: every program in programs/ runs identically interpreted and compiled (futamura diff), and
// meets its `; expect:` lines both ways (futamura run --expect, then --aot). Run it: node --test __NAME__/
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const futamura = join(here, "__BIN__");
const programs = readdirSync(join(here, "programs")).filter((f) => f.endsWith(".__EXT__")).map((f) => join(here, "programs", f));
const cli = (...args) => execFileSync(process.execPath, [futamura, ...args], { encoding: "utf8", cwd: join(here, "..") });

test("interpreted and compiled agree on every program", () => {
  cli("diff", "--interp", join(here, "futamura-interp.json"), ...programs); // exits 1 (so throws) on a difference
});

for (const p of programs) {
  test(`${p}: meets its expectations interpreted and ahead of time`, () => {
    cli("run", "--expect", "--interp", join(here, "futamura-interp.json"), p);
    cli("run", "--aot", "--expect", "--interp", join(here, "futamura-interp.json"), p);
  });
}
