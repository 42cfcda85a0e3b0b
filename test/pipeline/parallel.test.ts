// Requests specialized, and specialized functions optimized, on worker threads (pipeline/parallel.ts) and the
// per-request cache (pipeline/request-cache.ts): all give the serial, uncached build's bytes, byte for byte (Fern's
// many functions, Lua's Protos); editing one Fern
// function re-specializes that one request; a cached request whose folded slots moved is specialized again; the
// per-request entries share the build cache's cap.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fernManyFunctions } from "../../bench/compile-programs.ts";
import { buildLua } from "../../interp/lua-build.ts";
import { builtinManifest } from "../../interp/manifest.ts";
import { buildInterpreter } from "../../interp/build.ts";
import { buildProgram, loadProgram } from "../../pipeline/index.ts";
import { specializeSnapshot } from "../../pipeline/build.ts";
import { UserError } from "../../util/errors.ts";
import {
  requestSpecializer,
  specializeModule,
  type RequestResult,
  type SpecializeModuleResult,
} from "../../specializer/index.ts";
import { defaultThreads, optimizeWorkerCount, revive, threadsWanted, workerCount } from "../../pipeline/parallel.ts";
import type { WevalRequest } from "../../abi/weval.ts";
import { cacheEntries } from "../../pipeline/cache.ts";
import { REQUEST_ENTRY } from "../../pipeline/request-cache.ts";

const programs = mkdtempSync(join(tmpdir(), "futamura-par-"));

/** The program loaded from one path (its name is part of what Fern's loader gives the interpreter). */
async function fern(source: string) {
  writeFileSync(join(programs, "p.fern"), source);
  return loadProgram(builtinManifest("fern"), join(programs, "p.fern"));
}

/** The build's statistics without what varies from run to run (times) or says where a result came from. */
const stable = (r: { specialize?: SpecializeModuleResult }) =>
  r.specialize!.requests.map(({ ms: _ms, cached: _cached, stages: _stages, cleanup, ...s }) => ({
    ...s,
    cleanup: cleanup && { ...cleanup, ms: 0 },
  }));

/** One snapshot of Lua with features.lua loaded, made once for the tests that specialize it several ways (a Lua
 *  build is the expensive part of this file). */
let luaSnapshotMade: Promise<Uint8Array> | undefined;
function luaSnapshot(): Promise<Uint8Array> {
  luaSnapshotMade ??= (async () => {
    const program = await loadProgram(builtinManifest("lua"), join("interp", "lua", "programs", "features.lua"));
    const built = await buildProgram(buildLua("lua").wasm, program, { cache: false, optimizeLevel: 0, threads: 1 });
    return built.snapshot;
  })();
  return luaSnapshotMade;
}

