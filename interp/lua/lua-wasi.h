/* Force-included (clang -include) into every Lua source file when building Lua for wasm32-wasi: error handling
 * without setjmp/longjmp (wasi-libc has none), and what WASI lacks said plainly.
 *
 * Errors and coroutine yields: Lua unwinds its C stack with LUAI_THROW/LUAI_TRY (ldo.c), which a platform may
 * define. Here they use Wasm exception handling: LUAI_TRY calls futamura_sjlj_try(f, L, ud) (interp/lua/sjlj.s),
 * which calls f(L, ud) inside a Wasm `try` and, on the exception futamura_sjlj_throw throws (LUAI_THROW), restores the shadow stack pointer and returns. The status is already in the lua_longjmp record
 * (luaD_throw sets it before throwing). The one use of LUAI_TRY (luaD_rawrunprotected) has `f` and `ud` in scope,
 * which the macro uses. A host trampoline (JavaScript catching a JavaScript exception thrown through Wasm frames)
 * was tried first: on Node 20 it corrupted V8's heap after a few coroutine switches. */
#ifndef FUTAMURA_LUA_WASI_H
#define FUTAMURA_LUA_WASI_H

/* As Lua's own makefile and Debian's lua5.4 build it: 5.3's compatibility (math.pow, math.log10 and the rest of 5.3's
 * math library, __le emulated by __lt). */
#define LUA_COMPAT_5_3

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void futamura_sjlj_try(void (*f)(void *, void *), void *L, void *ud);

__attribute__((noreturn)) void futamura_sjlj_throw(void);

#define LUAI_THROW(L, c) futamura_sjlj_throw()
#define LUAI_TRY(L, c, a) futamura_sjlj_try((void (*)(void *, void *))(f), (void *)(L), (void *)(ud))
#define luai_jmpbuf int

/* A fixed string-hash seed (stock Lua mixes the time and addresses in): the snapshot holds the seed of the build
 * anyway, so with the time in it `run` and `run --aot` iterated `pairs` in different orders and two builds of one
 * script differed; fixed, both modes agree and builds are reproducible. Hash flooding is no concern here. */
#define luai_makeseed(L) ((unsigned int)0x2545f491u)

/* Integers to text without printf's machinery: Lua writes every integer it turns into a string (tostring, `..`, print,
 * string.format's plain "%d") with snprintf(buff, size, "%lld", n) (luaconf.h's lua_integer2str and lstrlib.c's
 * format), and musl's printf_core took 15% of a run that builds string keys from integers (interp/lua/bench/hash.lua,
 * 2026-12-07). futamura_snprintf (driver.c) writes exactly "%lld" itself, with snprintf's result and truncation, and
 * hands every other format to vsnprintf. */
int futamura_snprintf(char *s, size_t n, const char *format, ...);
#define snprintf futamura_snprintf

/* The driver's allocator (driver.c, the state's): free lists of small blocks by size class (16 bytes apart, up to
 * FUTAMURA_SMALL_MAX), which the specialized copy of Lua's loop (lua-weval.patch, lvm.c's wmalloc) pops inline for a
 * block of a constant size, as the allocator would. */
#define FUTAMURA_SMALL_MAX 256
#define FUTAMURA_SMALL_CLASS(size) (((size) + 15) >> 4)
extern void *futamura_small_blocks[FUTAMURA_SMALL_CLASS(FUTAMURA_SMALL_MAX) + 1];
void *futamura_allocator(void *ud, void *p, size_t osize, size_t nsize);

/* The ctype functions wasi-libc (musl) leaves as calls, as the same expressions inline (musl's src/ctype/*.c; its
 * locales do not change them): pattern matching (lstrlib.c's match_class) called tolower once per character and class,
 * string.lower/upper once per character. */
