// `futamura explore`: the explorer page (explorer/), where a learner watches the projection happen — builds the
// interpreters and the static site and serves it on localhost (or, with --build, only writes the site). The work is
// explorer/serve.mjs's (the same script `npm run explorer` runs); this checks the options first, so a wrong value
// is one line here rather than Vite's error, and runs it with the terminal's streams until it ends: SIGINT and
// SIGTERM sent to this process are passed on, so the server stops with it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import { existsSync } from "node:fs";
import { ROOT } from "../util/root.ts";

export interface ExploreFlags {
  build?: boolean;
  port?: string;
  host?: string;
  out?: string;
}

export async function exploreCommand(opts: ExploreFlags): Promise<number> {
  // The npm package ships no explorer sources (nor Vite): it runs from a clone of the repository.
  if (!existsSync(join(ROOT, "explorer", "serve.mjs")))
    throw new UserError(
      "futamura explore: the explorer is not part of the installed package; run it from a clone of futamura's repository (npm install && npx futamura explore)",
    );
  const args: string[] = [];
  if (opts.build) args.push("--build");
  if (opts.port !== undefined) {
    if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535)
      throw new UserError(
        `futamura explore: --port takes a port number (0 to 65535; 0 picks a free one), got '${opts.port}'`,
      );
    if (opts.build) throw new UserError("futamura explore: --port is for serving; --build only writes the site");
    args.push("--port", opts.port);
  }
  if (opts.host !== undefined) {
    if (!opts.host.trim()) throw new UserError("futamura explore: --host takes a host name or address, e.g. 127.0.0.1");
    args.push("--host", opts.host);
  }
  if (opts.out !== undefined) args.push("--out", opts.out);
  const child = spawn(process.execPath, [join(ROOT, "explorer", "serve.mjs"), ...args], { stdio: "inherit" });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  return new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(code ?? (signal === "SIGINT" || signal === "SIGTERM" ? 0 : 1));
    });
  });
}
