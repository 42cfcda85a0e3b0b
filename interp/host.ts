// The TypeScript host for interpreter modules: the import object (program input for init, output, trace, and
// weval intrinsic stubs for unspecialized modules), and helpers that instantiate a module, run its init and its
// main export. Used by the CLI, the snapshot stage, the tests and the benchmarks alike.
// Relies on the interpreters' contract (interp/README.md) and lang/values.ts for Fern's values.

import { fernImports } from "../lang/values.ts";

export interface Output {
  write(text: string): void;
}

/** Collects output in memory. */
export class BufferedOutput implements Output {
  private chunks: string[] = [];
  write(text: string): void {
    this.chunks.push(text);
  }
  text(): string {
    return this.chunks.join("");
  }
}

export interface HostOptions {
  /** Called before each instruction by `runTraced`. */
  trace?: (pc: number, acc: bigint) => void;
}

/** The import object for futamura's interpreters (toy and Fern), bound late to the instance's memory (imports must exist
 * before the instance does). */
export class InterpreterHost {
  private memory: WebAssembly.Memory | undefined;
  private readonly decoder = new TextDecoder();
  readonly imports: WebAssembly.Imports;

  constructor(
    program: Uint8Array,
    out: Output,
    opts: HostOptions = {},
  ) {
    const mem = () => {
      if (!this.memory) throw new Error("host: the module's memory is not bound yet (call bind(instance))");
      return this.memory;
    };
    const intrinsicOutsideSpecialization = (name: string) => () => {
      throw new Error(`weval intrinsic '${name}' called in an unspecialized module (a specializable body ran unspecialized)`);
    };
    this.imports = {
      futamura: {
        program_length: () => program.length,
        program_read: (dst: number) => new Uint8Array(mem().buffer).set(program, dst >>> 0),
        print_text: (ptr: number, len: number) => out.write(this.decoder.decode(new Uint8Array(mem().buffer, ptr >>> 0, len >>> 0))),
        print_u64: (v: bigint) => out.write(BigInt.asUintN(64, v).toString()),
        trace: (pc: number, acc: bigint) => opts.trace?.(pc >>> 0, BigInt.asUintN(64, acc)),
      },
      // The Fern interpreter's output and errors (lang/values.ts).
      fern: fernImports(program, () => mem().buffer, (t) => out.write(t)),
      env: {
        abort: (_msg: number, _file: number, line: number, col: number) => {
          throw new Error(`interpreter aborted (AssemblyScript abort at ${line}:${col}: out of memory?)`);
        },
      },
      // Stubs, as weval's lib/weval-stubs.wat: contexts are no-ops, specialize.value returns its value, and the
      // state intrinsics trap, because only a specialized body may use them.
      weval: {
        "push.context": () => {},
        "update.context": () => {},
        "pop.context": () => {},
        "specialize.value": (v: number) => v,
        "read.reg": intrinsicOutsideSpecialization("read.reg"),
        "write.reg": intrinsicOutsideSpecialization("write.reg"),
        "push.stack": intrinsicOutsideSpecialization("push.stack"),
        "pop.stack": intrinsicOutsideSpecialization("pop.stack"),
        "read.stack": intrinsicOutsideSpecialization("read.stack"),
        "write.stack": intrinsicOutsideSpecialization("write.stack"),
        "sync.stack": intrinsicOutsideSpecialization("sync.stack"),
        "read.local": intrinsicOutsideSpecialization("read.local"),
        "write.local": intrinsicOutsideSpecialization("write.local"),
        "assert.const32": () => {},
        "abort.specialization": () => {},
        "trace.line": () => {},
        print: () => {},
        "context.bucket": () => {},
      },
    };
  }

  bind(instance: WebAssembly.Instance): WebAssembly.Instance {
    this.memory = instance.exports.memory as WebAssembly.Memory;
    return instance;
  }
}

/** Only the imports a module declares (WebAssembly.instantiate ignores extras, but keep them tidy for tools). */
export async function instantiate(wasm: Uint8Array | WebAssembly.Module, host: InterpreterHost): Promise<WebAssembly.Instance> {
  const mod = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm as BufferSource);
  return host.bind(await WebAssembly.instantiate(mod, host.imports));
}

export const INIT_EXPORT = "wizer.initialize";

export interface RunResult {
  stdout: string;
  halt: bigint;
}

/**
 * Run a toy-interpreter module on a program: init (when the module still has its init export, i.e. it is not a
 * snapshot), then `run` (or `runTraced`). Output goes to `out`.
 */
export async function runModule(
  wasm: Uint8Array | WebAssembly.Module,
  program: Uint8Array,
  out: Output,
  opts: HostOptions & { traced?: boolean } = {},
): Promise<bigint> {
  const host = new InterpreterHost(program, out, opts);
  const instance = await instantiate(wasm, host);
  const init = instance.exports[INIT_EXPORT] as (() => void) | undefined;
  init?.();
  const main = instance.exports[opts.traced ? "runTraced" : "run"] as () => bigint;
  return BigInt.asUintN(64, main());
}
