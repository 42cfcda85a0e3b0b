// The Fern interpreter (lang/): a stack machine with dynamically typed values, functions, calls and arrays,
// written for weval the way toy.ts is — one source, a generic body with no intrinsic calls and a specializable
// body that runs only specialized — following weval's rules for real interpreters: the interpreter's control flow
// per bytecode function, no inline call frames (a call is a Wasm call), constant bytecode, a constant pc.
//
// Values are two 64-bit words, a tag (nil, int, float, bool, array) and the bits. In the generic body, locals and
// the operand stack live in a memory frame; in the specialized body every local and stack slot is a pair of weval
// registers (the compiler makes the stack depth a constant per pc, so slot numbers fold), i.e. SSA values.
// Loops whose trip count is a constant of the bytecode (loading parameters, copying call arguments) give each
// iteration a context of its own so their index stays constant.
//
// Calls: the caller copies the arguments to a new frame at the top of the frame stack and calls the callee's
// specialized function through its slot when set, the generic body otherwise; the result comes back in two globals.
// Requests: one per function, its blob (header + code) as the constant buffer, the frame at run time.
// Errors call the host (futamura.error with the pc's byte offset in the program), which throws with the function
// and source line; the same in both bodies.
// Relies on weval.ts and fern-opcodes.ts (generated from lang/opcodes.ts).
import {
  FUNC_NPARAMS, FUNC_NLOCALS, FUNC_MAXSTACK, FUNC_INDEX, FUNC_SIZE,
  TAG_NIL, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_ARRAY,
  ERR_TYPE_ERROR, ERR_DIVISION_BY_ZERO, ERR_INDEX_OUT_OF_RANGE, ERR_WRONG_NUMBER_OF_ARGUMENTS, ERR_STACK_OVERFLOW, ERR_NOT_AN_ARRAY,
  OP_INT, OP_FLOAT, OP_TRUE, OP_FALSE, OP_NIL, OP_GET, OP_SET, OP_POP, OP_DUP, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
  OP_NEG, OP_NOT, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_JUMP, OP_JUMP_IF_FALSE, OP_CALL, OP_RETURN, OP_ARRAY,
  OP_INDEX, OP_STORE, OP_LEN, OP_PRINT,
  INT_SIZE, FLOAT_SIZE, GET_SIZE, SET_SIZE, CALL_OPERAND_0, CALL_OPERAND_1, CALL_SIZE, JUMP_OPERAND_0, JUMP_IF_FALSE_SIZE,
} from "./fern-opcodes";
import { pushContext, updateContext, popContext, readReg, writeReg, WevalArgs, wevalRequest } from "./weval";

export { wevalPendingHead, wevalIsWevaled } from "./weval";

@external("futamura", "program_length") declare function programLength(): u32;
@external("futamura", "program_read") declare function programRead(dst: usize): void;
@external("fern", "print") declare function printValue(tag: u64, bits: u64): void;
@external("futamura", "error") declare function hostError(code: u32, pc: u32): void;

const FERN_FUNC_ID: u32 = 2;
/** Context pcs for the constant-trip loops, above any real pc. */
const PARAM_CONTEXT: u32 = 0x40000000;
const ARG_CONTEXT: u32 = 0x50000000;
const FRAME_STACK_BYTES: u32 = 1 << 20;
/** Call depth limit: below what V8's own stack allows for nested Wasm calls, so Fern reports the overflow. */
const MAX_DEPTH: u32 = 2000;

let program: usize = 0;
let funcs: usize = 0; // per function: u32 blob address, u32 slot
let nfuncs: u32 = 0;
let frameStack: usize = 0;
let frameLimit: usize = 0;
let fsp: usize = 0;
let depth: u32 = 0;
let retTag: u64 = 0;
let retBits: u64 = 0;

// ---- slots: registers when specialized, the memory frame otherwise ----
// FERN_REGISTERS (asc --use, set by interp/build.ts) is 0 for the `fern-memory` build, which keeps slots in memory
// in the specialized body too: the control for measuring what lifting them into registers buys.
@inline function getTag(frame: usize, i: u32, specialized: bool): u64 {
  return specialized && FERN_REGISTERS ? readReg(<u64>(i << 1)) : load<u64>(frame + (<usize>i << 4));
}
@inline function getBits(frame: usize, i: u32, specialized: bool): u64 {
  return specialized && FERN_REGISTERS ? readReg(<u64>((i << 1) | 1)) : load<u64>(frame + (<usize>i << 4), 8);
}
@inline function put(frame: usize, i: u32, tag: u64, bits: u64, specialized: bool): void {
  if (specialized && FERN_REGISTERS) {
    writeReg(<u64>(i << 1), tag);
    writeReg(<u64>((i << 1) | 1), bits);
  } else {
    store<u64>(frame + (<usize>i << 4), tag);
    store<u64>(frame + (<usize>i << 4), bits, 8);
  }
}

