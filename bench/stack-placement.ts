// Where on the native stack a timed Wasm call runs: the same module's warm speed depends on the stack's address
// (wevaled mandelbrot.lua ran 4.1–4.3 ms or 5.1–5.4 ms of CPU by the JS stack depth it was called at, in one process,
// 2026-12-07), and Linux places each process's stack at random. A benchmark calls each timed run at a different
// depth, the same sequence for every variant, so that one process's runs meet several stack placements, not one.
// (The code's and the instance's addresses matter too; docs/lua-memory-ops.md, "The warm tier".)

/** How many JS frames deep the i-th timed run starts: spread evenly (golden-ratio steps) over 0..PLACEMENT_FRAMES-1.
 *  A frame of `atDepth` takes ~96 bytes on V8 11.3 (x64), so the span is ~12 KiB, three pages. */
export const PLACEMENT_FRAMES = 128;

export function placementDepth(i: number): number {
  return Math.floor(((i * 0.6180339887498949) % 1) * PLACEMENT_FRAMES);
}

/** f's result, called `depth` JS frames below the caller. */
export function atDepth<T>(depth: number, f: () => T): T {
  return depth <= 0 ? f() : atDepth(depth - 1, f); // V8 has no tail calls: every level stays on the stack
}
