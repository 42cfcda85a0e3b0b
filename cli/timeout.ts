// `--timeout S` for commands that run a user's program (`run`, `diff`, `bench`): a running Wasm program cannot be
// interrupted from its own thread, so the command runs again in a child process (the same command line without
// --timeout, standard streams shared) that is killed after S seconds, with exit code 124 as coreutils' timeout.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

/** Exit code of a command stopped by --timeout (what coreutils' timeout uses). */
export const TIMEOUT_EXIT = 124;

/** The number of seconds --timeout gives, or a one-line error. */
export function timeoutSeconds(command: string, value: string): number {
  const seconds = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(seconds > 0)) throw new UserError(`futamura ${command}: --timeout takes a positive number of seconds, got '${value}'`);
  return seconds;
}

/** Run this process's command line again without --timeout, killed after `value` seconds; `what` names it then. */
export function rerunWithTimeout(command: string, what: string, value: string): number {
  const seconds = timeoutSeconds(command, value);
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === "--timeout" || a.startsWith("--timeout="));
  args.splice(at, args[at] === "--timeout" ? 2 : 1);
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], { stdio: "inherit", timeout: seconds * 1000, killSignal: "SIGKILL" });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
    process.stderr.write(`futamura: ${what}: stopped after ${value} s (--timeout)\n`);
    return TIMEOUT_EXIT;
  }
  if (r.error) throw r.error;
  return r.status ?? 1;
}