@inline function isNumber(tag: u64): bool {
  return tag == TAG_INT || tag == TAG_FLOAT;
}
@inline function asFloat(tag: u64, bits: u64): f64 {
  return tag == TAG_INT ? <f64><i64>bits : reinterpret<f64>(bits);
}
@inline function falsy(tag: u64, bits: u64): bool {
  return tag == TAG_NIL || (tag == TAG_BOOL && bits == 0);
}

/** Report a runtime error at `pc` of this function: the host ABI's error takes the instruction's byte offset in the
 *  program, which the loader (lang/loader.ts) maps back to the function and its source line. */
function fail(kind: u32, blob: usize, pc: u32): void {
  hostError(kind, <u32>(blob - program) + FUNC_SIZE + pc);
  unreachable();
}

@inline function body(blob: usize, frame: usize, specialized: bool): void {
  const nparams = <u32>load<u8>(blob + FUNC_NPARAMS);
  const nlocals = <u32>load<u8>(blob + FUNC_NLOCALS);
  const size = (nlocals + <u32>load<u8>(blob + FUNC_MAXSTACK)) << 4;
  const code = blob + FUNC_SIZE;
  const saved = fsp;
  if (frame + size > frameLimit || ++depth > MAX_DEPTH) fail(ERR_STACK_OVERFLOW, blob, 0);
  fsp = frame + size;
  if (specialized && FERN_REGISTERS) {
    // Parameters into registers, one context per iteration so `i` stays constant.
    pushContext(PARAM_CONTEXT);
    for (let i: u32 = 0; i < nparams; i++) {
      put(frame, i, load<u64>(frame + (<usize>i << 4)), load<u64>(frame + (<usize>i << 4), 8), true);
      updateContext(PARAM_CONTEXT + i + 1);
    }
    updateContext(0);
  } else {
    if (specialized) pushContext(0);
    memory.fill(frame + (<usize>nparams << 4), 0, (nlocals - nparams) << 4);
  }
  let pc: u32 = 0;
  let sp: u32 = nlocals; // slot index of the next free stack slot
  let op = load<u8>(code);
  while (true) {
    const at = code + pc;
    switch (op) {
      case OP_INT: { put(frame, sp++, TAG_INT, load<u64>(at, 1), specialized); pc += INT_SIZE; break; }
      case OP_FLOAT: { put(frame, sp++, TAG_FLOAT, load<u64>(at, 1), specialized); pc += FLOAT_SIZE; break; }
      case OP_TRUE: { put(frame, sp++, TAG_BOOL, 1, specialized); pc += 1; break; }
      case OP_FALSE: { put(frame, sp++, TAG_BOOL, 0, specialized); pc += 1; break; }
      case OP_NIL: { put(frame, sp++, TAG_NIL, 0, specialized); pc += 1; break; }
      case OP_GET: {
        const i = <u32>load<u8>(at, 1);
        put(frame, sp++, getTag(frame, i, specialized), getBits(frame, i, specialized), specialized);
        pc += GET_SIZE;
        break;
      }
      case OP_SET: {
        const i = <u32>load<u8>(at, 1);
        sp--;
        put(frame, i, getTag(frame, sp, specialized), getBits(frame, sp, specialized), specialized);
        pc += SET_SIZE;
        break;
      }
      case OP_POP: { sp--; pc += 1; break; }
      case OP_DUP: { put(frame, sp, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), specialized); sp++; pc += 1; break; }
      case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD:
      case OP_LT: case OP_LE: case OP_GT: case OP_GE: {
        const bt = getTag(frame, sp - 1, specialized), bb = getBits(frame, sp - 1, specialized);
        const at2 = getTag(frame, sp - 2, specialized), ab = getBits(frame, sp - 2, specialized);
        sp -= 2;
        if (!isNumber(at2) || !isNumber(bt)) fail(ERR_TYPE_ERROR, blob, pc);
        let tag: u64 = TAG_INT;
        let bits: u64 = 0;
        if (at2 == TAG_INT && bt == TAG_INT) {
          const a = <i64>ab, b = <i64>bb;
          if (op == OP_ADD) bits = <u64>(a + b);
          else if (op == OP_SUB) bits = <u64>(a - b);
          else if (op == OP_MUL) bits = <u64>(a * b);
          else if (op == OP_DIV || op == OP_MOD) {
            if (b == 0) fail(ERR_DIVISION_BY_ZERO, blob, pc);
            if (b == -1) bits = op == OP_DIV ? <u64>(0 - a) : 0;
            else bits = op == OP_DIV ? <u64>(a / b) : <u64>(a % b);
          } else {
            tag = TAG_BOOL;
            bits = op == OP_LT ? <u64>(a < b) : op == OP_LE ? <u64>(a <= b) : op == OP_GT ? <u64>(a > b) : <u64>(a >= b);
          }
        } else {
          const a = asFloat(at2, ab), b = asFloat(bt, bb);
          tag = TAG_FLOAT;
          if (op == OP_ADD) bits = reinterpret<u64>(a + b);
          else if (op == OP_SUB) bits = reinterpret<u64>(a - b);
          else if (op == OP_MUL) bits = reinterpret<u64>(a * b);
          else if (op == OP_DIV) bits = reinterpret<u64>(a / b);
          else if (op == OP_MOD) fail(ERR_TYPE_ERROR, blob, pc);
          else {
            tag = TAG_BOOL;
            bits = op == OP_LT ? <u64>(a < b) : op == OP_LE ? <u64>(a <= b) : op == OP_GT ? <u64>(a > b) : <u64>(a >= b);
          }
        }
        put(frame, sp++, tag, bits, specialized);
        pc += 1;
        break;
      }
      case OP_EQ: case OP_NE: {
        const bt = getTag(frame, sp - 1, specialized), bb = getBits(frame, sp - 1, specialized);
        const at2 = getTag(frame, sp - 2, specialized), ab = getBits(frame, sp - 2, specialized);
        sp -= 2;
        let eq: bool;
        if (isNumber(at2) && isNumber(bt) && at2 != bt) eq = asFloat(at2, ab) == asFloat(bt, bb);
        else if (at2 == TAG_FLOAT && bt == TAG_FLOAT) eq = reinterpret<f64>(ab) == reinterpret<f64>(bb);
        else eq = at2 == bt && ab == bb;
        put(frame, sp++, TAG_BOOL, <u64>(op == OP_EQ ? eq : !eq), specialized);
        pc += 1;
        break;
      }
      case OP_NEG: {
        const t = getTag(frame, sp - 1, specialized), b = getBits(frame, sp - 1, specialized);
        if (t == TAG_INT) put(frame, sp - 1, TAG_INT, 0 - b, specialized);
        else if (t == TAG_FLOAT) put(frame, sp - 1, TAG_FLOAT, b ^ (<u64>1 << 63), specialized);
        else fail(ERR_TYPE_ERROR, blob, pc);
        pc += 1;
        break;
      }
      case OP_NOT: {
        put(frame, sp - 1, TAG_BOOL, <u64>falsy(getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized)), specialized);
        pc += 1;
        break;
      }
      case OP_JUMP: {
        pc = load<u32>(at, JUMP_OPERAND_0);
        if (specialized) updateContext(pc);
        op = load<u8>(code + pc);
        continue;
      }
      case OP_JUMP_IF_FALSE: {
        sp--;
        if (falsy(getTag(frame, sp, specialized), getBits(frame, sp, specialized))) {
          pc = load<u32>(at, JUMP_OPERAND_0);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        pc += JUMP_IF_FALSE_SIZE;
        break;
      }
      case OP_CALL: {
        const f = <u32>load<u16>(at, CALL_OPERAND_0);
        const argc = <u32>load<u8>(at, CALL_OPERAND_1);
        const calleeBlob = <usize>load<u32>(funcs + (<usize>f << 3));
        if (argc != <u32>load<u8>(calleeBlob + FUNC_NPARAMS)) fail(ERR_WRONG_NUMBER_OF_ARGUMENTS, blob, pc);
        const newFrame = fsp;
        if (newFrame + (<usize>argc << 4) > frameLimit) fail(ERR_STACK_OVERFLOW, blob, pc);
        if (specialized) pushContext(ARG_CONTEXT);
        for (let k: u32 = 0; k < argc; k++) {
          const s = sp - argc + k;
          store<u64>(newFrame + (<usize>k << 4), getTag(frame, s, specialized));
          store<u64>(newFrame + (<usize>k << 4), getBits(frame, s, specialized), 8);
          if (specialized) updateContext(ARG_CONTEXT + k + 1);
        }
        if (specialized) popContext();
        sp -= argc;
        const slot = load<u32>(funcs + (<usize>f << 3), 4);
        if (slot != 0) call_indirect<void>(slot, calleeBlob, newFrame);
        else execGeneric(calleeBlob, newFrame);
        put(frame, sp++, retTag, retBits, specialized);
        pc += CALL_SIZE;
        break;
      }
      case OP_RETURN: {
        retTag = getTag(frame, sp - 1, specialized);
        retBits = getBits(frame, sp - 1, specialized);
        fsp = saved;
        depth--;
        if (specialized) popContext();
        return;
      }
      case OP_ARRAY: {
        const t = getTag(frame, sp - 1, specialized), n = <i64>getBits(frame, sp - 1, specialized);
        if (t != TAG_INT || n < 0 || n > 0x0fffffff) fail(ERR_TYPE_ERROR, blob, pc);
        const arr = heap.alloc(8 + (<usize>n << 4));
        store<u32>(arr, <u32>n);
        memory.fill(arr + 8, 0, <usize>n << 4);
        put(frame, sp - 1, TAG_ARRAY, <u64>arr, specialized);
        pc += 1;
        break;
      }
      case OP_INDEX: case OP_STORE: {
        const base = op == OP_STORE ? sp - 3 : sp - 2;
        const t = getTag(frame, base, specialized), arr = <usize>getBits(frame, base, specialized);
        const it = getTag(frame, base + 1, specialized), i = <i64>getBits(frame, base + 1, specialized);
        if (t != TAG_ARRAY) fail(ERR_NOT_AN_ARRAY, blob, pc);
        if (it != TAG_INT) fail(ERR_TYPE_ERROR, blob, pc);
        if (i < 0 || i >= <i64>load<u32>(arr)) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
        const el = arr + 8 + (<usize>i << 4);
        if (op == OP_STORE) {
          store<u64>(el, getTag(frame, sp - 1, specialized));
          store<u64>(el, getBits(frame, sp - 1, specialized), 8);
          sp -= 3;
        } else {
          sp -= 2;
          put(frame, sp++, load<u64>(el), load<u64>(el, 8), specialized);
        }
        pc += 1;
        break;
      }
      case OP_LEN: {
        const t = getTag(frame, sp - 1, specialized), arr = <usize>getBits(frame, sp - 1, specialized);
        if (t != TAG_ARRAY) fail(ERR_NOT_AN_ARRAY, blob, pc);
        put(frame, sp - 1, TAG_INT, <u64>load<u32>(arr), specialized);
        pc += 1;
        break;
      }
      case OP_PRINT: {
        sp--;
        printValue(getTag(frame, sp, specialized), getBits(frame, sp, specialized));
        pc += 1;
        break;
      }
      default:
        unreachable();
    }
    if (specialized) updateContext(pc);
    op = load<u8>(code + pc);
  }
}

