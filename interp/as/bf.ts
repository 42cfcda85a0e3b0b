// The Brainfuck interpreter: the worked example of docs/new-interpreter.md, on futamura's host ABI only.
//
// Bytecode (made by brainfuck/loader.ts): 8-byte instructions { u8 op, 3 bytes padding, i32 argument }, with
// runs of + - and of < > merged into one ADD n / MOVE n, `[-]` and `[+]` as one CLEAR, and each bracket holding the
// byte pc just past its partner. The tape (65,536 byte cells, zeroed by every `run`) lives in memory: its cells are
// addressed by a run-time pointer, so they cannot be weval registers; the pointer itself is a Wasm local (an SSA
// value once specialized). So the specializer removes the dispatch (each op becomes straight-line code, each
// bracket a real branch) but the tape stays loads and stores: expect a few times faster, not Fern's tens.
//
// One source, two bodies, as toy.ts: `execGeneric` (no intrinsic calls) and `execSpecialized` (contexts keyed by
// pc; it only runs after specialization). Output is futamura.write of the cell, input futamura.read into the cell
// (at end of input the cell keeps its value), and a pointer that leaves the tape is futamura.error(1, pc), which
// the loader maps to the source line and column.
import { pushContext, updateContext, popContext, WevalArgs, wevalRequest } from "./weval";

export { wevalPendingHead, wevalIsWevaled } from "./weval";

@external("futamura", "program_length") declare function programLength(): u32;
@external("futamura", "program_read") declare function programRead(dst: usize): void;
@external("futamura", "write") declare function write(ptr: usize, len: u32): void;
@external("futamura", "read") declare function read(dst: usize, max: u32): u32;
@external("futamura", "error") declare function hostError(code: u32, pc: u32): void;

// Opcodes and sizes: brainfuck/loader.ts writes the same numbers (BF_OPS there).
const OP_HALT: u8 = 0;
const OP_ADD: u8 = 1;
const OP_MOVE: u8 = 2;
const OP_OUT: u8 = 3;
const OP_IN: u8 = 4;
const OP_JZ: u8 = 5;
const OP_JNZ: u8 = 6;
const OP_CLEAR: u8 = 7;
const INSN_SIZE: u32 = 8;
const ARG: usize = 4;
const TAPE_SIZE: u32 = 65536;
const ERR_TAPE_BOUNDS: u32 = 1;
/** A stable id for this interpreter's request kind (weval's user_id). */
const BF_FUNC_ID: u32 = 3;

let program: usize = 0;
let tape: usize = 0;
/** Receives the specialized function's table index (0: not specialized). */
const specializedSlot: usize = memory.data(4, 4);

@inline function body(code: usize, tape: usize, specialized: bool): void {
  let pc: u32 = 0;
  let ptr: u32 = 0;
  if (specialized) pushContext(pc);
  let op = load<u8>(code);
  while (true) {
    const at = code + pc;
    switch (op) {
      case OP_ADD: {
        store<u8>(tape + ptr, load<u8>(tape + ptr) + <u8>load<i32>(at, ARG));
        break;
      }
      case OP_MOVE: {
        ptr += <u32>load<i32>(at, ARG);
        if (ptr >= TAPE_SIZE) { // a move left of cell 0 wraps to a huge u32 too
          hostError(ERR_TAPE_BOUNDS, pc);
          unreachable(); // the host's error ends the run
        }
        break;
      }
      case OP_OUT: {
        write(tape + ptr, 1);
        break;
      }
      case OP_IN: {
        read(tape + ptr, 1);
        break;
      }
      case OP_CLEAR: {
        store<u8>(tape + ptr, 0);
        break;
      }
      case OP_JZ: {
        if (load<u8>(tape + ptr) == 0) {
          pc = load<u32>(at, ARG);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        break;
      }
      case OP_JNZ: {
        if (load<u8>(tape + ptr) != 0) {
          pc = load<u32>(at, ARG);
          if (specialized) updateContext(pc);
          op = load<u8>(code + pc);
          continue;
        }
        break;
      }
      case OP_HALT: {
        if (specialized) popContext();
        return;
      }
      default:
        unreachable(); // the loader writes only the opcodes above
    }
    // The one join point before the back-edge: the next pc is known here.
    pc += INSN_SIZE;
    if (specialized) updateContext(pc);
    op = load<u8>(code + pc);
  }
}

function execGeneric(code: usize, tape: usize): void {
  body(code, tape, false);
}

function execSpecialized(code: usize, tape: usize): void {
  body(code, tape, true);
}

/** Exported as `wizer.initialize`: load the program, allocate the tape, queue the specialization request. */
export function init(): void {
  const len = programLength();
  program = heap.alloc(len);
  programRead(program);
  tape = heap.alloc(TAPE_SIZE);
  const args = new WevalArgs(len + 64).buffer(program, len).runtime();
  const generic = execSpecialized;
  wevalRequest(specializedSlot, generic.index, BF_FUNC_ID, 0, args);
}

/** Run the program on a fresh tape. */
export function run(): void {
  memory.fill(tape, 0, TAPE_SIZE);
  const slot = load<u32>(specializedSlot);
  if (slot != 0) call_indirect<void>(slot, program, tape);
  else execGeneric(program, tape);
}
