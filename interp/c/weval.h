/* futamura's weval ABI for C interpreters: the same import names ("weval" module), the same request and argument
 * record layouts and the same two exports as weval's own include/weval.h (v0.4.x), so an interpreter written
 * against either header specializes with futamura and with weval. Written for futamura from the ABI in
 * shared/DESIGN.md; the layout is checked below by static assertions.
 *
 *   weval_req_t (32 bytes):   next@0 prev@4 user_id@8 num_globals@12 func@16 argbuf@20 arglen@24 specialized@28
 *   weval_req_arg_t (16 b.):  specialize@0 ty@4 payload@8; a buffer's payload is {len, padded_len} and its bytes
 *                             follow the record, zero-padded to a multiple of 8.
 *
 * Use: WEVAL_DEFINE_GLOBALS() once; in init, build an argument list (weval_args_*) and call weval_request(); the
 * specializer (futamura specialize / build) fills *specialized with a table index, i.e. a function pointer.
 * Keep two copies of the interpreter body: a generic one that never calls an intrinsic, and one that does and only
 * runs specialized (an intrinsic traps or does nothing in an unspecialized module). See docs/new-interpreter.md. */
#ifndef FUTAMURA_WEVAL_H
#define FUTAMURA_WEVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void (*weval_func_t)(void);
typedef struct weval_req_t weval_req_t;

struct weval_req_t {
  weval_req_t *next;
  weval_req_t *prev;
  uint32_t user_id;      /* a stable id for the kind of function (weval's cache key) */
  uint32_t num_globals;  /* how many leading argument records are specialization globals */
  weval_func_t func;     /* the generic function (its table index) */
  uint8_t *argbuf;       /* argument records */
  uint32_t arglen;
  weval_func_t *specialized; /* receives the specialized function */
};

enum {
  WEVAL_ARG_I32 = 0,
  WEVAL_ARG_I64 = 1,
  WEVAL_ARG_F32 = 2,
  WEVAL_ARG_F64 = 3,
  WEVAL_ARG_BUFFER = 4,
  WEVAL_ARG_NONE = 255, /* a run-time argument */
};

typedef struct {
  uint32_t specialize;
  uint32_t ty;
  union {
    uint64_t raw;
    uint32_t i32;
    uint64_t i64;
    float f32;
    double f64;
    struct {
      uint32_t len;
      uint32_t padded_len;
    } buffer;
  } u;
} weval_req_arg_t;

_Static_assert(sizeof(void *) == 4, "weval's ABI is for wasm32");
_Static_assert(sizeof(weval_req_t) == 32 && offsetof(weval_req_t, func) == 16 && offsetof(weval_req_t, specialized) == 28, "weval_req_t layout");
_Static_assert(sizeof(weval_req_arg_t) == 16 && offsetof(weval_req_arg_t, u) == 8, "weval_req_arg_t layout");

/* The request list and the "already specialized" flag, found by the specializer through two exports. */
extern weval_req_t *weval_req_pending_head;
extern bool weval_is_wevaled;

#define WEVAL_DEFINE_GLOBALS()                                                                       \
  weval_req_t *weval_req_pending_head;                                                               \
  bool weval_is_wevaled;                                                                             \
  __attribute__((export_name("weval.pending.head"))) weval_req_t **weval_pending_head_address(void) { \
    return &weval_req_pending_head;                                                                  \
  }                                                                                                  \
  __attribute__((export_name("weval.is.wevaled"))) bool *weval_is_wevaled_address(void) {            \
    return &weval_is_wevaled;                                                                        \
  }

/* ---- intrinsics (module "weval"); meaning during specialization in parentheses ---- */
#define WEVAL_IMPORT(name) __attribute__((import_module("weval"), import_name(name)))

/* Contexts: one copy of the loop body per constant pc (a number, or a pointer into a constant buffer argument). */
void weval_push_context(uint32_t pc) WEVAL_IMPORT("push.context");
void weval_update_context(uint32_t pc) WEVAL_IMPORT("update.context");
void weval_pop_context(void) WEVAL_IMPORT("pop.context");
/* One copy per value lo..=hi of a run-time value (returns the value). */
uint32_t weval_specialize_value(uint32_t value, uint32_t lo, uint32_t hi) WEVAL_IMPORT("specialize.value");
/* Virtual registers, lifted to SSA values (constant index; start at zero). */
uint64_t weval_read_reg(uint64_t idx) WEVAL_IMPORT("read.reg");
void weval_write_reg(uint64_t idx, uint64_t value) WEVAL_IMPORT("write.reg");
/* The request's specialization globals (its first num_globals argument records), as constants. */
uint64_t weval_read_specialization_global(uint32_t index) WEVAL_IMPORT("read.specialization.global");
/* The virtual operand stack: entries are (address, value) pairs kept as SSA values and stored to their address
 * only at sync.stack, where paths with different stacks join, and on return. Index 0 is the last push. */
