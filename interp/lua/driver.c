/* futamura's Lua driver: a WASI command that runs one Lua script the way `lua script.lua` does, split for
 * pre-initialization. Init (`wizer-initialize`) reads "NAME\0LENGTH\0SOURCE" from standard input (interp/lua/loader.ts
 * writes it), opens the standard libraries and compiles the script; in the annotated build it also queues one weval
 * request per function of the script (luaV_wevalrequests, from the annotation patch). The snapshot's `_start`
 * (`wizer.resume`) runs the compiled chunk. Errors print as lua.c prints them: "lua: MESSAGE" and a traceback on
 * standard error, exit code 1.
 *
 * The host a script meets is the run's, never the build's: init runs at build time with no files and an empty
 * environment (and wasi-libc's constructors read both there), so the snapshot's resume registers this run's
 * preopened directories (the folders `futamura run` grants, each under its host path), reads the environment again
 * and moves to the host's working directory ($PWD, which the runner sets), so relative paths mean what they mean to
 * `lua`. LUA_PATH(_5_4) and LUA_INIT(_5_4) are read at run time in both modes, as lua.c reads them. */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>
#include <wasi/libc-environ.h>
#include <wasi/libc.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "lobject.h"
#include "lopcodes.h"
#include "lstate.h" /* G(L)->warnf (new_state) */
#ifdef FUTAMURA_LUA_WEVAL
#include "weval.h"
WEVAL_DEFINE_GLOBALS()
void luaV_wevalrequests(Proto *p);
void lstrlib_wpattern(const char *p, size_t len);
void lstrlib_wrepl(const char *p, size_t len);

/* Which of the string library's pattern functions constant k names: 1 + its index in `names` (gsub is 4), or 0. */
static int wmatchername(const TValue *k) {
  static const char *const names[] = {"find", "match", "gmatch", "gsub"};
  if (!ttisshrstring(k)) return 0;
  for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
    if (tsslen(tsvalue(k)) == strlen(names[n]) && memcmp(getstr(tsvalue(k)), names[n], strlen(names[n])) == 0)
      return (int)n + 1;
  return 0;
}

/* The constant patterns of q and its functions, each to lstrlib_wpattern (which takes the first 32 well-formed ones):
 * the string library's matcher specialized on each (lstrlib.c's wmatch_spec, lua-weval.patch). A pattern here is a
 * string constant of at most 48 bytes with a pattern's special character ("^$*+?.([%-") loaded (OP_LOADK) as the
 * second argument of a call of a function found by one of those names: `s:find(P)` (OP_SELF), `string.gsub(s, P)`
 * (OP_GETFIELD), before the call itself within 64 instructions. A pattern in a variable is matched by the specialized
 * code too when the same constant is also written at such a call, and by the generic matcher otherwise. A gsub's
 * third argument loaded the same way, with a '%', goes to lstrlib_wrepl (its replacement specialized). */
static void wpatterns(const Proto *q) {
  for (int j = 0; j < q->sizecode; j++) {
    Instruction i = q->code[j];
    int a = GETARG_A(i), name;
    if (!((GET_OPCODE(i) == OP_SELF && GETARG_k(i)) || GET_OPCODE(i) == OP_GETFIELD) ||
        (name = wmatchername(&q->k[GETARG_C(i)])) == 0)
      continue;
    for (int n = j + 1; n < q->sizecode && n <= j + 64; n++) {
      Instruction c = q->code[n];
      if ((GET_OPCODE(c) == OP_CALL || GET_OPCODE(c) == OP_TAILCALL) && GETARG_A(c) == a) break;
      if (GET_OPCODE(c) != OP_LOADK || !ttisstring(&q->k[GETARG_Bx(c)])) continue;
      TString *ts = tsvalue(&q->k[GETARG_Bx(c)]);
      size_t len = tsslen(ts);
      if (GETARG_A(c) == a + 2 && len > 0 && len <= 48 && strpbrk(getstr(ts), "^$*+?.([%-") != NULL)
        lstrlib_wpattern(getstr(ts), len);
      else if (name == 4 && GETARG_A(c) == a + 3 && len <= 48 && memchr(getstr(ts), '%', len) != NULL)
        lstrlib_wrepl(getstr(ts), len);
    }
  }
  for (int j = 0; j < q->sizep; j++) wpatterns(q->p[j]);
}
#endif

