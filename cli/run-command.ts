// `futamura run`: run a program on its interpreter (chosen by --interp or by the file's extension), interpreted
// (or its traced body with --trace), compiled first (--aot: snapshot + specialize, cached), or a module futamura
// built (`run out.wasm`). Output bytes stream to standard output unchanged, identically in every mode; input
// comes from standard input (or --input FILE). Exit code: the program's (futamura.exit), 1 on a runtime error,
// or 1 when --expect finds a mismatch. WASI commands (a C interpreter, its snapshot or wevaled module) run through
// node:wasi with standard output, error and exit code passed through: `run out.wasm` runs `_start`; `run --interp
// interp.wasm prog` gives the program on standard input (interpreted, or with --aot snapshotted the same way).
import { readSync } from "node:fs";
import { runModuleDeep } from "../interp/deep-run.ts";
import { bytesInput, ProgramExit, runModule, type Input, type Output } from "../interp/host.ts";
import { trainingFuel } from "../pipeline/train.ts";
import {
  abortLine,
  buildProgram,
  builtModuleProgram,
  errorForExpect,
  interpreterAndProgram,
  readProgramSection,
  type Program,
} from "../pipeline/index.ts";
import { knownManifests, type Manifest } from "../interp/manifest.ts";
import { hostAccess, isWasiCommand, runWasiCommand } from "../interp/wasi.ts";
import { runWasiCommandDeep } from "../interp/wasi-deep.ts";
import { UserError } from "../util/errors.ts";
import { readUserFile, writeAllSync } from "../util/files.ts";
import { FLUSH_ENV, rerunWithTimeout } from "./timeout.ts";
import { progressLine } from "./progress.ts";

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export interface RunFlags {
  aot?: boolean;
  trace?: boolean;
  interp?: string;
  expect?: boolean;
  cache?: boolean;
  input?: string;
  init?: string;
  timeout?: string;
  train?: boolean;
  trainFuel?: string;
  /** The global --verbose (main.ts passes it down). */
  verbose?: boolean;
  strict?: boolean;
  /** WASI programs: directories to read beyond the current one and the program's, and to write (interp/wasi.ts). */
  allowRead?: string[];
  allowWrite?: string[];
  /** WASI programs: the program's own arguments (after its file on the command line). */
  args?: string[];
}

/** How standard output is flushed: by 64 KiB blocks (a pipe or a file: a Brainfuck program writes one byte per call),
 *  at each newline (a terminal), or at every write (the child of --timeout, which may be killed mid-run while a
 *  Wasm loop holds its thread, so nothing may wait in a buffer). */
export type FlushMode = "block" | "line" | "write";

function flushMode(): FlushMode {
  if (process.env[FLUSH_ENV] === "write") return "write";
  return process.stdout.isTTY ? "line" : "block";
}

/** Standard output, buffered as `mode` says; flushed before input is read, at the end, and on SIGINT/SIGTERM while a
 *  program runs on the large-stack worker. */
export class StdoutOutput implements Output {
  private pending: Uint8Array[] = [];
  private size = 0;
  readonly captured: Uint8Array[] = [];
  constructor(
    private readonly capture: boolean,
    private readonly mode: FlushMode = flushMode(),
    private readonly fd = 1,
  ) {}
  write(text: string): void {
    this.writeBytes(new TextEncoder().encode(text));
  }
  writeBytes(bytes: Uint8Array): void {
    const copy = bytes.slice();
    this.pending.push(copy);
    if (this.capture) this.captured.push(copy);
    this.size += copy.length;
    if (this.mode === "write" || this.size >= 1 << 16 || (this.mode === "line" && copy.includes(10))) this.flush();
  }
  flush(): void {
    // Synchronously (fd 1): a flush on a signal or before exit must be out before the process ends.
    for (const c of this.pending) writeAll(this.fd, c);
    this.pending = [];
    this.size = 0;
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.captured);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  try {
    writeAllSync(fd, bytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EPIPE") process.exit(0); // the reader went away (`| head`), as cli/main.ts does for stdout
    throw e;
  }
}

/** On SIGINT (Ctrl-C) or SIGTERM, write what the program printed, then exit 130 or 143 as a shell would. Only while
 *  the main thread is free (a program on the large-stack worker); returns the function that uninstalls. */
function flushOnSignals(out: { flush(): void }): () => void {
  let stopping = false; // Ctrl-C reaches this node twice: from the terminal and passed on by bin/futamura.mjs
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      if (stopping) return;
      stopping = true;
      out.flush();
      if (process.env[FLUSH_ENV] !== "write") process.stderr.write(`futamura: stopped by ${signal}\n`); // else --timeout says why
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => process.off(signal, handler));
}

