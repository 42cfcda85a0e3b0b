// The TypeScript host for interpreter modules: futamura's host ABI (docs/new-interpreter.md, "The host ABI") as an
// import object, plus helpers that instantiate a module, run its init and its `run` export.
//
//   futamura.program_length(): i32, program_read(dst)  how the program reaches init
//   futamura.write(ptr, len)                            raw output bytes (no decoding: byte 0xCA stays 0xCA)
//   futamura.read(dst, max): i32                        input bytes (stdin, a file, or bytes a test gives); 0 = EOF
//   futamura.error(code, pc)                            a runtime error: the program's loader turns (code, pc) into
//                                                       `file:line: runtime error: …` from its debug info; ends the run
//   futamura.exit(code)                                 end the run with this exit code
//   futamura.print_u64(v), futamura.trace(pc, v)        conveniences: an unsigned decimal; a per-step trace hook
//   env.abort                                           AssemblyScript's abort (out of memory)
//   weval.*                                             stubs for an unspecialized module, as weval-stubs.wat
// A language may add import modules of its own (Fern's `fern.print`): its loader supplies them (ProgramHost).
// Used by the snapshot stage, pipeline/, the CLI, the tests and the benchmarks alike.
import { InternalError, UserError } from "../util/errors.ts";
import { WEVAL_STUBS } from "./weval-stubs.ts";

export interface Output {
  write(text: string): void;
  /** Raw bytes; outputs without it receive the bytes decoded as UTF-8. */
  writeBytes?(bytes: Uint8Array): void;
}

const encoder = new TextEncoder();

/** Collects output in memory, as bytes. */
export class BufferedOutput implements Output {
  private chunks: Uint8Array[] = [];
  private size = 0;
  write(text: string): void {
    this.writeBytes(encoder.encode(text));
  }
  writeBytes(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
    this.size += bytes.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) out.set(c, (at += c.length) - c.length);
    return out;
  }
  /** The output decoded as UTF-8 (invalid bytes become U+FFFD: compare bytes() when that matters). */
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/** Where `futamura.read` takes bytes from. */
export interface Input {
  /** Up to `max` bytes; an empty array at end of input. */
  read(max: number): Uint8Array;
}

/** Input from bytes in memory (tests, diff, bench, `--input FILE`). */
export function bytesInput(bytes: Uint8Array): Input {
  let at = 0;
  return {
    read(max) {
      const chunk = bytes.subarray(at, Math.min(bytes.length, at + max));
      at += chunk.length;
      return chunk;
    },
  };
}

/** What a program's loader adds to the host: its language's own imports and its runtime error messages. */
export interface ProgramHost {
  /** Import modules beyond futamura's (e.g. `fern`), given the instance's memory and the output. */
  imports?(ctx: HostContext): WebAssembly.Imports;
  /** The message for `futamura.error(code, pc)`, e.g. `prog.b:3:7: runtime error: tape pointer out of range`. */
  describeError?(code: number, pc: number): string;
}

export interface HostContext {
  memory(): ArrayBuffer;
  write(text: string): void;
  writeBytes(bytes: Uint8Array): void;
}

/** A runtime error the program reported through `futamura.error` (or a language import): shown as its message.
 *  From futamura.error it keeps the raw (code, pc), so a host without the program's debug info (the large-stack
 *  worker) can have it described where the loader's host is. */
export class ProgramRuntimeError extends UserError {
  constructor(
    message: string,
    readonly code?: number,
    readonly pc?: number,
  ) {
    super(message);
  }
}

/** Thrown by `futamura.exit(code)` to end the run; runModule's callers turn it into an exit code. */
export class ProgramExit extends Error {
  constructor(readonly code: number) {
    super(`the program exited with code ${code}`);
    this.name = "ProgramExit";
  }
}

export interface HostOptions {
  /** Called before each instruction by `runTraced`. */
  trace?: (pc: number, acc: bigint) => void;
  /** What `futamura.read` reads (default: nothing, i.e. end of input at once). */
  input?: Input;
  /** The loader's additions. */
  host?: ProgramHost;
}

/**
 * The bytes [ptr, ptr+len) of an instance's memory, for a host import that reads or writes them. The interpreter
 * is a user's code: a range outside memory (a bad pointer or length) is a one-line runtime error naming the import,
 * not a RangeError from the typed array.
 */
export function memoryRange(buffer: ArrayBuffer, ptr: number, len: number, importName: string): Uint8Array {
  const start = ptr >>> 0;
  const length = len >>> 0;
  if (start + length > buffer.byteLength) {
    throw new ProgramRuntimeError(
      `runtime error: the interpreter passed ${importName} the bytes ${start}..${start + length} (length ${length}), outside its memory (${buffer.byteLength} bytes): a bug in the interpreter`,
    );
  }
  return new Uint8Array(buffer, start, length);
}

/** The import object, bound late to the instance's memory (imports must exist before the instance does). */
export class InterpreterHost {
  private memory: WebAssembly.Memory | undefined;
  readonly imports: WebAssembly.Imports;

