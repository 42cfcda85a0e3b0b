// The Fern interpreter (lang/): a stack machine with dynamically typed values, closures, calls, arrays, strings
// and maps, written for weval the way toy.ts is — one source, a generic body with no intrinsic calls and a
// specializable body that runs only specialized — following weval's rules for real interpreters: the
// interpreter's control flow per bytecode function, no inline call frames (a call is a Wasm call), constant
// bytecode, a constant pc.
//
// Values are two 64-bit words, a tag and the bits (objects: an address; fern-heap.ts). In the generic body, locals
// and the operand stack live in a memory frame; in the specialized body every local and stack slot is a pair of
// weval registers (the compiler makes the stack depth a constant per pc, so slot numbers fold), i.e. SSA values.
// Loops whose trip count is a constant of the bytecode (loading parameters, copying call arguments, array
// literals, writing registers back to the frame) give each iteration a context of its own so their index stays
// constant.
//
// Frames: +0 u32 live slot count, +4 u32 slot bytes, +8 u64 root mask (see sync()), slots from +16 (FRAME_HEADER);
// a callee's frame starts where its caller's ends, so the frames form one stack, walked by the collector. At each
// garbage-collection safe point — before a call (the caller), at function entry, at a loop's back-edge; a leaf
// function's entry and a call of one are none (FUNC_LEAF) — the body writes its live registers that may hold objects
// back to its frame and the live count and root mask to the header, so the collector (fern-heap.ts) sees every
// object. Collections requested by an allocation happen at the next safe point: only there is everything in memory.
//
// Binary operators: each opcode — plain (`ADD`), with the right operand a local or an integer constant (`ADD_L`,
// `ADD_K`), with the left one a local too (`ADD_LL`, `ADD_LK`), or a comparison fused with the jump it decides
// (`JUMP_IF_NOT_LT` and the same four forms) — has its own case that inlines arith()/compare() with a constant
// operator, so the generic body does no second dispatch on the operator.
//
// Numbers: two ints wrap; two floats take a path of their own (no int-to-float conversion to choose); a mix
// converts the int. sqrt, abs and floor run in line (fern-heap.ts's numericBuiltin*), not through the built-in call.
//
// Calls: init links each CALL to its callee's blob (arity checked once, there), so in specialized code the callee
// is a constant. The first ARG_PARAMS values (the arguments, then a closure itself) go as Wasm parameters (their bits, and their tags packed in one) — in a
// specialized callee they are SSA values at once, never in memory — the rest in the callee's frame; the call goes
// through the callee's slot when set (its specialized function), to the generic body otherwise; the result comes
// back as the Wasm result (its bits) and a global (its tag). One bound check on entry covers both the frame memory and the depth limit (MIN_FRAME_BYTES).
// Training and speculation (pipeline/train.ts, `--train`): while `training`, the generic body records in feedback
// bytes (lang/opcodes.ts's FEEDBACK) the tags that INDEX/INDEX_L elements, call results and parameters had, and the
// containers STORE met; trainEnd() copies them into the requests' constant buffers. The specialized body assumes a
// tag where one was seen, checks it, and when the check fails syncs its registers to the frame and finishes the
// call in the generic body from that pc (deopt(), execResume()). Untrained, every feedback byte is 0: no assumption.
// Requests: one per function, its blob (header + code) as the constant buffer, the frame and parameters at run
// time. Errors call the host ABI's futamura.error with the instruction's byte offset in the
// program, which lang/values.ts maps to the function and source line; the same in both bodies.
import {
  FUNC_NPARAMS, FUNC_NLOCALS, FUNC_MAXSTACK, FUNC_ARITY, FUNC_INDEX, FUNC_CODELENGTH, FUNC_FEEDBACK, FUNC_SIZE,
  PROGRAM_NFUNCS, PROGRAM_NGLOBALS, PROGRAM_NSTRINGS, PROGRAM_SIZE,
  TAG_NIL, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_ARRAY, TAG_STRING, TAG_MAP, TAG_FUNCTION, TAG_CLOSURE, TAG_BOX,
  ERR_TYPE_ERROR, ERR_DIVISION_BY_ZERO, ERR_INDEX_OUT_OF_RANGE, ERR_WRONG_NUMBER_OF_ARGUMENTS, ERR_STACK_OVERFLOW,
  ERR_NOT_AN_ARRAY, ERR_NOT_A_FUNCTION,
  OP_INT, OP_FLOAT, OP_TRUE, OP_FALSE, OP_NIL, OP_GET, OP_SET, OP_POP, OP_DUP, OP_DUP2, OP_GET_GLOBAL, OP_SET_GLOBAL,
  OP_STRING, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG, OP_NOT, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
  OP_JUMP, OP_JUMP_IF_FALSE, OP_CALL, OP_RETURN, OP_LOOP, OP_CALL_VALUE, OP_FUNCTION, OP_CLOSURE, OP_BOX, OP_GET_BOXED,
  OP_SET_BOXED, OP_GET_UPVAL, OP_SET_UPVAL, OP_GET_UPBOX, OP_ARRAY, OP_INDEX, OP_STORE, OP_LEN, OP_PRINT,
  OP_ARRAY_LIT, OP_MAP, OP_BUILTIN,
  INT_SIZE, FLOAT_SIZE, GET_SIZE, SET_SIZE, GET_GLOBAL_SIZE, SET_GLOBAL_SIZE, STRING_SIZE, CALL_OPERAND_0,
  CALL_OPERAND_1, CALL_SIZE, JUMP_OPERAND_0, JUMP_IF_FALSE_SIZE, CALL_VALUE_SIZE, FUNCTION_SIZE,
  CLOSURE_OPERAND_0, CLOSURE_OPERAND_1, CLOSURE_SIZE, GET_BOXED_SIZE, SET_BOXED_SIZE, GET_UPVAL_SIZE,
  SET_UPVAL_SIZE, GET_UPBOX_SIZE, PRINT_SIZE, ARRAY_LIT_SIZE, BUILTIN_OPERAND_0, BUILTIN_OPERAND_1, BUILTIN_SIZE,
  OP_ADD_L, OP_ADD_K, ADD_L_SIZE, ADD_K_SIZE, OP_SUB_L, OP_SUB_K, SUB_L_SIZE, SUB_K_SIZE, OP_MUL_L, OP_MUL_K,
  MUL_L_SIZE, MUL_K_SIZE, OP_DIV_L, OP_DIV_K, DIV_L_SIZE, DIV_K_SIZE, OP_MOD_L, OP_MOD_K, MOD_L_SIZE, MOD_K_SIZE,
  OP_LT_L, OP_LT_K, LT_L_SIZE, LT_K_SIZE, OP_LE_L, OP_LE_K, LE_L_SIZE, LE_K_SIZE, OP_GT_L, OP_GT_K, GT_L_SIZE,
  GT_K_SIZE, OP_GE_L, OP_GE_K, GE_L_SIZE, GE_K_SIZE, OP_EQ_L, OP_EQ_K, EQ_L_SIZE, EQ_K_SIZE, OP_NE_L, OP_NE_K,
  NE_L_SIZE, NE_K_SIZE, OP_JUMP_IF_NOT_LT, JUMP_IF_NOT_LT_SIZE, OP_JUMP_IF_NOT_LT_L, JUMP_IF_NOT_LT_L_SIZE,
  OP_JUMP_IF_NOT_LT_K, JUMP_IF_NOT_LT_K_SIZE, OP_JUMP_IF_NOT_LE, JUMP_IF_NOT_LE_SIZE, OP_JUMP_IF_NOT_LE_L,
  JUMP_IF_NOT_LE_L_SIZE, OP_JUMP_IF_NOT_LE_K, JUMP_IF_NOT_LE_K_SIZE, OP_JUMP_IF_NOT_GT, JUMP_IF_NOT_GT_SIZE,
  OP_JUMP_IF_NOT_GT_L, JUMP_IF_NOT_GT_L_SIZE, OP_JUMP_IF_NOT_GT_K, JUMP_IF_NOT_GT_K_SIZE, OP_JUMP_IF_NOT_GE,
  JUMP_IF_NOT_GE_SIZE, OP_JUMP_IF_NOT_GE_L, JUMP_IF_NOT_GE_L_SIZE, OP_JUMP_IF_NOT_GE_K, JUMP_IF_NOT_GE_K_SIZE,
  OP_JUMP_IF_NOT_EQ, JUMP_IF_NOT_EQ_SIZE, OP_JUMP_IF_NOT_EQ_L, JUMP_IF_NOT_EQ_L_SIZE, OP_JUMP_IF_NOT_EQ_K,
  JUMP_IF_NOT_EQ_K_SIZE, OP_JUMP_IF_NOT_NE, JUMP_IF_NOT_NE_SIZE, OP_JUMP_IF_NOT_NE_L, JUMP_IF_NOT_NE_L_SIZE,
  OP_JUMP_IF_NOT_NE_K, JUMP_IF_NOT_NE_K_SIZE, OP_INDEX_L, INDEX_L_SIZE, OP_INCR, INCR_SIZE, OP_INCR_L, INCR_L_SIZE,
  OP_ADD_LL, OP_ADD_LK, ADD_LL_SIZE, ADD_LK_SIZE, OP_SUB_LL, OP_SUB_LK, SUB_LL_SIZE, SUB_LK_SIZE, OP_MUL_LL,
  OP_MUL_LK, MUL_LL_SIZE, MUL_LK_SIZE, OP_DIV_LL, OP_DIV_LK, DIV_LL_SIZE, DIV_LK_SIZE, OP_MOD_LL, OP_MOD_LK,
  MOD_LL_SIZE, MOD_LK_SIZE, OP_LT_LL, OP_LT_LK, LT_LL_SIZE, LT_LK_SIZE, OP_LE_LL, OP_LE_LK, LE_LL_SIZE, LE_LK_SIZE,
  OP_GT_LL, OP_GT_LK, GT_LL_SIZE, GT_LK_SIZE, OP_GE_LL, OP_GE_LK, GE_LL_SIZE, GE_LK_SIZE, OP_EQ_LL, OP_EQ_LK,
  EQ_LL_SIZE, EQ_LK_SIZE, OP_NE_LL, OP_NE_LK, NE_LL_SIZE, NE_LK_SIZE, OP_JUMP_IF_NOT_LT_LL, JUMP_IF_NOT_LT_LL_SIZE,
  OP_JUMP_IF_NOT_LT_LK, JUMP_IF_NOT_LT_LK_SIZE, OP_JUMP_IF_NOT_LE_LL, JUMP_IF_NOT_LE_LL_SIZE, OP_JUMP_IF_NOT_LE_LK,
  JUMP_IF_NOT_LE_LK_SIZE, OP_JUMP_IF_NOT_GT_LL, JUMP_IF_NOT_GT_LL_SIZE, OP_JUMP_IF_NOT_GT_LK, JUMP_IF_NOT_GT_LK_SIZE,
  OP_JUMP_IF_NOT_GE_LL, JUMP_IF_NOT_GE_LL_SIZE, OP_JUMP_IF_NOT_GE_LK, JUMP_IF_NOT_GE_LK_SIZE, OP_JUMP_IF_NOT_EQ_LL,
  JUMP_IF_NOT_EQ_LL_SIZE, OP_JUMP_IF_NOT_EQ_LK, JUMP_IF_NOT_EQ_LK_SIZE, OP_JUMP_IF_NOT_NE_LL, JUMP_IF_NOT_NE_LL_SIZE,
  OP_JUMP_IF_NOT_NE_LK, JUMP_IF_NOT_NE_LK_SIZE,
  INDEX_SIZE, INDEX_OPERAND_0, STORE_SIZE, STORE_OPERAND_0, INDEX_L_OPERAND_1, CALL_OPERAND_2, CALL_VALUE_OPERAND_1, FEEDBACK_OTHER, FEEDBACK_SLOW,
  FEEDBACK_ARRAY, FEEDBACK_MAX_TAG_BIT,
  FUSED_LOCAL, FUSED_CONSTANT, FUSED_LOCAL_LOCAL, FUSED_LOCAL_CONSTANT, JUMP_FUSED_LOCAL, JUMP_FUSED_CONSTANT,
  JUMP_FUSED_LOCAL_LOCAL, JUMP_FUSED_LOCAL_CONSTANT,
} from "./fern-opcodes";
import { instructionSize } from "./fern-opcodes";
import { pushContext, updateContext, popContext, readReg, writeReg, WevalArgs, wevalRequest, REQ_ARGBUF, ARG_HEADER_SIZE, assumeAliasClass, assumeAliasRegion } from "./weval";
import {
  FRAME_HEADER, OBJ_HEADER, fail, gcRequested, collect, resultTag, resultBits, isObject, newArray, newMap,
  newClosure, newBox, permanentString, concat, compareStrings, valuesEqual, indexSlow, storeSlow, printValue,
  builtin, isNumericBuiltin, numericBuiltinTag, numericBuiltinBits, initHeap, setProgram, outOfRange,
} from "./fern-heap";