describe("requests in parallel", () => {
  it("Fern, 40 functions: two threads give the serial build's bytes and statistics", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const program = await fern(fernManyFunctions(40));
    const serial = await buildProgram(interp, program, { cache: false, threads: 1 });
    const parallel = await buildProgram(interp, program, { cache: false, threads: 2, parallelMinBytes: 0 });
    expect(serial.specialize!.workers).toBeUndefined();
    expect(parallel.specialize!.workers).toBe(1);
    expect(Buffer.from(parallel.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
    expect(stable(parallel)).toEqual(stable(serial));
    expect(parallel.specialize!.notFolded).toEqual(serial.specialize!.notFolded);
  }, 300_000);

  it("Fern, 40 functions: binaryen on two threads gives one thread's bytes", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const program = await fern(fernManyFunctions(40));
    // Groups of ~2,000 IR values (a few functions each), so that the worker takes some.
    const opts = { cache: false as const, groupValues: 2_000 };
    const serial = await buildProgram(interp, program, { ...opts, threads: 1 });
    const parallel = await buildProgram(interp, program, { ...opts, threads: 2, parallelMinValues: 0 });
    expect(serial.specialize!.optimizeWorkers).toBeUndefined();
    expect(parallel.specialize!.optimizeWorkers).toBe(1);
    expect(Buffer.from(parallel.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
    expect(optimizeWorkerCount(10, 50_000, 4)).toBe(0);
    expect(optimizeWorkerCount(10, 500_000, 4)).toBe(3);
    expect(optimizeWorkerCount(10, 500_000, 1)).toBe(0);
  }, 300_000);

  it("a small build stays on one thread", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const r = await buildProgram(interp, await fern(fernManyFunctions(40)), { cache: false, threads: 4 });
    expect(r.specialize!.workers).toBeUndefined();
    const requests = (n: number, bytes: number) =>
      Array.from({ length: n }, () => ({ argBytes: new Uint8Array(bytes) }) as WevalRequest);
    expect(workerCount(requests(300, 300), 4)).toBe(3);
    expect(workerCount(requests(300, 100), 4)).toBe(0);
    expect(workerCount(requests(300, 300), 1)).toBe(0);
    expect(threadsWanted(3)).toBe(3);
    expect(threadsWanted()).toBe(1); // vitest.config.ts: FUTAMURA_THREADS=1
  }, 120_000);

  it("Lua (one request per Proto): two threads give the serial build's bytes", async () => {
    // Lua seeds its string hashes at start-up, so each snapshot differs: both specialize one.
    const snapshot = await luaSnapshot();
    const serial = { specialize: await specializeSnapshot(snapshot, { optimizeLevel: 1, threads: 1 }) };
    const parallel = {
      specialize: await specializeSnapshot(snapshot, { optimizeLevel: 1, threads: 2, parallelMinBytes: 0 }),
    };
    expect(serial.specialize!.requests.length).toBeGreaterThan(10);
    expect(parallel.specialize!.workers).toBe(1);
    expect(Buffer.from(parallel.specialize.wasm).equals(Buffer.from(serial.specialize.wasm))).toBe(true);
    expect(stable(parallel)).toEqual(stable(serial));
  }, 300_000);

  it("Lua: whichever requests another thread takes, in whatever order, the serial bytes", async () => {
    // The real threads' split depends on timing; here it is chosen: another specializer (a worker's, with what it
    // keeps from request to request: generic functions, memoryWriters' answers) takes every other request, last
    // first, and this thread the rest, so an answer that depended on a thread's earlier requests shows every time.
    const snapshot = await luaSnapshot();
    const opts = { optimizeLevel: 0 }; // what the specializer emits, before binaryen (which is deterministic)
    const serial = await specializeModule(snapshot, opts);
    const other = requestSpecializer(snapshot, opts);
    const split = await specializeModule(snapshot, {
      ...opts,
      requestSource: {
        elsewhere(indices) {
          const there = indices.filter((i) => i % 2 === 0);
          const made = new Map([...there].reverse().map((i) => [i, revive(structuredClone(other.specialize(i)))]));
          const here = indices.filter((i) => i % 2 !== 0);
          return { workers: 1, next: () => here.shift(), results: Promise.resolve(indices.map((i) => made.get(i))) };
        },
      },
    });
    expect(split.requests.length).toBeGreaterThan(10);
    expect(Buffer.from(split.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
  }, 300_000);

  it("Lua: the pool started before the snapshot specializes and optimizes with --stats, the serial bytes and raw size", async () => {
    const interp = buildLua("lua").wasm;
    const program = await loadProgram(builtinManifest("lua"), join("interp", "lua", "programs", "features.lua"));
    // Groups of ~2,000 IR values, so that the worker takes some; 47 Protos, 7.9 KB: below the thresholds of a
    // pool started after the snapshot, so the workers counted are the prestarted pool's.
    const opts = { optimizeLevel: 1, groupValues: 2_000, reportRawSize: true };
    const parallel = await buildProgram(interp, program, { ...opts, cache: false, threads: 2 });
    expect(parallel.specialize!.workers).toBe(1);
    expect(parallel.specialize!.optimizeWorkers).toBe(1);
    const serial = await specializeSnapshot(parallel.snapshot, { ...opts, threads: 1 });
    expect(Buffer.from(parallel.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
    expect(stable(parallel)).toEqual(stable({ specialize: serial }));
    // The raw size is the one of a single group, whose members' calls of leaves are calls of members.
    const oneGroup = await specializeSnapshot(parallel.snapshot, { ...opts, groupValues: 1e9, threads: 1 });
    expect(parallel.specialize!.rawBytes).toBe(oneGroup.rawBytes);
    expect(Buffer.from(oneGroup.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
  }, 300_000);
});

describe("the per-request cache", () => {
  it("editing one Fern function re-specializes that request only, for the uncached build's bytes", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const cache = mkdtempSync(join(tmpdir(), "futamura-req-cache-"));
    const source = fernManyFunctions(12);
    const edited = source.replace("t = t + 4;", "t = t + 5;");
    expect(edited).not.toBe(source);
    const first = await buildProgram(interp, await fern(source), { cache, threads: 1 });
    expect(first.specialize!.requests.every((r) => !r.cached)).toBe(true);
    expect(cacheEntries(cache).filter((e) => e.path.endsWith(REQUEST_ENTRY))).toHaveLength(
      first.specialize!.requests.length,
    );
    const again = await buildProgram(interp, await fern(edited), { cache, threads: 1 });
    expect(again.cached).toBe(false); // the whole-build entry missed: the program changed
    const made = again.specialize!.requests.filter((r) => !r.cached);
    expect(made).toHaveLength(1);
    const fresh = await buildProgram(interp, await fern(edited), { cache: false, threads: 1 });
    expect(Buffer.from(again.wasm).equals(Buffer.from(fresh.wasm))).toBe(true);
    expect(stable(again)).toEqual(stable(fresh));
  }, 300_000);

  it("a program that grew a function builds the uncached build's bytes", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const cache = mkdtempSync(join(tmpdir(), "futamura-req-cache-"));
    const source = fernManyFunctions(6);
    const more = source.replace("let acc = 1;", "fn g(x, y) { return x - y; }\nlet acc = g(3, 2);");
    await buildProgram(interp, await fern(source), { cache, threads: 1 });
    const again = await buildProgram(interp, await fern(more), { cache, threads: 1 });
    const fresh = await buildProgram(interp, await fern(more), { cache: false, threads: 1 });
    expect(Buffer.from(again.wasm).equals(Buffer.from(fresh.wasm))).toBe(true);
  }, 300_000);

  it("a result whose recorded questions get other answers now is not taken", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const { snapshot } = await buildProgram(interp, await fern(fernManyFunctions(6)), {
      cache: false,
      optimizeLevel: 0,
      threads: 1,
    });
    const kept = new Map<number, RequestResult>();
    const serial = await specializeModule(snapshot, { requestSource: { made: (i, _req, r) => kept.set(i, r) } });
    // The request that asked about the others (main: its calls fold their slots) gets one answer changed.
    const [asker] = [...kept].find(([, r]) => r.queries.some((q) => q.answer !== undefined))!;
    const changed = structuredClone(kept.get(asker)!);
    const q = changed.queries.find((x) => x.answer !== undefined)!;
    if (q.q === "callee") q.answer = q.answer! + 1;
    else q.answer = { type: "i32", bits: 12345 };
    const cached = (i: number) => (i === asker ? changed : kept.get(i));
    const again = await specializeModule(snapshot, {
      requestSource: { cached: (i) => cached(i) && revive(structuredClone(cached(i)!)) },
    });
    expect(again.requests.map((r) => !!r.cached)).toEqual(
      kept.size ? [...kept.keys()].sort((a, b) => a - b).map((i) => i !== asker) : [],
    );
    expect(Buffer.from(again.wasm).equals(Buffer.from(serial.wasm))).toBe(true);
  }, 300_000);

  it("its entries count toward the cache's cap", async () => {
    const interp = (await buildInterpreter("fern")).wasm;
    const cache = mkdtempSync(join(tmpdir(), "futamura-req-cache-"));
    process.env.FUTAMURA_CACHE_MAX_MB = "0.05";
    try {
      await buildProgram(interp, await fern(fernManyFunctions(12)), { cache, threads: 1 });
    } finally {
      delete process.env.FUTAMURA_CACHE_MAX_MB;
    }
    expect(cacheEntries(cache).reduce((n, e) => n + e.bytes, 0)).toBeLessThanOrEqual(0.05 * 1024 * 1024);
  }, 300_000);
});

describe("FUTAMURA_THREADS", () => {
  it("takes a whole number of threads and says so in one line otherwise", () => {
    const before = process.env.FUTAMURA_THREADS;
    try {
      process.env.FUTAMURA_THREADS = "3";
      expect(threadsWanted()).toBe(3);
      expect(threadsWanted(2)).toBe(2);
      for (const bad of ["abc", "0", "1.5", "-2"]) {
        process.env.FUTAMURA_THREADS = bad;
        expect(() => threadsWanted()).toThrow(UserError);
      }
      process.env.FUTAMURA_THREADS = "";
      expect(threadsWanted()).toBeGreaterThanOrEqual(1);
      // Unset: one per idle core from three threads up; two cores build on one (a worker did not pay there).
      expect([defaultThreads(2, 0), defaultThreads(3, 0), defaultThreads(4, 0), defaultThreads(4, 2.5)]).toEqual([
        1, 3, 4, 1,
      ]);
      expect([defaultThreads(8, 3), defaultThreads(8, 12), defaultThreads(1, 0)]).toEqual([6, 1, 1]);
    } finally {
      if (before === undefined) delete process.env.FUTAMURA_THREADS;
      else process.env.FUTAMURA_THREADS = before;
    }
  });
});
