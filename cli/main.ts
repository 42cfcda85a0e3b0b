// The `futamura` command line: a thin layer over the library API of each stage. Every command returns an exit
// code; a UserError prints its one-line message and exits 1; anything else is a bug and prints a stack only with
// --verbose.
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { ROOT } from "../util/root.ts";
import { UserError } from "../util/errors.ts";
import { DEFAULT_TRAINING_FUEL } from "../pipeline/train.ts";
import type { BenchFlags } from "./bench-command.ts";
import type { DiffFlags } from "./diff-command.ts";
import type { ExploreFlags } from "./explore-command.ts";
import type { BuildFlags, SpecializeFlags } from "./pipeline-commands.ts";
import type { RunFlags } from "./run-command.ts";

const TRAIN =
  "run the program once on the generic interpreter first and let the specialized code assume what it saw (profile-guided speculation; interpreters with training exports, such as fern)";
const TRAIN_FUEL = `with --train (implied): stop the training run after n calls plus loop back-edges (default ${DEFAULT_TRAINING_FUEL})`;
const INIT =
  "the init export (default wizer.initialize, else wizer-initialize); --init-func is the same option, as weval and wizer name it";
/** Every output path: written atomically, never over an input, its missing folders created. */
const CREATED = "missing folders are created";
const STRICT = "a request the specializer gives up on (which the interpreter would run) is an error: exit 1";
const ALLOW_READ =
  "WASI programs (Lua): also let the program read this directory (repeatable; the current directory, the program's own and the folders on its module path, Lua's LUA_PATH or default, are always readable)";
const ALLOW_WRITE =
  "WASI programs (Lua): let the program create, write and remove files in this directory (repeatable; nothing is writable otherwise)";
/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
const DUMP_STAGES =
  "with --dump-ir: the stages whose IR it writes, comma-separated (frontend, split-at-intrinsic, max-ssa, specialize, cleanup, each cleanup pass by name), or all; default max-ssa,specialize,cleanup";
const INTERP =
  "interpreter: a name (toy, fern, bf, …), a manifest .json, an AssemblyScript entry .ts or a built .wasm (default: by the program's extension)";

// Each command's module is imported when that command runs: `--version`, `--help` and a cached `run --aot` do not
// pay for the others' dependencies (vega, the specializer, binaryen, the AssemblyScript compiler).
const commands = {
  bytecode: () => import("./bytecode-commands.ts"),
  run: () => import("./run-command.ts"),
  pipeline: () => import("./pipeline-commands.ts"),
  diff: () => import("./diff-command.ts"),
  bench: () => import("./bench-command.ts"),
  newInterp: () => import("./new-interp-command.ts"),
  explore: () => import("./explore-command.ts"),
  cache: () => import("./cache-command.ts"),
};

/** The version in package.json (one source of truth for it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** A closed pipe on standard output (`futamura run prog | head`) ends the command quietly, as for any Unix tool. */
function quietOnClosedPipe(): void {
  if (process.stdout.listenerCount("error") === 0)
    process.stdout.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" ? process.exit(0) : undefined));
}

/** weval's and wizer's name for --init (`--init-func NAME`, `--init-func=NAME`) is accepted as --init. */
function initFuncAsInit(argv: string[]): string[] {
  return argv.map((a) =>
    a === "--init-func" ? "--init" : a.startsWith("--init-func=") ? `--init=${a.slice("--init-func=".length)}` : a,
  );
}

/** What the commands' actions share with main: the --verbose flag, and the exit code they set. */
interface Context {
  verbose: boolean;
  exit: number;
}

/** Asm and dis: the toy machine's assembler and disassembler (and Fern's). */
function bytecodeCommands(program: Command, ctx: Context): void {
  program
    .command("asm")
    .description("assemble a .asm file into a binary program (.fbc)")
    .argument("<file.asm>", "assembly source")
    .option("-o, --out <file>", `output file (default: the input with .fbc; ${CREATED})`)
    .action(async (file: string, opts: { out?: string }) => {
      ctx.exit = await (await commands.bytecode()).asmCommand(file, opts);
    });

  program
    .command("dis")
    .description(
      "disassemble a binary program (or an .asm file, normalized) to assembly text; a .fern program: its compiled functions' bytecode, with source lines",
    )
    .argument("<program>", "a .fbc binary or .asm source, or a .fern source")
    .option("-o, --out <file>", `write to a file instead of standard output (${CREATED})`)
    .action(async (file: string, opts: { out?: string }) => {
      ctx.exit = await (await commands.bytecode()).disCommand(file, opts);
    });
}

