// A module `futamura build` wrote, run from anywhere: its program section names the interpreter and (a second
// section) the manifest file it was built with, so the language's loader — host imports, error lines — is found
// by name from the current folder, else from the recorded manifest, else from `--interp`; when none is found the
// caller is told which manifest to pass. Relies on embed.ts, program.ts and interp/manifest.ts.
import { existsSync } from "node:fs";
import type { HostedProgram } from "../interp/host.ts";
import { knownManifests, readManifest, resolveInterpreterSpec, type Manifest } from "../interp/manifest.ts";
import { readProgramSection } from "./embed.ts";
import { deepStackFor, hostForBytes } from "./program.ts";

export const MANIFEST_SECTION = "futamura.manifest";

/** The module with a custom section recording the manifest file it was built with. */
export function withManifestSection(wasm: Uint8Array, manifestFile: string): Uint8Array {
  const name = new TextEncoder().encode(MANIFEST_SECTION);
  const path = new TextEncoder().encode(manifestFile);
  const payload = [...leb(name.length), ...name, ...path];
  const out = new Uint8Array(wasm.length + 1 + leb(payload.length).length + payload.length);
  out.set(wasm, 0);
  out.set([0, ...leb(payload.length), ...payload], wasm.length);
  return out;
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n >>> 7 ? 0x80 : 0));
    n >>>= 7;
  } while (n);
  return out;
}

export interface BuiltModuleProgram {
  /** What runModule/runModuleDeep take: the host additions and, on the large-stack worker, the program's bytes. */
  program: HostedProgram & { interpreter: string };
  manifest?: Manifest;
  /** Set when the module names an interpreter that cannot be found from here: one line saying what to pass. */
  missing?: string;
}

/** The program a built module carries and its interpreter's loader; `spec` is `--interp` when given. */
export async function builtModuleProgram(module: WebAssembly.Module, spec?: string): Promise<BuiltModuleProgram> {
  const embedded = readProgramSection(module);
  const [recorded] = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  const manifestFile = recorded ? new TextDecoder().decode(recorded) : undefined;
  let manifest: Manifest | undefined;
  if (spec) {
    const r = resolveInterpreterSpec(spec);
    if ("manifest" in r) manifest = r.manifest;
  } else if (embedded) {
    manifest = knownManifests().find((m) => m.name === embedded.interpreter && (!manifestFile || m.file === manifestFile));
    manifest ??= manifestFile && existsSync(manifestFile) ? readManifest(manifestFile) : knownManifests().find((m) => m.name === embedded.interpreter);
  }
  const missing = embedded && !manifest ? `interpreter '${embedded.interpreter}' is not found from here${manifestFile ? ` (built with ${manifestFile})` : ""}: its error lines and host imports are missing; pass its manifest with --interp` : undefined;
  const host = manifest && embedded ? await hostForBytes(manifest, embedded.program) : undefined;
  // A built program recurses as deep as interpreted: on the large-stack worker when its interpreter's manifest says
  // so, the worker making the host from the recorded program's bytes (the module's memory has the program already).
  const deepStack = manifest && embedded ? deepStackFor(manifest) : undefined;
  return { program: { interpreter: embedded?.interpreter ?? "", bytes: deepStack ? embedded!.program : new Uint8Array(0), host, deepStack }, manifest, missing };
}
