// node:wasi for bench/c-interp.ts, loaded on first use with its "experimental feature" warning left out (it is
// expected there, and would follow the benchmark's output). The stages (snapshot's init, interp/wasi.ts's commands)
// run WASI modules on util/wasi-shim.ts instead: node:wasi corrupts V8's heap after a module's memory grows (Node 20).

let loaded: typeof import("node:wasi") | undefined;

export async function loadNodeWasi(): Promise<typeof import("node:wasi")> {
  if (loaded) return loaded;
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).includes("WASI")) (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    loaded = await import("node:wasi");
  } finally {
    process.emitWarning = emit;
  }
  return loaded;
}
