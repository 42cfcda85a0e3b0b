#!/usr/bin/env sh
# The system pieces the tests need beyond npm (one list, shared by `npm test`'s pretest hook and .ci/run):
# installed with apt-get when missing and we are root (or have sudo without a password), else one line naming
# the command to run. Silent when everything is there. Never fails the caller: a test that needs a missing piece
# says so itself.
#   clang lld wasi-libc libclang-rt-dev-wasm32 — the C interpreter (interp/c/) built for wasm32-wasi
#   chromium                                   — the explorer's browser tests (test/explorer/)
set -u

missing=""
need() { missing="$missing $1"; }
command -v clang >/dev/null 2>&1 || need clang
command -v wasm-ld >/dev/null 2>&1 || need lld
[ -e /usr/lib/wasm32-wasi/libc.a ] || need wasi-libc
ls /usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a >/dev/null 2>&1 || need libclang-rt-dev-wasm32
command -v chromium >/dev/null 2>&1 || need chromium

install_missing() {
  [ -z "$missing" ] && return 0
  packages=${missing# }
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "futamura setup: missing $packages (Debian package names) and no apt-get here: install them with your system's package manager, or the tests that need them fail" >&2
    return 0
  fi
  if [ "$(id -u)" = 0 ]; then SUDO=""
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else
    echo "futamura setup: missing $packages: run \`sudo apt-get update && sudo apt-get install -y $packages\` (the tests that need them fail until then)" >&2
    return 0
  fi
  echo "futamura setup: installing $packages (apt-get; the C interpreter's and the explorer's tests need them)" >&2
  if ! { $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null; }; then
    echo "futamura setup: apt-get could not install $packages: run \`apt-get install -y $packages\` yourself (the tests that need them fail until then)" >&2
  fi
}
install_missing

# Debian source packages, fetched and built by the project (never installed, never committed): PUC-Rio Lua 5.4 from
# `apt-get source lua5.4` (MIT licence), patched and built by clang (interp/lua-build.ts, cached in build/). Quick
# when the build is current; its own one-line message names the command when it cannot fetch the source.
if command -v clang >/dev/null 2>&1; then
  node "$(dirname "$0")/../bin/futamura.mjs" build-interp lua >/dev/null || echo "futamura setup: building the Lua interpreter failed (see the line above); its tests fail until then" >&2
fi
# Third-party Lua nobody here wrote, for test/interp/lua-third-party.test.ts: Debian's pure-Lua libraries, downloaded
# (`apt-get download`, no root needed) and unpacked into build/lua-third-party/ (never installed, never committed;
# ~400 KB). Skipped when the same list is there already (.done holds it); the test says why it skips when they are
# missing.
third_party="$(dirname "$0")/../build/lua-third-party"
lua_libs="lua-dkjson lua-inspect lua-argparse lua-penlight lua-unit lua-binaryheap lua-basexx lua-messagepack lua-moses"
if [ "$(cat "$third_party/.done" 2>/dev/null)" != "$lua_libs" ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
  rm -rf "$third_party/debs"
  mkdir -p "$third_party/debs"
  download() { (cd "$third_party/debs" && apt-get download -qq $lua_libs >/dev/null 2>&1); }
  # A fresh machine may have no package lists yet: refresh them once (as root) and try again.
  if download || { [ "$(id -u)" = 0 ] && apt-get update -qq >/dev/null 2>&1 && download; }; then
    rm -rf "$third_party/root"
    for deb in "$third_party"/debs/*.deb; do dpkg-deb -x "$deb" "$third_party/root"; done && echo "$lua_libs" >"$third_party/.done"
  else
    echo "futamura setup: apt-get download $lua_libs failed; the third-party Lua test skips" >&2
  fi
fi
exit 0
