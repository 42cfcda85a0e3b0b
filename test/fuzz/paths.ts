// Output-path fuzzing: `futamura asm IN -o OUT` and `dis IN -o OUT`, in-process, with OUT built from seeded pieces
// of a scratch folder that holds the input, a symlink and a hard link to it, a plain file, a folder and a symlink to
// the folder. The property: a one-line UserError, or success that left the input untouched and wrote OUT — never
// an internal error (EEXIST, ENOTDIR … escaping), never an input overwritten.
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../../util/errors.ts";
import { prng, type Verdict } from "./mutate.ts";

const SOURCE = '; a program\n        PRINT "hi\\n"\n        HALT\n';
const PIECES = ["real.asm", "link.asm", "hard.asm", "file", "dir", "dirlink", "new", "new.fbc", "..", ".", "", "x/"];

/** One case: a fresh scratch folder, an input among the three names of the same file, an output from 1–3 pieces. */
export async function checkPathCase(seed: number): Promise<{ name: string; verdict: Verdict }> {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const dir = mkdtempSync(join(tmpdir(), "futamura-paths-"));
  try {
    writeFileSync(join(dir, "real.asm"), SOURCE);
    symlinkSync(join(dir, "real.asm"), join(dir, "link.asm"));
    linkSync(join(dir, "real.asm"), join(dir, "hard.asm"));
    writeFileSync(join(dir, "file"), "a file");
    mkdirSync(join(dir, "dir"));
    symlinkSync(join(dir, "dir"), join(dir, "dirlink"));
    const input = join(dir, pick(["real.asm", "link.asm", "hard.asm"]));
    const out = join(dir, ...Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(PIECES)));
    const command = pick(["asm", "dis"] as const);
    const name = `${command} ${input.slice(dir.length + 1)} -o ${out.slice(dir.length + 1) || "."} (seed ${seed})`;
    const { asmCommand, disCommand } = await import("../../cli/bytecode-commands.ts");
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      await (command === "asm" ? asmCommand(input, { out }) : disCommand(input, { out }));
    } catch (e) {
      if (e instanceof UserError && !e.message.includes("\n"))
        return { name, verdict: { kind: "rejected", message: e.message } };
      return { name, verdict: { kind: "internal", message: `${(e as Error).name}: ${(e as Error).message}` } };
    } finally {
      process.stdout.write = write;
    }
    if (readFileSync(join(dir, "real.asm"), "utf8") !== SOURCE)
      return { name, verdict: { kind: "internal", message: "the input was overwritten" } };
    return { name, verdict: { kind: "same", outcome: "written" } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
