/* Debian's luaconf.h includes this (debian/patches/0002): the module path component for wasm32-wasi. */
#define DEB_HOST_MULTIARCH "wasm32-wasi"
