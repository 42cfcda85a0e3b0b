// `futamura run`: run a program on the toy interpreter (generic body, or the traced body with --trace), compile
// and run it (--aot: snapshot + specialize, cached), or run a module futamura built (`run out.wasm`). Output
// streams to standard output, identically in every mode; the exit code is 0, or 1 when --expect finds a mismatch.
// Relies on bytecode/, interp/ and specializer/build.ts.
import { formatInstruction } from "../bytecode/disassembler.ts";
import { loadProgramFile } from "../bytecode/index.ts";
import { BufferedOutput, runModule, type Output } from "../interp/host.ts";
import { buildProgram } from "../specializer/build.ts";
import { UserError } from "../util/errors.ts";
import { readUserFile } from "../util/files.ts";
import { basename } from "node:path";
import { interpreterBytes } from "./pipeline-commands.ts";
import { buildInterpreter } from "../interp/build.ts";
import { loadFernFile } from "../lang/index.ts";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export async function runCommand(file: string, opts: { aot?: boolean; trace?: boolean; interp?: string; expect?: boolean; cache?: boolean }): Promise<number> {
  const captured = new BufferedOutput();
  const out: Output = {
    write: (t) => {
      process.stdout.write(t);
      if (opts.expect) captured.write(t);
    },
  };
  const bytes = readUserFile(file);
  if (WASM_MAGIC.every((b, i) => bytes[i] === b)) {
    // A built module: the program is in its memory already.
    if (opts.aot || opts.trace || opts.expect) throw new UserError(`${file}: --aot, --trace and --expect take a program, not a built module`);
    if (!WebAssembly.validate(bytes as BufferSource)) throw new UserError(`${file}: error: not a valid WebAssembly module`);
    await runModule(bytes, new Uint8Array(0), out);
    return 0;
  }
  if (file.endsWith(".fern")) return runFern(file, opts, out, captured);
  const loaded = loadProgramFile(file);
  const interp = await interpreterBytes(opts.interp);
  let trace: ((pc: number, acc: bigint) => void) | undefined;
  if (opts.trace) {
    if (opts.aot) throw new UserError("--trace runs the interpreter's traced body; it cannot be combined with --aot");
    const byPc = loaded.program.indexOfPc;
    trace = (pc, acc) => {
      const ins = loaded.program.instructions[byPc.get(pc)!];
      const line = loaded.lineAt?.get(pc);
      process.stderr.write(`${String(pc).padStart(6)}  ${formatInstruction(ins, loaded.program.strings, true).padEnd(30)} acc=${acc}${line ? `  (line ${line})` : ""}\n`);
    };
  }
  let halt: bigint;
  if (opts.aot) {
    const built = await buildProgram(interp, loaded.bytes, { cache: opts.cache === false ? false : undefined });
    halt = await runModule(built.wasm, loaded.bytes, out);
  } else halt = await runModule(interp, loaded.bytes, out, { traced: opts.trace, trace });
  if (opts.trace) process.stderr.write(`halt: acc=${halt}\n`);
  if (!opts.expect) return 0;
  const checks: Check[] = [];
  if (loaded.expect.stdout !== undefined) checks.push({ what: "stdout", got: captured.text(), want: loaded.expect.stdout });
  if (loaded.expect.halt !== undefined) checks.push({ what: "halt", got: String(halt), want: String(loaded.expect.halt) });
  return reportExpectations(file, checks);
}

interface Check {
  what: string;
  got: string | undefined;
  want: string | undefined;
}

/** Print each failed expectation on one line; exit code 1 if any failed. */
function reportExpectations(file: string, checks: Check[]): number {
  const failed = checks.filter((c) => c.got !== c.want);
  for (const c of failed) process.stderr.write(`${file}: expectation failed: ${c.what} ${JSON.stringify(c.got)} != expected ${JSON.stringify(c.want)}\n`);
  return failed.length ? 1 : 0;
}

/** A Fern program: compiled, then run on the Fern interpreter (or compiled ahead of time with --aot). */
async function runFern(file: string, opts: { aot?: boolean; trace?: boolean; interp?: string; expect?: boolean; cache?: boolean }, out: Output, captured: BufferedOutput): Promise<number> {
  if (opts.trace) throw new UserError("--trace is for the toy machine's programs; Fern has no traced body");
  const program = loadFernFile(file);
  const interp = opts.interp ? readUserFile(opts.interp) : (await buildInterpreter("fern")).wasm;
  const wasm = opts.aot ? (await buildProgram(interp, program.bytes, { cache: opts.cache === false ? false : undefined })).wasm : interp;
  let error: string | undefined;
  try {
    await runModule(wasm, program.bytes, out);
  } catch (e) {
    if (!(e instanceof UserError) || !opts.expect) throw e;
    error = e.message;
    process.stderr.write(`${error}\n`);
  }
  if (!opts.expect) return 0;
  const checks: Check[] = [];
  if (program.expect.stdout !== undefined) checks.push({ what: "stdout", got: captured.text(), want: program.expect.stdout });
  // Expectations name the file as it is named in its folder; the message names it as the user did.
  checks.push({ what: "runtime error", got: error?.replace(file, basename(file)), want: program.expect.runtimeError });
  return reportExpectations(file, checks);
}
