// Native programs that run code futamura did not write line by line (lua5.4 and luajit on a test's or a benchmark's
// Lua): when this process is root they run as the user nobody (setpriv), never as root, since a script once removed
// /etc/passwd through native lua5.4 run as root; otherwise as this user. The scripts should run in a scratch
// directory (scratchDir: one nobody may write in), so what a script writes lands there.
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { UserError } from "./errors.ts";

/** setpriv's options that drop to nobody: its user and group, no supplementary groups. */
export const AS_NOBODY = ["--reuid=nobody", "--regid=nogroup", "--clear-groups"];

const isRoot = () => process.getuid?.() === 0;

/** The command line that runs `command args` unprivileged: as it is, or under setpriv as nobody when root. */
export function unprivileged(command: string, args: readonly string[]): { command: string; args: string[] } {
  if (!isRoot()) return { command, args: [...args] };
  if (spawnSync("setpriv", ["--version"]).status !== 0)
    throw new UserError(`refusing to run ${command} as root: setpriv (util-linux) is not on PATH to run it as nobody`);
  return { command: "setpriv", args: [...AS_NOBODY, command, ...args] };
}

export interface UnprivilegedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  timeout?: number;
}

/** spawnSync of `command args` unprivileged (text output). */
export function spawnUnprivileged(
  command: string,
  args: readonly string[],
  opts: UnprivilegedOptions = {},
): SpawnSyncReturns<string> {
  const c = unprivileged(command, args);
  return spawnSync(c.command, c.args, { ...opts, encoding: "utf8", maxBuffer: 64 << 20 });
}

/** A new empty directory in the system's temporary folder that nobody may write in (the caller removes it). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o777);
  return dir;
}

/** `command file` unprivileged on a copy of `file` (relative to `root`) at the same relative path in a scratch
 *  directory (its working directory), so that messages name the file as a run in `root` would. */
export function spawnOnCopy(
  command: string,
  root: string,
  file: string,
  opts: Omit<UnprivilegedOptions, "cwd"> = {},
): SpawnSyncReturns<string> {
  const dir = scratchDir("futamura-native-");
  try {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    copyFileSync(join(root, file), join(dir, file));
    return spawnUnprivileged(command, [file], { ...opts, cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when `command -v` runs (unprivileged: LUA_INIT may hold code even for `lua -v`). */
export function nativeAvailable(command: string): boolean {
  try {
    return spawnUnprivileged(command, ["-v"]).status === 0;
  } catch {
    return false;
  }
}
