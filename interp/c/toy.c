/* The toy accumulator machine (bytecode/opcodes.ts) as a C interpreter for weval's ABI: futamura's second worked
 * example, a WASI command built by clang (interp/c-build.ts) and pre-initialized like a wizer module.
 *
 *   wizer-initialize  reads the program (.fbc, bytecode/format.ts) from standard input, checks its header, and
 *                     queues one weval request: specialize interpret_specialized on (the program bytes as a
 *                     constant buffer, the state pointer at run time). Snapshot it with
 *                     `futamura snapshot --wasi toy-c.wasm prog.asm` or `wizer --allow-wasi -r _start=wizer.resume
 *                     --preload weval=interp/c/weval-stubs.wat toy-c.wasm < prog.fbc`.
 *   wizer.resume      the snapshot's `_start` (the rename both tools apply): runs the program and exits with 0, or
 *                     1 when init could not load it. Output goes to standard output.
 *   _start            the module run as it is: init, then the same run (an interpreter without a snapshot).
 *   run               runs the program once more and returns the halt value (for benchmarks, after _start).
 *
 * One body, two copies (weval's template<bool Specialized>): interpret_generic never calls an intrinsic;
 * interpret_specialized does and only ever runs after specialization. The pc is a pointer into the program buffer
 * (weval's pointer pcs). The loop has the shape clang keeps specializable: the next pc and the context update at
 * the top of the loop, and a taken branch updating the context on its own path before `continue`. Compiled with
 * -DTOY_LOOP_BOTTOM it has the shape that fails: one update at the bottom of the loop, which clang folds into a
 * select between the branch target and the fall-through, so the pc is not a constant there.
 *
 * State (TOY_STATE): TOY_REGISTERS keeps the accumulator in a C local and the machine's locals in weval registers;
 * TOY_VIRTUAL keeps the locals in memory through read/write.local and the accumulator on the virtual operand
 * stack (push/read/write.stack, sync.stack before output), and prints the final memory state, which the
 * specialized code must have written back on return exactly as the generic code does.
 * -msimd128 adds a SIMD checksum of the program in init (printed first), so the module uses SIMD.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#include "toy-opcodes.h"
#include "weval.h"

#define TOY_REGISTERS 0
#define TOY_VIRTUAL 1
#ifndef TOY_STATE
#define TOY_STATE TOY_REGISTERS
#endif

WEVAL_DEFINE_GLOBALS()

/* The machine's memory: 256 locals and a one-entry operand stack (the accumulator, in TOY_VIRTUAL). */
typedef struct {
  uint64_t locals[256];
  uint64_t stack[1];
} toy_state;

typedef uint64_t (*interpret_fn)(const uint8_t *program, toy_state *state);

static uint8_t *program;
static uint32_t program_length;
static uint32_t program_checksum;
static const char *load_error;
static toy_state state;
/* Receives the specialized interpreter (a table index); NULL until futamura fills it. */
static interpret_fn specialized_slot;

#define LOAD(type, p) ({ type v_; memcpy(&v_, (p), sizeof v_); v_; })
#define PTR(p) ((uint32_t)(uintptr_t)(p))

#if TOY_STATE == TOY_REGISTERS
#define GET_LOCAL(i) (specialized ? weval_read_reg(i) : st->locals[i])
#define SET_LOCAL(i, v) do { if (specialized) weval_write_reg(i, v); else st->locals[i] = (v); } while (0)
#define ACC_INIT() uint64_t acc_ = 0
#define GET_ACC() acc_
#define SET_ACC(v) (acc_ = (v))
#define BEFORE_OUTPUT() do {} while (0)
#else
#define GET_LOCAL(i) (specialized ? weval_read_local(&st->locals[i], i) : st->locals[i])
#define SET_LOCAL(i, v) do { if (specialized) weval_write_local(&st->locals[i], i, v); else st->locals[i] = (v); } while (0)
#define ACC_INIT() do { if (specialized) weval_push_stack(&st->stack[0], 0); else st->stack[0] = 0; } while (0)
#define GET_ACC() (specialized ? weval_read_stack(&st->stack[0], 0) : st->stack[0])
#define SET_ACC(v) do { if (specialized) weval_write_stack(&st->stack[0], 0, v); else st->stack[0] = (v); } while (0)
/* Output leaves the interpreter: the stack is in memory while it runs (as an interpreter with a GC would). */
#define BEFORE_OUTPUT() do { if (specialized) weval_sync_stack(); } while (0)
#endif

