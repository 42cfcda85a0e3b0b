// Every command the README and docs/ show runs as written: each shell line of a ```sh block (and each inline
// `npx futamura …` or `futamura …` command in the prose) is either run here — in a scratch copy of the checkout, so
// files the commands write land there — and must exit 0, or matches one entry of SKIPPED, which says why
// it is not run and where it is covered instead. A new command in the docs that is neither fails this test.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../util/root.ts";

/** Commands not run here, by pattern, with the reason (each must match at least one documented command). */
const SKIPPED: [RegExp, string][] = [
  [
    /^npm install( && npm run bench)?$|^npm ci$|^npm install && npm test$|^npm test$/,
    "installs or runs this very suite; CI runs them",
  ],
  [
    /^npm run bench(:compile)?$|^npx futamura bench\b/,
    "benchmarks take minutes; test/bench/*.test.ts runs each mode with --quick",
  ],
  [
    /^npm run bench:c$/,
    "the C interpreter's benchmark takes a minute; test/interp/c.test.ts runs the same build and program path",
  ],
  [/^apt-get install /, "installs Debian packages; .ci/run installs them when missing"],
  [
    /^npm run test:package$/,
    "packs the package (rebuilding dist/, which the other tests run from); .ci/run runs it after npm test",
  ],
  [
    /^npm run fuzz( -- --(fern( --train)?|lua|lua-patterns))?$|^npm run fuzz:(optimized|backend)$|^npm run test:lua-suite$/,
    "the long fuzzes (1,000 Fern programs by default) and all of Lua's test suite (minutes); their seeded slices run in test/fuzz/, test/specializer/, test/interp/lua-random.test.ts and lua-patterns-random.test.ts, seven suite files in test/interp/lua-suite.test.ts, training's exits in test/lang/training.test.ts",
  ],
  [
    /^git worktree add |^\(cd \/tmp\/old |^node --import tsx bench\/compare-builds\.ts /,
    "rebuilds an old commit to compare builds: minutes, and needs that commit's checkout",
  ],
  [
    /…|\bprog\d?\.(asm|bin|fern|lua)\b|mylang|\bFILE\b|<[a-z][^>]*>|\bout\.wasm\b/,
    "a template with placeholders for the reader's own files",
  ],
  [
    /^npx futamura build lang\/bench\/calls\.fern -o calls\.wasm( --dump-ir ir\/)?$/,
    "the same kind of build as the README's `build --train lang/bench/nbody.fern -o nbody.wasm` (a Fern program, -o), 8 s more for nothing",
  ],
  [
    /^npx futamura diff lang\/programs\/\*\.fern$/,
    "every Fern program, interpreted and wevaled (30 s): test/lang/lang.test.ts diffs each of lang/programs/*.fern through the same differential tester, and README's `diff brainfuck/programs/acme/*.b` runs the command on a glob",
  ],
  [/^npx futamura explore$/, "serves the page until stopped; test/explorer/serve.test.ts runs it and fetches the page"],
  [
    /^npx futamura explore --build$/,
    "the same Vite build test/explorer/ makes (into build/explorer-test/), ~10 s more for nothing",
  ],
  [/^npm run explorer:dev$/, "Vite's dev server, until stopped; test/explorer/ drives the same page built"],
  [/^npx futamura [a-z][a-z-]*$/, "a command named in the prose, without the arguments it needs"],
  [/^npx futamura [a-z][a-z-]*( --[a-z-]+)+$/, "a command's flag named in the prose, without the program it needs"],
];

interface DocCommand {
  file: string;
  line: number;
  command: string;
}

function documentedCommands(): DocCommand[] {
  const files = [
    "README.md",
    ...readdirSync(join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  const out: DocCommand[] = [];
  for (const file of files) {
    const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
    let shell = false;
    lines.forEach((text, i) => {
      if (/^```(sh|bash|shell|console)\s*$/.test(text)) return void (shell = true);
      if (text.startsWith("```")) return void (shell = false);
      if (shell) {
        const command = text
          .replace(/\s+#.*$/, "")
          .replace(/^\$\s+/, "")
          .trim();
        if (command && !command.startsWith("#")) out.push({ file, line: i + 1, command });
      } else
        for (const m of text.matchAll(/`((?:npx futamura|futamura [a-z]|npm run|npm test|npm ci|npm install)[^`]*)`/g))
          out.push({ file, line: i + 1, command: m[1].trim().replace(/^futamura /, "npx futamura ") });
    });
  }
  return out;
}

/** Build outputs and installed packages a scratch copy shares with the checkout (through symlinks). */
const SHARED = ["node_modules", "dist", "build"];

/** A scratch copy of the checkout's tracked files (copied with their times, so nothing looks newer than dist/),
 *  sharing only SHARED: a command that writes beside its input (`asm prog.asm` writes prog.fbc) or into the current
 *  folder (`new-interp calc`) writes into the copy, never into the checkout; and what a reader left in the checkout
 *  (a `calc/` from following docs/new-interpreter.md there) is not in the copy. */
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "futamura-docs-"));
  const tracked = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" });
  if (tracked.status !== 0) throw new Error(`git ls-files failed in ${ROOT}: ${tracked.stderr}`);
  for (const f of tracked.stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, f))) continue; // deleted, not yet committed
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f), { preserveTimestamps: true });
  }
  for (const e of SHARED) if (existsSync(join(ROOT, e))) symlinkSync(join(ROOT, e), join(dir, e));
  return dir;
}

/** End every process left in the group `pid` led (nothing when it is gone already). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {}
}

const commands = documentedCommands();
const skipped = (c: DocCommand) => SKIPPED.find(([pattern]) => pattern.test(c.command));

describe("documented commands", () => {
  it("are found (README and docs/)", () => {
    expect(commands.length).toBeGreaterThan(10);
  });

  it("every skip reason still matches a documented command", () => {
    for (const [pattern, why] of SKIPPED)
      expect(
        commands.some((c) => pattern.test(c.command)),
        `${pattern} (${why}) matches nothing`,
      ).toBe(true);
  });

  const dir = scratch();
  // A command the docs show in several places runs once, where it is first shown (`npm run check:bytes`, twice in
  // docs/lua-memory-ops.md, took a minute of the suite).
  const runnable = commands.filter((c, i) => !skipped(c) && commands.findIndex((d) => d.command === c.command) === i);
  it.each(runnable.map((c) => [`${c.file}:${c.line}`, c.command]))(
    "%s: %s",
    (_where, command) => {
      // `npx futamura` is the launcher in bin/; calling it directly saves npx's start-up.
      const shell = command.replace(/\bnpx futamura\b/g, `node ${join(ROOT, "bin", "futamura.mjs")}`);
      // In its own process group (detached), so that a timeout ends what bash started too, not bash alone: the
      // timeout's SIGTERM reaches only bash, and a `node futamura …` it ran went on after the test had failed.
      // (spawnSync takes `detached` as spawn does, through the same normalizeSpawnArguments; its type omits it.)
      const options = {
        cwd: dir,
        encoding: "utf8" as const,
        timeout: 240_000,
        detached: true,
        env: { ...process.env, FUTAMURA_CACHE_DIR: join(dir, ".futamura-cache") },
      };
      const r = spawnSync("bash", ["-c", shell], options);
      if (r.error || r.signal) killGroup(r.pid);
      expect(r.status, `${command}\n${r.error ? `${r.error.message}\n` : ""}${r.stderr}`).toBe(0);
      expect(r.stderr).not.toMatch(/internal error/);
    },
    240_000,
  );
});
