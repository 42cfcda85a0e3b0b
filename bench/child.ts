// One of the benchmark's child scripts (dist/bench/NAME.js) run in a node of its own with a JSON spec as its
// argument, and the JSON it prints parsed: a child that fails is futamura's bug (an InternalError with its stderr).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { InternalError } from "../util/errors.ts";
import { ROOT } from "../util/root.ts";

/** The result `name`'s script printed for `spec`; `flags` are node's, `what` names the run in an error. */
export function runChild<T>(name: string, spec: unknown, opts: { flags?: string[]; timeout: number; what: string }): T {
  const script = join(ROOT, "dist", "bench", `${name}.js`);
  const r = spawnSync(process.execPath, [...(opts.flags ?? []), script, JSON.stringify(spec)], {
    encoding: "utf8",
    timeout: opts.timeout,
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0)
    throw new InternalError(
      `${opts.what} failed (${script}: ${r.error?.message ?? `exit ${r.status ?? r.signal}`}): ${r.stderr}`,
    );
  return JSON.parse(r.stdout) as T;
}