/* The heap's break for wasi-libc's malloc (dlmalloc, which asks sbrk for 64 KiB at a time), replacing libc's sbrk:
 * memory grows by at least a quarter of its size at once. V8 takes about a millisecond per memory.grow of a 64 MiB
 * memory (and may collect after it), so an allocating script paid that every 64 KiB (binary trees: 16 grows, a
 * third of its run); now it pays it a few times. The memory above the break is reserve, which sbrk hands out first. */
void *sbrk(intptr_t increment) {
  static uintptr_t brk; /* 0 until the first call: the memory's end then */
  uintptr_t end = __builtin_wasm_memory_size(0) * 65536;
  if (brk == 0) brk = end;
  if (increment < 0) {
    errno = EINVAL; /* dlmalloc here never trims (as under libc's sbrk, which aborts) */
    return (void *)-1;
  }
  if ((uintptr_t)increment > end - brk) {
    uintptr_t need = ((uintptr_t)increment - (end - brk) + 65535) / 65536, quarter = end / 65536 / 4;
    if (__builtin_wasm_memory_grow(0, need > quarter ? need : quarter) == (size_t)-1 &&
        (need >= quarter || __builtin_wasm_memory_grow(0, need) == (size_t)-1)) {
      errno = ENOMEM;
      return (void *)-1;
    }
  }
  uintptr_t old = brk;
  brk += (uintptr_t)increment;
  return (void *)old;
}

/* Lua's allocator (the state is made with it, new_state): small blocks, the bulk of what a script allocates and the
 * collector frees (tables, closures, short strings, upvalues), are kept on free lists by size class, 16 bytes apart,
 * and handed out again without dlmalloc's coalescing; larger ones go to malloc/realloc/free as lauxlib's l_alloc sends
 * them. A block's class is the size Lua gives with it (osize: Lua passes every block's exact size when it frees or
 * resizes it, its collector's accounting depends on it) rounded up, which is what small_acquire allocated for that
 * class, so no block's size is read back from dlmalloc (malloc_usable_size was a call per free: 2% of oop.lua). When
 * malloc fails, the lists go back to dlmalloc and it is asked again, so a script runs out of memory where it would
 * have without them. Lua's own accounting (the collector's pace) counts the sizes it asks for either way. */
#define SMALL_MAX FUTAMURA_SMALL_MAX
#define SMALL_CLASS(size) FUTAMURA_SMALL_CLASS(size)
void *futamura_small_blocks[SMALL_CLASS(SMALL_MAX) + 1]; /* (lua-wasi.h: the specialized copy pops them too) */

static void *system_malloc(size_t size) {
  void *p = malloc(size);
  if (p == NULL) {
    for (size_t c = 0; c <= SMALL_CLASS(SMALL_MAX); c++)
      while (futamura_small_blocks[c]) {
        void *next = *(void **)futamura_small_blocks[c];
        free(futamura_small_blocks[c]);
        futamura_small_blocks[c] = next;
      }
    p = malloc(size);
  }
  return p;
}

static void *small_acquire(size_t size) {
  if (size > SMALL_MAX) return system_malloc(size);
  size_t c = SMALL_CLASS(size);
  void *p = futamura_small_blocks[c];
  if (p == NULL) return system_malloc(c << 4);
  futamura_small_blocks[c] = *(void **)p;
  return p;
}

static void small_release(void *p, size_t size) {
  if (size > SMALL_MAX) return free(p);
  size_t c = SMALL_CLASS(size);
  *(void **)p = futamura_small_blocks[c];
  futamura_small_blocks[c] = p;
}

