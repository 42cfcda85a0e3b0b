// binaryen.js, loaded once per process (the import took ~0.4 s on 2026-12-01), and the feature sets stages read and
// write modules with: the project's base set (what AssemblyScript and clang -O2 emit: MVP, mutable globals, sign
// extension, bulk memory, non-trapping float-to-int, multi-value), plus, for a module a user brought, what that
// module says it uses (its `target_features` section, as clang writes it: `-msimd128` adds simd128), SIMD and
// tail calls, which V8 runs and binaryen reads whatever the section says. readBinary and new Module() default to MVP,
// so call `withFeatures` (or `withModuleFeatures`) on every module before validating or optimizing.
// The entry points that run binaryen's C++ at length are wrapped at load, so a C++ exception becomes an
// InternalError that says what threw (guardCxxExceptions).
import type binaryenType from "binaryen";
import { InternalError, UserError } from "./errors.ts";

export type Binaryen = typeof binaryenType;
export type BinaryenModule = InstanceType<Binaryen["Module"]>;

let loading: Promise<Binaryen> | undefined;

export function loadBinaryen(): Promise<Binaryen> {
  loading ??= (runsOnNode() ? importOnNode() : import("binaryen")).then(
    (m) => {
      guardCxxExceptions(m.default);
      return m.default;
    },
    (e: unknown) => {
      loading = undefined; // the next call tries again, and reports the error itself
      throw e;
    },
  );
  return loading;
}

/** Under Node, binaryen.js with a faster table cache (./binaryen-glue.ts, imported only there: the explorer page
 *  loads this file in a browser, where binaryen.js comes as it is). */
async function importOnNode(): Promise<{ default: Binaryen }> {
  const ext = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const glue = (await import(/* @vite-ignore */ new URL(`./binaryen-glue${ext}`, import.meta.url).href)) as {
    binaryenEntry(): string;
  };
  const entry = glue.binaryenEntry();
  return entry === "binaryen"
    ? import("binaryen")
    : (import(/* @vite-ignore */ entry) as Promise<{ default: Binaryen }>);
}

function runsOnNode(): boolean {
  return typeof process !== "undefined" && typeof process.versions?.node === "string";
}

/** Starts loading binaryen without waiting for it, for a stage that will need it after other work: its file read
 *  and the compilation of its Wasm run off this thread meanwhile (the JavaScript parts of its load run at this
 *  thread's next awaits). A failure is left for the loadBinaryen that needs it to report. */
export function prefetchBinaryen(): void {
  loadBinaryen().catch(() => undefined);
}

/** binaryen's C entry points that run its C++ at length: module-wide work (read, validate, optimize, write), a
 *  function's passes, the Relooper. Not the expression builders, called millions of times (a wrapper costs ~14 ns a
 *  call, measured on 2026-12-07), which do no more than allocate. */
const GUARDED_ENTRY_POINTS = /^_(Relooper|BinaryenModule|BinaryenFunction(Optimize|RunPasses))/;
const GUARDED = Symbol.for("futamura.binaryen.guarded");

/** A C++ exception out of binaryen reaches JavaScript as a value that is no Error (no message, no stack: the CLI
 *  printed "[object Object]"). Wrap the entry points that may throw one, once per process (binaryen.js's wrappers
 *  look them up on the module object at every call), so it becomes an InternalError naming the entry point, the C++
 *  type and its message. */
function guardCxxExceptions(b: Binaryen): void {
  const exports = b as unknown as Record<string | symbol, unknown>;
  if (exports[GUARDED]) return;
  exports[GUARDED] = true;
  for (const key of Object.keys(exports)) {
    const f = exports[key];
    if (typeof f !== "function" || !GUARDED_ENTRY_POINTS.test(key)) continue;
    exports[key] = (...args: unknown[]) => {
      try {
        return f(...args);
      } catch (e) {
        throw e instanceof Error ? e : cxxError(b, e, key.slice(1));
      }
    };
  }
}

