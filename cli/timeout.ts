// `--timeout S` for commands that run a user's program (`run`, `diff`, `bench`): a running Wasm program cannot be
// interrupted from its own thread, so the command runs again in a child process (the same command line without
// --timeout, standard streams shared, told to flush every write) that gets SIGTERM after S seconds (it writes what is
// pending and exits, when its main thread is free) and SIGKILL a second later (when a Wasm loop holds that thread:
// its output is out already); exit code 124, as coreutils' timeout.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

/** Exit code of a command stopped by --timeout (what coreutils' timeout uses). */
export const TIMEOUT_EXIT = 124;

/** The child of a --timeout run is told to flush every write through this variable (cli/run-command.ts reads it). */
export const FLUSH_ENV = "FUTAMURA_RUN_FLUSH";

/** The number of seconds --timeout gives, or a one-line error. */
export function timeoutSeconds(command: string, value: string): number {
  const seconds = Number(value);
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(seconds > 0))
    throw new UserError(`futamura ${command}: --timeout takes a positive number of seconds, got '${value}'`);
  return seconds;
}

/** Run this process's command line again without --timeout, stopped after `value` seconds; `what` names it then. */
export async function rerunWithTimeout(command: string, what: string, value: string): Promise<number> {
  const seconds = timeoutSeconds(command, value);
  const args = process.argv.slice(2);
  // The option, not a program argument after `--` that looks like it.
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  const at = args.slice(0, end).findIndex((a) => a === "--timeout" || a.startsWith("--timeout="));
  args.splice(at, args[at] === "--timeout" ? 2 : 1);
  const child = spawn(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
    stdio: "inherit",
    env: { ...process.env, [FLUSH_ENV]: "write" },
  });
  let timedOut = false;
  const term = setTimeout(() => {
    timedOut = true;
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 1000).unref();
  }, seconds * 1000);
  // Ctrl-C reaches the child too (same process group); a SIGTERM sent to us alone is passed on.
  const forward = () => child.kill("SIGTERM");
  const ignore = () => {};
  process.on("SIGTERM", forward);
  process.on("SIGINT", ignore);
  try {
    const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
    if (timedOut) {
      process.stderr.write(`futamura: ${what}: stopped after ${value} s (--timeout)\n`);
      return TIMEOUT_EXIT;
    }
    return code ?? (signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 1);
  } finally {
    clearTimeout(term);
    process.off("SIGTERM", forward);
    process.off("SIGINT", ignore);
  }
}
