// The specialization cache: results keyed by (module hash, request bytes) so `futamura run --aot` and `build`
// specialize a program once. One file per key under the cache directory (util/root.ts's projectCacheDir: default
// .futamura-cache/ in the project, or $FUTAMURA_CACHE_DIR); writes are atomic, and a corrupt or unreadable entry is a miss.
// The directory has a size cap ($FUTAMURA_CACHE_MAX_MB, default DEFAULT_CACHE_MAX_MB): a hit marks its file used
// (its mtime), and a write evicts the least recently used files until the directory fits. Eviction and
// `futamura cache` treat every regular file in the directory alike, so other kinds of entry share the cap.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../util/errors.ts";
import { writeFileAtomic } from "../util/files.ts";

export const DEFAULT_CACHE_MAX_MB = 256;

/** The cap in bytes: $FUTAMURA_CACHE_MAX_MB (a number of MiB; a bad value is a UserError), else the default. */
export function cacheCapBytes(): number {
  const v = process.env.FUTAMURA_CACHE_MAX_MB;
  if (v === undefined || v === "") return DEFAULT_CACHE_MAX_MB * 1024 * 1024;
  const mb = Number(v);
  if (!Number.isFinite(mb) || mb < 0)
    throw new UserError(`FUTAMURA_CACHE_MAX_MB: error: expected a number of MiB, got '${v}'`);
  return Math.floor(mb * 1024 * 1024);
}

export function cacheKey(...parts: (Uint8Array | string)[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(String(typeof p === "string" ? p.length : p.byteLength))
      .update(":")
      .update(p);
  }
  return h.digest("hex");
}

export interface CacheEntry {
  path: string;
  bytes: number;
  usedMs: number;
}

/** Every entry of a cache directory (regular files but writes in progress; a missing directory has none), oldest use
 *  first. */
export function cacheEntries(dir: string): CacheEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const entries: CacheEntry[] = [];
  for (const name of names) {
    if (name.startsWith(".")) continue; // a write in progress (util/files.ts's temporary file)
    try {
      const st = statSync(join(dir, name));
      if (st.isFile()) entries.push({ path: join(dir, name), bytes: st.size, usedMs: st.mtimeMs });
    } catch {
      // removed meanwhile (another process evicting): not an entry
    }
  }
  return entries.sort((a, b) => a.usedMs - b.usedMs);
}

/** Removes least recently used entries until the directory holds at most `capBytes`; returns how many went. */
export function evictToCap(dir: string, capBytes: number): { removed: number; freedBytes: number } {
  const entries = cacheEntries(dir);
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  let removed = 0;
  let freedBytes = 0;
  for (const e of entries) {
    if (total <= capBytes) break;
    rmSync(e.path, { force: true });
    total -= e.bytes;
    freedBytes += e.bytes;
    removed++;
  }
  return { removed, freedBytes };
}

export class SpecializationCache {
  /** Why the cache could not be written, the first time it could not (one line, for the command to print). */
  unwritable: string | undefined;
  constructor(
    readonly dir: string | undefined,
    readonly capBytes: number = cacheCapBytes(),
  ) {}

  get(key: string): Uint8Array | undefined {
    const bytes = this.getFile(`${key}.wasm`);
    return bytes && WebAssembly.validate(bytes as BufferSource) ? bytes : undefined;
  }

  put(key: string, wasm: Uint8Array): void {
    this.putFile(`${key}.wasm`, wasm);
  }

  /** The entry file `name`'s bytes, marked used; undefined when absent or unreadable. */
  getFile(name: string): Uint8Array | undefined {
    if (!this.dir) return undefined;
    const path = join(this.dir, name);
    if (!existsSync(path)) return undefined;
    try {
      const bytes = new Uint8Array(readFileSync(path));
      const now = new Date();
      utimesSync(path, now, now); // used: last to be evicted
      return bytes;
    } catch {
      return undefined;
    }
  }

  /** Writes the entry file `name`, then (unless `evict` is false: the caller calls `evict` after several) evicts. A
   *  cache that cannot be written (a read-only or another user's folder) is no cache: the first failure is kept in
   *  `unwritable` for the command to say, and nothing more is written. */
  putFile(name: string, bytes: Uint8Array | string, evict = true): void {
    if (!this.dir || this.unwritable) return;
    try {
      writeFileAtomic(join(this.dir, name), bytes);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      this.unwritable = `${this.dir}: warning: cannot write the specialization cache (${/\(([^)]*)\)$/.exec(e.message)?.[1] ?? e.message}); nothing is cached (FUTAMURA_CACHE_DIR names another folder)`;
      return;
    }
    if (evict) this.evict();
  }

  /** Least recently used entries out until the directory fits the cap. */
  evict(): void {
    if (!this.dir || this.unwritable) return;
    try {
      evictToCap(this.dir, this.capBytes);
    } catch {
      // an entry that cannot be removed stays: eviction is best effort, as the cache is
    }
  }
}
