// Comparing a Lua run with native lua5.4's: the outcome with addresses (0x…) and lua.c's program name normalized,
// and native lua5.4 run unprivileged on a copy in a scratch directory (util/unprivileged.ts). Shared by the Lua tests.
import type { WasiRunResult } from "../../interp/wasi.ts";
import { ROOT } from "../../util/root.ts";
import { spawnOnCopy, type UnprivilegedOptions } from "../../util/unprivileged.ts";

export interface LuaOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Addresses differ between builds and machines; the program name differs between lua.c builds. */
export const normalizeLua = (s: string) => s.replaceAll(/0x[0-9a-f]+/g, "0x…").replace(/^lua(5\.4)?: /m, "lua: ");

/** A captured run's outcome, normalized. */
export const luaOutcome = (r: WasiRunResult): LuaOutcome => ({
  exitCode: r.exitCode,
  stdout: normalizeLua(r.stdout!),
  stderr: normalizeLua(r.stderr!),
});

/** Native lua5.4 on `file` (relative to the repository), normalized. */
export function nativeLuaOutcome(file: string, opts: Omit<UnprivilegedOptions, "cwd"> = {}): LuaOutcome {
  const r = spawnOnCopy("lua5.4", ROOT, file, opts);
  return { exitCode: r.status ?? -1, stdout: normalizeLua(r.stdout), stderr: normalizeLua(r.stderr) };
}