export { wevalPendingHead, wevalIsWevaled } from "./weval";

@external("futamura", "program_length") declare function programLength(): u32;
@external("futamura", "program_read") declare function programRead(dst: usize): void;

const FERN_FUNC_ID: u32 = 2;
/** Context pcs for the constant-trip loops, above any real pc. */
const PARAM_CONTEXT: u32 = 0x40000000;
const ARG_CONTEXT: u32 = 0x50000000;
const SYNC_CONTEXT: u32 = 0x60000000;
const LIST_CONTEXT: u32 = 0x70000000;
/** Call depth limit. Each Fern call is a Wasm call, so the native stack must hold this many Wasm frames: hosts run
 *  Fern on a thread with a large stack (interp/deep-run.ts); on V8's default ~1 MB stack (the browser explorer) a
 *  few thousand frames are the limit, and V8's RangeError comes first. */
const MAX_DEPTH: usize = 200000;
/** Every frame takes at least this much of the frame stack (a header and 20 slots), and the frame stack holds
 *  MAX_DEPTH such frames: so the one bound check a function makes on entry is the depth limit as well (200,000
 *  frames of up to 20 slots; fewer of larger frames), and no depth counter is kept. */
const MIN_FRAME_BYTES: usize = FRAME_HEADER + (20 << 4);
const FRAME_STACK_BYTES: usize = MAX_DEPTH * MIN_FRAME_BYTES;
/** Call arguments passed as Wasm parameters (tag, bits each): a specialized callee gets them as SSA values, with no
 *  memory traffic. The values after them (and a closure itself, after the arguments) go in the callee's frame. */
const ARG_PARAMS: u32 = 4;
/** Their tags travel packed in one i64 parameter, ARG_TAG_BITS each (tag k at bit k * ARG_TAG_BITS): a call passes
 *  7 Wasm parameters, not 10, so fewer go on the native stack (V8 passes 5 in registers on x64). The caller's
 *  constant tags fold into one constant; a specialized callee unpacks each with a shift and a mask. */
const ARG_TAG_BITS: u64 = 16;
@inline function argTagOf(tags: u64, k: u64): u64 {
  return (tags >> (k * ARG_TAG_BITS)) & ((<u64>1 << ARG_TAG_BITS) - 1);
}
/** Init turns each function header's index field in memory (nothing reads it at run time; the request's copy of the
 *  blob keeps it) into the u32 slot that receives the function's specialized table index. */
const FUNC_SLOT: usize = FUNC_INDEX;
/** And the code length field (nothing reads it at run time) into the function's leaf flag (isLeaf()): 1 when its
 *  code has no CALL, CALL_VALUE or LOOP, so no collection can happen while it runs — it reaches no safe point; its
 *  entry is none either. A call of a leaf needs no safe point in the caller: the caller's registers stay registers.
 *  Specialized code reads its own blob (its request's constant copy) as a constant, but not another function's: so
 *  link() also sets LEAF_CALLEE in each CALL's callee operand when the callee is a leaf. */
const FUNC_LEAF: usize = FUNC_CODELENGTH;
const LEAF_CALLEE: u32 = 0x80000000;

let program: usize = 0;
let funcs: usize = 0; // per function: u32 blob address
let nfuncs: u32 = 0;
let globals: usize = 0;
let nglobals: u32 = 0;
let scratch: usize = 0; // built-in arguments
let frameStack: usize = 0;
let frameLimit: usize = 0;
let retTag: u64 = 0; // a call's result: its tag here, its bits the Wasm result
// Training (see train()): while set, the generic body records feedback and spends fuel.
let training = false;
let fuel: i64 = 0;
let requests: usize = 0; // per function: u32 address of its weval request

// ---- slots: registers when specialized, the memory frame otherwise ----
// FERN_REGISTERS (asc --use, set by interp/build.ts) is 0 for the `fern-memory` build, which keeps slots in memory
// in the specialized body too: the control for measuring what lifting them into registers buys.
@inline function slotAt(frame: usize, i: u32): usize {
  return frame + FRAME_HEADER + (<usize>i << 4);
}
@inline function getTag(frame: usize, i: u32, specialized: bool): u64 {
  return specialized && FERN_REGISTERS ? readReg(<u64>(i << 1)) : load<u64>(slotAt(frame, i));
}
@inline function getBits(frame: usize, i: u32, specialized: bool): u64 {
  return specialized && FERN_REGISTERS ? readReg(<u64>((i << 1) | 1)) : load<u64>(slotAt(frame, i), 8);
}
@inline function put(frame: usize, i: u32, tag: u64, bits: u64, specialized: bool): void {
  if (specialized && FERN_REGISTERS) {
    writeReg(<u64>(i << 1), tag);
    writeReg(<u64>((i << 1) | 1), bits);
  } else {
    store<u64>(slotAt(frame, i), tag);
    store<u64>(slotAt(frame, i), bits, 8);
  }
}

/** A function's frame: the header and its slots, at least MIN_FRAME_BYTES. The header's size field holds the bytes
 *  after the header, so frames follow each other (the collector walks them that way). */
@inline function frameBytes(blob: usize): usize {
  const slots = (<usize>load<u16>(blob + FUNC_NLOCALS) + <usize>load<u16>(blob + FUNC_MAXSTACK)) << 4;
  return FRAME_HEADER + slots > MIN_FRAME_BYTES ? FRAME_HEADER + slots : MIN_FRAME_BYTES;
}

/** Slots a frame's root mask covers (one bit each); the slots past them are always in memory after a sync. */
const MASKED_SLOTS: u32 = 64;

/** A safe point's first half: slots 0..live-1 into the memory frame (registers when specialized), and the header.
 *  The collector needs only the slots that hold objects: when specialized, a slot whose tag is not an object's is
 *  left in its register, and its bit in the header's root mask (+8) is 0, so the collector skips the stale memory
 *  there. Where the tag is a constant of the specialized code (an int, a float: most slots of a numeric loop) that
 *  costs nothing at run time; a call in such code writes two constant header words instead of every live slot.
 *  `full` (a deopt, where the generic body goes on from the frame) writes every slot, objects or not. */
@inline function sync(frame: usize, live: u32, blob: usize, specialized: bool, full: bool = false): void {
  let mask: u64 = <u64>-1;
  if (specialized && FERN_REGISTERS) {
    if (!full) mask = 0;
    pushContext(SYNC_CONTEXT);
    for (let i: u32 = 0; i < live; i++) {
      const t = readReg(<u64>(i << 1));
      if (full || i >= MASKED_SLOTS || isObject(t)) {
        store<u64>(slotAt(frame, i), t);
        store<u64>(slotAt(frame, i), readReg(<u64>((i << 1) | 1)), 8);
      }
      if (!full && i < MASKED_SLOTS) mask |= isObject(t) ? <u64>1 << <u64>i : 0;
      updateContext(SYNC_CONTEXT + i + 1);
    }
    popContext();
  }
  store<u64>(frame, <u64>live | (<u64>(frameBytes(blob) - FRAME_HEADER) << 32));
  store<u64>(frame, mask, 8);
}