void *futamura_allocator(void *ud, void *p, size_t osize, size_t nsize) {
  (void)ud;
  if (nsize == 0) {
    if (p) small_release(p, osize);
    return NULL;
  }
  if (p == NULL) return small_acquire(nsize); /* osize is the new object's type here */
  if (osize > SMALL_MAX && nsize > SMALL_MAX) return realloc(p, nsize);
  if (osize <= SMALL_MAX && nsize <= SMALL_CLASS(osize) << 4) return p; /* it fits the block's class */
  void *q = small_acquire(nsize);
  if (q == NULL) return NULL;
  memcpy(q, p, osize < nsize ? osize : nsize);
  small_release(p, osize);
  return q;
}

/* A state whose every block came from futamura_allocator (a block's class is its size), with lauxlib's panic and warning
 * functions (static in lauxlib.c: taken from a state luaL_newstate made, then closed). */
static lua_State *new_state(void) {
  lua_State *model = luaL_newstate();
  if (!model) return NULL;
  lua_State *L = lua_newstate(futamura_allocator, NULL);
  if (L) {
    lua_atpanic(L, lua_atpanic(model, NULL));
    lua_setwarnf(L, G(model)->warnf, L);
  }
  lua_close(model);
  return L;
}

static lua_State *L;
static int load_status = LUA_OK;
#define WSTACK 8000 /* see init */
/* The heap's free top, made this large in init: wasi-libc's dlmalloc asks sbrk for what one allocation needs (64 KiB
 * granules) and cannot grow a block in place past the top's end, so a table's array part doubling to 8 MB (sieve.lua)
 * was copied into fresh memory at each doubling, touching twice its size; each fresh page is a page fault, about 4 us
 * on this VM (2026-12-07: sieve.lua took 4,130 faults a run, 2,100 with this), and memory.grow once pages are in use
 * costs up to 15 ms. With a large free top, the growing array extends in place (dlrealloc), and the memory grows at
 * build time, before any page is touched. Only the pages a script uses are ever touched; Lua's own accounting (the
 * GC's pace, collectgarbage("count")) does not see it. */
#define HEAP_TOP (32u << 20)
static const char *progname = "lua";

/* Read n bytes of standard input exactly (read() may return fewer); 0 on a short input. */
static int read_exactly(char *buf, size_t n) {
  while (n) {
    ssize_t got = read(0, buf, n);
    if (got <= 0) return 0;
    buf += got, n -= (size_t)got;
  }
  return 1;
}

/* A NUL-terminated field of the header, byte by byte (so nothing after the script is consumed). */
static int read_field(char *buf, size_t cap) {
  for (size_t i = 0; i < cap; i++) {
    if (!read_exactly(buf + i, 1)) return 0;
    if (buf[i] == 0) return 1;
  }
  return 0;
}

/* "NAME\0LENGTH\0SOURCE" (interp/lua/loader.ts): exactly that much, so the rest of stdin is the script's. */
static char *read_script(char *name, size_t name_cap, size_t *length) {
  char digits[24];
  if (!read_field(name, name_cap) || !read_field(digits, sizeof digits)) return NULL;
  *length = (size_t)strtoull(digits, NULL, 10);
  char *source = malloc(*length + 1);
  if (!source || !read_exactly(source, *length)) return NULL;
  return source;
}

static void l_message(const char *msg) {
  lua_writestringerror("%s: ", progname);
  lua_writestringerror("%s\n", msg);
}

/* lua.c's message handler: the error message with a traceback (or __tostring's result for a non-string error). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* math.randomseed() with no argument seeds from time(NULL) and the lua_State's address (lmathlib.c's randseed): in
 * Wasm the address is the same on every run, so two runs within one second drew the same numbers. Native `lua` gets a
 * new address each run (ASLR); here each run draws its own second seed from the nanosecond clock at its start
 * (run_random), kept for the run as lua's address is: randomseed() with no argument seeds (time(NULL), run_seed), and
 * returns those two seeds as lua's does. */