/** Standard input, read only when the program asks (so a program that reads nothing never blocks). */
function stdinInput(before: () => void): Input {
  return {
    read(max) {
      before();
      const buf = new Uint8Array(Math.max(1, Math.min(max, 1 << 16)));
      try {
        return buf.subarray(0, readSync(0, buf, 0, buf.length, null));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EOF" || code === "EAGAIN") return new Uint8Array(0);
        throw e;
      }
    },
  };
}

/** All of standard input, for a run on the large-stack worker (which cannot read the main thread's stdin as it
 *  goes), when the module imports futamura.read; otherwise none (a program that reads nothing does not wait). */
function stdinBytesIfRead(module: WebAssembly.Module): Uint8Array | undefined {
  const reads = WebAssembly.Module.imports(module).some((i) => i.module === "futamura" && i.name === "read");
  if (!reads) return undefined;
  const chunks: Uint8Array[] = [];
  for (let chunk = stdinInput(() => {}).read(1 << 16); chunk.length; chunk = stdinInput(() => {}).read(1 << 16))
    chunks.push(chunk.slice());
  return Buffer.concat(chunks);
}

export async function runCommand(file: string, opts: RunFlags): Promise<number> {
  if (opts.timeout !== undefined) return rerunWithTimeout("run", file, opts.timeout);
  const out = new StdoutOutput(!!opts.expect);
  try {
    return await runTo(file, opts, out);
  } finally {
    out.flush();
  }
}

async function runTo(file: string, opts: RunFlags, out: StdoutOutput): Promise<number> {
  const bytes = readUserFile(file);
  if (WASM_MAGIC.every((b, i) => bytes[i] === b)) return runBuiltModule(file, bytes, opts, out);
  const progress = progressLine(file);
  const { interp, program } = await interpreterAndProgram(opts.interp, file, progress.onProgress).finally(
    progress.clear,
  );
  const wasi = isWasiCommand(interp.wasm);
  if (!wasi) requireRunExport(opts.interp ?? interp.path, new WebAssembly.Module(interp.wasm as BufferSource));
  if (wasi && (opts.trace || opts.expect))
    throw new UserError(
      "--trace and --expect are for interpreters on futamura's host ABI; a WASI interpreter prints what it prints",
    );
  if (opts.trace) requireTracedBody(file, interp, program, opts);
  if (!wasi && opts.args?.length) throw noArguments(file, opts.args);
  const wasm = opts.aot ? await compileAhead(file, interp, program, opts, progress) : interp.wasm;
  // A WASI interpreter reads its program from standard input in init; its snapshot has it already.
  // A clang-built interpreter by manifest (Lua) reads exactly its program in init, then the program's own input;
  // a bare .wasm interpreter (the C toy) reads standard input to its end, so it gets the program alone.
  if (wasi)
    return runWasi(
      file,
      file,
      wasm,
      opts,
      opts.aot ? undefined : program.bytes,
      interp.manifest,
      !interp.manifest.clang,
    );
  return execute(file, wasm, program, opts, out);
}

type Loaded = Awaited<ReturnType<typeof interpreterAndProgram>>;

/** Program arguments reach a WASI program's argv; futamura's host ABI has no place for them. */
const noArguments = (file: string, args: string[]) =>
  new UserError(
    `${file}: error: program arguments (${args.join(" ")}) are for WASI programs such as Lua's; this interpreter's programs take none (their input: --input or standard input)`,
  );

/** A built module (`futamura build`'s output, or a WASI command): the program is in its memory already. */
async function runBuiltModule(file: string, bytes: Uint8Array, opts: RunFlags, out: StdoutOutput): Promise<number> {
  if (opts.aot || opts.trace || opts.expect)
    throw new UserError(`${file}: --aot, --trace and --expect take a program, not a built module`);
  if (!WebAssembly.validate(bytes as BufferSource))
    throw new UserError(`${file}: error: not a valid WebAssembly module`);
  const module = new WebAssembly.Module(bytes as BufferSource);
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const init = ["wizer.initialize", "wizer-initialize"].find((n) => exports.has(n));
  if (init && exports.has("run") && !exports.has("_start"))
    throw new UserError(
      `${file}: error: this is an interpreter module, not a built program (it still has its init export, ${init}): run a program on it with \`futamura run --interp ${file} PROGRAM\`, or build one with \`futamura build PROGRAM -o out.wasm\``,
    );
  // A WASI command built for an interpreter that recurses deeply (Lua) runs on the large-stack worker.
  const embedded = readProgramSection(module);
  if (isWasiCommand(bytes))
    return runWasi(
      file,
      undefined,
      bytes,
      opts,
      undefined,
      embedded ? knownManifests().find((m) => m.name === embedded.interpreter) : undefined,
    );
  requireRunExport(file, module);
  if (opts.args?.length) throw noArguments(file, opts.args);
  // `futamura build` records the interpreter, its manifest and the program: its loader gives the language's host
  // additions and error lines, found from any folder (or given with --interp).
  const built = await builtModuleProgram(module, opts.interp);
  if (built.missing) process.stderr.write(`futamura: ${file}: warning: ${built.missing}\n`);
  const foreign = WebAssembly.Module.imports(module).find((i) => !["futamura", "weval", "env"].includes(i.module));
  if (foreign && !built.program.host?.imports)
    throw new UserError(
      `${file}: error: this module imports ${foreign.module}.${foreign.name}, which its language's loader provides${built.program.interpreter ? ` (interpreter '${built.program.interpreter}' ${built.manifest ? "has no host(bytes) export in its loader" : "is not known here"})` : ""}: run the program with \`futamura run --aot <program>\` instead`,
    );
  return execute(file, bytes, { file, ...built.program }, opts, out);
}

