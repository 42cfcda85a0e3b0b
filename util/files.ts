// File helpers shared by every stage: read a user's file with a clear error, write an output atomically
// (a temporary file in the same folder, then rename) so a crash never leaves a half-written output and an input
// is never clobbered, and write all of a buffer to a descriptor that may be a non-blocking pipe.
import {
  appendFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, basename, join, resolve } from "node:path";
import { UserError } from "./errors.ts";

/** Names of standard input: `-` (as for most Unix tools) and the device paths a shell's `/dev/stdin` gives. */
const STDIN_PATHS = new Set(["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"]);
let stdinBytes: Uint8Array | undefined;

/** Whether `path` names standard input (a program piped in). */
export const isStandardInput = (path: string) => STDIN_PATHS.has(path);

/** A user's file; standard input (`-`, `/dev/stdin`) is read once, the first time, and the same bytes given after
 *  (a command that looks at a file twice, for its magic number and then to load it, would get nothing the second
 *  time). */
export function readUserFile(path: string): Uint8Array {
  if (isStandardInput(path)) return (stdinBytes ??= readStandardInput());
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${path}: error: no such file`);
    if (code === "EISDIR") throw new UserError(`${path}: error: is a directory, not a file`);
    throw new UserError(`${path}: error: cannot read (${code ?? String(e)})`);
  }
}

/** Throws the error readUserFile would for a path that is missing or a directory; a check for a command that
 *  reports something about the file (its interpreter, by extension) before it reads it, so the first problem the user
 *  sees is the first one there is. */
export function checkUserFile(path: string): void {
  if (isStandardInput(path)) return;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    readUserFile(path); // throws readUserFile's own error (no such file, cannot read)
    return;
  }
  if (isDirectory) throw new UserError(`${path}: error: is a directory, not a file`);
}

function readStandardInput(): Uint8Array {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a non-blocking pipe with nothing yet
        continue;
      }
      if (code === "EOF") break;
      throw new UserError(`-: error: cannot read standard input (${code ?? String(e)})`);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The identity of an existing file (device and inode, so a symlink or a hard link to it is the same file). */
function fileId(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** Why a write or a mkdir failed, in a user's words (EEXIST and ENOTDIR: a file is where a folder must be). */
function writeFailure(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EEXIST: "a folder on this path is a regular file",
    ENOTDIR: "a folder on this path is a regular file",
    EISDIR: "is a directory",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EDQUOT: "disk quota exceeded",
    ENAMETOOLONG: "file name too long",
  };
  return new UserError(`${path}: error: cannot write (${(code && why[code]) ?? code ?? String(e)})`);
}

/** Create the folder `dir` (and its parents) for outputs, or throw a one-line UserError saying why it cannot be. */
export function makeOutputDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw writeFailure(dir, e);
  }
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: error: cannot write (is a file, not a folder)`);
}

const TEMP_SUFFIX = ".tmp";

/** The environment variable that names the file where this process lists its temporary files, one path a line: set by
 *  bin/futamura.mjs for the node it runs a command in, so that when a signal kills that node in the middle of its
 *  (synchronous) work, the supervisor can remove what the atomic writes left. The one registry of temporary files. */
export const TEMP_REGISTRY_ENV = "FUTAMURA_TEMP_REGISTRY";

/** The registry file of the command that supervisor process `pid` runs. */
export const tempRegistryPath = (pid: number) => join(tmpdir(), `futamura-${pid}.temp-files`);

/** A fresh temporary path beside `target` (same folder, so a rename is atomic), listed in the registry first, so no
 *  temporary file exists that the registry does not name. */
