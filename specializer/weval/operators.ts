// Operator evaluation for the weval transform (weval's abstract_eval_*): what one generic operator becomes in a
// specialized block, given what is known of its operands — a constant (ssa/fold.ts, also when one constant operand
// decides it, as in `and x 0`), a constant-buffer pointer moved by constant arithmetic, a constant read through such
// a pointer or from another request's slot or buffer (linked-requests.ts), the chosen arm of a select, a direct call
// for a call_indirect through a known slot, or else the operator copied with a run-time result and its cause. Pure:
// specialize.ts emits what this decides.
import { absorb, absorbs, fold, i32Fold, readBits, readConst, type I32Fold } from "../ssa/fold.ts";
import type { Operator } from "../ssa/ir.ts";
import { i32, i64, type Const, type ValType } from "../ssa/types.ts";
import { IntMap } from "../../util/int-map.ts";
import { OPS_BY_NAME, type OpInfo } from "../ssa/wasm-ops.ts";
import { absEquals, formatAbs, runtime, type AbsVal } from "./abstract.ts";
import type { KnownMemory } from "./linked-requests.ts";
import type { Known } from "./state.ts";

/** What an operator becomes: a known value and no code (the Known itself: no object around it, as ~95% of the
 *  operators the worklist evaluates on toy fold), or code (`copy`) — the operator copied (or, with `call`, a direct
 *  call of that function with the call_indirect's arguments but its index) — whose result is `abs`, or a run-time
 *  value counted for --stats under the cause when `abs` is a string. */
export type OperatorResult = Known | Copy;

export interface Copy {
  copy: true;
  abs: AbsVal | string;
  call?: number;
}

/** Whether the operator is copied (else it folded to a known value). */
export const isCopy = (r: OperatorResult): r is Copy => "copy" in r;

const copy = (abs: AbsVal | string, call?: number): Copy =>
  call === undefined ? { copy: true, abs } : { copy: true, abs, call };

/** Known values of the integer constants 0 .. SMALL - 1 without a const-memory tag, made once each per type and
 *  process (filled up front: an array written at scattered indices turns into a dictionary, each lookup a hash). */
const SMALL = 1 << 16;
const smallI32 = new Array<Known | undefined>(SMALL).fill(undefined);
const smallI64 = new Array<Known | undefined>(SMALL).fill(undefined);

/** Known values made once each and shared — integer constants without a const-memory tag (the small ones process-wide,
 *  the others per request), constant-buffer pointers (per request): the folds, bytecode reads and address arithmetic
 *  that give them were most of toy's evaluated operators, each two or three new objects. Known and abstract values
 *  are immutable, so sharing them changes nothing. By value in arrays as long as the request's buffers (a bytecode
 *  program's pcs and offsets), past them in hash tables: arrays as long as the largest constant, made per request,
 *  cost Fern's 1,000 small requests more than they saved. */
export class KnownValues {
  /** Made when first needed: i32s by bits and pointers by offset (per buffer), below `dense`. */
  private denseI32s: (Known | undefined)[] | undefined;
  private readonly densePointers: ((Known | undefined)[] | undefined)[] = [];
  /** i32s from SMALL up, by bits; i64s from SMALL up (below 2^53), by value. */
  private readonly i32s = new IntMap<Known>();
  private readonly i64s = new IntMap<Known>();
  /** Buffer pointers past `dense` by offset * 64 + buffer (offsets from 0, buffers below 64). */
  private readonly pointers = new IntMap<Known>();
  /** The longest buffer's length plus one (capped). */
  private readonly dense: number;

  constructor(buffers: readonly Uint8Array[] = []) {
    let longest = 0;
    for (const b of buffers) longest = Math.max(longest, b.length);
    this.dense = Math.min(longest + 1, 1 << 22);
  }

  /** The known value of constant `value` (not const-memory tagged). */
  constant(value: Const): Known {
    if (value.type === "i32") return this.i32(value.bits, value);
    if (value.type === "i64" && value.bits < MAX_KEY) return this.i64(Number(value.bits), value);
    return { abs: { kind: "const", value } };
  }