/** An InternalError for the C++ exception `e` that binaryen's `entry` threw. */
export function cxxError(b: Binaryen, e: unknown, entry: string): InternalError {
  const ptr = (e as { gC?: unknown } | null)?.gC; // binaryen.js's CppException holds the thrown object's address
  let type = "a C++ exception";
  let message: string | undefined;
  if (typeof ptr === "number") {
    [type, message] = (
      b as unknown as { getExceptionMessage(e: unknown): [string, string | undefined] }
    ).getExceptionMessage(e);
    // wasm::ParseException and its kin are no std::exception (no what()): their text is a std::string first.
    if (message === undefined && /ParseException$/.test(type)) message = cxxString(b, ptr);
  }
  return new InternalError(`binaryen's ${entry} threw ${type}${message ? `: ${message.trim()}` : ""}`);
}

/** The std::string at `ptr` in binaryen's memory (emscripten's libc++ layout: data, size, capacity with the long
 *  flag in its top bit; a short string inline with its size in the last byte), or undefined if it does not look
 *  like one. */
function cxxString(binaryen: Binaryen, ptr: number): string | undefined {
  const b = binaryen as unknown as { __i32_load(p: number): number; __i32_load8_u(p: number): number };
  const long = (b.__i32_load8_u(ptr + 11) & 0x80) !== 0;
  const data = long ? b.__i32_load(ptr) : ptr;
  const size = long ? b.__i32_load(ptr + 4) : b.__i32_load8_u(ptr + 11);
  if (size > 4096) return undefined;
  const bytes = Array.from({ length: size }, (_, i) => b.__i32_load8_u(data + i));
  return bytes.every((c) => c >= 32 && c < 127) ? String.fromCharCode(...bytes) : undefined;
}

/** The project's feature set (BulkMemory needs BulkMemoryOpt beside it in binaryen 132). */
export function projectFeatures(b: Binaryen): number {
  const F = b.Features;
  return (
    F.MVP |
    F.MutableGlobals |
    F.SignExt |
    F.BulkMemory |
    F.BulkMemoryOpt |
    F.NontrappingFPToInt |
    F.Multivalue |
    F.CallIndirectOverlong
  );
}

/** target_features names binaryen and V8 (Node 20) both handle, and binaryen's flag for each. */
const SUPPORTED_FEATURES: Record<string, keyof Binaryen["Features"] | (keyof Binaryen["Features"])[]> = {
  "mutable-globals": "MutableGlobals",
  "sign-ext": "SignExt",
  "bulk-memory": ["BulkMemory", "BulkMemoryOpt"],
  "bulk-memory-opt": "BulkMemoryOpt",
  "nontrapping-fptoint": "NontrappingFPToInt",
  multivalue: "Multivalue",
  "call-indirect-overlong": "CallIndirectOverlong",
  simd128: "SIMD128",
  "relaxed-simd": "RelaxedSIMD",
  "reference-types": "ReferenceTypes",
  "extended-const": "ExtendedConst",
  "tail-call": "TailCall",
  "exception-handling": "ExceptionHandling",
};

/** The features to read a user's module with: the base set, SIMD and tail calls (V8 runs both, and a module may
 *  use them without a target_features section: a hand-written or wasm-opt'd one), and what its target_features
 *  section names.
 *  A feature futamura cannot handle (memory64, multiple memories, GC, threads…) is a UserError naming it. */
export function moduleFeatures(b: Binaryen, targetFeatures: readonly string[]): number {
  let features = projectFeatures(b) | b.Features.SIMD128 | b.Features.TailCall;
  for (const name of targetFeatures) {
    const flags = SUPPORTED_FEATURES[name];
    if (!flags)
      throw new UserError(
        `the module uses the Wasm feature '${name}' (its target_features section says so), which futamura does not support; supported: ${Object.keys(SUPPORTED_FEATURES).join(", ")}`,
      );
    for (const f of Array.isArray(flags) ? flags : [flags]) features |= b.Features[f];
  }
  return features;
}

export function withFeatures(b: Binaryen, mod: BinaryenModule): BinaryenModule {
  mod.setFeatures(projectFeatures(b));
  return mod;
}