static lua_Integer run_seed;

static int randomseed(lua_State *L) {
  if (!lua_isnone(L, 1)) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushinteger(L, (lua_Integer)time(NULL));
  lua_pushinteger(L, run_seed);
  lua_call(L, 2, 2);
  return 2;
}

/* math.randomseed(0) in init: luaL_openlibs seeds math.random from the clock, which made two builds of one script
 * differ in the snapshot's bytes (the generator's state); run_random draws each run's own seed afterwards. The
 * library's randomseed becomes the upvalue of ours (above). */
static void fixed_random(void) {
  int top = lua_gettop(L);
  if (lua_getglobal(L, "math") == LUA_TTABLE && lua_getfield(L, -1, "randomseed") == LUA_TFUNCTION) {
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, randomseed, 1);
    lua_setfield(L, -3, "randomseed");
    lua_pushinteger(L, 0);
    lua_call(L, 1, 0);
  }
  lua_settop(L, top);
}

static void init(void) {
  static char name[4096];
  size_t source_length;
  const char *source = read_script(name, sizeof name, &source_length);
  L = new_state();
  void *volatile top = malloc(HEAP_TOP); /* volatile: clang drops a malloc freed unused */
  free(top);
  if (!source || !L) {
    fprintf(stderr, "%s: cannot read the script from standard input (NAME\\0LENGTH\\0SOURCE)\n", progname);
    exit(1);
  }
  /* package.path from LUA_PATH is set at run time (run_path), not from the build's environment. */
  lua_pushboolean(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  luaL_openlibs(L);
  fixed_random();
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, "LUA_NOENV");
  lua_createtable(L, 0, 2); /* arg = { [-1] = "lua", [0] = script }, as lua.c's createargtable for `lua script` */
  lua_pushstring(L, progname);
  lua_rawseti(L, -2, -1);
  lua_pushstring(L, name);
  lua_rawseti(L, -2, 0);
  lua_setglobal(L, "arg");
  lua_gc(L, LUA_GCGEN, 0, 0); /* as lua.c's pmain: `lua` runs scripts with the generational collector */
  /* A stack of WSTACK slots (128 KB) from the start, so that the usual recursion does not move it: a move hands the
   * rest of every specialized activation on the stack to the generic loop (lvm.c's vmfetch; a body with a resume
   * point restarts specialized there), and a stack of up to 16,384 slots is never shrunk (ldo.c's luaD_shrinkstack).
   * Lua's limits (LUAI_MAXSTACK) are unchanged. */
  lua_checkstack(L, WSTACK);
  lua_pushcfunction(L, msghandler);
  /* luaL_loadfile skips a first line starting with '#' and keeps the line count. */
  if (source_length && source[0] == '#') {
    while (source_length && source[0] != '\n') source++, source_length--;
  }
  lua_pushfstring(L, "@%s", name);
  load_status = luaL_loadbufferx(L, source, source_length, lua_tostring(L, -1), NULL);
  lua_remove(L, -2);
#ifdef FUTAMURA_LUA_WEVAL
  if (load_status == LUA_OK) {
    /* The chunk's functions (Protos) live as long as the state, even once the chunk has run: the specialized code
     * knows them by address (lvm.c's wguess: a call compares its callee's with one). */
    lua_pushvalue(L, -1);
    luaL_ref(L, LUA_REGISTRYINDEX);
    luaV_wevalrequests(getproto(s2v(L->top - 1)));
    wpatterns(getproto(s2v(L->top - 1))); /* its constant patterns (lstrlib.c's wmatch_spec) */
  }
#endif
}

/* loadlib.c's setpath, at run time: package[field] from ENVNAME_5_4, else ENVNAME, else the default; the first ";;"
 * stands for the default, with no empty template at either end (";;" alone is the default exactly, as with `lua`). */
