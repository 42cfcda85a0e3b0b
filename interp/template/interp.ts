// __NAME__: an interpreter for futamura, scaffolded by `futamura new-interp __NAME__` (docs/new-interpreter.md).
//
// A register machine: 16 registers of 64 bits, instructions of 16 bytes { u8 op, u8 a, u8 b, u8 0, u32 target,
// i64 immediate } made by loader.mjs from `.__EXT__` assembly. Change the opcodes, the loader and this file
// together; `npx futamura diff` tells you when the compiled program stops matching the interpreter.
//
// One source, two bodies: `body` is @inline with a compile-time flag, so asc emits
//   execGeneric     — what runs interpreted: registers in memory, no weval intrinsic calls at all;
//   execSpecialized — what futamura copies once per bytecode pc: the pc is a weval context, the registers are weval
//                     registers (readReg/writeReg with a constant index become SSA values: no memory traffic).
// The host ABI (futamura.*): program_length/program_read give init the program; print_u64 and write print; error
// (code, pc) reports a runtime error, which the loader turns into file:line; exit(code) ends the run with an exit
// code. weval.ts is weval's ABI (copied).
import { pushContext, updateContext, popContext, readReg, writeReg, WevalArgs, wevalRequest } from "./weval";

export { wevalPendingHead, wevalIsWevaled } from "./weval";

@external("futamura", "program_length") declare function programLength(): u32;
@external("futamura", "program_read") declare function programRead(dst: usize): void;
@external("futamura", "print_u64") declare function printU64(value: u64): void;
@external("futamura", "write") declare function write(ptr: usize, len: u32): void;
@external("futamura", "error") declare function hostError(code: u32, pc: u32): void;
@external("futamura", "exit") declare function hostExit(code: i32): void;

// The opcodes: loader.mjs has the same table (OPS).
const OP_HALT: u8 = 0;
const OP_SET: u8 = 1; // ra = immediate
const OP_ADD: u8 = 2; // ra += rb
const OP_SUB: u8 = 3; // ra -= rb
const OP_MUL: u8 = 4; // ra *= rb
const OP_DIV: u8 = 5; // ra /= rb (unsigned; error 1 when rb is 0)
const OP_JNZ: u8 = 6; // if ra != 0 goto target
const OP_PRINT: u8 = 7; // print ra in decimal and a newline
const OP_EXIT: u8 = 8; // end the run with exit code ra
const INSN_SIZE: u32 = 16;
const REGISTERS: u32 = 16;
const ERR_DIVISION_BY_ZERO: u32 = 1;
/** A stable id for this interpreter's request kind (weval's user_id). */
const FUNC_ID: u32 = 100;

let program: usize = 0;
let regs: usize = 0;
/** Receives the specialized function's table index (0: not specialized). */
const specializedSlot: usize = memory.data(4, 4);
const newline: usize = memory.data<u8>([10]);

@inline function get(regs: usize, i: u32, specialized: bool): u64 {
  return specialized ? readReg(<u64>i) : load<u64>(regs + (<usize>i << 3));
}

@inline function set(regs: usize, i: u32, value: u64, specialized: bool): void {
  if (specialized) writeReg(<u64>i, value);
  else store<u64>(regs + (<usize>i << 3), value);
}

@inline function body(code: usize, regs: usize, specialized: bool): void {
  let pc: u32 = 0;
  if (specialized) pushContext(pc);
  let op = load<u8>(code);
  while (true) {
    const at = code + pc;
    const a = <u32>load<u8>(at, 1);
    const b = <u32>load<u8>(at, 2);
    switch (op) {
      case OP_SET: { set(regs, a, load<u64>(at, 8), specialized); break; }
      case OP_ADD: { set(regs, a, get(regs, a, specialized) + get(regs, b, specialized), specialized); break; }
      case OP_SUB: { set(regs, a, get(regs, a, specialized) - get(regs, b, specialized), specialized); break; }
      case OP_MUL: { set(regs, a, get(regs, a, specialized) * get(regs, b, specialized), specialized); break; }
      case OP_DIV: {
        const d = get(regs, b, specialized);
        if (d == 0) {
          hostError(ERR_DIVISION_BY_ZERO, pc);
          unreachable(); // the host's error ends the run
        }
        set(regs, a, get(regs, a, specialized) / d, specialized);
        break;
      }
      case OP_JNZ: {
        if (get(regs, a, specialized) != 0) {
          // A taken branch: the next pc is a constant here, so update the context on this path and go round.
          pc = load<u32>(at, 4);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        break;
      }
      case OP_PRINT: {
        printU64(get(regs, a, specialized));
        write(newline, 1);
        break;
      }
      case OP_EXIT: {
        hostExit(<i32>get(regs, a, specialized));
        unreachable(); // the host ends the run
      }
      case OP_HALT: {
        if (specialized) popContext();
        return;
      }
      default:
        unreachable(); // the loader writes only the opcodes above
    }
    // The one join point before the back-edge: the next pc is known, so the context changes here.
    pc += INSN_SIZE;
    if (specialized) updateContext(pc);
    op = load<u8>(code + pc);
  }
}

function execGeneric(code: usize, regs: usize): void {
  body(code, regs, false);
}

function execSpecialized(code: usize, regs: usize): void {
  body(code, regs, true);
}

/** Exported as `wizer.initialize`: load the program and ask futamura to specialize execSpecialized for it. */
export function init(): void {
  const len = programLength();
  program = heap.alloc(len);
  programRead(program);
  regs = heap.alloc(REGISTERS << 3);
  // The code is a constant buffer (its loads fold away); the registers pointer is known only at run time.
  const args = new WevalArgs(len + 64).buffer(program, len).runtime();
  const generic = execSpecialized;
  wevalRequest(specializedSlot, generic.index, FUNC_ID, 0, args);
}

/** Run the program with fresh registers: the specialized code when futamura filled the slot, else the interpreter. */
export function run(): void {
  memory.fill(regs, 0, REGISTERS << 3);
  const slot = load<u32>(specializedSlot);
  if (slot != 0) call_indirect<void>(slot, program, regs);
  else execGeneric(program, regs);
}