  /** The known value of the i32 whose bits are `bits` (a u32), from `value` when the caller has the constant. */
  i32(bits: number, value?: Const): Known {
    if (bits >= 0 && bits < SMALL) return (smallI32[bits] ??= { abs: { kind: "const", value: value ?? i32(bits) } });
    if (!(bits >= 0)) return { abs: { kind: "const", value: value ?? i32(bits) } };
    if (bits < this.dense) {
      const cache = (this.denseI32s ??= new Array<Known | undefined>(this.dense).fill(undefined));
      return (cache[bits] ??= { abs: { kind: "const", value: value ?? i32(bits) } });
    }
    let k = this.i32s.get(bits);
    if (!k) this.i32s.set(bits, (k = { abs: { kind: "const", value: value ?? i32(bits) } }));
    return k;
  }

  /** The known value of the i64 `n` (a safe integer, sign-extended), from `value` when the caller has the constant. */
  i64(n: number, value?: Const): Known {
    if (n >= 0 && n < SMALL) return (smallI64[n] ??= { abs: { kind: "const", value: value ?? i64(BigInt(n)) } });
    if (!(n >= 0 && n < MAX_KEY)) return { abs: { kind: "const", value: value ?? i64(BigInt(n)) } };
    let k = this.i64s.get(n);
    if (!k) this.i64s.set(n, (k = { abs: { kind: "const", value: value ?? i64(BigInt(n)) } }));
    return k;
  }

  /** A constant-buffer pointer into `p`'s buffer at `offset`. */
  pointer(p: { buffer: number }, offset: number): Known {
    const { buffer } = p;
    if (!(offset >= 0 && offset < MAX_KEY / 64 && buffer < 64)) return { abs: { kind: "bufptr", buffer, offset } };
    if (offset < this.dense) {
      while (this.densePointers.length <= buffer) this.densePointers.push(undefined);
      const cache = (this.densePointers[buffer] ??= new Array<Known | undefined>(this.dense).fill(undefined));
      return (cache[offset] ??= { abs: { kind: "bufptr", buffer, offset } });
    }
    const key = offset * 64 + buffer;
    let k = this.pointers.get(key);
    if (!k) this.pointers.set(key, (k = { abs: { kind: "bufptr", buffer, offset } }));
    return k;
  }
}

/** IntMap keys are safe integers. */
const MAX_KEY = 2 ** 53;

/** What evaluating a generic operator looks up whatever its operands, decoded once per generic instruction
 *  (`planOperator`) instead of at each of its evaluations (a toy program evaluates each one ~25 times per bytecode
 *  instruction of its kind): its table row, a constant's known value, an i32 operator's folder. */
export interface OperatorPlan {
  readonly op: Operator;
  readonly info: OpInfo | undefined;
  /** A `const`'s known value. */
  readonly constant: Known | undefined;
  /** An i32 operator on i32 operands: its folder on bits. */
  readonly i32: I32Fold | undefined;
  /** Whether one constant operand may decide the result (fold.ts's `absorbs`). */
  readonly absorbs: boolean;
}

export function planOperator(op: Operator): OperatorPlan {
  return {
    op,
    info: OPS_BY_NAME.get(op.name),
    constant: op.name === "const" ? { abs: { kind: "const", value: op.value! } } : undefined,
    i32: i32Fold(op.name),
    absorbs: absorbs(op.name),
  };
}

/** Evaluate `op` on `args` (results of `types`); `buffers` are the request's constant buffers. */
export function evaluateOperator(
  op: Operator,
  args: Known[],
  types: ValType[],
  buffers: Uint8Array[],
  knownMemory?: KnownMemory,
): OperatorResult {
  return evaluatePlanned(planOperator(op), args, types, buffers, new KnownValues(buffers), knownMemory);
}

