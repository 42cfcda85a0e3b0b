// What an operator may do besides computing its results, derived from the opcode table's effect class. Passes ask
// this before moving, merging or deleting an instruction: only `isPure` ops may be deleted when unused or folded
// across other instructions; `mayTrap` ops may be deleted only if their trap is proven impossible.
// Relies on opcodes.ts and ir.ts.
import type { Operator } from "./ir.ts";
import { opInfo } from "./opcodes.ts";

export interface Effects {
  mayTrap: boolean;
  readsMemory: boolean;
  writesMemory: boolean;
  readsGlobal: boolean;
  writesGlobal: boolean;
  /** Calls another function: anything may happen (memory, globals, traps). */
  calls: boolean;
}

const NONE: Effects = { mayTrap: false, readsMemory: false, writesMemory: false, readsGlobal: false, writesGlobal: false, calls: false };

export class UnknownOperatorError extends Error {
  constructor(name: string) {
    super(`unknown IR operator '${name}'`);
    this.name = "UnknownOperatorError";
  }
}

export function effectsOf(op: Operator): Effects {
  const info = opInfo(op.name);
  if (!info) throw new UnknownOperatorError(op.name);
  switch (info.effect) {
    case "pure":
      return NONE;
    case "trap":
      return { ...NONE, mayTrap: true };
    case "load":
      return { ...NONE, mayTrap: true, readsMemory: true };
    case "store":
      return { ...NONE, mayTrap: true, writesMemory: true };
    case "global.get":
      return { ...NONE, readsGlobal: true };
    case "global.set":
      return { ...NONE, writesGlobal: true };
    case "memory.size":
      return { ...NONE, readsMemory: true };
    case "memory.grow":
      return { ...NONE, readsMemory: true, writesMemory: true };
    case "memory.bulk":
      return { ...NONE, mayTrap: true, readsMemory: true, writesMemory: true };
    case "data.drop":
      return { ...NONE, writesMemory: true };
    case "call":
      return { mayTrap: true, readsMemory: true, writesMemory: true, readsGlobal: true, writesGlobal: true, calls: true };
    case "control":
      throw new UnknownOperatorError(op.name);
  }
}

/** No effect and no trap: may be deleted when unused, duplicated, or evaluated at compile time. */
export function isPure(op: Operator): boolean {
  const e = effectsOf(op);
  return !e.mayTrap && !e.readsMemory && !e.writesMemory && !e.readsGlobal && !e.writesGlobal && !e.calls;
}
