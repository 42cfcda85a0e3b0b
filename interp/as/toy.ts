// The toy accumulator machine's interpreter (the ISA of "Compilers for free with weval"), written for weval.
//
// One source, three bodies: `body` is @inline and takes compile-time flags, so asc emits
//   execGeneric     — the interpreter users run: no intrinsic calls at all;
//   execSpecialized — the one the specializer copies per bytecode pc: contexts, and locals as weval registers;
//                     it only ever runs after specialization (its intrinsics trap in an unspecialized module);
//   execTraced      — the generic body plus a host call per step (`futamura run --trace`).
// Locals live in memory for the generic bodies and in weval registers (read.reg/write.reg, lifted to SSA values
// by the specializer) for the specialized one; the accumulator is a Wasm local, already an SSA value. So the
// specialized code does not leave the locals in memory: only output and the HALT value are observable.
// Registers start at zero, like the machine's locals (a futamura guarantee; see specializer docs).
//
// Program input: the init (`wizer.initialize`, renamed by interp/build.ts) asks the host for the program bytes
// through the imports futamura.program_length/program_read, keeps them in the heap, and queues one weval request:
// specialize execSpecialized with (program bytes constant, locals pointer at run time). `run` calls the specialized
// function through its table slot when the specializer has filled it, execGeneric otherwise.
import {
  HEADER_SIZE, HEADER_LOCAL_COUNT, HEADER_CODE_LENGTH, HEADER_STRING_COUNT, STRING_ENTRY_SIZE,
  OP_LOAD_IMMEDIATE, OP_STORE_LOCAL, OP_LOAD_LOCAL, OP_PRINT, OP_PRINTI, OP_JMPNZ, OP_INC, OP_DEC, OP_ADD, OP_HALT,
  LOAD_IMMEDIATE_SIZE, STORE_LOCAL_SIZE, LOAD_LOCAL_SIZE, PRINT_SIZE, PRINTI_SIZE, JMPNZ_SIZE, INC_SIZE, DEC_SIZE,
  ADD_SIZE, LOAD_IMMEDIATE_OPERAND_0, STORE_LOCAL_OPERAND_0, LOAD_LOCAL_OPERAND_0, PRINT_OPERAND_0, JMPNZ_OPERAND_0,
  ADD_OPERAND_0, ADD_OPERAND_1,
} from "./toy-opcodes";
import { pushContext, updateContext, popContext, readReg, writeReg, WevalArgs, wevalRequest } from "./weval";

export { wevalPendingHead, wevalIsWevaled } from "./weval";

@external("futamura", "program_length") declare function programLength(): u32;
@external("futamura", "program_read") declare function programRead(dst: usize): void;
@external("futamura", "write") declare function write(ptr: usize, len: u32): void;
@external("futamura", "print_u64") declare function printU64(value: u64): void;
@external("futamura", "trace") declare function trace(pc: u32, acc: u64): void;

/** A stable id for this interpreter's request kind (weval's user_id). */
const TOY_FUNC_ID: u32 = 1;

let program: usize = 0;
let programLen: u32 = 0;
let locals: usize = 0;
let localBytes: u32 = 0;
/** Receives the specialized function's table index (0: not specialized). */
const specializedSlot: usize = memory.data(4, 4);

@inline function getLocal(locals: usize, i: u32, specialized: bool): u64 {
  return specialized ? readReg(<u64>i) : load<u64>(locals + (<usize>i << 3));
}

@inline function setLocal(locals: usize, i: u32, value: u64, specialized: bool): void {
  if (specialized) writeReg(<u64>i, value);
  else store<u64>(locals + (<usize>i << 3), value);
}

@inline function body(prog: usize, locals: usize, specialized: bool, tracing: bool): u64 {
  const code = prog + HEADER_SIZE;
  const strings = code + load<u32>(prog + HEADER_CODE_LENGTH);
  const stringData = strings + load<u32>(prog + HEADER_STRING_COUNT) * STRING_ENTRY_SIZE;
  let pc: u32 = 0;
  let acc: u64 = 0;
  if (specialized) pushContext(pc);
  let op = load<u8>(code);
  while (true) {
    if (tracing) trace(pc, acc);
    const at = code + pc;
    switch (op) {
      case OP_LOAD_IMMEDIATE: {
        acc = load<u64>(at + LOAD_IMMEDIATE_OPERAND_0);
        pc += LOAD_IMMEDIATE_SIZE;
        break;
      }
      case OP_STORE_LOCAL: {
        setLocal(locals, load<u8>(at + STORE_LOCAL_OPERAND_0), acc, specialized);
        pc += STORE_LOCAL_SIZE;
        break;
      }
      case OP_LOAD_LOCAL: {
        acc = getLocal(locals, load<u8>(at + LOAD_LOCAL_OPERAND_0), specialized);
        pc += LOAD_LOCAL_SIZE;
        break;
      }
      case OP_PRINT: {
        const entry = strings + load<u32>(at + PRINT_OPERAND_0) * STRING_ENTRY_SIZE;
        write(stringData + load<u32>(entry), load<u32>(entry + 4));
        pc += PRINT_SIZE;
        break;
      }
      case OP_PRINTI: {
        printU64(acc);
        pc += PRINTI_SIZE;
        break;
      }
      case OP_JMPNZ: {
        if (acc != 0) {
          pc = load<u32>(at + JMPNZ_OPERAND_0);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        pc += JMPNZ_SIZE;
        break;
      }
      case OP_INC: {
        acc += 1;
        pc += INC_SIZE;
        break;
      }
      case OP_DEC: {
        acc -= 1;
        pc += DEC_SIZE;
        break;
      }
      case OP_ADD: {
        acc = getLocal(locals, load<u8>(at + ADD_OPERAND_0), specialized) + getLocal(locals, load<u8>(at + ADD_OPERAND_1), specialized);
        pc += ADD_SIZE;
        break;
      }
      case OP_HALT: {
        if (specialized) popContext();
        return acc;
      }
      default:
        unreachable(); // the validator rejects unknown opcodes before a program gets here
    }
    // The one join point before the back-edge: the next pc is known here, so this is where the context changes.
    if (specialized) updateContext(pc);
    op = load<u8>(code + pc);
  }
}

function execGeneric(prog: usize, locals: usize): u64 {
  return body(prog, locals, false, false);
}

function execSpecialized(prog: usize, locals: usize): u64 {
  return body(prog, locals, true, false);
}

function execTraced(prog: usize, locals: usize): u64 {
  return body(prog, locals, false, true);
}

/** Exported as `wizer.initialize`: load the program and queue its specialization request. */
export function init(): void {
  programLen = programLength();
  program = heap.alloc(programLen);
  programRead(program);
  localBytes = <u32>load<u16>(program + HEADER_LOCAL_COUNT) << 3;
  locals = heap.alloc(localBytes > 0 ? localBytes : 8);
  const args = new WevalArgs(programLen + 64).buffer(program, programLen).runtime();
  const generic = execSpecialized;
  wevalRequest(specializedSlot, generic.index, TOY_FUNC_ID, 0, args);
}

/** Run the program from the start with fresh locals; returns the accumulator at HALT. */
export function run(): u64 {
  memory.fill(locals, 0, localBytes);
  const slot = load<u32>(specializedSlot);
  if (slot != 0) return call_indirect<u64>(slot, program, locals);
  return execGeneric(program, locals);
}

/** Run with a host trace call before every instruction. */
export function runTraced(): u64 {
  memory.fill(locals, 0, localBytes);
  return execTraced(program, locals);
}
