// The reference evaluator: the toy machine's semantics in plain TypeScript, independent of the Wasm interpreter,
// so tests can check the interpreter (and everything built from it) against it. Values are u64 kept as two u32
// halves in plain numbers (BigInt per step would make sum-to-100M take minutes); BigInt appears only for output.
// A fuel limit stops programs that do not halt.
import { Op } from "./opcodes.ts";
import type { LoadedProgram } from "./validator.ts";
import { InternalError } from "../util/errors.ts";

export interface ReferenceResult {
  stdout: string;
  /** The accumulator at HALT, or undefined when fuel ran out. */
  halt: bigint | undefined;
  steps: number;
}

export class OutOfFuel extends Error {}

/** Run `p` for at most `fuel` instructions: a pre-decode into flat arrays, then the reference interpreter's dispatch
 *  loop. */
export function evaluate(p: LoadedProgram, fuel = Number.MAX_SAFE_INTEGER): ReferenceResult {
  const n = p.instructions.length;
  // Pre-decode into flat arrays indexed by instruction number.
  const ops = new Int32Array(n);
  const a = new Int32Array(n); // local index, jump target index, or string index
  const b = new Int32Array(n);
  const immHi = new Uint32Array(n);
  const immLo = new Uint32Array(n);
  p.instructions.forEach((ins, i) => {
    ops[i] = ins.op.code;
    if (ins.op.code === Op.LOAD_IMMEDIATE) {
      const v = ins.operands[0] as bigint;
      immHi[i] = Number(v >> 32n);
      immLo[i] = Number(v & 0xffffffffn);
    } else if (ins.op.code === Op.JMPNZ) a[i] = p.indexOfPc.get(ins.operands[0] as number)!;
    else if (ins.operands.length > 0) {
      a[i] = ins.operands[0] as number;
      b[i] = (ins.operands[1] as number) ?? 0;
    }
  });
  // Plain local constants: a switch over object properties (Op.X) keeps V8 from building a jump table.
  const LOAD_IMMEDIATE = Op.LOAD_IMMEDIATE,
    STORE_LOCAL = Op.STORE_LOCAL,
    LOAD_LOCAL = Op.LOAD_LOCAL,
    PRINT = Op.PRINT;
  const PRINTI = Op.PRINTI,
    JMPNZ = Op.JMPNZ,
    INC = Op.INC,
    DEC = Op.DEC,
    ADD = Op.ADD,
    HALT = Op.HALT;
  const hi = new Uint32Array(Math.max(p.localCount, 1));
  const lo = new Uint32Array(Math.max(p.localCount, 1));
  let accHi = 0;
  let accLo = 0;
  let out = "";
  let i = 0;
  let steps = 0;
  for (;;) {
    if (steps >= fuel) return { stdout: out, halt: undefined, steps };
    steps++;
    switch (ops[i]) {
      case LOAD_IMMEDIATE:
        accHi = immHi[i];
        accLo = immLo[i];
        break;
      case STORE_LOCAL:
        hi[a[i]] = accHi;
        lo[a[i]] = accLo;
        break;
      case LOAD_LOCAL:
        accHi = hi[a[i]];
        accLo = lo[a[i]];
        break;
      case PRINT:
        out += p.strings[a[i]];
        break;
      case PRINTI:
        out += ((BigInt(accHi) << 32n) | BigInt(accLo)).toString();
        break;
      case JMPNZ:
        if ((accHi | accLo) !== 0) {
          i = a[i];
          continue;
        }
        break;
      case INC:
        accLo = (accLo + 1) >>> 0;
        if (accLo === 0) accHi = (accHi + 1) >>> 0;
        break;
      case DEC:
        if (accLo === 0) accHi = (accHi - 1) >>> 0;
        accLo = (accLo - 1) >>> 0;
        break;
      case ADD: {
        const sumLo = lo[a[i]] + lo[b[i]];
        accHi = (hi[a[i]] + hi[b[i]] + (sumLo > 0xffffffff ? 1 : 0)) >>> 0;
        accLo = sumLo >>> 0;
        break;
      }
      case HALT:
        return { stdout: out, halt: (BigInt(accHi) << 32n) | BigInt(accLo), steps };
      default:
        throw new InternalError(`reference evaluator: opcode ${ops[i]} not handled`);
    }
    i++;
  }
}