function execGeneric(blob: usize, frame: usize): void {
  body(blob, frame, false);
}

function execSpecialized(blob: usize, frame: usize): void {
  body(blob, frame, true);
}

/** Exported as `wizer.initialize`: load the program, build the function table, queue one request per function. */
export function init(): void {
  const len = programLength();
  program = heap.alloc(len);
  programRead(program);
  nfuncs = <u32>load<u16>(program + 6);
  funcs = heap.alloc(<usize>nfuncs << 3);
  frameStack = heap.alloc(FRAME_STACK_BYTES);
  frameLimit = frameStack + FRAME_STACK_BYTES;
  const generic = execSpecialized;
  for (let i: u32 = 0; i < nfuncs; i++) {
    const blob = program + <usize>load<u32>(program + 8 + (<usize>i << 3));
    const blobLen = load<u32>(program + 12 + (<usize>i << 3));
    store<u32>(funcs + (<usize>i << 3), <u32>blob);
    store<u32>(funcs + (<usize>i << 3), 0, 4);
    const args = new WevalArgs(blobLen + 64).buffer(blob, blobLen).runtime();
    wevalRequest(funcs + (<usize>i << 3) + 4, generic.index, FERN_FUNC_ID, 0, args);
  }
}

/** Run `main` (function 0); returns 0 (errors are thrown by the host's futamura.error). */
export function run(): u64 {
  fsp = frameStack;
  depth = 0;
  const blob = <usize>load<u32>(funcs);
  const slot = load<u32>(funcs, 4);
  if (slot != 0) call_indirect<void>(slot, blob, frameStack);
  else execGeneric(blob, frameStack);
  return 0;
}