/** One unsigned compare (lang/gen-as-constants.ts checks that the int and float tags are consecutive). */
@inline function isNumber(tag: u64): bool {
  return tag - TAG_INT <= TAG_FLOAT - TAG_INT;
}
@inline function asFloat(tag: u64, bits: u64): f64 {
  return tag == TAG_INT ? <f64><i64>bits : reinterpret<f64>(bits);
}
@inline function falsy(tag: u64, bits: u64): bool {
  return tag == TAG_NIL || (tag == TAG_BOOL && bits == 0);
}

/** a OP b on floats for ADD, SUB, MUL, DIV (MOD is a type error). */
@inline function floatArith(op: u8, a: f64, b: f64, blob: usize, pc: u32): f64 {
  if (op == OP_ADD) return a + b;
  if (op == OP_SUB) return a - b;
  if (op == OP_MUL) return a * b;
  if (op == OP_DIV) return a / b;
  fail(ERR_TYPE_ERROR, blob, pc);
  return 0;
}

// ---- binary operators: one inlined copy per opcode, so `op` is a constant in each (in both bodies) ----
/** a OP b for ADD, SUB, MUL, DIV, MOD into slot dst: ints wrap, floats when either is one, strings concatenate. */
@inline function arith(op: u8, frame: usize, dst: u32, at2: u64, ab: u64, bt: u64, bb: u64, blob: usize, pc: u32, specialized: bool): void {
  if (at2 == TAG_INT && bt == TAG_INT) {
    const a = <i64>ab, b = <i64>bb;
    let bits: u64;
    if (op == OP_ADD) bits = <u64>(a + b);
    else if (op == OP_SUB) bits = <u64>(a - b);
    else if (op == OP_MUL) bits = <u64>(a * b);
    else {
      if (b == 0) fail(ERR_DIVISION_BY_ZERO, blob, pc);
      if (b == -1) bits = op == OP_DIV ? <u64>(0 - a) : 0;
      else bits = op == OP_DIV ? <u64>(a / b) : <u64>(a % b);
    }
    put(frame, dst, TAG_INT, bits, specialized);
  } else if (at2 == TAG_FLOAT && bt == TAG_FLOAT) {
    // Two floats (their own path: no int-to-float conversions to choose between).
    put(frame, dst, TAG_FLOAT, reinterpret<u64>(floatArith(op, reinterpret<f64>(ab), reinterpret<f64>(bb), blob, pc)), specialized);
  } else if (isNumber(at2) && isNumber(bt)) {
    put(frame, dst, TAG_FLOAT, reinterpret<u64>(floatArith(op, asFloat(at2, ab), asFloat(bt, bb), blob, pc)), specialized);
  } else if (op == OP_ADD && at2 == TAG_STRING && bt == TAG_STRING) {
    put(frame, dst, TAG_STRING, <u64>concat(<usize>ab, <usize>bb, blob, pc), specialized);
  } else fail(ERR_TYPE_ERROR, blob, pc);
}

/** a OP b on floats for LT, LE, GT, GE. */
@inline function floatCompare(op: u8, a: f64, b: f64): bool {
  return op == OP_LT ? a < b : op == OP_LE ? a <= b : op == OP_GT ? a > b : a >= b;
}

/** a OP b for LT, LE, GT, GE (numbers, or strings by bytes), EQ and NE (any values). */
@inline function compare(op: u8, at2: u64, ab: u64, bt: u64, bb: u64, blob: usize, pc: u32): bool {
  if (at2 == TAG_INT && bt == TAG_INT) {
    const a = <i64>ab, b = <i64>bb;
    return op == OP_LT ? a < b : op == OP_LE ? a <= b : op == OP_GT ? a > b : op == OP_GE ? a >= b : op == OP_EQ ? a == b : a != b;
  }
  // nil and booleans equal only themselves (valuesEqual's last case): a comparison with a nil or bool literal is then
  // two compares the specializer folds around the constant, not a call (sieve's `composite[i] == nil`).
  if ((op == OP_EQ || op == OP_NE) && (at2 == TAG_NIL || at2 == TAG_BOOL || bt == TAG_NIL || bt == TAG_BOOL))
    return (at2 == bt && ab == bb) == (op == OP_EQ);
  if (op == OP_EQ) return valuesEqual(at2, ab, bt, bb);
  if (op == OP_NE) return !valuesEqual(at2, ab, bt, bb);
  if (at2 == TAG_FLOAT && bt == TAG_FLOAT) return floatCompare(op, reinterpret<f64>(ab), reinterpret<f64>(bb));
  if (isNumber(at2) && isNumber(bt)) return floatCompare(op, asFloat(at2, ab), asFloat(bt, bb));
  if (at2 == TAG_STRING && bt == TAG_STRING) {
    const c = compareStrings(<usize>ab, <usize>bb);
    return op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
  }
  fail(ERR_TYPE_ERROR, blob, pc);
  return false;
}

/** The plain operator (OP_ADD … OP_NE) of a binary opcode in any form: lang/opcodes.ts numbers each fused form as
 *  its base plus the operator's index, ADD…MOD then LT…NE (lang/gen-as-constants.ts checks it). Arithmetic, not a
 *  table, so the specializer folds it. */
@inline function plainOperator(op: u8): u8 {
  if (op < FUSED_LOCAL) return op;
  const k = op & 15;
  return <u8>(k < 5 ? OP_ADD + k : OP_LT + k - 5);
}

/** Any binary operator, its result into slot dst. */
@inline function binaryValues(op: u8, frame: usize, dst: u32, at2: u64, ab: u64, bt: u64, bb: u64, blob: usize, pc: u32, specialized: bool): void {
  if (op <= OP_MOD) arith(op, frame, dst, at2, ab, bt, bb, blob, pc, specialized);
  else put(frame, dst, TAG_BOOL, <u64>compare(op, at2, ab, bt, bb, blob, pc), specialized);
}
/** Any binary operator: the left operand is the stack slot `dst`, which receives the result. */
@inline function binary(op: u8, frame: usize, dst: u32, bt: u64, bb: u64, blob: usize, pc: u32, specialized: bool): void {
  binaryValues(op, frame, dst, getTag(frame, dst, specialized), getBits(frame, dst, specialized), bt, bb, blob, pc, specialized);
}
/** `OP_LL i j`: both operands are locals (operands 0 and 1); the result is pushed into slot sp. */
@inline function binaryLocalLocal(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): void {
  const i = <u32>load<u16>(at, 1), j = <u32>load<u16>(at, 3);
  binaryValues(op, frame, sp, getTag(frame, i, specialized), getBits(frame, i, specialized), getTag(frame, j, specialized), getBits(frame, j, specialized), blob, pc, specialized);
}
/** `OP_LK i k`: local i and the integer constant k; the result is pushed into slot sp. */
@inline function binaryLocalConst(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): void {
  const i = <u32>load<u16>(at, 1);
  binaryValues(op, frame, sp, getTag(frame, i, specialized), getBits(frame, i, specialized), TAG_INT, load<u64>(at, 3), blob, pc, specialized);
}
/** `OP`: both operands on the stack. */
@inline function binaryStack(op: u8, frame: usize, sp: u32, blob: usize, pc: u32, specialized: bool): void {
  binary(op, frame, sp - 2, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), blob, pc, specialized);
}
/** `OP_L i`: the right operand is local i (operand 0). */
@inline function binaryLocal(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): void {
  const i = <u32>load<u16>(at, 1);
  binary(op, frame, sp - 1, getTag(frame, i, specialized), getBits(frame, i, specialized), blob, pc, specialized);
}
/** `OP_K k`: the right operand is the integer constant k (operand 0). */
@inline function binaryConst(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): void {
  binary(op, frame, sp - 1, TAG_INT, load<u64>(at, 1), blob, pc, specialized);
}
/** The compare-and-branch forms' condition, `b` in slot or constant as for binaryLocal/binaryConst (after the target). */
@inline function compareStack(op: u8, frame: usize, sp: u32, blob: usize, pc: u32, specialized: bool): bool {
  return compare(op, getTag(frame, sp - 2, specialized), getBits(frame, sp - 2, specialized), getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), blob, pc);
}
@inline function compareLocal(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): bool {
  const i = <u32>load<u16>(at, 5);
  return compare(op, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), getTag(frame, i, specialized), getBits(frame, i, specialized), blob, pc);
}
@inline function compareConst(op: u8, frame: usize, sp: u32, at: usize, blob: usize, pc: u32, specialized: bool): bool {
  return compare(op, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), TAG_INT, load<u64>(at, 5), blob, pc);
}

@inline function compareLocalLocal(op: u8, frame: usize, at: usize, blob: usize, pc: u32, specialized: bool): bool {
  const i = <u32>load<u16>(at, 5), j = <u32>load<u16>(at, 7);
  return compare(op, getTag(frame, i, specialized), getBits(frame, i, specialized), getTag(frame, j, specialized), getBits(frame, j, specialized), blob, pc);
}
@inline function compareLocalConst(op: u8, frame: usize, at: usize, blob: usize, pc: u32, specialized: bool): bool {
  const i = <u32>load<u16>(at, 5);
  return compare(op, getTag(frame, i, specialized), getBits(frame, i, specialized), TAG_INT, load<u64>(at, 7), blob, pc);
}

/** Alias classes (weval.assume.alias.class, declared in specialized code only): an object's header fields (length,
 *  capacity, storage pointer) and an array's element slots are never the same bytes, so the specializer keeps an
 *  array's length and storage pointer known across stores into elements (n-body's `b[3] -= …` between reads of b
 *  and c). Elements of two arrays are one class: two arrays may be the same one; but an array's element storage is
 *  a region (its own block, or inline in its own object), so `b[3]` and `c[6]` at constant indices are apart all the
 *  same: one array at two offsets, or two that never overlap. */
