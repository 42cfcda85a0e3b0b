// Inlining small specialized callees into the specialized functions that call them directly (the direct calls
// weval/linked-requests.ts makes). We choose the callees, binaryen does the inlining: a callee is inlined when it is
// a leaf — it makes no direct call to a specialized function itself, so no recursion and no chain of inlinings can
// grow the code — and small (at most INLINE_MAX_VALUES IR values after cleanup), and while its callers stay within
// SMALL_MAX_VALUES (optimize.ts), so compile time stays linear. Every other function of the module
// is marked no-inline first, so binaryen's inlining pass touches nothing else; it runs on the functions as the
// backend emitted them, before each is optimized once (index.ts), so inlining costs no second optimization.
// Measured on 2026-12-01 (calls.fern, one process, warm TurboFan): a million calls of a 3-argument function 3.7 ms with
// a direct call, ~1.2 ms with it inlined, where binaryen then forwards the frame stores and the result globals. Relies
// on util/binaryen.ts and ssa/ir.ts.
import type { Binaryen, BinaryenModule } from "../util/binaryen.ts";
import { callSites } from "./call-sites.ts";
import { SMALL_MAX_VALUES } from "./optimize.ts";
import type { FunctionBody } from "./ssa/ir.ts";

/** The largest callee (IR values after cleanup, as optimize.ts counts them) inlined into its callers. */
export const INLINE_MAX_VALUES = 200;

/** The specialized functions (by index in `bodies`, which are the output's functions from `firstFunction` on, in
 *  order) to inline into their callers: leaves of at most `maxValues` values that some specialized function calls,
 *  taken in order while every caller stays within `callerMaxValues` counting each inlined call site at the callee's
 *  size — so a caller stays within SMALL_MAX_VALUES (optimize.ts), whose layout and passes take bounded time, however many
 *  small functions it calls (a Fern main calling 1,000 of them inlines the first few). */
export function leavesToInline(
  bodies: (FunctionBody | undefined)[],
  sizes: number[],
  firstFunction: number,
  maxValues = INLINE_MAX_VALUES,
  callerMaxValues = SMALL_MAX_VALUES,
): Set<number> {
  const calls = bodies.map((f) => (f ? directCallSites(f, firstFunction) : new Map<number, number>()));
  const projected = [...sizes];
  const out = new Set<number>();
  bodies.forEach((f, i) => {
    if (!f || calls[i].size > 0 || sizes[i] > maxValues) return;
    const callers = calls.map((c, k) => [k, c.get(i) ?? 0]).filter(([, n]) => n > 0);
    if (callers.length === 0 || callers.some(([k, n]) => projected[k] + n * sizes[i] > callerMaxValues)) return;
    for (const [k, n] of callers) projected[k] += n * sizes[i];
    out.add(i);
  });
  return out;
}

/** Per specialized function `f` calls directly (its index relative to `firstFunction`): how many call sites. */
export function directCallSites(f: FunctionBody, firstFunction: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [index, sites] of callSites(f).calls) if (index >= firstFunction) out.set(index - firstFunction, sites);
  return out;
}

/** Inline every call of the functions named `inline` (and of no other function) in `mod`. */
export function inlineFunctions(b: Binaryen, mod: BinaryenModule, allNames: string[], inline: Set<string>): void {
  if (inline.size === 0) return;
  const opts = b as unknown as {
    setPassArgument(k: string, v: string | null): void;
    getAlwaysInlineMaxSize(): number;
    setAlwaysInlineMaxSize(n: number): void;
  };
  for (const name of allNames) {
    if (inline.has(name)) continue;
    opts.setPassArgument("no-inline", name);
    mod.runPasses(["no-inline"]);
  }
  opts.setPassArgument("no-inline", null);
  // Our choice is made: binaryen's size limit must not veto it (it is a process-wide option: restored after).
  const before = opts.getAlwaysInlineMaxSize();
  opts.setAlwaysInlineMaxSize(1 << 30);
  try {
    mod.runPasses(["inlining"]);
  } finally {
    opts.setAlwaysInlineMaxSize(before);
  }
}
