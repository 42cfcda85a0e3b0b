// The `futamura` command line: a thin layer over the library API of each stage. Every command returns an exit
// code; a UserError prints its one-line message and exits 1; anything else is a bug and prints a stack only with
// --verbose. Relies on commander for parsing and help.
import { Command, CommanderError } from "commander";
import { UserError } from "../util/errors.ts";
import { asmCommand, disCommand } from "./bytecode-commands.ts";
import { runCommand } from "./run-command.ts";

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  let exitCode = 0;
  const program = new Command("futamura")
    .description("Turn a bytecode interpreter into an ahead-of-time compiler by partially evaluating its WebAssembly.")
    .option("--verbose", "show stack traces for internal errors")
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
    .description("disassemble a binary program (or an .asm file, normalized) to assembly text")
    .argument("<program>", "a .fbc binary or .asm source")
    .option("-o, --out <file>", "write to a file instead of standard output")
    .action(async (file: string, opts: { out?: string }) => {
      exitCode = await disCommand(file, opts);
    });

  program
    .command("run")
    .description("run a program on the toy interpreter (or run a built module)")
    .argument("<program>", "a .asm source, a .fbc binary, or a built .wasm module")
    .option("--trace", "print pc, instruction and accumulator before every step")
    .option("--interp <interp.wasm>", "interpreter module to use instead of the built-in toy interpreter")
    .option("--expect", "check the program's `; expect:` comments and exit 1 on a mismatch")
    .action(async (file: string, opts: { trace?: boolean; interp?: string; expect?: boolean }) => {
      exitCode = await runCommand(file, opts);
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