static void run_setpath(lua_State *L, const char *field, const char *envname, const char *dft) {
  const char *path = getenv(lua_pushfstring(L, "%s_5_4", envname));
  lua_pop(L, 1);
  if (path == NULL) path = getenv(envname);
  if (path == NULL) return; /* init's luaL_openlibs set the default */
  const char *mark = strstr(path, ";;");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (mark == NULL)
    luaL_addstring(&b, path);
  else {
    size_t length = strlen(path);
    if (path < mark) {
      luaL_addlstring(&b, path, (size_t)(mark - path));
      luaL_addchar(&b, ';');
    }
    luaL_addstring(&b, dft);
    if (mark < path + length - 2) {
      luaL_addchar(&b, ';');
      luaL_addlstring(&b, mark + 2, (size_t)((path + length - 2) - mark));
    }
  }
  luaL_pushresult(&b);
  lua_setfield(L, -2, field);
}

/* package.path and package.cpath from LUA_PATH and LUA_CPATH (the build's environment is not the run's). */
static void run_path(lua_State *L) {
  lua_getglobal(L, "package");
  if (lua_istable(L, -1)) {
    run_setpath(L, "path", "LUA_PATH", LUA_PATH_DEFAULT);
    run_setpath(L, "cpath", "LUA_CPATH", LUA_CPATH_DEFAULT);
  }
  lua_pop(L, 1);
}

/* lua.c's handle_luainit: LUA_INIT_5_4 or LUA_INIT, "@file" or code, run before the script (status as lua_pcall's). */
static int run_luainit(lua_State *L) {
  const char *name = "=LUA_INIT_5_4";
  const char *init = getenv(name + 1);
  if (init == NULL) {
    name = "=LUA_INIT";
    init = getenv(name + 1);
  }
  if (init == NULL) return LUA_OK;
  int status = init[0] == '@' ? luaL_loadfile(L, init + 1) : luaL_loadbuffer(L, init, strlen(init), name);
  if (status == LUA_OK) status = lua_pcall(L, 0, 0, 1);
  return status;
}

/* The run's arguments (WASI's argv after its program name: `futamura run x.lua a b`) as arg[1..n], which init's arg
 * table (arg[0], the script, and arg[-1]) did not have: lua.c's createargtable at run time. */
static void run_args(lua_State *L) {
  __wasi_size_t count = 0, size = 0;
  if (__wasi_args_sizes_get(&count, &size) != __WASI_ERRNO_SUCCESS || count < 2) return;
  uint8_t **argv = malloc(count * sizeof *argv);
  uint8_t *text = malloc(size);
  if (argv && text && __wasi_args_get(argv, text) == __WASI_ERRNO_SUCCESS && lua_getglobal(L, "arg") == LUA_TTABLE) {
    for (__wasi_size_t i = 1; i < count; i++) {
      lua_pushstring(L, (const char *)argv[i]);
      lua_rawseti(L, -2, (lua_Integer)i);
    }
  }
  lua_pop(L, 1);
  free(argv);
  free(text);
}

/* lua.c's pushargs: arg[1..n] as the script's `...` (after LUA_INIT, which may have changed them). */
static int pushargs(lua_State *L) {
  if (lua_getglobal(L, "arg") != LUA_TTABLE) luaL_error(L, "'arg' is not a table");
  int n = (int)luaL_len(L, -1), i;
  luaL_checkstack(L, n + 3, "too many arguments to script");
  for (i = 1; i <= n; i++) lua_rawgeti(L, -i, i);
  lua_remove(L, -i);
  return n;
}

/* lua.c's pmain and docall: the chunk runs under a C function, so tracebacks end in "[C]: in ?" as lua's do. */
static int pmain(lua_State *L) {
  lua_pushcfunction(L, msghandler);
  lua_insert(L, 1);
  run_path(L);
  run_args(L);
  int status = run_luainit(L);
  if (status == LUA_OK) status = lua_pcall(L, pushargs(L), LUA_MULTRET, 1);
  if (status != LUA_OK) l_message(lua_tostring(L, -1));
  lua_pushboolean(L, status == LUA_OK);
  return 1;
}