const ALIAS_HEADER: u32 = 1;
const ALIAS_ELEMENTS: u32 = 2;

/** Object obj's header, for reading its fields. */
@inline function header(obj: u64, specialized: bool): usize {
  return specialized ? assumeAliasClass(<usize>obj, ALIAS_HEADER) : <usize>obj;
}

/** The address of element i of array obj (16 bytes: tag, bits), or a Fern "index out of range" error. */
@inline function elementAt(obj: u64, i: u64, blob: usize, pc: u32, specialized: bool): usize {
  const o = header(obj, specialized);
  if (outOfRange(i, load<u32>(o, 12))) fail(ERR_INDEX_OUT_OF_RANGE, blob, pc);
  const elems = <usize>load<u32>(o, 20);
  const el = (specialized ? assumeAliasRegion(elems, ALIAS_ELEMENTS) : elems) + (<usize>i << 4);
  return specialized ? assumeAliasClass(el, ALIAS_ELEMENTS) : el;
}

/** container[key] into slot dst: arrays by int index inline, everything else in indexSlow. */
@inline function index(frame: usize, dst: u32, t: u64, obj: u64, it: u64, i: u64, blob: usize, pc: u32, specialized: bool): void {
  if (t == TAG_ARRAY && it == TAG_INT) {
    const el = elementAt(obj, i, blob, pc, specialized);
    put(frame, dst, load<u64>(el), load<u64>(el, 8), specialized);
  } else {
    indexSlow(t, obj, it, i, blob, pc);
    put(frame, dst, resultTag, resultBits, specialized);
  }
}


/** Leave a specialized body whose assumption failed at `pc`: write the live slots (registers) into the frame, as at a
 *  safe point, and finish the call in the generic body from `pc` — it redoes the instruction without the
 *  assumption. Returns the result's bits (its tag is in retTag), as after RETURN. */
@inline function deopt(blob: usize, frame: usize, pc: u32, sp: u32): u64 {
  sync(frame, sp, blob, true, true);
  return execResume(blob, frame, pc, sp);
}

/** Parameter k of a call with `argc` arguments on the stack below `sp`: argument k, the closure itself after the
 *  arguments (nil for a plain function), nil past that. */
@inline function argTag(frame: usize, sp: u32, argc: u32, k: u32, self: u64, specialized: bool): u64 {
  if (k < argc) return getTag(frame, sp - argc + k, specialized);
  return k == argc && self != 0 ? TAG_CLOSURE : TAG_NIL;
}
@inline function argBits(frame: usize, sp: u32, argc: u32, k: u32, self: u64, specialized: bool): u64 {
  if (k < argc) return getBits(frame, sp - argc + k, specialized);
  return k == argc ? self : 0;
}


// ---- feedback and speculation (lang/opcodes.ts's FEEDBACK) ----
/** The feedback bit for an element of tag `tag`. */
@inline function tagBit(tag: u64): u8 {
  return tag <= <u64>FEEDBACK_MAX_TAG_BIT ? <u8>(<u32>1 << (<u32>tag)) : FEEDBACK_OTHER;
}
/** Training only: OR `bit` into the feedback byte at `at`. */
@inline function record(at: usize, bit: u8): void {
  store<u8>(at, load<u8>(at) | bit);
}
/** The element tag an INDEX's feedback lets the specialized body assume, or -1: only an array with an int key was
 *  met, and elements of one tag. */
@inline function assumedTag(fb: u8): i64 {
  if (fb == 0 || fb >= FEEDBACK_OTHER || (fb & (fb - 1)) != 0) return -1;
  return <i64>ctz<u32>(<u32>fb);
}
/** Training only: spend one unit of fuel (a call or a loop's back-edge); out of fuel ends the training run. */
@inline function spendFuel(): void {
  if (--fuel < 0) unreachable();
}

/** Runs one call of the function `blob` in `frame`; its first ARG_PARAMS parameters come as (tag, bits) pairs, the
 *  rest in the frame. A call's frame starts where the caller's ends. With `resuming` (the generic body only), the
 *  frame already holds every live slot (a specialized body left them there on an exit, see deopt()) and the run
 *  continues at `resumePc` with `resumeSp`. */
