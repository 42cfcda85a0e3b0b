/* wasi-libc has no setjmp/longjmp; Lua's ldo.c includes this header but, with lua-wasi.h's LUAI_TRY/LUAI_THROW, uses
 * nothing from it. */