export function tempPathFor(target: string): string {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}${TEMP_SUFFIX}`);
  const registry = process.env[TEMP_REGISTRY_ENV];
  try {
    if (registry) appendFileSync(registry, `${tmp}\n`);
  } catch {
    // no registry (an unwritable temporary folder): a stopped command may leave this file; the write still works
  }
  return tmp;
}

/** Removes the temporary files a killed command's registry lists (those it had not renamed into place yet) and the
 *  registry itself; returns the paths it removed. A missing registry lists none. */
export function removeRegisteredTemps(registry: string): string[] {
  let listed: string[];
  try {
    listed = readFileSync(registry, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
  const removed = listed.filter((p) => existsSync(p));
  for (const p of listed) rmSync(p, { recursive: true, force: true }); // (a folder too: Lua's patched source)
  rmSync(registry, { force: true });
  return removed;
}

/** Whether `path` is a symbolic link (not when it cannot be looked at: makeOutputDir says why). */
function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The file a write to `path` lands in: `path` itself, or, when it is a symlink, the file the link names (followed
 *  as cp and gcc do: the link stays, the file it points to gets the new content). A dangling link's file is created,
 *  if its folder exists. */
function writeTarget(path: string): string {
  let target = resolve(path);
  for (let hops = 0; isSymlink(target); hops++) {
    if (hops === 40) throw new UserError(`${path}: error: cannot write (too many levels of symbolic links)`);
    target = resolve(realpathSync(dirname(target)), readlinkSync(target)); // `..` in a link is physical
  }
  if (target !== resolve(path) && !existsSync(dirname(target)))
    throw new UserError(`${path}: error: cannot write (it is a link to ${target}, whose folder does not exist)`);
  return target;
}

/**
 * Write `bytes` to `path` atomically. Refuses to overwrite any of `protect` (the command's inputs), compared by
 * real path and by inode, so a symlink or a hard link to an input is the input. A symlink is written through (see
 * writeTarget).
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, protect: string[] = []): void {
  // `-` names standard input for a program; as an output it would silently be a file named "-".
  if (path === "-")
    throw new UserError(
      "-: error: cannot write standard output here (give a file name; a command that prints leaves out -o)",
    );
  const target = writeTarget(path);
  const targetId = fileId(target);
  for (const p of protect) {
    if (resolve(p) === target || (targetId !== undefined && fileId(p) === targetId)) {
      throw new UserError(
        `${path}: error: refusing to overwrite an input file${resolve(p) === resolve(path) ? "" : ` (it is ${p}, through a link)`}`,
      );
    }
  }
  makeOutputDir(dirname(target));
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UserError(`${path}: error: cannot write (is a directory)`);
  if (existing && !existing.isFile()) {
    // A device, a pipe or a socket (-o /dev/null, /dev/stdout, a FIFO): written into, never replaced by a rename
    // (as root, renaming over /dev/null made it a regular file).
    try {
      writeFileSync(target, bytes);
    } catch (e) {
      throw writeFailure(path, e);
    }
    return;
  }
  const tmp = tempPathFor(target);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, e);
  }
}

/** A user's file that must be a WebAssembly module: a one-line error naming what it is instead. */
export function readUserWasm(path: string): Uint8Array {
  const bytes = readUserFile(path);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    const text =
      bytes.length > 0 &&
      bytes.subarray(0, 512).every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b !== 127));
    throw new UserError(
      `${path}: error: not a WebAssembly module (${text ? "it is a text file" : "it does not start with \\0asm"}); this command takes a .wasm file`,
    );
  }
  if (!WebAssembly.validate(bytes as BufferSource))
    throw new UserError(`${path}: error: not a valid WebAssembly module (it starts like one, but V8 rejects it)`);
  return bytes;
}

/** The exports of a valid module, by name. */
export function exportNames(wasm: Uint8Array): Set<string> {
  return new Set(WebAssembly.Module.exports(new WebAssembly.Module(wasm as BufferSource)).map((e) => e.name));
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** All of `bytes` to descriptor `fd` (standard output or error): a pipe that is full and non-blocking (EAGAIN: one
 *  Node opened for a child, and even a shell's pipe once a program's output fills it) is waited on, 1 ms at a time,
 *  never spun on or given up; any other error is thrown (EPIPE: the reader went away, which the caller decides on). */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) {
    try {
      at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