/** Run: a program on its interpreter, or a built module. */
function runCommands(program: Command, ctx: Context): void {
  program
    .command("run")
    .description("run a program on its interpreter (chosen by --interp or the file's extension), or run a built module")
    .argument("<program>", "a program for any known interpreter (.asm, .fbc, .fern, .b, …), or a built .wasm module")
    .argument(
      "[args...]",
      "WASI programs (Lua): the program's arguments (Lua's arg[1..n] and ...); after `--` when one starts with '-'",
    )
    .option("--aot", "compile the program first (snapshot + specialize, cached) and run the wevaled module")
    .option("--trace", "print pc, instruction and value before every step (interpreters with a traced body)")
    .option("--interp <name|file>", INTERP)
    .option("--input <file>", "what the program reads (default: standard input)")
    .option(
      "--expect",
      "check the program's expectations (output, result, runtime error, exit code) and exit 1 on a mismatch",
    )
    .option("--no-cache", "with --aot: do not read or write the specialization cache")
    .option("--init <export>", `with --aot: ${INIT}`)
    .option("--train", `with --aot: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option(
      "--timeout <seconds>",
      "stop the program after this many seconds (exit code 124), in either mode; building the interpreter or, with --aot, compiling counts",
    )
    .option("--strict", `with --aot: ${STRICT}`)
    .option("--allow-read <dir>", ALLOW_READ, collect)
    .option("--allow-write <dir>", ALLOW_WRITE, collect)
    .action(async (file: string, args: string[], opts: RunFlags) => {
      ctx.exit = await (await commands.run()).runCommand(file, { ...opts, args, verbose: ctx.verbose });
    });
}

/** Snapshot, specialize, build and ir: the stages one at a time, and both together. */
function pipelineCommands(program: Command, ctx: Context): void {
  program
    .command("snapshot")
    .description("run an interpreter's init with a program loaded and write the initialized module (like wizer)")
    .argument("<interp>", "interpreter: a name (toy, fern, bf, …), a manifest .json, an entry .ts or a built .wasm")
    .argument("<program>", "a program for that interpreter")
    .requiredOption("-o, --out <file>", `output module (${CREATED})`)
    .option(
      "--wasi",
      "provide WASI preview1 to init (like wizer --allow-wasi), the program on its standard input, and `_start` = `wizer.resume` (like wizer -r); automatic for an interpreter that imports WASI (lua)",
    )
    .option("--init <export>", INIT)
    .action(async (interp: string, file: string, opts: { out: string; wasi?: boolean; init?: string }) => {
      ctx.exit = await (await commands.pipeline()).snapshotCommand(interp, file, opts);
    });

  program
    .command("specialize")
    .description("specialize a snapshot's pending weval requests (our weval)")
    .argument("<snapshot.wasm>", "a snapshot with pending weval requests")
    .requiredOption("-o, --out <file>", `output module (${CREATED})`)
    .option("--stats", "per request: contexts, blocks, values, sizes, time and why values stayed runtime")
    .option("--dump-ir <dir>", "write the generic and specialized IR of each request to <dir>")
    .option("--dump-stages <stages>", DUMP_STAGES)
    .option("--verify", "run the IR verifier after every transform")
    .option("--strict", STRICT)
    .action(async (file: string, opts: SpecializeFlags) => {
      ctx.exit = await (await commands.pipeline()).specializeCommand(file, opts);
    });

  program
    .command("build")
    .description("compile a program: snapshot the interpreter with it, then specialize (cached)")
    .argument("<program>", "a program for any known interpreter (chosen by --interp or the file's extension)")
    .requiredOption("-o, --out <file>", `output module (${CREATED})`)
    .option("--interp <name|file>", INTERP)
    .option("--stats", "print specialization statistics")
    .option("--dump-ir <dir>", "write the generic and specialized IR to <dir>")
    .option("--dump-stages <stages>", DUMP_STAGES)
    .option("--verify", "run the IR verifier after every transform")
    .option("--no-cache", "do not read or write the specialization cache")
    .option("--init <export>", INIT)
    .option("--train", TRAIN)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option("--strict", STRICT)
    .action(async (file: string, opts: BuildFlags) => {
      ctx.exit = await (await commands.pipeline()).buildCommand(file, opts);
    });

  program
    .command("ir")
    .description("print a module's functions in futamura's SSA IR, or round-trip the module through it")
    .argument(
      "<module>",
      "a Wasm module, or an interpreter's name (toy, fern, bf, …), manifest .json or entry .ts (built when stale)",
    )
    .option(
      "--func <name>",
      "only this function (export name, $index or index; `futamura specialize --stats` names each request's)",
    )
    .option("--roundtrip", "write the module back through the IR (needs -o)")
    .option("-o, --out <file>", `output module for --roundtrip (${CREATED})`)
    .option("--verify", "run the IR verifier")
    .action(async (file: string, opts: { func?: string; roundtrip?: boolean; out?: string; verify?: boolean }) => {
      ctx.exit = await (await commands.pipeline()).irCommand(file, opts);
    });
}

/** Diff and bench: interpreted against wevaled, for correctness and for time. */
function diffAndBenchCommands(program: Command, ctx: Context): void {
  program
    .command("diff")
    .description("differential test: run programs interpreted and wevaled on an interpreter and compare")
    .argument("<programs...>", "programs for any known interpreter (each by its extension, or all for --interp)")
    .option("--interp <name|file>", INTERP)
    .option("--input <file>", "what every program reads (default: the input its loader gives, else none)")
    .option("--quiet", "do not print each program's output")
    .option("--init <export>", INIT)
    .option("--train", `build the wevaled side with training: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option(
      "--timeout <seconds>",
      "stop the whole diff after this many seconds (exit code 124): an endless program would hang it",
    )
    .option("--strict", STRICT)
    .action(async (files: string[], opts: DiffFlags) => {
      ctx.exit = await (await commands.diff()).diffCommand(files, opts);
    });

  program
    .command("bench")
    .description(
      "benchmark interpreted vs wevaled vs the hand-written limit vs JavaScript (default: sum-to-100M); --compile: compile time",
    )
    .argument("[programs...]", "programs for any interpreter with an expected output or result (default: sum-to-100M)")
    .option("--interp <name|file>", INTERP)
    .option("--quick", "10M iterations, one run each (a smoke test); with --compile: the smallest size of each series")
    .option("--runs <n>", "warm runs per row (default 7); Lua programs: per warm process (default 3)")
    .option("--cold-runs <n>", "cold runs per row, each in a fresh process (default 3)")
    .option(
      "--processes <n>",
      "Lua programs: warm child processes per program, each a memory layout of its own, pooled (default 4; --quick 1)",
    )
    .option(
      "--out <dir>",
      "results directory (default results/, created when missing; each run replaces the reports in it)",
    )
    .option("--json <file>", "also write the JSON report here")
    .option(
      "--engine <names>",
      "engines, comma-separated or repeated: v8, jco, wasmtime (default: v8,jco)",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option(
      "--peers",
      "also run each Fern program's peers (lang/bench/peers/: JavaScript on V8 and in QuickJS-in-Wasm, Lua 5.4 in Wasm, native lua5.4/luajit when on PATH); with no programs: every lang/bench program that has peers",
    )
    .option("--train", `build the wevaled modules with training: ${TRAIN}`)
    .option("--train-fuel <n>", TRAIN_FUEL)
    .option(
      "--compile",
      "instead: the compile-time benchmark (generated toy and Fern programs, 3 sizes each; results/bench-compile.*)",
    )
    .option(
      "--sizes <list>",
      "with --compile: multipliers of each series' smallest size (default 1,10,100; --quick is 1)",
    )
    .option(
      "--series <list>",
      "with --compile: toy, fern-one-function, fern-many-functions, brainfuck, lua (default all)",
    )
    .option(
      "--timeout <s>",
      "with --compile: time limit per program's build, in seconds (default 600); otherwise: stop the whole benchmark after this many seconds (exit code 124)",
    )
    .option("--strict", STRICT)
    .action(async (programs: string[], opts: BenchFlags) => {
      ctx.exit = await (await commands.bench()).benchCommand(programs, opts);
    });
}

/** Cache, new-interp, build-interp and explore. */
function toolCommands(program: Command, ctx: Context): void {
  program
    .command("cache")
    .description(
      "the specialization cache (.futamura-cache/ or $FUTAMURA_CACHE_DIR): its size, or clear it; capped at $FUTAMURA_CACHE_MAX_MB (default 256), least recently used entries evicted first",
    )
    .argument("[action]", "size (default) or clear")
    .action(async (action: string | undefined) => {
      ctx.exit = await (await commands.cache()).cacheCommand(action);
    });

  program
    .command("new-interp")
    .description(
      "scaffold a new interpreter in ./NAME/ (manifest, AssemblyScript source, loader, example, test) that builds and passes diff",
    )
    .argument("<name>", "the interpreter's name (lowercase), also its folder and file extension")
    .option("--dir <dir>", "write it here instead of ./NAME/")
    .option("--ext <ext>", "its programs' file extension (default: the name)")
    .action(async (name: string, opts: { dir?: string; ext?: string }) => {
      ctx.exit = await (await commands.newInterp()).newInterpCommand(name, opts);
    });

  program
    .command("build-interp")
    .description("compile interpreters with asc, rename the ABI exports and check exports, imports and features")
    .argument(
      "[interpreters...]",
      "manifests (.json), AssemblyScript entries (.ts) or names (default: every known interpreter)",
    )
    .option("--force", "rebuild even when the cached module is up to date")
    .action(async (specs: string[], opts: { force?: boolean }) => {
      ctx.exit = await (await commands.pipeline()).buildInterpCommand(specs, opts);
    });

  program
    .command("explore")
    .description(
      "the explorer page: watch a program's projection (bytecode, CFGs before/after, IR, Wasm, both runs) in a browser; builds and serves it on localhost",
    )
    .option("--build", "only write the static site (any static file server can serve it)")
    .option("--port <n>", "port to serve on (default 5173, or the next free one; 0: any free port)")
    .option("--host <host>", "address to serve on (default 127.0.0.1)")
    .option("--out <dir>", "where the site is written (default build/explorer/)")
    .action(async (opts: ExploreFlags) => {
      ctx.exit = await (await commands.explore()).exploreCommand(opts);
    });
}

/** Commander checks required options before unknown options and arguments; a user's first mistake is reported
 *  first: the options marked required are checked after those, just before the action runs. */
function requiredOptionsLast(program: Command): void {
  for (const cmd of program.commands) {
    const required = cmd.options.filter((o) => o.mandatory);
    for (const o of required) o.mandatory = false;
    if (required.length === 0) continue;
    cmd.hook("preAction", () => {
      const missing = required.find((o) => cmd.getOptionValue(o.attributeName()) === undefined);
      if (missing)
        cmd.error(`error: required option '${missing.flags}' not specified`, {
          code: "commander.missingMandatoryOptionValue",
        });
    });
  }
}

/** What a usage error adds before "run with --help": for an option `run` does not know after the program, where a
 *  program's own options go (`futamura run x.lua -v` meant Lua's `arg[1]`). */
function usageHint(argv: string[], message: string): string {
  const option = /unknown option '([^']+)'/.exec(message)?.[1];
  const run = argv.findIndex((a) => !a.startsWith("-"));
  const at = option === undefined ? -1 : argv.indexOf(option);
  const afterProgram = argv[run] === "run" && argv.slice(run + 1, at).some((a) => !a.startsWith("-"));
  return afterProgram ? "a program's own arguments that start with '-' go after --; " : "";
}