/* lua.c's main after pmain: the error reported, then lua_close, which runs the finalizers (__gc) of what is still
 * alive and closes open files, as `lua` does at exit. */
static int run_main(void) {
  int status = load_status, ok = 0;
  if (status == LUA_OK) {
    lua_remove(L, 1); /* init's message handler: pmain sets its own */
    lua_pushcfunction(L, pmain);
    lua_insert(L, 1);
    status = lua_pcall(L, 1, 1, 0);
    ok = lua_toboolean(L, -1); /* false: pmain reported the error */
  }
  if (status != LUA_OK) l_message(lua_tostring(L, -1));
  lua_close(L);
  fflush(stdout);
  return status == LUA_OK && ok ? 0 : 1;
}

/* The run's working directory (relative paths resolve against it, as on the host); unchanged when not granted. */
static void run_cwd(void) {
  const char *pwd = getenv("PWD");
  if (pwd && pwd[0] == '/') chdir(pwd);
}

/* The run's preopened directories, registered as wasi-libc's constructor registers them (which ran in init). */
static void run_preopens(void) {
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t prestat;
    if (__wasi_fd_prestat_get(fd, &prestat) != __WASI_ERRNO_SUCCESS) break;
    if (prestat.tag != __WASI_PREOPENTYPE_DIR) continue;
    size_t length = prestat.u.dir.pr_name_len;
    char *name = malloc(length + 1);
    if (!name) break;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)name, length) == __WASI_ERRNO_SUCCESS) {
      name[length] = 0;
      __wasilibc_register_preopened_fd(fd, name);
    }
    free(name);
  }
}

/* os.clock's start. wasi-libc's emulated clock() counts from a time its constructor took, and in a snapshot that is
 * the build's: a cached module run later began at os.clock() = the seconds since its build. This clock() (wasi-libc's
 * is then not linked) counts from run_clock, which resume and main call; in the snapshot the start is 0. */
static __wasi_timestamp_t clock_start;

static void run_clock(void) { (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &clock_start); }

clock_t clock(void) {
  __wasi_timestamp_t now = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, &now);
  return (clock_t)(now - clock_start); /* nanoseconds: wasi-libc's CLOCKS_PER_SEC */
}

/* math.random's seed was fixed in init, at build time: draw one, so each run gets its own as with `lua`. */
static void run_random(void) {
  __wasi_timestamp_t now = 0;
  (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1, &now);
  run_seed = (lua_Integer)now;
  int top = lua_gettop(L);
  if (lua_getglobal(L, "math") == LUA_TTABLE && lua_getfield(L, -1, "randomseed") == LUA_TFUNCTION) lua_call(L, 0, 0);
  lua_settop(L, top);
}

/* errno as `lua` on Linux reports it: wasi-libc's errno values are WASI's (ENOENT is 44, Linux's 2) and its messages
 * musl's ("I/O error", glibc's "Input/output error"). By WASI errno: Linux's number and glibc's message (generated
 * from __WASI_ERRNO_* in wasi/api.h and Python's errno/os.strerror on glibc). NOTCAPABLE, a path under no granted
 * directory, has no Linux number: it is refused access, EACCES, as util/wasi-files.ts refuses a path outside the
 * grants. */