static inline __attribute__((always_inline)) uint64_t interpret(const uint8_t *prog, toy_state *st, const int specialized) {
  const uint8_t *code = prog + HEADER_SIZE;
  const uint8_t *strings = code + LOAD(uint32_t, prog + HEADER_CODE_LENGTH);
  const uint8_t *string_data = strings + LOAD(uint32_t, prog + HEADER_STRING_COUNT) * STRING_ENTRY_SIZE;
  const uint8_t *pc = code;
  ACC_INIT();
  if (specialized) weval_push_context(PTR(pc));
  for (;;) {
    const uint8_t *at = pc;
    const uint8_t op = *at;
#ifndef TOY_LOOP_BOTTOM
    /* The top of the loop: the fall-through pc is known from the opcode alone, so the context changes here. */
    pc = at + ((TOY_SIZES >> (4u * op)) & 15u);
    if (specialized) weval_update_context(PTR(pc));
#endif
    switch (op) {
      case OP_LOAD_IMMEDIATE:
        SET_ACC(LOAD(uint64_t, at + LOAD_IMMEDIATE_OPERAND_0));
        break;
      case OP_STORE_LOCAL:
        SET_LOCAL(at[STORE_LOCAL_OPERAND_0], GET_ACC());
        break;
      case OP_LOAD_LOCAL:
        SET_ACC(GET_LOCAL(at[LOAD_LOCAL_OPERAND_0]));
        break;
      case OP_PRINT: {
        const uint8_t *entry = strings + LOAD(uint32_t, at + PRINT_OPERAND_0) * STRING_ENTRY_SIZE;
        BEFORE_OUTPUT();
        fwrite(string_data + LOAD(uint32_t, entry), 1, LOAD(uint32_t, entry + 4), stdout);
        break;
      }
      case OP_PRINTI:
        BEFORE_OUTPUT();
        printf("%llu", (unsigned long long)GET_ACC());
        break;
      case OP_JMPNZ:
        if (GET_ACC() != 0) {
          pc = code + LOAD(uint32_t, at + JMPNZ_OPERAND_0);
#ifndef TOY_LOOP_BOTTOM
          if (specialized) weval_update_context(PTR(pc));
          continue;
#endif
        }
#ifdef TOY_LOOP_BOTTOM
        else pc = at + JMPNZ_SIZE;
#endif
        break;
      case OP_INC:
        SET_ACC(GET_ACC() + 1);
        break;
      case OP_DEC:
        SET_ACC(GET_ACC() - 1);
        break;
      case OP_ADD:
        SET_ACC(GET_LOCAL(at[ADD_OPERAND_0]) + GET_LOCAL(at[ADD_OPERAND_1]));
        break;
      case OP_HALT: {
        uint64_t result = GET_ACC();
        if (specialized) weval_pop_context();
        return result;
      }
      default:
        __builtin_trap(); /* the assembler and validator never emit an unknown opcode */
    }
#ifdef TOY_LOOP_BOTTOM
    /* The shape that fails: every case's next pc meets here, and the update sees clang's select of them. */
    if (op != OP_JMPNZ) pc = at + ((TOY_SIZES >> (4u * op)) & 15u);
    if (specialized) weval_update_context(PTR(pc));
#endif
  }
}

__attribute__((noinline)) static uint64_t interpret_generic(const uint8_t *prog, toy_state *st) {
  return interpret(prog, st, 0);
}

__attribute__((noinline)) static uint64_t interpret_specialized(const uint8_t *prog, toy_state *st) {
  return interpret(prog, st, 1);
}