  constructor(program: Uint8Array, out: Output, opts: HostOptions = {}) {
    const mem = () => {
      if (!this.memory) throw new InternalError("host: the module's memory is not bound yet (call bind(instance))");
      return this.memory;
    };
    const writeBytes = (bytes: Uint8Array) =>
      out.writeBytes ? out.writeBytes(bytes) : out.write(new TextDecoder().decode(bytes));
    const intrinsicOutsideSpecialization = (name: string) => () => {
      throw new InternalError(
        `weval intrinsic '${name}' called in an unspecialized module (a specializable body ran unspecialized)`,
      );
    };
    const ctx: HostContext = { memory: () => mem().buffer, write: (t) => out.write(t), writeBytes };
    this.imports = {
      ...opts.host?.imports?.(ctx),
      futamura: {
        program_length: () => program.length,
        program_read: (dst: number) =>
          memoryRange(mem().buffer, dst, program.length, "futamura.program_read").set(program),
        write: (ptr: number, len: number) => writeBytes(memoryRange(mem().buffer, ptr, len, "futamura.write")),
        read: (dst: number, max: number) => {
          const into = memoryRange(mem().buffer, dst, max, "futamura.read");
          const chunk = opts.input?.read(max >>> 0) ?? new Uint8Array(0);
          into.set(chunk);
          return chunk.length;
        },
        error: (code: number, pc: number) => {
          const described = opts.host?.describeError?.(code >>> 0, pc >>> 0);
          throw new ProgramRuntimeError(
            described ?? `runtime error ${code >>> 0} at pc ${pc >>> 0}`,
            code >>> 0,
            pc >>> 0,
          );
        },
        exit: (code: number) => {
          throw new ProgramExit(code | 0);
        },
        print_u64: (v: bigint) => out.write(BigInt.asUintN(64, v).toString()),
        trace: (pc: number, acc: bigint) => opts.trace?.(pc >>> 0, BigInt.asUintN(64, acc)),
      },
      env: {
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new InternalError(`interpreter aborted (AssemblyScript abort at ${line}:${col}: out of memory?)`);
        },
      },
      // Stubs (interp/weval-stubs.ts, as weval's lib/weval-stubs.wat): contexts and state writes do nothing,
      // specialize.value returns its value, and state reads trap, because only a specialized body may use them.
      weval: Object.fromEntries(
        Object.entries(WEVAL_STUBS).map(([name, behaviour]) => [
          name,
          behaviour === "nothing"
            ? () => {}
            : behaviour === "identity"
              ? (v: unknown) => v
              : intrinsicOutsideSpecialization(name),
        ]),
      ),
    };
  }

  bind(instance: WebAssembly.Instance): WebAssembly.Instance {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    return instance;
  }
}

/** The import names futamura's host provides, per module: what `build-interp` checks an interpreter against. */
export function coreImportNames(): Record<string, string[]> {
  const host = new InterpreterHost(new Uint8Array(0), new BufferedOutput());
  return Object.fromEntries(Object.entries(host.imports).map(([m, fns]) => [m, Object.keys(fns)]));
}

export async function instantiate(
  wasm: Uint8Array | WebAssembly.Module,
  host: InterpreterHost,
): Promise<WebAssembly.Instance> {
  const mod = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as BufferSource);
  // An import the host lacks means the module and the program do not belong together (an interpreter given with
  // --interp for another language's program, say): the user's mistake, said as such rather than as V8's LinkError.
  for (const i of WebAssembly.Module.imports(mod)) {
    const provided = (host.imports[i.module] as Record<string, unknown> | undefined)?.[i.name];
    if ((i.module === "futamura" || i.module === "weval") && (provided === undefined || i.kind !== "function")) {
      // A name the host ABI does not have (or not as a function): the module was built against another ABI.
      const abi = Object.keys(host.imports[i.module] as object).join(", ");
      throw new UserError(
        `error: the module imports ${i.module}.${i.name}${provided === undefined ? "" : ` as a ${i.kind}`}, which futamura's host ABI does not provide (${i.module} has the functions ${abi}): it was built for another version of the ABI; rebuild it against this one (docs/new-interpreter.md, "The host ABI")`,
      );
    }
    if (provided === undefined)
      throw new UserError(
        `error: the interpreter module imports ${i.module}.${i.name}, which this program's loader does not provide: the interpreter and the program are for different languages (choose the matching --interp)`,
      );
  }
  return host.bind(await WebAssembly.instantiate(mod, host.imports));
}

export const INIT_EXPORT = "wizer.initialize";

/** A program as the host needs it: the bytes init reads, and what its loader adds. */
export interface HostedProgram {
  bytes: Uint8Array;
  host?: ProgramHost;
  /** Bytes for `futamura.read` (default: none). */
  input?: Uint8Array;
  /** Run on the large-stack worker (interp/deep-run.ts; the manifest's "deepStack"). The worker makes the
   *  program's host itself, from this module's export (a loader's `host(bytes)`), since functions cannot cross. */
  deepStack?: { hostModule?: string; hostExport?: string };
}

export function asHosted(program: Uint8Array | HostedProgram): HostedProgram {
  return program instanceof Uint8Array ? { bytes: program } : program;
}

/**
 * Run an interpreter module on a program: init (when the module still has its init export, i.e. it is not a
 * snapshot), then `run` (or `runTraced`). Output goes to `out`. Returns run's result (0 for a `run` that returns
 * nothing; an i32 result is read unsigned). `futamura.exit` arrives as a thrown ProgramExit.
 */
export async function runModule(
  wasm: Uint8Array | WebAssembly.Module,
  program: Uint8Array | HostedProgram,
  out: Output,
  opts: Omit<HostOptions, "host"> & { traced?: boolean } = {},
): Promise<bigint> {
  const p = asHosted(program);
  const host = new InterpreterHost(p.bytes, out, {
    input: p.input ? bytesInput(p.input) : undefined,
    ...opts,
    host: p.host,
  });
  const instance = await instantiate(wasm, host);
  const init = instance.exports[INIT_EXPORT] as (() => void) | undefined;
  init?.();
  const main = instance.exports[opts.traced ? "runTraced" : "run"] as () => bigint | number | undefined;
  const r = main();
  return r === undefined ? 0n : typeof r === "bigint" ? BigInt.asUintN(64, r) : BigInt(r >>> 0);
}
