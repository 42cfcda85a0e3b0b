// node:wasi for the stages that run WASI modules (snapshot's init, interp/wasi.ts's commands): loaded on first use
// with its "experimental feature" warning left out (it is expected here, and would follow every command's output),
// and standard input given as bytes through a temporary file, since node:wasi takes file descriptors.
// Relies on node:wasi and node:fs.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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

/** A file descriptor that reads `bytes` (a temporary file, removed on close), for WASI's standard input. */
export function bytesAsFd(bytes: Uint8Array): { fd: number; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), "futamura-stdin-"));
  const path = join(dir, "stdin");
  writeFileSync(path, bytes);
  const fd = openSync(path, "r");
  return {
    fd,
    close() {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
