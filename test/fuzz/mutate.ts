// Mutation fuzzing of every input format — toy assembly, Fern and Brainfuck sources (token mutations: delete,
// duplicate, swap or replace tokens, extreme numbers, deep nesting, stray bytes, truncation), toy binaries (.fbc)
// and snapshot modules given to `specialize` (byte mutations) — checking the one property a user relies on: the toolchain either rejects the program with a clean
// user error, or the interpreted and the wevaled runs behave the same (same output, same runtime error) — never an
// internal error (a crash of the front end, a trap or abort of the interpreter, a failed build).
// Each candidate is built and run in a worker thread with a time limit and the large native stack `futamura run`
// gives programs (interp/deep-run.ts: Fern recursion is Wasm recursion), so a mutation that loops forever costs a
// timeout (counted, not a failure) instead of the whole run. The workers run the compiled dist/ (built by the CLI
// launcher).
import { readdirSync, readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { OPCODES } from "../../bytecode/opcodes.ts";
import { loadProgramSource } from "../../bytecode/source.ts";
import { UserError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { DEEP_STACK_MB } from "../../interp/deep-run.ts";

/** The formats mutated: toy assembly, Fern and Brainfuck sources; toy binaries (.fbc); snapshot modules given to
 *  `specialize` (wasm). Binary formats travel as latin1 strings (one char per byte), so one mutant type serves all. */
export type Language = "toy" | "fern" | "bf" | "fbc" | "wasm";
export const LANGUAGES: Language[] = ["toy", "fern", "bf", "fbc", "wasm"];
const BINARY = new Set<Language>(["fbc", "wasm"]);
export const toLatin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
export const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, "latin1"));

/** A small deterministic PRNG (mulberry32): the same seed gives the same mutations on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKEN =
  /"(?:[^"\\\n]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?|&&|\|\||[=!<>]=|\/\/[^\n]*|;[^\n]*|\s+|./g;

const FERN_WORDS = [
  "fn",
  "let",
  "if",
  "else",
  "while",
  "return",
  "true",
  "false",
  "nil",
  "print",
  "array",
  "len",
  "+",
  "-",
  "*",
  "/",
  "%",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
  "&&",
  "||",
  "!",
  "=",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  ",",
  ";",
  "x",
  "f",
  "0",
  "1.5",
];
const TOY_WORDS = [
  ...OPCODES.map((o) => o.name),
  ".locals",
  "loop:",
  "loop",
  "done",
  ",",
  ":",
  '"text"',
  "0",
  "255",
  "256",
  "\n",
];
const BF_WORDS = [
  "+",
  "-",
  "<",
  ">",
  "[",
  "]",
  ".",
  ",",
  "[-]",
  "[>+<-]",
  "<<<<<<<<",
  ">>>>>>>>",
  "+++++++++++++++",
  "\n",
];
const EXTREME_NUMBERS = [
  "0",
  "1",
  "-1",
  "255",
  "256",
  "65535",
  "4294967296",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775808",
  "18446744073709551615",
  "18446744073709551616",
  "99999999999999999999999",
  "1e308",
  "0.0",
  "100000000",
];
const STRAY = ["\u0000", "\u00ff", "\ufffd", "\t", "\r", "\\", '"', "'", "#", "@", "$", "`", "é", "\u2028"];

/** Applies `count` seeded mutations to `source`. */
export function mutateSource(source: string, language: Language, seed: number, count: number): string {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let tokens: string[] = source.match(TOKEN) ?? [];
  const words = language === "fern" ? FERN_WORDS : language === "bf" ? BF_WORDS : TOY_WORDS;
  for (let m = 0; m < count; m++) {
    if (!tokens.length) tokens = [pick(words)];
    const solid = tokens.map((t, i) => (/^\s+$/.test(t) ? -1 : i)).filter((i) => i >= 0);
    const at = solid.length ? pick(solid) : 0;
    switch (Math.floor(random() * 10)) {
      case 0:
        tokens.splice(at, 1);
        break; // delete a token
      case 1:
        tokens.splice(at, 0, tokens[at]);
        break; // duplicate it
      case 2: {
        // swap with the next solid token
        const next = solid[solid.indexOf(at) + 1];
        if (next !== undefined) [tokens[at], tokens[next]] = [tokens[next], tokens[at]];
        break;
      }
      case 3:
        tokens[at] = pick(words);
        break; // replace it
      case 4:
        tokens.splice(at, 0, pick(words), " ");
        break; // insert a word
      case 5: {
        // an extreme number instead of a number (or anywhere)
        const numbers = solid.filter((i) => /^\d/.test(tokens[i]));
        tokens[numbers.length ? pick(numbers) : at] = pick(EXTREME_NUMBERS);
        break;
      }
      case 6: {
        // deep nesting: wrap a token in many parentheses (Fern) or repeat a line many times (toy)
        const depth = pick([20, 100, 300, 1000, 3000]);
        if (language === "fern") tokens[at] = "(".repeat(depth) + tokens[at] + ")".repeat(depth);
        else if (language === "bf") tokens[at] = "[".repeat(depth) + tokens[at] + "]".repeat(depth);
        else tokens[at] = `${tokens[at]}\n`.repeat(Math.min(depth, 1000));
        break;
      }
      case 7:
        tokens.splice(at, 0, pick(STRAY));
        break; // a stray character
      case 8:
        tokens = tokens.slice(0, Math.max(1, Math.floor(random() * tokens.length)));
        break; // truncate
      default: {
        // duplicate a whole line
        const lines = tokens.join("").split("\n");
        const l = Math.floor(random() * lines.length);
        lines.splice(l, 0, lines[l]);
        tokens = lines.join("\n").match(TOKEN) ?? [];
      }
    }
  }
  return tokens.join("");
}

