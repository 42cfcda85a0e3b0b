/* memcpy, memset and memcmp for Lua's runtime, in place of wasi-libc's (musl's C: word loops for memcpy and memset,
 * a byte loop for memcmp), compiled on their own (not in the link-time optimization: clang must not see a libcall's
 * definition in bitcode) with Wasm bulk memory: a block of 64 bytes or more is one memory.copy or memory.fill (V8
 * calls out for those, worth it only past a few words); a shorter one is copied, set or compared 8 bytes at a time.
 * -fno-builtin keeps clang from turning the short loops back into calls of these functions. */
#include <stddef.h>
#include <stdint.h>

#define BULK 64

void *memcpy(void *restrict dest, const void *restrict src, size_t n) {
  unsigned char *d = dest;
  const unsigned char *s = src;
  if (n >= BULK) {
    __builtin_memcpy(d, s, n); /* memory.copy */
    return dest;
  }
  for (; n >= 8; n -= 8, d += 8, s += 8) {
    uint64_t w;
    __builtin_memcpy(&w, s, 8);
    __builtin_memcpy(d, &w, 8);
  }
  if (n >= 4) {
    uint32_t w;
    __builtin_memcpy(&w, s, 4);
    __builtin_memcpy(d, &w, 4);
    n -= 4, d += 4, s += 4;
  }
  while (n--) *d++ = *s++;
  return dest;
}

void *memset(void *dest, int c, size_t n) {
  unsigned char *d = dest;
  if (n >= BULK) {
    __builtin_memset(d, c, n); /* memory.fill */
    return dest;
  }
  uint64_t w = (unsigned char)c * 0x0101010101010101ull;
  for (; n >= 8; n -= 8, d += 8) __builtin_memcpy(d, &w, 8);
  while (n--) *d++ = (unsigned char)c;
  return dest;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *l = a, *r = b;
  for (; n >= 8; n -= 8, l += 8, r += 8) {
    uint64_t x, y;
    __builtin_memcpy(&x, l, 8);
    __builtin_memcpy(&y, r, 8);
    if (x != y) {
      int at = __builtin_ctzll(x ^ y) >> 3; /* the first differing byte (little-endian) */
      return l[at] - r[at];
    }
  }
  if (n >= 4) {
    uint32_t x, y;
    __builtin_memcpy(&x, l, 4);
    __builtin_memcpy(&y, r, 4);
    if (x != y) {
      int at = __builtin_ctz(x ^ y) >> 3;
      return l[at] - r[at];
    }
    n -= 4, l += 4, r += 4;
  }
  for (; n; n--, l++, r++)
    if (*l != *r) return *l - *r;
  return 0;
}
