// `npm run bench` (for now): sum-to-100M on the generic interpreter, first call (Liftoff) and warm (TurboFan),
// beside the hand-written Wasm loop in the same process. Each cold run compiles the module afresh; the first
// call of a fresh module is the cold number, later calls of the same instance are warm. Reports min/median/max.
// The full harness (wevaled variant, jco, charts) is issue 6. Relies on interp/ and bench/limit.ts.
import { loadProgramFile } from "../bytecode/index.ts";
import { buildInterpreter, ROOT } from "../interp/build.ts";
import { BufferedOutput, runModule, ToyHost, instantiate } from "../interp/host.ts";
import { limitModule } from "./limit.ts";
import { join } from "node:path";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}
const fmt = (x: number) => x.toFixed(1).padStart(8);

async function main(): Promise<void> {
  const program = loadProgramFile(join(ROOT, "bytecode", "programs", "sum.asm"));
  const interpBytes = (await buildInterpreter("toy")).wasm;
  const interp = await WebAssembly.compile(interpBytes as BufferSource);
  const limitBytes = await limitModule();
  const limit = await WebAssembly.compile(limitBytes as BufferSource);

  // Interpreter: cold = first run() of a new instance; warm = later run()s of one instance.
  const host = new ToyHost(program.bytes, new BufferedOutput());
  const cold: number[] = [];
  for (let i = 0; i < 1; i++) {
    // One run only: V8 shares compiled code between modules with the same bytes, so a second "fresh" compile
    // in this process would already be tiered up.
    const out = new BufferedOutput();
    const t = performance.now();
    const halt = await runModule(interpBytes, program.bytes, out); // bytes: a fresh compile, so Liftoff code
    cold.push(performance.now() - t);
    if (halt !== program.expect.halt) throw new Error(`interpreter gave ${halt}`);
  }
  const inst = await instantiate(interp, host);
  (inst.exports["wizer.initialize"] as () => void)();
  const run = inst.exports.run as () => bigint;
  for (let i = 0; i < 3; i++) run(); // tier up
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    run();
    warm.push(performance.now() - t);
  }
  const lInst = await WebAssembly.instantiate(limit);
  const sum = lInst.exports.sum as (n: bigint) => bigint;
  const lcold: number[] = [];
  for (let i = 0; i < 1; i++) {
    const fresh = (await WebAssembly.instantiate(limitBytes as BufferSource)).instance.exports.sum as (n: bigint) => bigint;
    const t = performance.now();
    fresh(100_000_000n);
    lcold.push(performance.now() - t);
  }
  for (let i = 0; i < 3; i++) sum(100_000_000n);
  const lwarm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    if (sum(100_000_000n) !== 5000000050000000n) throw new Error("limit gave a wrong sum");
    lwarm.push(performance.now() - t);
  }
  console.log(`sum-to-100M, ${RUNS} runs each, node ${process.version} (V8 ${process.versions.v8})`);
  console.log("variant       tier                 min    median       max  (ms)");
  for (const [name, tier, ms] of [
    ["interpreted", "first call (Liftoff)", cold],
    ["interpreted", "warm (TurboFan)", warm],
    ["limit", "first call (Liftoff)", lcold],
    ["limit", "warm (TurboFan)", lwarm],
  ] as const) {
    const s = stats(ms);
    console.log(`${name.padEnd(13)} ${tier.padEnd(20)} ${fmt(s.min)} ${fmt(s.median)} ${fmt(s.max)}`);
  }
  console.log(`warm interpreted / limit: ${(stats(warm).median / stats(lwarm).median).toFixed(1)}x`);
}

await main();