static const struct {
  int number;
  const char *message;
} linux_errno[] = {
    {0, "Success"}, /* 0 SUCCESS */
    {7, "Argument list too long"}, /* 1 2BIG */
    {13, "Permission denied"}, /* 2 ACCES */
    {98, "Address already in use"}, /* 3 ADDRINUSE */
    {99, "Cannot assign requested address"}, /* 4 ADDRNOTAVAIL */
    {97, "Address family not supported by protocol"}, /* 5 AFNOSUPPORT */
    {11, "Resource temporarily unavailable"}, /* 6 AGAIN */
    {114, "Operation already in progress"}, /* 7 ALREADY */
    {9, "Bad file descriptor"}, /* 8 BADF */
    {74, "Bad message"}, /* 9 BADMSG */
    {16, "Device or resource busy"}, /* 10 BUSY */
    {125, "Operation canceled"}, /* 11 CANCELED */
    {10, "No child processes"}, /* 12 CHILD */
    {103, "Software caused connection abort"}, /* 13 CONNABORTED */
    {111, "Connection refused"}, /* 14 CONNREFUSED */
    {104, "Connection reset by peer"}, /* 15 CONNRESET */
    {35, "Resource deadlock avoided"}, /* 16 DEADLK */
    {89, "Destination address required"}, /* 17 DESTADDRREQ */
    {33, "Numerical argument out of domain"}, /* 18 DOM */
    {122, "Disk quota exceeded"}, /* 19 DQUOT */
    {17, "File exists"}, /* 20 EXIST */
    {14, "Bad address"}, /* 21 FAULT */
    {27, "File too large"}, /* 22 FBIG */
    {113, "No route to host"}, /* 23 HOSTUNREACH */
    {43, "Identifier removed"}, /* 24 IDRM */
    {84, "Invalid or incomplete multibyte or wide character"}, /* 25 ILSEQ */
    {115, "Operation now in progress"}, /* 26 INPROGRESS */
    {4, "Interrupted system call"}, /* 27 INTR */
    {22, "Invalid argument"}, /* 28 INVAL */
    {5, "Input/output error"}, /* 29 IO */
    {106, "Transport endpoint is already connected"}, /* 30 ISCONN */
    {21, "Is a directory"}, /* 31 ISDIR */
    {40, "Too many levels of symbolic links"}, /* 32 LOOP */
    {24, "Too many open files"}, /* 33 MFILE */
    {31, "Too many links"}, /* 34 MLINK */
    {90, "Message too long"}, /* 35 MSGSIZE */
    {72, "Multihop attempted"}, /* 36 MULTIHOP */
    {36, "File name too long"}, /* 37 NAMETOOLONG */
    {100, "Network is down"}, /* 38 NETDOWN */
    {102, "Network dropped connection on reset"}, /* 39 NETRESET */
    {101, "Network is unreachable"}, /* 40 NETUNREACH */
    {23, "Too many open files in system"}, /* 41 NFILE */
    {105, "No buffer space available"}, /* 42 NOBUFS */
    {19, "No such device"}, /* 43 NODEV */
    {2, "No such file or directory"}, /* 44 NOENT */
    {8, "Exec format error"}, /* 45 NOEXEC */
    {37, "No locks available"}, /* 46 NOLCK */
    {67, "Link has been severed"}, /* 47 NOLINK */
    {12, "Cannot allocate memory"}, /* 48 NOMEM */
    {42, "No message of desired type"}, /* 49 NOMSG */
    {92, "Protocol not available"}, /* 50 NOPROTOOPT */
    {28, "No space left on device"}, /* 51 NOSPC */
    {38, "Function not implemented"}, /* 52 NOSYS */
    {107, "Transport endpoint is not connected"}, /* 53 NOTCONN */
    {20, "Not a directory"}, /* 54 NOTDIR */
    {39, "Directory not empty"}, /* 55 NOTEMPTY */
    {131, "State not recoverable"}, /* 56 NOTRECOVERABLE */
    {88, "Socket operation on non-socket"}, /* 57 NOTSOCK */
    {95, "Operation not supported"}, /* 58 NOTSUP */
    {25, "Inappropriate ioctl for device"}, /* 59 NOTTY */
    {6, "No such device or address"}, /* 60 NXIO */
    {75, "Value too large for defined data type"}, /* 61 OVERFLOW */
    {130, "Owner died"}, /* 62 OWNERDEAD */
    {1, "Operation not permitted"}, /* 63 PERM */
    {32, "Broken pipe"}, /* 64 PIPE */
    {71, "Protocol error"}, /* 65 PROTO */
    {93, "Protocol not supported"}, /* 66 PROTONOSUPPORT */
    {91, "Protocol wrong type for socket"}, /* 67 PROTOTYPE */
    {34, "Numerical result out of range"}, /* 68 RANGE */
    {30, "Read-only file system"}, /* 69 ROFS */
    {29, "Illegal seek"}, /* 70 SPIPE */
    {3, "No such process"}, /* 71 SRCH */
    {116, "Stale file handle"}, /* 72 STALE */
    {110, "Connection timed out"}, /* 73 TIMEDOUT */
    {26, "Text file busy"}, /* 74 TXTBSY */
    {18, "Invalid cross-device link"}, /* 75 XDEV */
    {13, "Permission denied"}, /* 76 NOTCAPABLE */
};

