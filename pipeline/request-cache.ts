// The per-request cache: each request's specialization (its cleaned function, statistics and the questions it
// asked about the other requests: specializer/recorded-memory.ts) kept in the build cache's directory, keyed by the
// interpreter (its module hash, the init export and training), futamura's version, the limits and the request
// itself (its generic function, user id and argument records with their constant buffers' bytes). So editing one
// Fern function re-specializes that one request: the others are taken from here, each only if its recorded
// questions get the same answers in the new build. The entries are files of the build cache (cache.ts), under its
// one size cap and least-recently-used eviction.
import { deserialize, serialize } from "node:v8";
import type { Limits } from "../specializer/weval/specialize.ts";
import type { WevalRequest } from "../abi/weval.ts";
import type { RequestResult, RequestSource } from "../specializer/index.ts";
import { cacheKey, type SpecializationCache } from "./cache.ts";
import { revive } from "./parallel.ts";

/** The file name suffix of per-request entries (whole builds are `.wasm` and `.stats.json`). */
export const REQUEST_ENTRY = ".request";

export class RequestCache implements Pick<RequestSource, "cached" | "made"> {
  /** Requests taken from here, and entries written, in this build. */
  hits = 0;
  writes = 0;

  constructor(
    private readonly cache: SpecializationCache,
    /** The interpreter's and futamura's part of every key. */
    private readonly prefix: string,
    private readonly limits: Partial<Limits> | undefined,
  ) {}

  private key(req: WevalRequest): string {
    return (
      cacheKey(
        "request",
        this.prefix,
        JSON.stringify(this.limits ?? {}),
        `${req.func}:${req.userId}:${req.numGlobals}`,
        req.argBytes,
      ) + REQUEST_ENTRY
    );
  }

  cached(_index: number, req: WevalRequest): RequestResult | undefined {
    const bytes = this.cache.getFile(this.key(req));
    if (!bytes) return undefined;
    try {
      const r = revive(deserialize(bytes) as RequestResult);
      this.hits++;
      return r;
    } catch {
      return undefined; // a corrupt entry is a miss
    }
  }

  made(_index: number, req: WevalRequest, result: RequestResult): void {
    // Written now (the body is read, not changed, from here on; serializing it now is what makes sure), evicted
    // once per build (`done`): eviction lists the whole directory.
    this.cache.putFile(this.key(req), serialize(result), false);
    this.writes++;
  }

  /** Keep the directory under its cap after this build's writes. */
  done(): void {
    if (this.writes) this.cache.evict();
  }
}
