// Shared test helpers: the program corpus (bytecode/programs/*.asm, loaded and validated) and a one-call way to
// run a module on a program and collect its output.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadProgramFile, type ProgramFile } from "../bytecode/index.ts";
import { ROOT } from "../interp/build.ts";
import { BufferedOutput, runModule } from "../interp/host.ts";

export const PROGRAMS_DIR = join(ROOT, "bytecode", "programs");

export function corpus(): ProgramFile[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((f) => f.endsWith(".asm"))
    .sort()
    .map((f) => loadProgramFile(join(PROGRAMS_DIR, f)));
}

export async function runCollect(
  wasm: Uint8Array | WebAssembly.Module,
  program: Uint8Array,
  traced = false,
): Promise<{ stdout: string; halt: bigint }> {
  const out = new BufferedOutput();
  const halt = await runModule(wasm, program, out, { traced });
  return { stdout: out.text(), halt };
}

/** Snapshot the toy interpreter with `program` and specialize it (no cache, so tests see the real pipeline). */
export async function wevaled(program: Uint8Array, opts: import("../specializer/index.ts").SpecializeOptions = {}) {
  const { buildInterpreter } = await import("../interp/build.ts");
  const { buildProgram } = await import("../pipeline/build.ts");
  return buildProgram((await buildInterpreter("toy")).wasm, program, { cache: false, verify: true, ...opts });
}

/** Expect `run` to throw exactly one error of `type` whose message is `message`, on a single line. */
export function expectUserError(
  run: () => unknown,
  type: abstract new (...args: never[]) => Error,
  message: string,
): void {
  let err: unknown;
  try {
    run();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof type))
    throw new Error(`expected a ${type.name}, got ${err === undefined ? "no error" : String(err)}`);
  if (err.message !== message) throw new Error(`expected the message\n  ${message}\ngot\n  ${err.message}`);
  if (message.includes("\n")) throw new Error("error messages are one line");
}

/** The line `futamura run --aot` writes on stderr about compiling (or using the cache), for tests about the rest. */
export const COMPILE_STATUS = /^futamura: .*: (compiled in [\d.]+ s.*|compiled code from the cache \([\d.]+ s\))\n/gm;
