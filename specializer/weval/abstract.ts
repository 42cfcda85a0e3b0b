// Abstract values of the weval transform: what the specializer knows about a value in one context.
//   Const      — a known constant (folded; materialized as a `const` where something needs it), with `mem` when
//                it points into memory the interpreter declared constant (weval's const_memory tags, from
//                weval.assume.const.memory: 1; with .transitive, so that pointers loaded through it are too: 2);
//   BufferPtr  — a pointer into a constant buffer argument plus an offset: the pointer itself is only known at
//                run time, but loads through it read the request's constant bytes (weval's symbolic pointer);
//   Runtime    — unknown, with the cause remembered (weval's Runtime(cause)) for --stats and error messages.
// Meet (at block entries): equal values stay (a constant keeps the weaker of two `mem` tags, as weval intersects
// tags), anything else becomes Runtime. Abstract values are immutable, so
// the specializer shares them freely.
import { constEquals, formatConst, type Const } from "../ssa/types.ts";

export type AbsVal =
  | { kind: "const"; value: Const; mem?: ConstMemory }
  | { kind: "bufptr"; buffer: number; offset: number }
  | { kind: "runtime"; cause: string };

/** A constant pointer's const-memory tag: 1, loads through it read the snapshot; 2, and so do the pointers loaded. */
export type ConstMemory = 1 | 2;

export const runtime = (cause: string): AbsVal => ({ kind: "runtime", cause });

export function absEquals(a: AbsVal, b: AbsVal): boolean {
  if (a.kind === "const" && b.kind === "const") return constEquals(a.value, b.value) && a.mem === b.mem;
  if (a.kind === "bufptr" && b.kind === "bufptr") return a.buffer === b.buffer && a.offset === b.offset;
  return a.kind === "runtime" && b.kind === "runtime";
}

/** The meet of two values at a block entry; `where` names the block (called only when a new cause is made). */
export function meet(a: AbsVal, b: AbsVal, where: () => string): AbsVal {
  if (absEquals(a, b)) return a;
  if (a.kind === "const" && b.kind === "const" && constEquals(a.value, b.value)) {
    const mem = a.mem && b.mem ? (Math.min(a.mem, b.mem) as ConstMemory) : undefined;
    return mem === a.mem ? a : mem === b.mem ? b : { kind: "const", value: a.value, mem };
  }
  if (a.kind === "runtime") return a;
  if (b.kind === "runtime") return b;
  return runtime(`different values meet at ${where()}`);
}

export function formatAbs(a: AbsVal): string {
  switch (a.kind) {
    case "const":
      return `const ${formatConst(a.value)}${a.mem ? (a.mem === 2 ? " (const memory, transitive)" : " (const memory)") : ""}`;
    case "bufptr":
      return `&buffer${a.buffer}[${a.offset}]`;
    case "runtime":
      return `runtime (${a.cause})`;
  }
}