/** Applies `count` seeded mutations to a binary: a byte replaced (often by 0, 0xff or 0x80), a byte inserted or
 *  deleted, a run of bytes duplicated, a LEB-looking byte made huge, or the end cut off. */
export function mutateBytes(bytes: Uint8Array, seed: number, count: number): Uint8Array {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let b = Array.from(bytes);
  for (let m = 0; m < count; m++) {
    if (!b.length) b = [0];
    const at = Math.floor(random() * b.length);
    switch (Math.floor(random() * 6)) {
      case 0:
        b[at] = Math.floor(random() * 256);
        break;
      case 1:
        b[at] = pick([0, 0xff, 0x80, 0x7f, 1]);
        break;
      case 2:
        b.splice(at, 0, Math.floor(random() * 256));
        break;
      case 3:
        b.splice(at, 1);
        break;
      case 4:
        b.splice(at, 0, ...b.slice(at, at + 1 + Math.floor(random() * 16)));
        break;
      default:
        b = b.slice(0, Math.max(1, Math.floor(random() * b.length)));
    }
  }
  return Uint8Array.from(b);
}

/** A module mutated: two times in three inside its data section (the snapshot's memory: the program, the request
 *  list, the heap), where most mutants stay valid, else anywhere. */
function mutateModule(bytes: Uint8Array, seed: number, count: number): Uint8Array {
  let at = 8;
  let data: [number, number] | undefined;
  while (at < bytes.length) {
    const id = bytes[at++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[at++];
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    if (id === 11) data = [at, at + size];
    at += size;
  }
  if (!data || prng(seed ^ 0x5eed)() < 1 / 3) return mutateBytes(bytes, seed, count);
  const random = prng(seed);
  const out = bytes.slice();
  for (let m = 0; m < count; m++)
    out[data[0] + Math.floor(random() * (data[1] - data[0]))] = Math.floor(random() * 256);
  return out;
}

export type Verdict =
  | { kind: "rejected"; message: string } // a clean user error from the front end
  | { kind: "same"; outcome: string } // both modes behaved the same
  | { kind: "timeout" } // did not finish in time (a mutation may loop forever): neither pass nor failure
  | { kind: "internal"; message: string } // a crash: front end, build, interpreter trap or abort
  | { kind: "mismatch"; interpreted: string; wevaled: string };

export const isFailure = (v: Verdict) => v.kind === "internal" || v.kind === "mismatch";

/** The front end: a clean user error, or the program's bytes. Anything else is an internal error. */
export async function frontEnd(
  source: string,
  language: Language,
  file: string,
): Promise<{ bytes: Uint8Array } | Verdict> {
  try {
    if (language === "fern") return { bytes: (await import("../../lang/index.ts")).compileFern(source, file).bytes };
    if (language === "bf")
      return { bytes: (await import("../../brainfuck/loader.ts")).load(file, new TextEncoder().encode(source)).bytes };
    if (language === "fbc")
      return { bytes: (await import("../../bytecode/index.ts")).loadProgramSource(fromLatin1(source), file).bytes };
    if (language === "wasm") return { bytes: fromLatin1(source) }; // the worker's specializeModule is the front end
    return { bytes: (await import("../../bytecode/index.ts")).loadProgramSource(source, file).bytes };
  } catch (e) {
    if (e instanceof UserError) return { kind: "rejected", message: e.message };
    return { kind: "internal", message: `front end: ${(e as Error).name}: ${(e as Error).message}` };
  }
}

// The worker: builds the program (snapshot + specialize, no cache) and runs both modules; a runtime error is the
// user's (a UserError: a Fern runtime error) or internal (a trap, an abort, anything else).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
(async () => {
  const { buildInterpreter } = await import(workerData.dist + "/interp/build.js");
  const { buildProgram } = await import(workerData.dist + "/pipeline/build.js");
  const { fernHost } = await import(workerData.dist + "/lang/values.js");
  const { BufferedOutput, runModule } = await import(workerData.dist + "/interp/host.js");
  const { UserError } = await import(workerData.dist + "/util/errors.js");
  const interps = {};
  const { specializeModule } = await import(workerData.dist + "/specializer/index.js");
  parentPort.on("message", async ({ language, bytes }) => {
    // Fern's printing and error messages are its loader's additions to the host ABI.
    const program = language === "fern" ? { bytes, host: fernHost(bytes) } : language === "wasm" ? { bytes: new Uint8Array(0) } : { bytes };
    const interpreter = language === "fbc" ? "toy" : language;
    try {
      let built;
      try {
        if (language === "wasm") {
          // A (mutated) snapshot given to specialize: the library entry must take it or throw a UserError.
          built = { snapshot: bytes, wasm: (await specializeModule(bytes)).wasm };
        } else {
          interps[interpreter] ??= (await buildInterpreter(interpreter)).wasm;
          built = await buildProgram(interps[interpreter], program, { cache: false });
        }
      } catch (e) {
        parentPort.postMessage(e instanceof UserError ? { kind: "rejected", message: e.message } : { kind: "internal", message: "build: " + e.message });
        return;
      }
      const run = async (wasm) => {
        const out = new BufferedOutput();
        try {
          const result = await runModule(wasm, program, out);
          return { text: out.text() + "\\n=> " + result, internal: false };
        } catch (e) {
          // A corrupted snapshot may trap or fail anywhere: its own behaviour, compared by kind (a trap's message
          // may differ where specialized code traps elsewhere), never an internal error of futamura's.
          if (language === "wasm") {
            const own = e instanceof UserError || e instanceof WebAssembly.RuntimeError || e?.name === "ProgramExit" || (e instanceof RangeError && /call stack/.test(e.message)) || /interpreter aborted/.test(e?.message);
            return { text: out.text() + "\\n!! " + (own ? "its own stop" : e.message), internal: !own };
          }
          return { text: out.text() + "\\n!! " + e.message, internal: !(e instanceof UserError) };
        }
      };
      if (language === "wasm") {
        // A mutation may change one of the interpreter's two bodies (the generic one a snapshot runs, the one with
        // intrinsics specialization reads) and not the other, so the runs may rightly differ: the property is a
        // UserError or a valid module, and runs that end (however they end) rather than crash the host.
        if (!WebAssembly.validate(built.wasm)) return parentPort.postMessage({ kind: "internal", message: "specialize wrote an invalid module" });
        const a = await run(built.snapshot);
        const b = await run(built.wasm);
        return parentPort.postMessage({ kind: "same", outcome: (a.text === b.text ? "same: " : "differs: ") + b.text.slice(-100) });
      }
      const a = await run(built.snapshot);
      const b = await run(built.wasm);
      if (a.internal || b.internal) parentPort.postMessage({ kind: "internal", message: "run: " + (a.internal ? "interpreted: " + a.text : "wevaled: " + b.text) });
      else if (a.text !== b.text) parentPort.postMessage({ kind: "mismatch", interpreted: a.text, wevaled: b.text });
      else parentPort.postMessage({ kind: "same", outcome: a.text });
    } catch (e) {
      parentPort.postMessage({ kind: "internal", message: "harness: " + e.message });
    }
  });
  parentPort.postMessage({ ready: true });
})();
`;

/** A worker that builds and runs programs one at a time; replaced when a program exceeds its time limit. */
export class Runner {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;

  private start(): void {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { dist: pathToFileURL(join(ROOT, "dist")).href },
      resourceLimits: { maxOldGenerationSizeMb: 2048, stackSizeMb: DEEP_STACK_MB },
    });
    this.worker.unref();
    const w = this.worker;
    this.ready = new Promise((resolve, reject) => {
      w.once("message", () => resolve());
      // The worker runs the compiled pipeline in dist/: a load failure there is a stale or half-written build.
      w.once("error", (e) =>
        reject(
          new Error(
            `the fuzz worker could not start (${e.message}); rebuild dist/ with \`npx tsc -p tsconfig.build.json\` and rerun`,
          ),
        ),
      );
    });
  }

  async check(bytes: Uint8Array, language: Language, timeoutMs: number): Promise<Verdict> {
    if (!this.worker) this.start();
    await this.ready;
    const w = this.worker!;
    return new Promise<Verdict>((resolve) => {
      const timer = setTimeout(() => {
        cleanup();
        void w.terminate();
        this.worker = undefined;
        resolve({ kind: "timeout" });
      }, timeoutMs);
      const onMessage = (v: Verdict) => (cleanup(), resolve(v));
      const onError = (e: Error) => {
        cleanup();
        this.worker = undefined;
        resolve({ kind: "internal", message: `worker died: ${e.message}` });
      };
      const cleanup = () => {
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
      };
      w.on("message", onMessage);
      w.once("error", onError);
      w.postMessage({ language, bytes });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

/** Mutates, then checks: the front end in this thread, build and runs in the runner's worker. */
export async function checkMutant(
  runner: Runner,
  source: string,
  language: Language,
  name: string,
  timeoutMs: number,
): Promise<Verdict> {
  const front = await frontEnd(source, language, name);
  if ("kind" in front) return front;
  return runner.check(front.bytes, language, timeoutMs);
}

/** The programs mutated: every committed example that runs in well under a second. */
export function corpus(language: Language): { name: string; source: string }[] {
  if (language === "fbc")
    return corpus("toy").map((p) => ({
      name: p.name.replace(/\.asm$/, ".fbc"),
      source: toLatin1(loadProgramSource(p.source, p.name).bytes),
    }));
  if (language === "wasm") throw new Error("the wasm corpus is built: call wasmCorpus()");
  const dirs =
    language === "fern"
      ? [join(ROOT, "lang", "programs"), join(ROOT, "test", "fuzz", "corpus")]
      : language === "bf"
        ? [join(ROOT, "brainfuck", "programs"), join(ROOT, "brainfuck", "programs", "acme")]
        : [join(ROOT, "bytecode", "programs")];
  const ext = language === "fern" ? ".fern" : language === "bf" ? ".b" : ".asm";
  const slow = new Set(["sum.asm", "busy.b"]); // long loops: every mutant would time out
  return dirs
    .flatMap((d) => {
      try {
        return readdirSync(d)
          .filter((f) => f.endsWith(ext) && !slow.has(f))
          .sort()
          .map((f) => join(d, f));
      } catch {
        return [];
      }
    })
    .map((f) => ({ name: f.slice(ROOT.length + 1), source: readFileSync(f, "utf8") }));
}

/** The snapshots `specialize` is given, mutated for the wasm format: the toy corpus's, built once (no cache). */
export async function wasmCorpus(): Promise<{ name: string; source: string }[]> {
  const { buildInterpreter } = await import("../../interp/build.ts");
  const { buildProgram } = await import("../../pipeline/build.ts");
  const toy = (await buildInterpreter("toy")).wasm;
  const out: { name: string; source: string }[] = [];
  for (const p of corpus("toy"))
    out.push({
      name: p.name.replace(/\.asm$/, ".snapshot.wasm"),
      source: toLatin1((await buildProgram(toy, loadProgramSource(p.source, p.name).bytes, { cache: false })).snapshot),
    });
  return out;
}

/** The mutant for seed s: a corpus program picked by the seed, with 1–4 mutations. */
export function mutant(
  language: Language,
  programs: { name: string; source: string }[],
  seed: number,
  mutations?: number,
) {
  const p = programs[seed % programs.length];
  const n = mutations ?? 1 + (Math.floor(seed / programs.length) % 4);
  const source =
    language === "wasm"
      ? toLatin1(mutateModule(fromLatin1(p.source), seed, n))
      : BINARY.has(language)
        ? toLatin1(mutateBytes(fromLatin1(p.source), seed, n))
        : mutateSource(p.source, language, seed, n);
  return { name: `${p.name}~${seed}x${n}`, base: p, mutations: n, source };
}