#include <ctype.h>
static inline int futamura_isalnum(int c) { return isalpha(c) || isdigit(c); }
static inline int futamura_ispunct(int c) { return isgraph(c) && !futamura_isalnum(c); }
static inline int futamura_iscntrl(int c) { return (unsigned)c < 0x20 || c == 0x7f; }
static inline int futamura_isxdigit(int c) { return isdigit(c) || ((unsigned)c | 32) - 'a' < 6; }
static inline int futamura_tolower(int c) { return isupper(c) ? c | 32 : c; }
static inline int futamura_toupper(int c) { return islower(c) ? c & 0x5f : c; }
#define isalnum futamura_isalnum
#define ispunct futamura_ispunct
#define iscntrl futamura_iscntrl
#define isxdigit futamura_isxdigit
#define tolower futamura_tolower
#define toupper futamura_toupper

/* errno and its message as on Linux, for io.open's and os.remove's third and second results (luaL_fileresult in
 * lauxlib.c): wasi-libc numbers errno as WASI does. Lua calls strerror(en) on a copy `en` of errno and then pushes
 * `en`; futamura_strerror (driver.c) takes the argument's address so that it can turn such a copy into Linux's
 * number after reading its message (strerror(errno) itself stays WASI's). */
const char *futamura_strerror(int *e);
#define strerror(e) futamura_strerror(&(e))

/* os.date's years past 9999 as glibc prints them: wasi-libc's strftime (musl's) writes "+10000" for %Y (and in %c,
 * %F, %G), glibc "10000". os.date calls strftime once per conversion, so the conversion is the format's last letter. */
#include <time.h>
static inline size_t futamura_strftime(char *s, size_t max, const char *format, const struct tm *tm) {
  size_t n = strftime(s, max, format, tm);
  size_t length = strlen(format);
  if (n && length && strchr("cFGY", format[length - 1]) && tm->tm_year + 1900L > 9999) {
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
      if (s[i] != '+') s[kept++] = s[i];
    s[kept] = 0;
    n = kept;
  }
  return n;
}
#define strftime futamura_strftime

/* The empty path names nothing, as on Linux (ENOENT): wasi-libc takes "" for the current directory, so io.open("")
 * opened it, loadfile("") said "Is a directory", and a LUA_PATH template "" ended a failed require with that error
 * instead of the list of files tried. (fopen) and friends in parentheses are the functions, not these macros. */
static inline int futamura_no_path(const char *path) { return path[0] == 0 ? (errno = ENOENT, 1) : 0; }
static inline FILE *futamura_fopen(const char *path, const char *mode) {
  return futamura_no_path(path) ? NULL : (fopen)(path, mode);
}
static inline FILE *futamura_freopen(const char *path, const char *mode, FILE *f) {
  return futamura_no_path(path) ? NULL : (freopen)(path, mode, f);
}
static inline int futamura_remove(const char *path) { return futamura_no_path(path) ? -1 : (remove)(path); }
static inline int futamura_rename(const char *from, const char *to) {
  return futamura_no_path(from) || futamura_no_path(to) ? -1 : (rename)(from, to);
}
#define fopen(p, m) futamura_fopen(p, m)
#define freopen(p, m, f) futamura_freopen(p, m, f)
#define remove(p) futamura_remove(p)
#define rename(a, b) futamura_rename(a, b)

/* WASI has no processes and no temporary files: say so, as stock Lua does where a platform lacks them. */
#define system(cmd) ((cmd) == NULL ? 0 : (errno = ENOTSUP, -1)) /* os.execute(cmd): nil, "Not supported" */
#define l_popen(L, c, m) ((void)(c), (void)(m), luaL_error(L, "'popen' not supported"), (FILE *)0)
#define l_pclose(L, file) ((void)(L), (void)(file), -1)
#define tmpfile futamura_no_tmpfile
static inline FILE *futamura_no_tmpfile(void) { errno = ENOTSUP; return NULL; }
#define lua_tmpnam(b, e) ((b)[0] = 0, (e) = 1, luaL_error(L, "'tmpname' not supported"))
#define LUA_TMPNAMBUFSIZE 32

#endif
