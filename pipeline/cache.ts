// The specialization cache: results keyed by (module hash, request bytes) so `futamura run --aot` and `build`
// specialize a program once. One file per key under the cache directory (default .futamura-cache/ at the
// repository root, or $FUTAMURA_CACHE_DIR); writes are atomic, and a corrupt or unreadable entry is a miss.
// Relies on node:crypto and util/files.ts.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../util/files.ts";

export function defaultCacheDir(root: string): string {
  return process.env.FUTAMURA_CACHE_DIR ?? join(root, ".futamura-cache");
}

export function cacheKey(...parts: (Uint8Array | string)[]): string {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(String(typeof p === "string" ? p.length : p.byteLength)).update(":").update(p);
  }
  return h.digest("hex");
}

export class SpecializationCache {
  constructor(readonly dir: string | undefined) {}

  get(key: string): Uint8Array | undefined {
    if (!this.dir) return undefined;
    const path = join(this.dir, `${key}.wasm`);
    if (!existsSync(path)) return undefined;
    try {
      const bytes = new Uint8Array(readFileSync(path));
      return WebAssembly.validate(bytes as BufferSource) ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  put(key: string, wasm: Uint8Array): void {
    if (!this.dir) return;
    writeFileAtomic(join(this.dir, `${key}.wasm`), wasm);
  }
}