/** --trace runs the interpreter's traced body: it needs one, and a loader that formats its steps. */
function requireTracedBody(file: string, interp: Loaded["interp"], program: Loaded["program"], opts: RunFlags): void {
  if (opts.aot) throw new UserError("--trace runs the interpreter's traced body; it cannot be combined with --aot");
  const traced = WebAssembly.Module.exports(new WebAssembly.Module(interp.wasm as BufferSource)).some(
    (e) => e.name === "runTraced",
  );
  if (!traced || !program.formatTrace)
    throw new UserError(
      `${file}: error: --trace needs an interpreter with a traced body (export runTraced, call futamura.trace) and a loader with formatTrace; ${interp.name} has ${traced ? "no formatTrace" : "no runTraced export"}`,
    );
}

/** run --aot: the program built (snapshot + specialize, cached), with a note on a terminal (or --verbose) of where
 *  the compiled code came from. */
async function compileAhead(
  file: string,
  interp: Loaded["interp"],
  program: Loaded["program"],
  opts: RunFlags,
  progress: ReturnType<typeof progressLine>,
): Promise<Uint8Array> {
  const started = performance.now();
  const built = await buildProgram(interp.wasm, program, {
    cache: opts.cache === false ? false : undefined,
    init: opts.init,
    train: trainingFuel(opts.train, opts.trainFuel),
    interpreterName: interp.name,
    strict: opts.strict,
    label: file,
    snapshotOnHit: false,
    onProgress: progress.onProgress,
  }).finally(progress.clear);
  for (const a of built.aborted) process.stderr.write(`${abortLine(file, a)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  // Where the compiled code came from is for a person at a terminal (or --verbose), not for a pipe that reads
  // stderr; a request left to the interpreter is always said (the lines above).
  if (process.stderr.isTTY || opts.verbose)
    process.stderr.write(
      built.cached
        ? `futamura: ${file}: compiled code from the cache (${seconds} s)\n`
        : `futamura: ${file}: compiled in ${seconds} s${opts.cache === false || built.cacheWarning ? "" : " (cached for the next run)"}\n${built.cacheWarning ? `${built.cacheWarning}\n` : ""}`,
    );
  return built.wasm;
}

/** A module that is neither an interpreter on futamura's host ABI, nor a program futamura built, nor a WASI command:
 *  said in one line, naming what it exports (rather than failing inside the host on a missing function). */
function requireRunExport(file: string, module: WebAssembly.Module): void {
  const exports = WebAssembly.Module.exports(module);
  if (exports.some((e) => e.name === "run" && e.kind === "function")) return;
  const names = exports.map((e) => e.name);
  throw new UserError(
    `${file}: error: not an interpreter or a program futamura built: the module exports no \`run\` function (nor \`_start\`, for a WASI command)${names.length ? `; it exports ${names.slice(0, 6).join(", ")}${names.length > 6 ? ", …" : ""}` : "; it exports nothing"}`,
  );
}