export async function main(argvGiven: string[]): Promise<number> {
  const argv = initFuncAsInit(argvGiven);
  quietOnClosedPipe();
  const ctx: Context = { verbose: argv.includes("--verbose"), exit: 0 };
  const program = new Command("futamura")
    .description("Turn a bytecode interpreter into an ahead-of-time compiler by partially evaluating its WebAssembly.")
    .option(
      "--verbose",
      "show stack traces for internal errors, and where `run --aot` took its compiled code from when stderr is not a terminal",
    )
    .version(packageVersion(), "-V, --version", "print futamura's version")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
      // A usage mistake is one line: commander's message, then where to read the usage.
      outputError: (s, write) => write(`${s.trimEnd()} (${usageHint(argv, s)}run with --help for usage)\n`),
    });
  for (const add of [bytecodeCommands, runCommands, pipelineCommands, diffAndBenchCommands, toolCommands])
    add(program, ctx);
  requiredOptionsLast(program);

  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exit;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof UserError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    const err = e as Error;
    // A thrown value that is no Error (a C++ exception util/binaryen.ts did not wrap) shows what it holds.
    process.stderr.write(
      `futamura: internal error: ${typeof err?.message === "string" ? err.message : inspect(e, { depth: 2 })}\n`,
    );
    if (ctx.verbose) process.stderr.write(`${err?.stack ?? ""}\n`);
    else process.stderr.write("(run with --verbose for the stack trace; this is a bug in futamura)\n");
    return 1;
  }
}
