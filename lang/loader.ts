// Fern's loader (interp/manifests/fern.json): a .fern source → the binary program, its `// expect:` and
// `// expect runtime error:` lines as expectations, and Fern's host additions (fern.format_float, error messages with the
// function and line).
import type { HostedProgram, ProgramHost } from "../interp/host.ts";
import { builtinManifest } from "../interp/manifest.ts";
import { deepStackFor, type LoadedProgram } from "../interp/loaded-program.ts";
import { compileFern, type FernProgram } from "./index.ts";
import { FUNC_HEADER } from "./opcodes.ts";
import { fernHost } from "./values.ts";
import { sourceText } from "../util/text.ts";

/** Fern's host additions for a program's bytes alone (its debug info travels in them): `futamura run out.wasm`. */
export function host(bytes: Uint8Array): ProgramHost {
  return fernHost(bytes);
}

export function load(file: string, data: Uint8Array): LoadedProgram {
  return fernLoaded(compileFern(sourceText(data, file, "a Fern program is source text"), file));
}

/** A compiled Fern program as the host runs it (tests and benchmarks that compile source text directly): with
 *  its host additions, and on the large-stack worker as the fern manifest says (interp/manifests/fern.json). */
export function fernLoaded(p: FernProgram): LoadedProgram & HostedProgram & { name: string } {
  // A request's constant buffer is its function's blob, whose header holds the function's index (lang/format.ts).
  const describeRequest = (blob: Uint8Array) => {
    const f =
      blob.length >= FUNC_HEADER.size
        ? p.functions[new DataView(blob.buffer, blob.byteOffset).getUint32(FUNC_HEADER.index, true)]
        : undefined;
    return f && `fn ${f.name}`;
  };
  return {
    name: p.file,
    bytes: p.bytes,
    expect: { stdout: p.expect.stdout, error: p.expect.runtimeError },
    host: fernHost(p.bytes),
    deepStack: deepStackFor(builtinManifest("fern")),
    describeRequest,
  };
}