/* lua-wasi.h's strerror(e): the message for WASI errno *e, and a copy of errno (luaL_fileresult's `en`, pushed
 * after its message) becomes Linux's number; errno itself is left as it is. */
const char *futamura_strerror(int *e) {
  static char unknown[32];
  int wasi = *e;
  if (wasi < 0 || wasi >= (int)(sizeof linux_errno / sizeof linux_errno[0])) {
    snprintf(unknown, sizeof unknown, "Unknown error %d", wasi);
    return unknown;
  }
  if (e != &errno) *e = linux_errno[wasi].number;
  return linux_errno[wasi].message;
}

/* lua-wasi.h's snprintf: "%lld" (Lua's integer format) written here, digits from the end of a local buffer, the
 * magnitude in unsigned arithmetic so that the most negative integer has one (divided in 32 bits once it fits); any
 * other format goes to vsnprintf. */
int futamura_snprintf(char *s, size_t n, const char *format, ...) {
  va_list ap;
  va_start(ap, format);
  int length;
  if (format[0] == '%' && format[1] == 'l' && format[2] == 'l' && format[3] == 'd' && format[4] == 0) {
    long long value = va_arg(ap, long long);
    unsigned long long magnitude = value < 0 ? 0ull - (unsigned long long)value : (unsigned long long)value;
    char digits[24], *p = digits + sizeof digits;
    for (; magnitude > 0xffffffffu; magnitude /= 10) *--p = (char)('0' + magnitude % 10);
    uint32_t small = (uint32_t)magnitude; /* the rest in 32 bits: Wasm's 64-bit division is the slow one */
    do *--p = (char)('0' + small % 10); while ((small /= 10) != 0);
    if (value < 0) *--p = '-';
    length = (int)(digits + sizeof digits - p);
    if (n) {
      size_t copied = (size_t)length < n ? (size_t)length : n - 1;
      memcpy(s, p, copied);
      s[copied] = 0;
    }
  } else
    length = vsnprintf(s, n, format, ap);
  va_end(ap);
  return length;
}

void __wasm_call_ctors(void);
void __wasi_proc_exit(unsigned code);

/* Pre-initialization: constructors, then load the script (wizer's and futamura's default init name). */
__attribute__((export_name("wizer-initialize"))) void wizer_initialize(void) {
  __wasm_call_ctors();
  init();
}

/* The initialized module's entry point (renamed to _start): constructors already ran in init. */
__attribute__((export_name("wizer.resume"))) void wizer_resume(void) {
  run_clock();
  run_preopens();
  __wasilibc_deinitialize_environ();
  __wasilibc_initialize_environ();
  run_cwd();
  run_random();
  int code = run_main();
  if (code) __wasi_proc_exit(code);
}

/* The module run without a snapshot (libc's _start calls this). wasm-ld runs no constructors before it, since this
 * file calls __wasm_call_ctors itself (in init): so here, and they register this run's preopened directories. */
int main(void) {
  run_clock();
  __wasm_call_ctors();
  run_cwd();
  init();
  run_random();
  return run_main();
}
