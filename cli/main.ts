// The `futamura` command line: a thin layer over the library API of each stage. Every command returns an exit
// code; a UserError prints its one-line message and exits 1; anything else is a bug and prints a stack only with
// --verbose. Relies on commander for parsing and help.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../util/root.ts";
import { UserError } from "../util/errors.ts";
import { DEFAULT_TRAINING_FUEL } from "../pipeline/train.ts";
import { benchCommand } from "./bench-command.ts";
import { cacheCommand } from "./cache-command.ts";
import { diffCommand } from "./diff-command.ts";
import { exploreCommand, type ExploreFlags } from "./explore-command.ts";
import { asmCommand, disCommand } from "./bytecode-commands.ts";
import { buildCommand, buildInterpCommand, irCommand, snapshotCommand, specializeCommand } from "./pipeline-commands.ts";
import { newInterpCommand } from "./new-interp-command.ts";
import { runCommand, type RunFlags } from "./run-command.ts";

const TRAIN = "run the program once on the generic interpreter first and let the specialized code assume what it saw (profile-guided speculation; interpreters with training exports, such as fern)";
const TRAIN_FUEL = `with --train (implied): stop the training run after n calls plus loop back-edges (default ${DEFAULT_TRAINING_FUEL})`;
const INTERP = "interpreter: a name (toy, fern, bf, …), a manifest .json, an AssemblyScript entry .ts or a built .wasm (default: by the program's extension)";

