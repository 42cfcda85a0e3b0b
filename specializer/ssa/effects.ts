// What an operator may do, so passes know what they may fold, move or delete: pure operators can go when unused;
// anything that traps, touches memory or globals, or calls must stay, in order.
import type { Operator } from "./ir.ts";
import { OPS_BY_NAME } from "./wasm-ops.ts";
import { InternalError } from "../../util/errors.ts";

export interface Effects {
  /** No effect and no trap: deletable when unused, foldable when the inputs are constant. */
  pure: boolean;
  traps: boolean;
  readsMemory: boolean;
  writesMemory: boolean;
  readsGlobal: boolean;
  writesGlobal: boolean;
  calls: boolean;
}

const NONE: Effects = {
  pure: true,
  traps: false,
  readsMemory: false,
  writesMemory: false,
  readsGlobal: false,
  writesGlobal: false,
  calls: false,
};

/** Each operator name's effects, computed once (passes ask per instruction, several times per function). */
const BY_NAME = new Map<string, Readonly<Effects>>();

export function effectsOf(op: Operator): Readonly<Effects> {
  let e = BY_NAME.get(op.name);
  if (!e) BY_NAME.set(op.name, (e = Object.freeze(effectsOfName(op.name))));
  return e;
}

function effectsOfName(name: string): Effects {
  const info = OPS_BY_NAME.get(name);
  if (info) {
    const traps = !!info.traps;
    if (info.cls === "load") return { ...NONE, pure: false, traps, readsMemory: true };
    if (info.cls === "store") return { ...NONE, pure: false, traps, writesMemory: true };
    return { ...NONE, pure: !traps, traps };
  }
  switch (name) {
    case "const":
    case "select":
      return NONE;
    case "global.get":
      return { ...NONE, pure: false, readsGlobal: true };
    case "global.set":
      return { ...NONE, pure: false, writesGlobal: true };
    case "memory.size":
      return { ...NONE, pure: false, readsMemory: true };
    case "memory.grow":
    case "memory.copy":
    case "memory.fill":
    case "memory.init":
      return { ...NONE, pure: false, traps: name !== "memory.grow", readsMemory: true, writesMemory: true };
    case "data.drop":
      return { ...NONE, pure: false, writesMemory: true };
    case "call":
    case "call_indirect":
      return {
        pure: false,
        traps: true,
        readsMemory: true,
        writesMemory: true,
        readsGlobal: true,
        writesGlobal: true,
        calls: true,
      };
    default:
      throw new InternalError(`effectsOf: unknown operator '${name}'`);
  }
}