/* A checksum of the program bytes, with SIMD when the module is built with -msimd128. */
static uint32_t checksum(const uint8_t *p, uint32_t n) {
  uint32_t sum = 0, i = 0;
#ifdef __wasm_simd128__
  v128_t acc = wasm_i32x4_splat(0);
  for (; i + 16 <= n; i += 16) {
    v128_t bytes = wasm_v128_load(p + i);
    v128_t lo = wasm_u16x8_extend_low_u8x16(bytes), hi = wasm_u16x8_extend_high_u8x16(bytes);
    acc = wasm_i32x4_add(acc, wasm_i32x4_add(wasm_u32x4_extend_low_u16x8(lo), wasm_u32x4_extend_high_u16x8(lo)));
    acc = wasm_i32x4_add(acc, wasm_i32x4_add(wasm_u32x4_extend_low_u16x8(hi), wasm_u32x4_extend_high_u16x8(hi)));
  }
  sum = wasm_i32x4_extract_lane(acc, 0) + wasm_i32x4_extract_lane(acc, 1) + wasm_i32x4_extract_lane(acc, 2) + wasm_i32x4_extract_lane(acc, 3);
#endif
  for (; i < n; i++) sum += p[i];
  return sum;
}

/* Read all of standard input. */
static uint8_t *read_stdin(uint32_t *length) {
  uint32_t cap = 4096, len = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (len == cap && !(buf = realloc(buf, cap *= 2))) return NULL;
    ssize_t n = read(0, buf + len, cap - len);
    if (n < 0) return NULL;
    if (n == 0) break;
    len += (uint32_t)n;
  }
  *length = len;
  return buf;
}

static void init(void) {
  program = read_stdin(&program_length);
  if (!program) {
    load_error = "cannot read the program from standard input";
    return;
  }
  if (program_length < HEADER_SIZE || memcmp(program, "FUTA", 4) != 0) {
    load_error = "standard input is not a futamura bytecode program (.fbc)";
    return;
  }
  if (HEADER_SIZE + (uint64_t)LOAD(uint32_t, program + HEADER_CODE_LENGTH) > program_length) {
    load_error = "the program's code runs past its end";
    return;
  }
  program_checksum = checksum(program, program_length);
  weval_args_t args = {0};
  weval_args_buffer(&args, program, program_length);
  weval_args_runtime(&args);
  weval_request((weval_func_t)interpret_specialized, (weval_func_t *)&specialized_slot, 3, 0, &args);
}

/* Run the program from the start with fresh state; returns the accumulator at HALT. */
__attribute__((export_name("run"))) uint64_t run(void) {
  memset(&state, 0, sizeof state);
  interpret_fn f = specialized_slot ? specialized_slot : interpret_generic;
  return f(program, &state);
}

static int run_main(void) {
  if (load_error) {
    fprintf(stderr, "toy-c: %s\n", load_error);
    return 1;
  }
#ifdef __wasm_simd128__
  printf("checksum %u\n", program_checksum);
#endif
  uint64_t halt = run();
  printf("halt %llu\n", (unsigned long long)halt);
#if TOY_STATE == TOY_VIRTUAL
  uint32_t count = LOAD(uint16_t, program + HEADER_LOCAL_COUNT);
  printf("memory: acc %llu, locals", (unsigned long long)state.stack[0]);
  for (uint32_t i = 0; i < count; i++) printf(" %llu", (unsigned long long)state.locals[i]);
  printf("\n");
#endif
  fflush(stdout);
  return 0;
}

void __wasm_call_ctors(void);
void __wasi_proc_exit(uint32_t code);

/* Pre-initialization (wizer's and futamura's default init name): constructors, then load the program. */
__attribute__((export_name("wizer-initialize"))) void wizer_initialize(void) {
  __wasm_call_ctors();
  init();
}

/* The initialized module's entry point (renamed to _start): constructors already ran in init. */
__attribute__((export_name("wizer.resume"))) void wizer_resume(void) {
  int code = run_main();
  if (code) __wasi_proc_exit(code);
}

/* The module run without a snapshot: libc's _start calls this after the constructors. */
int main(void) {
  init();
  return run_main();
}