/** The version in package.json (one source of truth for it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** A closed pipe on standard output (`futamura run prog | head`) ends the command quietly, as for any Unix tool. */
function quietOnClosedPipe(): void {
  if (process.stdout.listenerCount("error") === 0) process.stdout.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" ? process.exit(0) : undefined));
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const verbose = argv.includes("--verbose");
  let exitCode = 0;
  const program = new Command("futamura")
    .description("Turn a bytecode interpreter into an ahead-of-time compiler by partially evaluating its WebAssembly.")
    .option("--verbose", "show stack traces for internal errors")
    .version(packageVersion(), "-V, --version", "print futamura's version")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command("asm")
    .description("assemble a .asm file into a binary program (.fbc)")
    .argument("<file.asm>", "assembly source")
    .option("-o, --out <file>", "output file (default: the input with .fbc)")
    .action(async (file: string, opts: { out?: string }) => {
      exitCode = await asmCommand(file, opts);
    });

  program
    .command("dis")
    .description("disassemble a binary program (or an .asm file, normalized) to assembly text; a .fern program: its compiled functions' bytecode, with source lines")
    .argument("<program>", "a .fbc binary or .asm source, or a .fern source")
    .option("-o, --out <file>", "write to a file instead of standard output")
    .action(async (file: string, opts: { out?: string }) => {
      exitCode = await disCommand(file, opts);
    });

  program
    .command("run")
    .description("run a program on its interpreter (chosen by --interp or the file's extension), or run a built module")
    .argument("<program>", "a program for any known interpreter (.asm, .fbc, .fern, .b, …), or a built .wasm module")
    .option("--aot", "compile the program first (snapshot + specialize, cached) and run the wevaled module")
    .option("--trace", "print pc, instruction and value before every step (interpreters with a traced body)")
    .option("--interp <name|file>", INTERP)
    .option("--input <file>", "what the program reads (default: standard input)")
    .option("--expect", "check the program's expectations (output, result, runtime error, exit code) and exit 1 on a mismatch")
    .option("--no-cache", "with --aot: do not read or write the specialization cache")
    .option("--init <export>", "with --aot: the init export (default wizer.initialize, else wizer-initialize)")
    .option("--train", `with --aot: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option("--timeout <seconds>", "stop the program after this many seconds (exit code 124), in either mode; building the interpreter or, with --aot, compiling counts")
    .action(async (file: string, opts: RunFlags) => {
      exitCode = await runCommand(file, opts);
    });

  program
    .command("snapshot")
    .description("run an interpreter's init with a program loaded and write the initialized module (like wizer)")
    .argument("<interp>", "interpreter: a name (toy, fern, bf, …), a manifest .json, an entry .ts or a built .wasm")
    .argument("<program>", "a program for that interpreter")
    .requiredOption("-o, --out <file>", "output module")
    .option("--wasi", "provide WASI preview1 to init (like wizer --allow-wasi), the program on its standard input, and `_start` = `wizer.resume` (like wizer -r)")
    .option("--init <export>", "the init export (default wizer.initialize, else wizer-initialize)")
    .action(async (interp: string, file: string, opts: { out: string; wasi?: boolean; init?: string }) => {
      exitCode = await snapshotCommand(interp, file, opts);
    });

  program
    .command("specialize")
    .description("specialize a snapshot's pending weval requests (our weval)")
    .argument("<snapshot.wasm>", "a snapshot with pending weval requests")
    .requiredOption("-o, --out <file>", "output module")
    .option("--stats", "per request: contexts, blocks, values, sizes, time and why values stayed runtime")
    .option("--dump-ir <dir>", "write the generic and specialized IR of each request to <dir>")
    .option("--verify", "run the IR verifier after every transform")
    .action(async (file: string, opts: { out: string; stats?: boolean; dumpIr?: string; verify?: boolean }) => {
      exitCode = await specializeCommand(file, opts);
    });

  program
    .command("build")
    .description("compile a program: snapshot the interpreter with it, then specialize (cached)")
    .argument("<program>", "a program for any known interpreter (chosen by --interp or the file's extension)")
    .requiredOption("-o, --out <file>", "output module")
    .option("--interp <name|file>", INTERP)
    .option("--stats", "print specialization statistics")
    .option("--dump-ir <dir>", "write the generic and specialized IR to <dir>")
    .option("--verify", "run the IR verifier after every transform")
    .option("--no-cache", "do not read or write the specialization cache")
    .option("--init <export>", "the init export (default wizer.initialize, else wizer-initialize)")
    .option("--train", TRAIN)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .action(async (file: string, opts: { out: string; interp?: string; stats?: boolean; dumpIr?: string; verify?: boolean; cache?: boolean; init?: string; train?: boolean; trainFuel?: string }) => {
      exitCode = await buildCommand(file, opts);
    });

  program
    .command("ir")
    .description("print a module's functions in futamura's SSA IR, or round-trip the module through it")
    .argument("<module>", "a Wasm module, or an interpreter's name (toy, fern, bf, …), manifest .json or entry .ts (built when stale)")
    .option("--func <name>", "only this function (export name, $index or index; `futamura specialize --stats` names each request's)")
    .option("--roundtrip", "write the module back through the IR (needs -o)")
    .option("-o, --out <file>", "output module for --roundtrip")
    .option("--verify", "run the IR verifier")
    .action(async (file: string, opts: { func?: string; roundtrip?: boolean; out?: string; verify?: boolean }) => {
      exitCode = await irCommand(file, opts);
    });

  program
    .command("diff")
    .description("differential test: run programs interpreted and wevaled on an interpreter and compare")
    .argument("<programs...>", "programs for any known interpreter (each by its extension, or all for --interp)")
    .option("--interp <name|file>", INTERP)
    .option("--input <file>", "what every program reads (default: the input its loader gives, else none)")
    .option("--quiet", "do not print each program's output")
    .option("--init <export>", "the init export (default wizer.initialize, else wizer-initialize)")
    .option("--train", `build the wevaled side with training: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .action(async (files: string[], opts: { interp?: string; input?: string; quiet?: boolean; init?: string; train?: boolean; trainFuel?: string }) => {
      exitCode = await diffCommand(files, opts);
    });

  program
    .command("bench")
    .description("benchmark interpreted vs wevaled vs the hand-written limit vs JavaScript (default: sum-to-100M); --compile: compile time")
    .argument("[programs...]", "programs for any interpreter with an expected output or result (default: sum-to-100M)")
    .option("--interp <name|file>", INTERP)
    .option("--quick", "10M iterations, one run each (a smoke test); with --compile: the smallest size of each series")
    .option("--runs <n>", "warm runs per row (default 7)")
    .option("--cold-runs <n>", "cold runs per row, each in a fresh process (default 3)")
    .option("--out <dir>", "results directory (default results/)")
    .option("--json <file>", "also write the JSON report here")
    .option("--engine <names>", "engines, comma-separated or repeated: v8, jco, wasmtime (default: v8,jco)", (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option("--peers", "also run each Fern program's peers (lang/bench/peers/: JavaScript on V8 and in QuickJS-in-Wasm, Lua 5.4 in Wasm, native lua5.4/luajit when on PATH); with no programs: every lang/bench program that has peers")
    .option("--train", `build the wevaled modules with training: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option("--compile", "instead: the compile-time benchmark (generated toy and Fern programs, 3 sizes each; results/bench-compile.*)")
    .option("--sizes <list>", "with --compile: multipliers of each series' smallest size (default 1,10,100; --quick is 1)")
    .option("--series <list>", "with --compile: toy, fern-one-function, fern-many-functions (default all)")
    .option("--timeout <s>", "with --compile: time limit per program's build, in seconds (default 600)")
    .action(async (programs: string[], opts: { interp?: string; quick?: boolean; runs?: string; coldRuns?: string; out?: string; json?: string; engine?: string[]; peers?: boolean; compile?: boolean; sizes?: string; series?: string; timeout?: string; train?: boolean; trainFuel?: string }) => {
      exitCode = await benchCommand(programs, opts);
    });

  program
    .command("cache")
    .description("the specialization cache (.futamura-cache/ or $FUTAMURA_CACHE_DIR): its size, or clear it; capped at $FUTAMURA_CACHE_MAX_MB (default 256), least recently used entries evicted first")
    .argument("[action]", "size (default) or clear")
    .action(async (action: string | undefined) => {
      exitCode = await cacheCommand(action);
    });

  program
    .command("new-interp")
    .description("scaffold a new interpreter in ./NAME/ (manifest, AssemblyScript source, loader, example, test) that builds and passes diff")
    .argument("<name>", "the interpreter's name (lowercase), also its folder and file extension")
    .option("--dir <dir>", "write it here instead of ./NAME/")
    .option("--ext <ext>", "its programs' file extension (default: the name)")
    .action(async (name: string, opts: { dir?: string; ext?: string }) => {
      exitCode = await newInterpCommand(name, opts);
    });

  program
    .command("build-interp")
    .description("compile interpreters with asc, rename the ABI exports and check exports, imports and features")
    .argument("[interpreters...]", "manifests (.json), AssemblyScript entries (.ts) or names (default: every known interpreter)")
    .option("--force", "rebuild even when the cached module is up to date")
    .action(async (specs: string[], opts: { force?: boolean }) => {
      exitCode = await buildInterpCommand(specs, opts);
    });

  program
    .command("explore")
    .description("the explorer page: watch a program's projection (bytecode, CFGs before/after, IR, Wasm, both runs) in a browser; builds and serves it on localhost")
    .option("--build", "only write the static site (any static file server can serve it)")
    .option("--port <n>", "port to serve on (default 5173, or the next free one; 0: any free port)")
    .option("--host <host>", "address to serve on (default 127.0.0.1)")
    .option("--out <dir>", "where the site is written (default build/explorer/)")
    .action(async (opts: ExploreFlags) => {
      exitCode = await exploreCommand(opts);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    const err = e as Error;
    process.stderr.write(`futamura: internal error: ${err?.message ?? String(e)}\n`);
    if (verbose) process.stderr.write(`${err?.stack ?? ""}\n`);
    else process.stderr.write("(run with --verbose for the stack trace; this is a bug in futamura)\n");
    return 1;
  }
}
