// Output paths (issue 25, items 4 and 5): an input reached through a symlink or a hard link is never overwritten,
// and an output that cannot be written (a file where a folder must be, a folder where the file goes) is a one-line
// UserError. In-process, on util/files.ts, which every writing command uses.
import { execFileSync, spawn } from "node:child_process";
import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../util/errors.ts";
import { makeOutputDir, writeFileAtomic } from "../../util/files.ts";

const dir = mkdtempSync(join(tmpdir(), "futamura-outputs-"));

function userError(run: () => void, message: RegExp): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toContain("\n");
}

describe("output paths", () => {
  it("refuses to overwrite an input reached through a symlink or a hard link", () => {
    const real = join(dir, "real.asm");
    writeFileSync(real, "halt\n");
    symlinkSync(real, join(dir, "link.asm"));
    linkSync(real, join(dir, "hard.asm"));
    userError(
      () => writeFileAtomic(real, "binary", [join(dir, "link.asm")]),
      /real\.asm: error: refusing to overwrite an input file \(it is .*link\.asm, through a link\)/,
    );
    userError(
      () => writeFileAtomic(join(dir, "link.asm"), "binary", [real]),
      /link\.asm: error: refusing to overwrite an input file \(it is .*real\.asm, through a link\)/,
    );
    userError(() => writeFileAtomic(join(dir, "hard.asm"), "binary", [real]), /refusing to overwrite an input file/);
    expect(readFileSync(real, "utf8")).toBe("halt\n");
  });

  it("a regular file where a folder must be, or a folder where the file goes, is one line", () => {
    const file = join(dir, "prog.fbc");
    writeFileSync(file, "x");
    userError(
      () => writeFileAtomic(join(file, "x.fbc"), "y"),
      /prog\.fbc: error: cannot write \(a folder on this path is a regular file/,
    );
    userError(
      () => makeOutputDir(file),
      /prog\.fbc: error: cannot write \(a folder on this path is a regular file|is a file, not a folder/,
    );
    userError(() => writeFileAtomic(dir, "y"), /error: cannot write \(is a directory\)/);
    userError(() => writeFileAtomic("-", "y"), /^-: error: cannot write standard output here/);
    expect(readFileSync(file, "utf8")).toBe("x");
  });

  it("writes through a symlink, as cp and gcc do: the link stays, the file it names gets the content", () => {
    const d = mkdtempSync(join(dir, "links-"));
    mkdirSync(join(d, "real"));
    writeFileSync(join(d, "real", "out.wasm"), "old");
    symlinkSync("real/out.wasm", join(d, "a.wasm"));
    symlinkSync("a.wasm", join(d, "b.wasm")); // a chain
    mkdirSync(join(d, "sub"));
    symlinkSync("../real/out.wasm", join(d, "sub", "c.wasm")); // relative to the link's folder
    writeFileAtomic(join(d, "b.wasm"), "new");
    expect(readFileSync(join(d, "real", "out.wasm"), "utf8")).toBe("new");
    writeFileAtomic(join(d, "sub", "c.wasm"), "newer");
    expect(readFileSync(join(d, "real", "out.wasm"), "utf8")).toBe("newer");
    expect(lstatSync(join(d, "a.wasm")).isSymbolicLink() && lstatSync(join(d, "b.wasm")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, "sub", "c.wasm"))).toBe("../real/out.wasm");
    expect(readdirSync(join(d, "real"))).toEqual(["out.wasm"]); // the temporary file went beside the target
    // A dangling link: the file it names is created, if its folder exists; else one line, and nothing is made.
    symlinkSync("real/made.wasm", join(d, "dangling.wasm"));
    writeFileAtomic(join(d, "dangling.wasm"), "made");
    expect(readFileSync(join(d, "real", "made.wasm"), "utf8")).toBe("made");
    expect(lstatSync(join(d, "dangling.wasm")).isSymbolicLink()).toBe(true);
    symlinkSync("nowhere/x.wasm", join(d, "nowhere.wasm"));
    userError(
      () => writeFileAtomic(join(d, "nowhere.wasm"), "x"),
      /nowhere\.wasm: error: cannot write \(it is a link to .*nowhere\/x\.wasm, whose folder does not exist\)/,
    );
    expect(readdirSync(d).sort()).toEqual(["a.wasm", "b.wasm", "dangling.wasm", "nowhere.wasm", "real", "sub"]);
    symlinkSync("loop2.wasm", join(d, "loop1.wasm"));
    symlinkSync("loop1.wasm", join(d, "loop2.wasm"));
    userError(() => writeFileAtomic(join(d, "loop1.wasm"), "x"), /too many levels of symbolic links/);
  });

  it("writes into a pipe or a device (-o /dev/null, /dev/stdout) instead of renaming a file over it", async () => {
    // A FIFO stands for /dev/null here: renaming over the real one, as root, would replace the machine's.
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (d) => (read += d));
    const done = new Promise((resolve) => reader.on("close", resolve));
    const killer = setTimeout(() => reader.kill(), 10_000);
    symlinkSync(fifo, join(dir, "fifo-link"));
    writeFileAtomic(join(dir, "fifo-link"), "through the pipe"); // through a link too
    const still = statSync(fifo).isFIFO();
    if (!still) reader.kill();
    await done;
    clearTimeout(killer);
    expect(still).toBe(true);
    expect(read).toBe("through the pipe");
  });
});