async function execute(
  file: string,
  wasm: Uint8Array,
  program: Program,
  opts: RunFlags,
  out: StdoutOutput,
): Promise<number> {
  const inputBytes = opts.input ? readUserFile(opts.input) : opts.expect && program.input ? program.input : undefined;
  const input = inputBytes ? bytesInput(inputBytes) : stdinInput(() => out.flush());
  const trace = opts.trace
    ? (pc: number, value: bigint) => process.stderr.write(`${program.formatTrace!(pc, value)}\n`)
    : undefined;
  let result: bigint | undefined;
  let exitCode = 0;
  let error: string | undefined;
  try {
    // Programs that may recurse deeply (Fern's 200,000 calls) run on a thread with a large native stack
    // (interp/deep-run.ts), with their input read up front when the module reads any.
    if (program.deepStack && !opts.trace) {
      // Compiled once here: its imports say whether to read stdin, and the worker receives the compiled module.
      const module = new WebAssembly.Module(wasm as BufferSource);
      const input = inputBytes ?? stdinBytesIfRead(module);
      // The main thread waits while the worker runs, so a signal's handler can flush the output; elsewhere (a Wasm
      // loop on the main thread) a handler would never run and would only stop Ctrl-C from ending the process.
      const uninstall = flushOnSignals(out);
      try {
        result = await runModuleDeep(module, { ...program, input }, out, file);
      } finally {
        uninstall();
      }
    } else
      result = await runModule(wasm, { bytes: program.bytes, host: program.host }, out, {
        input,
        traced: opts.trace,
        trace,
      });
  } catch (e) {
    if (e instanceof ProgramExit) exitCode = e.code;
    else {
      const message =
        e instanceof UserError
          ? e.message
          : e instanceof WebAssembly.RuntimeError
            ? `${file}: error: the interpreter trapped: ${e.message}`
            : undefined;
      if (message === undefined) throw e;
      if (!opts.expect) throw new UserError(message);
      out.flush();
      process.stderr.write(`${message}\n`);
      error = message;
      exitCode = 1;
    }
  }
  if (opts.trace) process.stderr.write(`result: ${result}\n`);
  if (!opts.expect) return exitCode;
  const want = program.expect ?? {};
  const checks: Check[] = [];
  if (want.stdout !== undefined)
    checks.push({
      what: "stdout",
      got: out.bytes(),
      want: typeof want.stdout === "string" ? new TextEncoder().encode(want.stdout) : want.stdout,
    });
  if (want.result !== undefined) checks.push({ what: "result", got: String(result), want: want.result });
  checks.push({ what: "runtime error", got: errorForExpect(program, error), want: want.error });
  if (want.exitCode !== undefined || exitCode !== (want.error ? 1 : 0))
    checks.push({ what: "exit code", got: String(exitCode), want: String(want.exitCode ?? (want.error ? 1 : 0)) });
  return reportExpectations(file, checks);
}

/** A WASI command: its standard input is `program` (for an interpreter's init) followed by --input, else ours; the
 *  host directories and environment of interp/wasi.ts's hostAccess (`source`: the program's file, whose folder it
 *  may read, and the folders on its manifest's module search path). On the large-stack worker (interp/wasi-deep.ts)
 *  when the interpreter's manifest asks for deep recursion. */
async function runWasi(
  file: string,
  source: string | undefined,
  wasm: Uint8Array,
  opts: RunFlags,
  program?: Uint8Array,
  manifest?: Manifest,
  programOnly?: boolean,
): Promise<number> {
  const deep = manifest?.deepStack;
  try {
    const input = opts.input ? readUserFile(opts.input) : undefined;
    const access = hostAccess(source, { ...opts, searchPath: manifest?.searchPath });
    const wasiOpts = {
      args: opts.args,
      ...(programOnly && program ? { stdin: program } : { stdinPrefix: program, stdin: input }),
      ...access,
    };
    if (!deep) return (await runWasiCommand(wasm, wasiOpts)).exitCode;
    // The worker writes to our file descriptors itself (nothing buffered here to flush); while it runs the main
    // thread is free, so Ctrl-C and SIGTERM say why the program stopped and exit 130/143 as a shell would.
    const uninstall = flushOnSignals({ flush: () => {} });
    try {
      return (await runWasiCommandDeep(wasm, wasiOpts)).exitCode;
    } finally {
      uninstall();
    }
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) throw new UserError(`${file}: error: the module trapped: ${e.message}`);
    if (e instanceof RangeError && /call stack/.test(e.message))
      throw new UserError(
        `${file}: error: stack overflow (V8's native stack is exhausted: the program recursed deeper than this thread allows)`,
      );
    throw e;
  }
}

interface Check {
  what: string;
  got: string | Uint8Array | undefined;
  want: string | Uint8Array | undefined;
}

const show = (v: string | Uint8Array | undefined) =>
  JSON.stringify(v instanceof Uint8Array ? new TextDecoder().decode(v) : v);
const same = (a: Check["got"], b: Check["want"]) =>
  a instanceof Uint8Array && b instanceof Uint8Array ? Buffer.compare(a, b) === 0 : a === b;

/** Print each failed expectation on one line; exit code 1 if any failed. */
function reportExpectations(file: string, checks: Check[]): number {
  const failed = checks.filter((c) => !same(c.got, c.want));
  for (const c of failed)
    process.stderr.write(`${file}: expectation failed: ${c.what} ${show(c.got)} != expected ${show(c.want)}\n`);
  const passed = checks.filter((c) => !failed.includes(c)).map((c) => c.what);
  process.stderr.write(
    `${file}: ${passed.length} of ${checks.length} expectations met${passed.length ? ` (${passed.join(", ")})` : ""}\n`,
  );
  return failed.length ? 1 : 0;
}
