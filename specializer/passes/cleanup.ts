// The cleanup pipeline run on every specialized function before the backend (weval does the same before its
// lowering): dead blocks, copy propagation, loop peeling where it helps the next, store-to-load forwarding (with the folds it enables), redundant parameters, float parameters (i64 parameters that only ever
// carry float bits become f64), dead values, a shadow-stack frame nothing uses, then jump threading and block merging, then parameters and values
// again (merging exposes more). Each pass is one file in this folder and one stage of the runner
// (../ssa/stage-runner.ts), which times it, verifies the IR after it (with `verify`, naming the pass that broke it)
// and dumps it under --dump-stages; adding a pass is one line below. Each pass is linear in the function's size
// (redundant-parameter removal re-checks only the blocks a replaced parameter was passed to), and the middle three
// run twice. The passes share one block order (reverse postorder, computed once): only the ones that change
// terminators — store forwarding's branch folding, block merging — leave a new one, which the rest then walk.
import type { BlockId, FunctionBody } from "../ssa/ir.ts";
import { StageRunner } from "../ssa/stage-runner.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";
import { removeDeadValues } from "./dead-values.ts";
import { IncomingEdges } from "./edges.ts";
import { floatParams } from "./float-params.ts";
import { mergeBlocks } from "./merge-blocks.ts";
import { removeRedundantParams } from "./redundant-params.ts";
import { removeUnusedFrame } from "./unused-frame.ts";
import { forwardStores, type CallWrites } from "./store-forwarding.ts";
import { removeRedundantStores } from "./redundant-stores.ts";
import { peelLoops } from "./peel-loops.ts";

export interface CleanupStats {
  deadBlocks: number;
  copies: number;
  redundantParams: number;
  /** Parameters made f64 and reinterpret pairs removed (float-params.ts). */
  floatParams: number;
  deadValues: number;
  /** Loads replaced by the value stored (or loaded) there before (store-forwarding.ts). */
  forwarded: number;
  /** Stores of the constant their bytes already hold, removed (redundant-stores.ts). */
  redundantStores: number;
  threaded: number;
  merged: number;
  /** Reachable blocks left. */
  blocks: number;
  ms: number;
}

/** The largest function (values before cleanup) store forwarding runs on (measured 2026-12-06, see below). */
export const FORWARD_MAX_VALUES = 20_000;

/** Clean `f` up in place; its passes run as stages of `stages` (a runner of their own, verifying with `verify`,
 *  when not given). */
export function cleanupFunction(
  f: FunctionBody,
  opts: { verify?: boolean; stages?: StageRunner; callWrites?: CallWrites } = {},
): CleanupStats {
  const t = performance.now();
  const stats: CleanupStats = {
    deadBlocks: 0,
    copies: 0,
    redundantParams: 0,
    floatParams: 0,
    deadValues: 0,
    forwarded: 0,
    redundantStores: 0,
    threaded: 0,
    merged: 0,
    blocks: 0,
    ms: 0,
  };
  const stages = opts.stages ?? new StageRunner({ verify: opts.verify });
  let order = f.reversePostorder();
  const run = <T>(pass: string, apply: (f: FunctionBody, order: BlockId[]) => T): T =>
    stages.run(pass, f, () => apply(f, order));
  stats.deadBlocks += run("dead-blocks", removeDeadBlocks);
  stats.copies += run("copy-propagation", propagateCopies);
  // Store forwarding only below FORWARD_MAX_VALUES: it pays on an interpreter's hot functions (fern-memory's
  // mandelbrot 2.31x -> 3.26x over interpreted) and costs ~0.1 ms per value, with its per-block maps the largest
  // memory of a build on generated functions of 100k values (fern-one-function-1k: peak 375 -> 950 MB).
  if (f.values.length <= FORWARD_MAX_VALUES) {
    // First iterations peeled where that lets forwarding keep declared loads out of a loop (./peel-loops.ts); the
    // loop's stores of the type tags it just checked then go after forwarding's first round (which makes the
    // pointers to one array one root), or they would forget the peeled slots of another root at those offsets
    // (the same array's, for all forwarding knows).
    const peeled = run("peel-loops", peelLoops) > 0;
    const between = (f: FunctionBody, order: BlockId[]) =>
      (stats.redundantStores += removeRedundantStores(f, order, opts.callWrites));
    stats.forwarded += run("store-forwarding", (f) => forwardStores(f, opts.callWrites, peeled ? between : undefined));
    order = f.reversePostorder(); // it folds branches on constants
    stats.redundantStores += run("redundant-stores", (f, order) => removeRedundantStores(f, order, opts.callWrites));
  }
  for (let round = 0; round < 2; round++) {
    // The edges into each block, shared by the passes up to merge-blocks: they change arguments, not terminators.
    const into = new IncomingEdges(f, order);
    stats.redundantParams += run("redundant-params", (f, order) => removeRedundantParams(f, order, into));
    if (round === 0) stats.floatParams += run("float-params", floatParams);
    stats.deadValues += run("dead-values", (f, order) => removeDeadValues(f, undefined, order, into));
    if (round === 0) run("unused-frame", removeUnusedFrame); // round 1's dead values take its arithmetic
    const m = run("merge-blocks", mergeBlocks);
    stats.threaded += m.threaded;
    stats.merged += m.merged;
    order = m.order;
  }
  stats.blocks = order.length;
  stats.ms = performance.now() - t;
  return stats;
}