void weval_push_stack(uint64_t *ptr, uint64_t value) WEVAL_IMPORT("push.stack");
uint64_t weval_pop_stack(uint64_t *ptr) WEVAL_IMPORT("pop.stack");
uint64_t weval_read_stack(uint64_t *ptr, uint32_t index) WEVAL_IMPORT("read.stack");
void weval_write_stack(uint64_t *ptr, uint32_t index, uint64_t value) WEVAL_IMPORT("write.stack");
void weval_sync_stack(void) WEVAL_IMPORT("sync.stack");
/* Virtual interpreter locals: (address, value) pairs, stored like stack entries (and at sync.stack). */
uint64_t weval_read_local(const uint64_t *ptr, uint32_t index) WEVAL_IMPORT("read.local");
void weval_write_local(uint64_t *ptr, uint32_t index, uint64_t value) WEVAL_IMPORT("write.local");
/* Constant memory (weval's assume_const_memory): returns p, and tells the specializer that the memory p points to
 * (and, with _transitive, every pointer loaded through it, at each level) holds what the snapshot holds for the
 * specialized code's lifetime, so loads through p at constant addresses read the snapshot. */
const void *weval_assume_const_memory(const void *p) WEVAL_IMPORT("assume.const.memory");
const void *weval_assume_const_memory_transitive(const void *p) WEVAL_IMPORT("assume.const.memory.transitive");
/* futamura's, not weval's: returns p, and declares that every access through p (or p plus a constant) touches memory
 * of alias class cls only, which no access through a pointer of another class touches — a type-based alias fact
 * (e.g. a table's array part apart from the interpreter's frames). A false declaration miscompiles. */
void *weval_assume_alias_class(void *p, uint32_t cls) WEVAL_IMPORT("assume.alias.class");
/* futamura's: weval_assume_alias_class, and p is where an object of class cls starts, no two objects so declared
 * overlap, and every access through p plus a constant stays inside p's object: accesses through two such pointers
 * at disjoint constant offsets are apart, equal pointers or not (e.g. two tables' array parts). */
void *weval_assume_alias_region(void *p, uint32_t cls) WEVAL_IMPORT("assume.alias.region");
/* Diagnostics. */
void weval_assert_const32(uint32_t value, uint32_t line) WEVAL_IMPORT("assert.const32");
void weval_assert_const_memory(const void *p, uint32_t line) WEVAL_IMPORT("assert.const.memory");
void weval_abort_specialization(uint32_t line, uint32_t fatal) WEVAL_IMPORT("abort.specialization");
void weval_trace_line(uint32_t line) WEVAL_IMPORT("trace.line");
void weval_print(const char *message, uint32_t line, uint32_t value) WEVAL_IMPORT("print");
void weval_context_bucket(uint32_t bucket) WEVAL_IMPORT("context.bucket");

#undef WEVAL_IMPORT

/* ---- building a request ---- */

typedef struct {
  uint8_t *bytes;
  uint32_t len;
  uint32_t cap;
} weval_args_t;

static inline weval_req_arg_t *weval_args_grow(weval_args_t *a, uint32_t extra) {
  if (a->len + extra > a->cap) {
    uint32_t cap = a->cap ? a->cap : 64;
    while (cap < a->len + extra) cap *= 2;
    a->bytes = (uint8_t *)realloc(a->bytes, cap);
    if (!a->bytes) abort();
    a->cap = cap;
  }
  uint8_t *at = a->bytes + a->len;
  memset(at, 0, extra);
  a->len += extra;
  return (weval_req_arg_t *)at;
}

/* A constant scalar argument (ty: WEVAL_ARG_I32 … F64; raw: its bits). */
static inline void weval_args_const(weval_args_t *a, uint32_t ty, uint64_t raw) {
  weval_req_arg_t *r = weval_args_grow(a, sizeof(weval_req_arg_t));
  r->specialize = 1;
  r->ty = ty;
  r->u.raw = raw;
}

/* A pointer argument whose len bytes are constant: the specializer reads loads through it from this copy. */
static inline void weval_args_buffer(weval_args_t *a, const void *data, uint32_t len) {
  uint32_t padded = (len + 7u) & ~7u;
  uint32_t at = a->len;
  weval_args_grow(a, sizeof(weval_req_arg_t) + padded);
  weval_req_arg_t *r = (weval_req_arg_t *)(a->bytes + at);
  r->specialize = 1;
  r->ty = WEVAL_ARG_BUFFER;
  r->u.buffer.len = len;
  r->u.buffer.padded_len = padded;
  memcpy(a->bytes + at + sizeof(weval_req_arg_t), data, len);
}

/* An argument known only at run time. */
static inline void weval_args_runtime(weval_args_t *a) {
  weval_req_arg_t *r = weval_args_grow(a, sizeof(weval_req_arg_t));
  r->specialize = 0;
  r->ty = WEVAL_ARG_NONE;
}

/* Queue a request: specialize `generic` on `args` (taken over by the request) and store the result in *slot. */
static inline weval_req_t *weval_request(weval_func_t generic, weval_func_t *slot, uint32_t user_id, uint32_t num_globals, weval_args_t *args) {
  weval_req_t *req = (weval_req_t *)calloc(1, sizeof(weval_req_t));
  if (!req) abort();
  req->user_id = user_id;
  req->num_globals = num_globals;
  req->func = generic;
  req->argbuf = args->bytes;
  req->arglen = args->len;
  req->specialized = slot;
  if (!weval_is_wevaled) {
    req->next = weval_req_pending_head;
    if (weval_req_pending_head) weval_req_pending_head->prev = req;
    weval_req_pending_head = req;
  }
  args->bytes = NULL;
  args->len = args->cap = 0;
  return req;
}

#endif
