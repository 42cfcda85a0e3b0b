// `futamura cache [size|clear]`: what the specialization cache holds (entries, bytes, the cap) and emptying it.
// A thin wrapper over pipeline/cache.ts.
import { rmSync } from "node:fs";
import { cacheCapBytes, cacheEntries } from "../pipeline/cache.ts";
import { UserError } from "../util/errors.ts";
import { projectCacheDir } from "../util/root.ts";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export async function cacheCommand(action: string | undefined): Promise<number> {
  const dir = projectCacheDir(); // the project's: an installed futamura's own folder is inside node_modules
  const entries = cacheEntries(dir);
  const bytes = entries.reduce((s, e) => s + e.bytes, 0);
  if (action === undefined || action === "size") {
    process.stdout.write(
      `${dir}: ${entries.length} entries, ${mb(bytes)} (cap ${mb(cacheCapBytes())}, set by FUTAMURA_CACHE_MAX_MB; least recently used entries go first)\n`,
    );
    return 0;
  }
  if (action === "clear") {
    for (const e of entries) rmSync(e.path, { force: true });
    process.stdout.write(`${dir}: removed ${entries.length} entries, ${mb(bytes)}\n`);
    return 0;
  }
  throw new UserError(`futamura cache: error: unknown action '${action}' (size or clear)`);
}
