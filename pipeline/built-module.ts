// A module `futamura build` wrote, run from anywhere: its program section names the interpreter and (a second
// section) the manifest file and program source it was built with, so the language's loader — host imports, error
// lines — is found by name from the current folder, else from the recorded manifest, else from `--interp` (its
// host(bytes), else its load() on the source when that is still there); when none is found the caller is told
// which manifest to pass.
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { HostedProgram } from "../interp/host.ts";
import { knownManifests, readManifest, resolveInterpreterSpec, type Manifest } from "../interp/manifest.ts";
import { readProgramSection } from "./embed.ts";
import { deepStackFor, hostForBytes, loadProgram } from "./program.ts";

export const MANIFEST_SECTION = "futamura.manifest";

/** What the section records: the manifest file, and the program's source (absolute paths). */
interface Recorded {
  manifest: string;
  source?: string;
}

/** The module with a custom section recording the manifest file it was built with and the program's source. */
export function withManifestSection(wasm: Uint8Array, manifestFile: string, sourceFile?: string): Uint8Array {
  const name = new TextEncoder().encode(MANIFEST_SECTION);
  const path = new TextEncoder().encode(
    JSON.stringify({ manifest: resolve(manifestFile), source: sourceFile && resolve(sourceFile) } satisfies Recorded),
  );
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
  const [section] = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  const recorded = section ? (JSON.parse(new TextDecoder().decode(section)) as Recorded) : undefined;
  const manifestFile = recorded?.manifest;
  let manifest: Manifest | undefined;
  if (spec) {
    const r = resolveInterpreterSpec(spec);
    if ("manifest" in r) manifest = r.manifest;
  } else if (embedded) {
    manifest = knownManifests().find(
      (m) => m.name === embedded.interpreter && (!manifestFile || m.file === manifestFile),
    );
    manifest ??=
      manifestFile && existsSync(manifestFile)
        ? readManifest(manifestFile)
        : knownManifests().find((m) => m.name === embedded.interpreter);
  }
  const missing =
    embedded && !manifest
      ? `interpreter '${embedded.interpreter}' is not found from here${manifestFile ? ` (built with ${manifestFile})` : ""}: its error lines and host imports are missing; pass its manifest with --interp`
      : undefined;
  let host = manifest && embedded ? await hostForBytes(manifest, embedded.program) : undefined;
  // A loader without host(bytes) describes errors from the source: loaded again when it is still there.
  if (manifest && embedded && !host && recorded?.source && existsSync(recorded.source))
    host = (await loadProgram(manifest, relative(process.cwd(), recorded.source) || recorded.source)).host;
  // A built program recurses as deep as interpreted: on the large-stack worker when its interpreter's manifest says
  // so, the worker making the host from the recorded program's bytes (the module's memory has the program already).
  const deepStack = manifest && embedded ? deepStackFor(manifest) : undefined;
  return {
    program: {
      interpreter: embedded?.interpreter ?? "",
      bytes: deepStack ? embedded!.program : new Uint8Array(0),
      host,
      deepStack,
    },
    manifest,
    missing,
  };
}