/** `evaluateOperator` with the operator decoded (`planOperator`). */
export function evaluatePlanned(
  plan: OperatorPlan,
  args: Known[],
  types: ValType[],
  buffers: Uint8Array[],
  known: KnownValues,
  knownMemory?: KnownMemory,
): OperatorResult {
  const { op, info } = plan;
  if (plan.constant) return plan.constant;
  if (info?.cls === "numeric") return (plan.i32 && foldI32(plan.i32, args, known)) || numeric(plan, args, known);
  if (info?.cls === "load") return load(op, args, types, info.bytes!, !!info.signed, buffers, known, knownMemory);
  if (op.name === "select") {
    const c = args[2];
    if (c.abs.kind === "const") return c.abs.value.bits !== 0 ? args[0] : args[1];
    if (absEquals(args[0].abs, args[1].abs)) return copy(args[0].abs);
    return copy(
      runtime(`a select on a run-time condition (${c.abs.kind === "runtime" ? c.abs.cause : formatAbs(c.abs)})`),
    );
  }
  if (op.name === "call_indirect") {
    // Through a constant index to a specialized function of this module (linked-requests.ts): a direct call.
    const index = args[args.length - 1].abs;
    const callee =
      index.kind === "const" ? knownMemory?.directCallee(op.table!, index.value.bits as number, op.index!) : undefined;
    if (callee !== undefined) return copy(types.length === 0 ? runtime("no result") : "result of a call", callee);
  }
  if (types.length === 0) return copy(NO_RESULT);
  if (op.name === "call" || op.name === "call_indirect") return copy("result of a call");
  if (op.name === "global.get") return copy("global.get");
  return copy(resultOf(op.name));
}

/** An i32 operator on untagged i32 constants, folded on numbers (as `fold` would, and `numeric` after it); undefined
 *  for the rest (numeric's cases: a run-time or pointer operand, a const-memory tag to keep, a trap). */
function foldI32(onI32: I32Fold, args: Known[], known: KnownValues): Known | undefined {
  const a = args[0].abs;
  if (a.kind !== "const" || a.mem || a.value.type !== "i32") return undefined;
  let b = 0;
  if (args.length > 1) {
    const bAbs = args[1].abs;
    if (bAbs.kind !== "const" || bAbs.mem || bAbs.value.type !== "i32") return undefined;
    b = bAbs.value.bits;
  }
  const r = onI32(a.value.bits, b);
  return r === undefined ? undefined : known.i32(r);
}

/** A run-time value carries its cause (abstract.ts), and one is made for every instruction copied: the cause
 *  `result of <operator>` is made once per operator, not as a new string per instruction (hashed again where the
 *  causes are counted). */
const RESULT_OF = new Map<string, string>();

function resultOf(name: string): string {
  let cause = RESULT_OF.get(name);
  if (cause === undefined) RESULT_OF.set(name, (cause = `result of ${name}`));
  return cause;
}

/** The abstract value of an operator without a result (immutable, so shared). */
const NO_RESULT = runtime("no result");

/** A numeric operator: folded on constants; constant arithmetic on a constant-buffer pointer keeps it one, with no
 *  IR value until a use needs one (most only feed loads that fold). */