@inline function body(
  blob: usize, frame: usize, tags: u64, b0: u64, b1: u64, b2: u64, b3: u64, specialized: bool,
  resuming: bool = false, resumePc: u32 = 0, resumeSp: u32 = 0,
): u64 {
  const t0 = argTagOf(tags, 0), t1 = argTagOf(tags, 1), t2 = argTagOf(tags, 2), t3 = argTagOf(tags, 3);
  const nparams = <u32>load<u16>(blob + FUNC_NPARAMS);
  const nlocals = <u32>load<u16>(blob + FUNC_NLOCALS);
  const arity = <u32>load<u16>(blob + FUNC_ARITY);
  // Where a callee's frame goes, and where the collector's roots end: recomputed from the (constant) header where
  // needed rather than kept in a local, which slowed the generic interpreter's loop by ~10% (one more live value).
  const top = frame + frameBytes(blob);
  const code = blob + FUNC_SIZE;
  if (top > frameLimit) fail(ERR_STACK_OVERFLOW, blob, 0);
  if (!specialized && training && !resuming) {
    spendFuel();
    if (nparams > 0) record(blob + FUNC_FEEDBACK, tagBit(t0));
    if (nparams > 1) record(blob + FUNC_FEEDBACK + 1, tagBit(t1));
    if (nparams > 2) record(blob + FUNC_FEEDBACK + 2, tagBit(t2));
    if (nparams > 3) record(blob + FUNC_FEEDBACK + 3, tagBit(t3));
  }
  let pc: u32 = resumePc;
  let sp: u32 = resuming ? resumeSp : nlocals; // slot index of the next free stack slot
  if (!resuming) {
  // The parameters passed as Wasm parameters: into registers when specialized, into the frame otherwise.
  if (nparams > 0) put(frame, 0, t0, b0, specialized);
  if (nparams > 1) put(frame, 1, t1, b1, specialized);
  if (nparams > 2) put(frame, 2, t2, b2, specialized);
  if (nparams > 3) put(frame, 3, t3, b3, specialized);
  if (specialized && FERN_REGISTERS) {
    // The rest from the frame into registers, one context per iteration so `i` stays constant.
    pushContext(PARAM_CONTEXT);
    for (let i: u32 = ARG_PARAMS; i < nparams; i++) {
      put(frame, i, load<u64>(slotAt(frame, i)), load<u64>(slotAt(frame, i), 8), true);
      updateContext(PARAM_CONTEXT + i + 1);
    }
    updateContext(0);
  } else {
    if (specialized) pushContext(0);
    memory.fill(slotAt(frame, nparams), 0, (nlocals - nparams) << 4);
  }
  if (gcRequested && load<u32>(blob + FUNC_LEAF) == 0) {
    // Safe point: every caller has synced; the parameters are the live slots.
    sync(frame, nparams, blob, specialized);
    collect(frameStack, top, globals, nglobals);
  }
  // Parameters whose feedback names one tag: assumed (a constant from here on), or the call finishes in the generic
  // body from pc 0 — every slot is in a register now, so deopt() leaves them all in the frame.
  if (specialized) {
    const a0 = assumedTag(load<u8>(blob + FUNC_FEEDBACK)), a1 = assumedTag(load<u8>(blob + FUNC_FEEDBACK + 1));
    const a2 = assumedTag(load<u8>(blob + FUNC_FEEDBACK + 2)), a3 = assumedTag(load<u8>(blob + FUNC_FEEDBACK + 3));
    if (nparams > 0 && a0 >= 0) {
      if (t0 != <u64>a0) { const bits = deopt(blob, frame, 0, nlocals); popContext(); return bits; }
      put(frame, 0, <u64>a0, b0, true);
    }
    if (nparams > 1 && a1 >= 0) {
      if (t1 != <u64>a1) { const bits = deopt(blob, frame, 0, nlocals); popContext(); return bits; }
      put(frame, 1, <u64>a1, b1, true);
    }
    if (nparams > 2 && a2 >= 0) {
      if (t2 != <u64>a2) { const bits = deopt(blob, frame, 0, nlocals); popContext(); return bits; }
      put(frame, 2, <u64>a2, b2, true);
    }
    if (nparams > 3 && a3 >= 0) {
      if (t3 != <u64>a3) { const bits = deopt(blob, frame, 0, nlocals); popContext(); return bits; }
      put(frame, 3, <u64>a3, b3, true);
    }
  }
  }
  let op = load<u8>(code + pc);
  while (true) {
    const at = code + pc;
    switch (op) {
      case OP_INT: { put(frame, sp++, TAG_INT, load<u64>(at, 1), specialized); pc += INT_SIZE; break; }
      case OP_FLOAT: { put(frame, sp++, TAG_FLOAT, load<u64>(at, 1), specialized); pc += FLOAT_SIZE; break; }
      case OP_TRUE: { put(frame, sp++, TAG_BOOL, 1, specialized); pc += 1; break; }
      case OP_FALSE: { put(frame, sp++, TAG_BOOL, 0, specialized); pc += 1; break; }
      case OP_NIL: { put(frame, sp++, TAG_NIL, 0, specialized); pc += 1; break; }
      case OP_STRING: { put(frame, sp++, TAG_STRING, <u64>load<u32>(at, 1), specialized); pc += STRING_SIZE; break; }
      case OP_FUNCTION: { put(frame, sp++, TAG_FUNCTION, <u64>load<u32>(at, 1), specialized); pc += FUNCTION_SIZE; break; }
      case OP_GET: {
        const i = <u32>load<u16>(at, 1);
        put(frame, sp++, getTag(frame, i, specialized), getBits(frame, i, specialized), specialized);
        pc += GET_SIZE;
        break;
      }
      case OP_SET: {
        const i = <u32>load<u16>(at, 1);
        sp--;
        put(frame, i, getTag(frame, sp, specialized), getBits(frame, sp, specialized), specialized);
        pc += SET_SIZE;
        break;
      }
      case OP_GET_GLOBAL: {
        const g = globals + (<usize>load<u32>(at, 1) << 4);
        put(frame, sp++, load<u64>(g), load<u64>(g, 8), specialized);
        pc += GET_GLOBAL_SIZE;
        break;
      }
      case OP_SET_GLOBAL: {
        const g = globals + (<usize>load<u32>(at, 1) << 4);
        sp--;
        store<u64>(g, getTag(frame, sp, specialized));
        store<u64>(g, getBits(frame, sp, specialized), 8);
        pc += SET_GLOBAL_SIZE;
        break;
      }
      case OP_BOX: {
        const b = newBox(getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), blob, pc);
        put(frame, sp - 1, TAG_BOX, <u64>b, specialized);
        pc += 1;
        break;
      }
      case OP_GET_BOXED: case OP_GET_UPVAL: case OP_GET_UPBOX: {
        const i = <u32>load<u16>(at, 1);
        const box = op == OP_GET_BOXED ? <usize>getBits(frame, i, specialized) : <usize>load<u32>(<usize>getBits(frame, arity, specialized) + 20 + (<usize>i << 2));
        if (op == OP_GET_UPBOX) put(frame, sp++, TAG_BOX, <u64>box, specialized);
        else put(frame, sp++, load<u64>(box, 16), load<u64>(box, 24), specialized);
        pc += GET_BOXED_SIZE;
        break;
      }
      case OP_SET_BOXED: case OP_SET_UPVAL: {
        const i = <u32>load<u16>(at, 1);
        const box = op == OP_SET_BOXED ? <usize>getBits(frame, i, specialized) : <usize>load<u32>(<usize>getBits(frame, arity, specialized) + 20 + (<usize>i << 2));
        sp--;
        store<u64>(box, getTag(frame, sp, specialized), 16);
        store<u64>(box, getBits(frame, sp, specialized), 24);
        pc += SET_BOXED_SIZE;
        break;
      }
      case OP_POP: { sp--; pc += 1; break; }
      case OP_DUP: { put(frame, sp, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), specialized); sp++; pc += 1; break; }
      case OP_DUP2: {
        put(frame, sp, getTag(frame, sp - 2, specialized), getBits(frame, sp - 2, specialized), specialized);
        put(frame, sp + 1, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), specialized);
        sp += 2;
        pc += 1;
        break;
      }
      // Binary operators, one case per opcode. The generic body runs each case's own copy, its operator a constant;
      // the specialized body (`if (!specialized)` folds away) falls through them all to the one shared copy after
      // them, where `op` is a constant of the context anyway: the specialized function, which the specializer reads
      // once per request, stays small.
      case OP_ADD: if (!specialized) { binaryStack(OP_ADD, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_SUB: if (!specialized) { binaryStack(OP_SUB, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_MUL: if (!specialized) { binaryStack(OP_MUL, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_DIV: if (!specialized) { binaryStack(OP_DIV, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_MOD: if (!specialized) { binaryStack(OP_MOD, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_LT: if (!specialized) { binaryStack(OP_LT, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_LE: if (!specialized) { binaryStack(OP_LE, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_GT: if (!specialized) { binaryStack(OP_GT, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_GE: if (!specialized) { binaryStack(OP_GE, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_EQ: if (!specialized) { binaryStack(OP_EQ, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_NE: if (!specialized) { binaryStack(OP_NE, frame, sp, blob, pc, false); sp--; pc += 1; break; }
      case OP_ADD_L: if (!specialized) { binaryLocal(OP_ADD, frame, sp, at, blob, pc, false); pc += ADD_L_SIZE; break; }
      case OP_SUB_L: if (!specialized) { binaryLocal(OP_SUB, frame, sp, at, blob, pc, false); pc += SUB_L_SIZE; break; }
      case OP_MUL_L: if (!specialized) { binaryLocal(OP_MUL, frame, sp, at, blob, pc, false); pc += MUL_L_SIZE; break; }
      case OP_DIV_L: if (!specialized) { binaryLocal(OP_DIV, frame, sp, at, blob, pc, false); pc += DIV_L_SIZE; break; }
      case OP_MOD_L: if (!specialized) { binaryLocal(OP_MOD, frame, sp, at, blob, pc, false); pc += MOD_L_SIZE; break; }
      case OP_LT_L: if (!specialized) { binaryLocal(OP_LT, frame, sp, at, blob, pc, false); pc += LT_L_SIZE; break; }
      case OP_LE_L: if (!specialized) { binaryLocal(OP_LE, frame, sp, at, blob, pc, false); pc += LE_L_SIZE; break; }
      case OP_GT_L: if (!specialized) { binaryLocal(OP_GT, frame, sp, at, blob, pc, false); pc += GT_L_SIZE; break; }
      case OP_GE_L: if (!specialized) { binaryLocal(OP_GE, frame, sp, at, blob, pc, false); pc += GE_L_SIZE; break; }
      case OP_EQ_L: if (!specialized) { binaryLocal(OP_EQ, frame, sp, at, blob, pc, false); pc += EQ_L_SIZE; break; }
      case OP_NE_L: if (!specialized) { binaryLocal(OP_NE, frame, sp, at, blob, pc, false); pc += NE_L_SIZE; break; }
      case OP_ADD_K: if (!specialized) { binaryConst(OP_ADD, frame, sp, at, blob, pc, false); pc += ADD_K_SIZE; break; }
      case OP_SUB_K: if (!specialized) { binaryConst(OP_SUB, frame, sp, at, blob, pc, false); pc += SUB_K_SIZE; break; }
      case OP_MUL_K: if (!specialized) { binaryConst(OP_MUL, frame, sp, at, blob, pc, false); pc += MUL_K_SIZE; break; }
      case OP_DIV_K: if (!specialized) { binaryConst(OP_DIV, frame, sp, at, blob, pc, false); pc += DIV_K_SIZE; break; }
      case OP_MOD_K: if (!specialized) { binaryConst(OP_MOD, frame, sp, at, blob, pc, false); pc += MOD_K_SIZE; break; }
      case OP_LT_K: if (!specialized) { binaryConst(OP_LT, frame, sp, at, blob, pc, false); pc += LT_K_SIZE; break; }
      case OP_LE_K: if (!specialized) { binaryConst(OP_LE, frame, sp, at, blob, pc, false); pc += LE_K_SIZE; break; }
      case OP_GT_K: if (!specialized) { binaryConst(OP_GT, frame, sp, at, blob, pc, false); pc += GT_K_SIZE; break; }
      case OP_GE_K: if (!specialized) { binaryConst(OP_GE, frame, sp, at, blob, pc, false); pc += GE_K_SIZE; break; }
      case OP_EQ_K: if (!specialized) { binaryConst(OP_EQ, frame, sp, at, blob, pc, false); pc += EQ_K_SIZE; break; }
      case OP_NE_K: if (!specialized) { binaryConst(OP_NE, frame, sp, at, blob, pc, false); pc += NE_K_SIZE; break; }
      case OP_ADD_LL: if (!specialized) { binaryLocalLocal(OP_ADD, frame, sp, at, blob, pc, false); sp++; pc += ADD_LL_SIZE; break; }
      case OP_SUB_LL: if (!specialized) { binaryLocalLocal(OP_SUB, frame, sp, at, blob, pc, false); sp++; pc += SUB_LL_SIZE; break; }
      case OP_MUL_LL: if (!specialized) { binaryLocalLocal(OP_MUL, frame, sp, at, blob, pc, false); sp++; pc += MUL_LL_SIZE; break; }
      case OP_DIV_LL: if (!specialized) { binaryLocalLocal(OP_DIV, frame, sp, at, blob, pc, false); sp++; pc += DIV_LL_SIZE; break; }
      case OP_MOD_LL: if (!specialized) { binaryLocalLocal(OP_MOD, frame, sp, at, blob, pc, false); sp++; pc += MOD_LL_SIZE; break; }
      case OP_LT_LL: if (!specialized) { binaryLocalLocal(OP_LT, frame, sp, at, blob, pc, false); sp++; pc += LT_LL_SIZE; break; }
      case OP_LE_LL: if (!specialized) { binaryLocalLocal(OP_LE, frame, sp, at, blob, pc, false); sp++; pc += LE_LL_SIZE; break; }
      case OP_GT_LL: if (!specialized) { binaryLocalLocal(OP_GT, frame, sp, at, blob, pc, false); sp++; pc += GT_LL_SIZE; break; }
      case OP_GE_LL: if (!specialized) { binaryLocalLocal(OP_GE, frame, sp, at, blob, pc, false); sp++; pc += GE_LL_SIZE; break; }
      case OP_EQ_LL: if (!specialized) { binaryLocalLocal(OP_EQ, frame, sp, at, blob, pc, false); sp++; pc += EQ_LL_SIZE; break; }
      case OP_NE_LL: if (!specialized) { binaryLocalLocal(OP_NE, frame, sp, at, blob, pc, false); sp++; pc += NE_LL_SIZE; break; }
      case OP_ADD_LK: if (!specialized) { binaryLocalConst(OP_ADD, frame, sp, at, blob, pc, false); sp++; pc += ADD_LK_SIZE; break; }
      case OP_SUB_LK: if (!specialized) { binaryLocalConst(OP_SUB, frame, sp, at, blob, pc, false); sp++; pc += SUB_LK_SIZE; break; }
      case OP_MUL_LK: if (!specialized) { binaryLocalConst(OP_MUL, frame, sp, at, blob, pc, false); sp++; pc += MUL_LK_SIZE; break; }
      case OP_DIV_LK: if (!specialized) { binaryLocalConst(OP_DIV, frame, sp, at, blob, pc, false); sp++; pc += DIV_LK_SIZE; break; }
      case OP_MOD_LK: if (!specialized) { binaryLocalConst(OP_MOD, frame, sp, at, blob, pc, false); sp++; pc += MOD_LK_SIZE; break; }
      case OP_LT_LK: if (!specialized) { binaryLocalConst(OP_LT, frame, sp, at, blob, pc, false); sp++; pc += LT_LK_SIZE; break; }
      case OP_LE_LK: if (!specialized) { binaryLocalConst(OP_LE, frame, sp, at, blob, pc, false); sp++; pc += LE_LK_SIZE; break; }
      case OP_GT_LK: if (!specialized) { binaryLocalConst(OP_GT, frame, sp, at, blob, pc, false); sp++; pc += GT_LK_SIZE; break; }
      case OP_GE_LK: if (!specialized) { binaryLocalConst(OP_GE, frame, sp, at, blob, pc, false); sp++; pc += GE_LK_SIZE; break; }
      case OP_EQ_LK: if (!specialized) { binaryLocalConst(OP_EQ, frame, sp, at, blob, pc, false); sp++; pc += EQ_LK_SIZE; break; }
      case OP_NE_LK: if (!specialized) { binaryLocalConst(OP_NE, frame, sp, at, blob, pc, false); sp++; pc += NE_LK_SIZE; break; }
      {
        // Every form reduces to: the left operand (a slot), the right one (a slot or a constant), the slot that
        // receives the result and the instruction's size. One switch on the form (a constant: it folds to one arm,
        // few blocks per context), then one copy of the operator.
        let lhs = sp - 1, dst = sp - 1, size: u32 = 1;
        let bt: u64 = TAG_INT, bb: u64 = 0;
        switch (<u32>op >> 4) {
          case FUSED_LOCAL >> 4: { const j = <u32>load<u16>(at, 1); bt = getTag(frame, j, specialized); bb = getBits(frame, j, specialized); size = ADD_L_SIZE; break; }
          case FUSED_CONSTANT >> 4: { bb = load<u64>(at, 1); size = ADD_K_SIZE; break; }
          case FUSED_LOCAL_LOCAL >> 4: { const j = <u32>load<u16>(at, 3); lhs = <u32>load<u16>(at, 1); dst = sp; bt = getTag(frame, j, specialized); bb = getBits(frame, j, specialized); size = ADD_LL_SIZE; break; }
          case FUSED_LOCAL_CONSTANT >> 4: { lhs = <u32>load<u16>(at, 1); dst = sp; bb = load<u64>(at, 3); size = ADD_LK_SIZE; break; }
          default: { lhs = sp - 2; dst = sp - 2; bt = getTag(frame, sp - 1, specialized); bb = getBits(frame, sp - 1, specialized); }
        }
        binaryValues(plainOperator(op), frame, dst, getTag(frame, lhs, specialized), getBits(frame, lhs, specialized), bt, bb, blob, pc, specialized);
        sp = dst + 1;
        pc += size;
        break;
      }
      // x += k and x += y: their own cases in the generic body, one shared copy when specialized (as above).
      case OP_INCR: if (!specialized) {
        const i = <u32>load<u16>(at, 1);
        arith(OP_ADD, frame, i, getTag(frame, i, false), getBits(frame, i, false), TAG_INT, load<u64>(at, 3), blob, pc, false);
        pc += INCR_SIZE;
        break;
      }
      case OP_INCR_L: if (!specialized) {
        const i = <u32>load<u16>(at, 1), j = <u32>load<u16>(at, 3);
        arith(OP_ADD, frame, i, getTag(frame, i, false), getBits(frame, i, false), getTag(frame, j, false), getBits(frame, j, false), blob, pc, false);
        pc += INCR_L_SIZE;
        break;
      }
      {
        const i = <u32>load<u16>(at, 1);
        let bt: u64 = TAG_INT, bb: u64;
        if (op == OP_INCR_L) {
          const j = <u32>load<u16>(at, 3);
          bt = getTag(frame, j, specialized);
          bb = getBits(frame, j, specialized);
        } else bb = load<u64>(at, 3);
        arith(OP_ADD, frame, i, getTag(frame, i, specialized), getBits(frame, i, specialized), bt, bb, blob, pc, specialized);
        pc += op == OP_INCR_L ? INCR_L_SIZE : INCR_SIZE;
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
        const target = load<u32>(at, JUMP_OPERAND_0);
        if (!specialized && training && target <= pc) spendFuel(); // a numeric loop's back-edge (no LOOP there)
        pc = target;
        if (specialized) updateContext(pc);
        op = load<u8>(code + pc);
        continue;
      }
      case OP_LOOP: {
        if (!specialized && training) spendFuel();
        if (gcRequested) {
          sync(frame, sp, blob, specialized);
          collect(frameStack, frame + frameBytes(blob), globals, nglobals);
        }
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
      // Compare-and-branch, one case per opcode in the generic body and one shared copy when specialized, as above.
      case OP_JUMP_IF_NOT_LT: if (!specialized) {
        const holds = compareStack(OP_LT, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LT_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LE: if (!specialized) {
        const holds = compareStack(OP_LE, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LE_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GT: if (!specialized) {
        const holds = compareStack(OP_GT, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GT_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GE: if (!specialized) {
        const holds = compareStack(OP_GE, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GE_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_EQ: if (!specialized) {
        const holds = compareStack(OP_EQ, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_EQ_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_NE: if (!specialized) {
        const holds = compareStack(OP_NE, frame, sp, blob, pc, false);
        sp -= 2; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_NE_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LT_L: if (!specialized) {
        const holds = compareLocal(OP_LT, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LT_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LE_L: if (!specialized) {
        const holds = compareLocal(OP_LE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LE_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GT_L: if (!specialized) {
        const holds = compareLocal(OP_GT, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GT_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GE_L: if (!specialized) {
        const holds = compareLocal(OP_GE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GE_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_EQ_L: if (!specialized) {
        const holds = compareLocal(OP_EQ, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_EQ_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_NE_L: if (!specialized) {
        const holds = compareLocal(OP_NE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_NE_L_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LT_K: if (!specialized) {
        const holds = compareConst(OP_LT, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LT_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LE_K: if (!specialized) {
        const holds = compareConst(OP_LE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LE_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GT_K: if (!specialized) {
        const holds = compareConst(OP_GT, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GT_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GE_K: if (!specialized) {
        const holds = compareConst(OP_GE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GE_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_EQ_K: if (!specialized) {
        const holds = compareConst(OP_EQ, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_EQ_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_NE_K: if (!specialized) {
        const holds = compareConst(OP_NE, frame, sp, at, blob, pc, false);
        sp -= 1; if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_NE_K_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LT_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_LT, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LT_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LE_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_LE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LE_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GT_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_GT, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GT_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GE_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_GE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GE_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_EQ_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_EQ, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_EQ_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_NE_LL: if (!specialized) {
        const holds = compareLocalLocal(OP_NE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_NE_LL_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LT_LK: if (!specialized) {
        const holds = compareLocalConst(OP_LT, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LT_LK_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_LE_LK: if (!specialized) {
        const holds = compareLocalConst(OP_LE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_LE_LK_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GT_LK: if (!specialized) {
        const holds = compareLocalConst(OP_GT, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GT_LK_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_GE_LK: if (!specialized) {
        const holds = compareLocalConst(OP_GE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_GE_LK_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_EQ_LK: if (!specialized) {
        const holds = compareLocalConst(OP_EQ, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_EQ_LK_SIZE;
        break;
      }
      case OP_JUMP_IF_NOT_NE_LK: if (!specialized) {
        const holds = compareLocalConst(OP_NE, frame, at, blob, pc, false);
        if (!holds) { pc = load<u32>(at, JUMP_OPERAND_0); op = load<u8>(code + pc); continue; }
        pc += JUMP_IF_NOT_NE_LK_SIZE;
        break;
      }
      {
        // As above: the left operand, the right one, the stack slots the instruction pops and its size.
        let lhs = sp - 1, pops: u32 = 1, size: u32 = JUMP_IF_NOT_LT_SIZE;
        let bt: u64 = TAG_INT, bb: u64 = 0;
        switch (<u32>op >> 3) {
          case JUMP_FUSED_LOCAL >> 3: { const j = <u32>load<u16>(at, 5); bt = getTag(frame, j, specialized); bb = getBits(frame, j, specialized); size = JUMP_IF_NOT_LT_L_SIZE; break; }
          case JUMP_FUSED_CONSTANT >> 3: { bb = load<u64>(at, 5); size = JUMP_IF_NOT_LT_K_SIZE; break; }
          case JUMP_FUSED_LOCAL_LOCAL >> 3: { const j = <u32>load<u16>(at, 7); lhs = <u32>load<u16>(at, 5); pops = 0; bt = getTag(frame, j, specialized); bb = getBits(frame, j, specialized); size = JUMP_IF_NOT_LT_LL_SIZE; break; }
          case JUMP_FUSED_LOCAL_CONSTANT >> 3: { lhs = <u32>load<u16>(at, 5); pops = 0; bb = load<u64>(at, 7); size = JUMP_IF_NOT_LT_LK_SIZE; break; }
          default: { lhs = sp - 2; pops = 2; bt = getTag(frame, sp - 1, specialized); bb = getBits(frame, sp - 1, specialized); }
        }
        const holds = compare(<u8>(OP_LT + (op & 7)), getTag(frame, lhs, specialized), getBits(frame, lhs, specialized), bt, bb, blob, pc);
        sp -= pops;
        if (!holds) {
          pc = load<u32>(at, JUMP_OPERAND_0);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        pc += size;
        break;
      }
      case OP_CALL: case OP_CALL_VALUE: {
        let calleeBlob: usize;
        let argc: u32;
        let self: u64 = 0;
        let leafCallee = false;
        if (op == OP_CALL) {
          // Linked by init (linkCalls): the callee's blob, or 0 when the argument count is not its arity.
          const linked = load<u32>(at, CALL_OPERAND_0);
          calleeBlob = <usize>(linked & ~LEAF_CALLEE);
          leafCallee = (linked & LEAF_CALLEE) != 0;
          argc = <u32>load<u16>(at, CALL_OPERAND_1);
          if (calleeBlob == 0) fail(ERR_WRONG_NUMBER_OF_ARGUMENTS, blob, pc);
        } else {
          argc = <u32>load<u16>(at, 1);
          const ct = getTag(frame, sp - argc - 1, specialized), cb = getBits(frame, sp - argc - 1, specialized);
          let f: u32 = 0;
          if (ct == TAG_FUNCTION) f = <u32>cb;
          else if (ct == TAG_CLOSURE) {
            f = load<u32>(<usize>cb, 16);
            self = cb;
          } else fail(ERR_NOT_A_FUNCTION, blob, pc);
          calleeBlob = <usize>load<u32>(funcs + (<usize>f << 2));
          if (argc != <u32>load<u16>(calleeBlob + FUNC_ARITY)) fail(ERR_WRONG_NUMBER_OF_ARGUMENTS, blob, pc);
          leafCallee = load<u32>(calleeBlob + FUNC_LEAF) != 0;
        }
        const base = op == OP_CALL ? sp - argc : sp - argc - 1; // the caller's live slots during the call
        if (!leafCallee) sync(frame, base, blob, specialized);
        const top = frame + frameBytes(blob);
        if (argc >= ARG_PARAMS) {
          // The arguments past the parameters go in the callee's frame. The callee would fail its own bound check
          // (its frame holds them and at least one stack slot): the same error, raised before writing past the end.
          if (top + FRAME_HEADER + (<usize>(argc + 1) << 4) > frameLimit) fail(ERR_STACK_OVERFLOW, calleeBlob, 0);
          if (specialized) pushContext(ARG_CONTEXT);
          for (let k: u32 = ARG_PARAMS; k < argc; k++) {
            const s = sp - argc + k;
            store<u64>(slotAt(top, k), getTag(frame, s, specialized));
            store<u64>(slotAt(top, k), getBits(frame, s, specialized), 8);
            if (specialized) updateContext(ARG_CONTEXT + k + 1);
          }
          if (specialized) popContext();
          store<u64>(slotAt(top, argc), self != 0 ? TAG_CLOSURE : TAG_NIL);
          store<u64>(slotAt(top, argc), self, 8);
        }
        const tags = argTag(frame, sp, argc, 0, self, specialized) | (argTag(frame, sp, argc, 1, self, specialized) << ARG_TAG_BITS) |
          (argTag(frame, sp, argc, 2, self, specialized) << (2 * ARG_TAG_BITS)) | (argTag(frame, sp, argc, 3, self, specialized) << (3 * ARG_TAG_BITS));
        const b0 = argBits(frame, sp, argc, 0, self, specialized), b1 = argBits(frame, sp, argc, 1, self, specialized);
        const b2 = argBits(frame, sp, argc, 2, self, specialized), b3 = argBits(frame, sp, argc, 3, self, specialized);
        sp = base;
        const slot = load<u32>(calleeBlob + FUNC_SLOT);
        const bits = slot != 0 ? call_indirect<u64>(slot, calleeBlob, top, tags, b0, b1, b2, b3) : execGeneric(calleeBlob, top, tags, b0, b1, b2, b3);
        const fbAt = at + (op == OP_CALL ? CALL_OPERAND_2 : CALL_VALUE_OPERAND_1);
        const next = pc + (op == OP_CALL ? CALL_SIZE : CALL_VALUE_SIZE);
        const assumed = assumedTag(load<u8>(fbAt));
        if (specialized && assumed >= 0) {
          // The result's tag as feedback says, or the call finishes in the generic body after this instruction.
          if (retTag != <u64>assumed) { put(frame, sp, retTag, bits, true); const out = deopt(blob, frame, next, sp + 1); popContext(); return out; }
          put(frame, sp++, <u64>assumed, bits, true);
        } else {
          if (!specialized && training) record(fbAt, tagBit(retTag));
          put(frame, sp++, retTag, bits, specialized);
        }
        pc = next;
        break;
      }
      case OP_RETURN: {
        retTag = getTag(frame, sp - 1, specialized);
        const bits = getBits(frame, sp - 1, specialized);
        if (specialized) popContext();
        return bits;
      }
      case OP_CLOSURE: {
        const f = load<u32>(at, CLOSURE_OPERAND_0);
        const n = <u32>load<u16>(at, CLOSURE_OPERAND_1);
        const c = newClosure(f, n, blob, pc);
        if (specialized) pushContext(LIST_CONTEXT);
        for (let k: u32 = 0; k < n; k++) {
          store<u32>(c + 20 + (<usize>k << 2), <u32>getBits(frame, sp - n + k, specialized));
          if (specialized) updateContext(LIST_CONTEXT + k + 1);
        }
        if (specialized) popContext();
        sp -= n;
        put(frame, sp++, TAG_CLOSURE, <u64>c, specialized);
        pc += CLOSURE_SIZE;
        break;
      }
      case OP_ARRAY: {
        const t = getTag(frame, sp - 1, specialized), n = <i64>getBits(frame, sp - 1, specialized);
        if (t != TAG_INT || n < 0 || n > 0x0fffffff) fail(ERR_TYPE_ERROR, blob, pc);
        put(frame, sp - 1, TAG_ARRAY, <u64>newArray(<u32>n, blob, pc), specialized);
        pc += 1;
        break;
      }
      case OP_ARRAY_LIT: {
        const n = <u32>load<u16>(at, 1);
        const a = newArray(n, blob, pc);
        const elems = <usize>load<u32>(a, 20);
        if (specialized) pushContext(LIST_CONTEXT);
        for (let k: u32 = 0; k < n; k++) {
          store<u64>(elems + (<usize>k << 4), getTag(frame, sp - n + k, specialized));
          store<u64>(elems + (<usize>k << 4), getBits(frame, sp - n + k, specialized), 8);
          if (specialized) updateContext(LIST_CONTEXT + k + 1);
        }
        if (specialized) popContext();
        sp -= n;
        put(frame, sp++, TAG_ARRAY, <u64>a, specialized);
        pc += ARRAY_LIT_SIZE;
        break;
      }
      case OP_MAP: { put(frame, sp++, TAG_MAP, <u64>newMap(blob, pc), specialized); pc += 1; break; }
      case OP_INDEX: case OP_STORE: {
        const base = op == OP_STORE ? sp - 3 : sp - 2;
        const t = getTag(frame, base, specialized), obj = getBits(frame, base, specialized);
        const it = getTag(frame, base + 1, specialized), i = getBits(frame, base + 1, specialized);
        const fb = load<u8>(at, INDEX_OPERAND_0); // STORE_OPERAND_0 is the same offset
        if (op == OP_INDEX) {
          const assumed = assumedTag(fb);
          if (specialized && assumed >= 0) {
            // Feedback says: an array, an int key, elements tagged `assumed`. Each check that fails leaves for the
            // generic body; the element is written (its tag a constant downstream) only where all held, so no
            // register merges the two paths. An index out of range is the same error either way.
            if (t != TAG_ARRAY || it != TAG_INT) { const bits = deopt(blob, frame, pc, sp); popContext(); return bits; }
            const el = elementAt(obj, i, blob, pc, true);
            if (load<u64>(el) != <u64>assumed) { const bits = deopt(blob, frame, pc, sp); popContext(); return bits; }
            put(frame, base, <u64>assumed, load<u64>(el, 8), true);
          } else {
            index(frame, base, t, obj, it, i, blob, pc, specialized);
            if (!specialized && training) record(at + INDEX_OPERAND_0, t == TAG_ARRAY && it == TAG_INT ? tagBit(getTag(frame, base, false)) : FEEDBACK_SLOW);
          }
          sp--;
          pc += INDEX_SIZE;
          break;
        }
        if (!specialized && training) record(at + STORE_OPERAND_0, t == TAG_ARRAY && it == TAG_INT ? FEEDBACK_ARRAY : FEEDBACK_SLOW);
        if (specialized && fb == FEEDBACK_ARRAY && (t != TAG_ARRAY || it != TAG_INT)) { const bits = deopt(blob, frame, pc, sp); popContext(); return bits; }
        if (t == TAG_ARRAY && it == TAG_INT) {
          const el = elementAt(obj, i, blob, pc, specialized);
          store<u64>(el, getTag(frame, sp - 1, specialized));
          store<u64>(el, getBits(frame, sp - 1, specialized), 8);
          sp -= 3;
        } else {
          storeSlow(t, obj, it, i, getTag(frame, sp - 1, specialized), getBits(frame, sp - 1, specialized), blob, pc);
          sp -= 3;
        }
        pc += STORE_SIZE;
        break;
      }
      case OP_INDEX_L: {
        const k = <u32>load<u16>(at, 1);
        const t = getTag(frame, sp - 1, specialized), obj = getBits(frame, sp - 1, specialized);
        const it = getTag(frame, k, specialized), i = getBits(frame, k, specialized);
        const assumed = assumedTag(load<u8>(at, INDEX_L_OPERAND_1));
        if (specialized && assumed >= 0) {
          // As in INDEX.
          if (t != TAG_ARRAY || it != TAG_INT) { const bits = deopt(blob, frame, pc, sp); popContext(); return bits; }
          const el = elementAt(obj, i, blob, pc, specialized);
          if (load<u64>(el) != <u64>assumed) { const bits = deopt(blob, frame, pc, sp); popContext(); return bits; }
          put(frame, sp - 1, <u64>assumed, load<u64>(el, 8), true);
        } else {
          index(frame, sp - 1, t, obj, it, i, blob, pc, specialized);
          if (!specialized && training) record(at + INDEX_L_OPERAND_1, t == TAG_ARRAY && it == TAG_INT ? tagBit(getTag(frame, sp - 1, false)) : FEEDBACK_SLOW);
        }
        pc += INDEX_L_SIZE;
        break;
      }
      case OP_LEN: {
        const t = getTag(frame, sp - 1, specialized), obj = <usize>getBits(frame, sp - 1, specialized);
        if (t != TAG_ARRAY && t != TAG_STRING && t != TAG_MAP) fail(ERR_NOT_AN_ARRAY, blob, pc);
        put(frame, sp - 1, TAG_INT, <u64>load<u32>(header(obj, specialized), 12), specialized);
        pc += 1;
        break;
      }
      case OP_PRINT: {
        sp--;
        printValue(getTag(frame, sp, specialized), getBits(frame, sp, specialized), <u32>load<u8>(at, 1));
        pc += PRINT_SIZE;
        break;
      }
      case OP_BUILTIN: {
        const id = <u32>load<u8>(at, BUILTIN_OPERAND_0);
        const argc = <u32>load<u8>(at, BUILTIN_OPERAND_1);
        if (isNumericBuiltin(id)) {
          // sqrt, abs, floor: in place on the stack top, no scratch memory and no call (specialized, `id` is a
          // constant and sqrt of a float is one f64.sqrt after its tag check).
          const t = getTag(frame, sp - 1, specialized), b = getBits(frame, sp - 1, specialized);
          put(frame, sp - 1, numericBuiltinTag(id, t), numericBuiltinBits(id, t, b, blob, pc), specialized);
          pc += BUILTIN_SIZE;
          break;
        }
        if (specialized) pushContext(LIST_CONTEXT);
        for (let k: u32 = 0; k < argc; k++) {
          store<u64>(scratch + (<usize>k << 4), getTag(frame, sp - argc + k, specialized));
          store<u64>(scratch + (<usize>k << 4), getBits(frame, sp - argc + k, specialized), 8);
          if (specialized) updateContext(LIST_CONTEXT + k + 1);
        }
        if (specialized) popContext();
        builtin(id, scratch, blob, pc);
        sp -= argc;
        put(frame, sp++, resultTag, resultBits, specialized);
        pc += BUILTIN_SIZE;
        break;
      }
      default:
        unreachable();
    }
    if (specialized) updateContext(pc);
    op = load<u8>(code + pc);
  }
}

function execGeneric(blob: usize, frame: usize, tags: u64, b0: u64, b1: u64, b2: u64, b3: u64): u64 {
  return body(blob, frame, tags, b0, b1, b2, b3, false);
}

function execSpecialized(blob: usize, frame: usize, tags: u64, b0: u64, b1: u64, b2: u64, b3: u64): u64 {
  return body(blob, frame, tags, b0, b1, b2, b3, true);
}

/** The generic body from `pc`, with `sp` live slots in the frame: where a specialized body's exit continues. */
function execResume(blob: usize, frame: usize, pc: u32, sp: u32): u64 {
  const nil: u64 = 0;
  return body(blob, frame, nil, nil, nil, nil, nil, false, true, pc, sp);
}

/** Resolve what the constant bytecode can know before it runs: each STRING instruction's literal number becomes the
 *  address of its (permanent) string object, and each CALL's function index the callee's blob address — or 0 when
 *  the call passes a number of arguments other than the callee's arity, an error when it runs. Then the specializer
 *  folds the callee's address, and the arity check costs nothing at run time; a leaf callee's gets LEAF_CALLEE. */
function link(code: usize, len: u32, strings: usize): void {
  let pc: u32 = 0;
  while (pc < len) {
    const op = load<u8>(code + pc);
    if (op == OP_STRING) store<u32>(code + pc, load<u32>(strings + (<usize>load<u32>(code + pc, 1) << 2)), 1);
    else if (op == OP_CALL) {
      const callee = <usize>load<u32>(funcs + (<usize>load<u32>(code + pc, CALL_OPERAND_0) << 2));
      const argc = <u32>load<u16>(code + pc, CALL_OPERAND_1);
      const leaf = load<u32>(callee + FUNC_LEAF) != 0 ? LEAF_CALLEE : 0;
      store<u32>(code + pc, argc == <u32>load<u16>(callee + FUNC_ARITY) ? <u32>callee | leaf : 0, CALL_OPERAND_0);
    }
    pc += instructionSize(op);
  }
}

/** 1 when the function's code has no CALL, CALL_VALUE or LOOP (see FUNC_LEAF). */
function isLeaf(code: usize, len: u32): u32 {
  let pc: u32 = 0;
  while (pc < len) {
    const op = load<u8>(code + pc);
    if (op == OP_CALL || op == OP_CALL_VALUE || op == OP_LOOP) return 0;
    pc += instructionSize(op);
  }
  return 1;
}

/** Exported as `wizer.initialize`: load the program, build the function table, queue one request per function. */
export function init(): void {
  const len = programLength();
  program = heap.alloc(len);
  programRead(program);
  setProgram(program);
  nfuncs = load<u32>(program + PROGRAM_NFUNCS);
  nglobals = load<u32>(program + PROGRAM_NGLOBALS);
  const nstrings = load<u32>(program + PROGRAM_NSTRINGS);
  const funcTable = program + PROGRAM_SIZE;
  const stringTable = funcTable + (<usize>nfuncs << 3);
  funcs = heap.alloc(<usize>nfuncs << 2);
  globals = heap.alloc(<usize>nglobals << 4);
  memory.fill(globals, 0, <usize>nglobals << 4);
  scratch = heap.alloc(64);
  initHeap();
  const strings = heap.alloc(<usize>nstrings << 2);
  for (let k: u32 = 0; k < nstrings; k++) {
    const at = program + <usize>load<u32>(stringTable + (<usize>k << 3));
    store<u32>(strings + (<usize>k << 2), <u32>permanentString(at, load<u32>(stringTable + (<usize>k << 3), 4)));
  }
  for (let i: u32 = 0; i < nfuncs; i++) store<u32>(funcs + (<usize>i << 2), <u32>(program + <usize>load<u32>(funcTable + (<usize>i << 3))));
  for (let i: u32 = 0; i < nfuncs; i++) {
    const blob = <usize>load<u32>(funcs + (<usize>i << 2));
    store<u32>(blob + FUNC_LEAF, isLeaf(blob + FUNC_SIZE, load<u32>(funcTable + (<usize>i << 3), 4) - FUNC_SIZE));
  }
  const generic = execSpecialized;
  requests = heap.alloc(<usize>nfuncs << 2);
  for (let i: u32 = 0; i < nfuncs; i++) {
    const blob = <usize>load<u32>(funcs + (<usize>i << 2));
    const blobLen = load<u32>(funcTable + (<usize>i << 3), 4);
    link(blob + FUNC_SIZE, blobLen - FUNC_SIZE, strings);
    // The blob is the constant (its copy keeps the function's index, which tools such as the explorer read); the
    // frame and the parameters are run-time values.
    const args = new WevalArgs(blobLen + 192).buffer(blob, blobLen);
    for (let k: u32 = 0; k < 2 + ARG_PARAMS; k++) args.runtime(); // the frame, the tags, the bits
    store<u32>(blob + FUNC_SLOT, 0);
    store<u32>(requests + (<usize>i << 2), <u32>wevalRequest(blob + FUNC_SLOT, generic.index, FERN_FUNC_ID, 0, args));
  }
}

/** The training protocol (docs/new-interpreter.md, "Training"): the host calls train(fuel) on a throwaway copy of
 *  the snapshot — the program runs on the generic body, which records in each INDEX, INDEX_L and STORE's feedback
 *  byte what it met, until the program ends, fails or spends `fuel` (calls plus loop back-edges; then it traps) —
 * *  then trainEnd(), which copies the feedback (the header's parameter bytes and the code) into each request's constant buffer; the host keeps
 *  those buffers in the snapshot and nothing else. */
export function train(budget: u64): void {
  training = true;
  fuel = <i64>budget;
  run();
}
export function trainEnd(): void {
  training = false;
  const funcTable = program + PROGRAM_SIZE;
  for (let i: u32 = 0; i < nfuncs; i++) {
    const blob = <usize>load<u32>(funcs + (<usize>i << 2));
    const blobLen = load<u32>(funcTable + (<usize>i << 3), 4);
    const req = <usize>load<u32>(requests + (<usize>i << 2));
    if (req == 0) continue;
    const copy = <usize>load<u32>(req, REQ_ARGBUF) + ARG_HEADER_SIZE;
    memory.copy(copy + FUNC_FEEDBACK, blob + FUNC_FEEDBACK, blobLen - FUNC_FEEDBACK);
  }
}

/** Run `main` (function 0); returns 0 (errors are thrown by the host's futamura.error). */
export function run(): u64 {
  // The frame stack is made here, not by init, so the snapshot stays small; untouched pages cost nothing.
  if (frameStack == 0) {
    frameStack = heap.alloc(FRAME_STACK_BYTES);
    frameLimit = frameStack + FRAME_STACK_BYTES;
  }
  // A run starts the program afresh: its globals nil, as init left them, and a collection an earlier run asked for
  // done now, with no frame live. Without it a host that runs the program again in one instance (`futamura bench`'s
  // warm runs) kept every earlier run's objects when `main` has no safe point (a leaf: sieve's 16 MB array): the heap
  // grew by that much per run, each run's allocation faulted in fresh pages (sieve: ~7 ms of kernel time of ~20),
  // and the runs ended in "out of memory".
  memory.fill(globals, 0, <usize>nglobals << 4);
  if (gcRequested) collect(frameStack, frameStack, globals, nglobals);
  const blob = <usize>load<u32>(funcs);
  const slot = load<u32>(blob + FUNC_SLOT);
  const nil: u64 = 0;
  if (slot != 0) call_indirect<u64>(slot, blob, frameStack, nil, nil, nil, nil, nil);
  else execGeneric(blob, frameStack, nil, nil, nil, nil, nil);
  return 0;
}
