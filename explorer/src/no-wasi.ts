// What the page gets instead of util/wasi.ts (vite.config.ts aliases it): snapshot/ imports node:wasi's loader
// for WASI interpreters only, which the page does not offer, and util/wasi.ts's top-level node:fs import is what
// made Vite's dev server serve a dead page ("Module node:fs has been externalized for browser compatibility").
const unavailable = (): never => {
  throw new Error("WASI interpreters do not run in the explorer page (node:wasi is Node's)");
};
export const loadNodeWasi = unavailable;
export const bytesAsFd = unavailable;