function numeric(plan: OperatorPlan, args: Known[], known: KnownValues): OperatorResult {
  const { op } = plan;
  let allConst = true;
  for (let i = 0; allConst && i < args.length; i++) allConst = args[i].abs.kind === "const";
  if (allConst) {
    const values = (CONST_OPERANDS[args.length] ??= new Array<Const>(args.length)); // read only by fold
    for (let i = 0; i < args.length; i++) values[i] = (args[i].abs as { value: Const }).value;
    const r = fold(op.name, values);
    if (r) return withMem(r, op, args, known);
    return copy(`${op.name} of constants that does not fold (trap or NaN)`);
  }
  const [a, b] = args;
  // One constant operand that decides the result whatever the other (`and x 0`: an interpreter's `tag == INT &&
  // other == INT` on one known tag, which binaryen made an i32.and of the two tests): known, and a branch on it too.
  if (b !== undefined && plan.absorbs && (a.abs.kind === "const" || b.abs.kind === "const")) {
    const k = a.abs.kind === "const" ? 0 : 1;
    const r = absorb(op.name, k, (args[k].abs as { value: Const }).value);
    if (r) return known.constant(r);
  }
  if (op.name === "i32.add" && a.abs.kind === "bufptr" && b.abs.kind === "const")
    return known.pointer(a.abs, a.abs.offset + (Number(b.abs.value.bits) | 0));
  if (op.name === "i32.add" && b.abs.kind === "bufptr" && a.abs.kind === "const")
    return known.pointer(b.abs, b.abs.offset + (Number(a.abs.value.bits) | 0));
  if (op.name === "i32.sub" && a.abs.kind === "bufptr" && b.abs.kind === "const")
    return known.pointer(a.abs, a.abs.offset - (Number(b.abs.value.bits) | 0));
  return copy(args.find((x) => x.abs.kind === "runtime")?.abs ?? `${op.name} of a buffer pointer`);
}

/** Arrays of constant operands for `fold`, one per length, reused. */
const CONST_OPERANDS: Const[][] = [];

const POINTER_ARITHMETIC = new Set(["i32.add", "i32.sub", "i64.add", "i64.sub"]);

/** A constant result of pointer arithmetic (add, sub) on a const-memory pointer stays one, with the strongest tag
 *  of its operands. weval keeps only the plain tag there (the transitive one needs both operands to have it), so
 *  pointer arithmetic inside a transitive structure stops folding in weval; here it does not. */
function withMem(value: Const, op: Operator, args: Known[], known: KnownValues): Known {
  if (!POINTER_ARITHMETIC.has(op.name)) return known.constant(value);
  let mem = 0;
  for (const a of args) if (a.abs.kind === "const" && a.abs.mem) mem = Math.max(mem, a.abs.mem);
  return mem ? { abs: { kind: "const", value, mem: mem as 1 | 2 } } : known.constant(value);
}

/** A load: through a constant-buffer pointer it reads the request's bytes; at a constant address, what the other
 *  requests make constant (linked-requests.ts). */
function load(
  op: Operator,
  args: Known[],
  types: ValType[],
  bytes: number,
  signed: boolean,
  buffers: Uint8Array[],
  known: KnownValues,
  knownMemory?: KnownMemory,
): OperatorResult {
  const addr = args[0].abs;
  if (addr.kind === "bufptr") {
    const buf = buffers[addr.buffer];
    const at = addr.offset + op.memarg!.offset;
    if (at >= 0 && at + bytes <= buf.length) {
      const type = types[0];
      // Integers of up to 4 bytes as numbers, made constants only when not small (readConst's values).
      if (bytes <= 4 && type === "i32") return known.i32(readBits(buf, at, bytes, signed) >>> 0);
      if (bytes <= 4 && type === "i64") return known.i64(readBits(buf, at, bytes, signed));
      return known.constant(readConst(buf, at, bytes, signed, type));
    }
    return copy(`${op.name} outside its constant buffer`);
  }
  if (addr.kind === "const") {
    const at = (addr.value.bits as number) + op.memarg!.offset;
    const folded = knownMemory?.load(at, bytes, signed, types[0]);
    if (folded) return known.constant(folded);
    // Memory the interpreter declared constant (weval.assume.const.memory) reads as the snapshot has it; what a
    // transitive one loads is a pointer into constant memory too.
    const image = addr.mem ? knownMemory?.image(at, bytes, signed, types[0]) : undefined;
    if (image) return addr.mem === 2 ? { abs: { kind: "const", value: image, mem: 2 } } : known.constant(image);
  }
  return copy(
    addr.kind === "const"
      ? "load from memory at a constant address (not a constant buffer or a request's slot)"
      : "load from run-time memory",
  );
}
