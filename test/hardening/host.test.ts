// The host trusts nothing an interpreter module hands it (issue 25, items 11 and 14): an import of a `futamura.*`
// name the host ABI does not have is named, with the ABI's names; a write, read or program_read outside the
// module's memory is a one-line runtime error, not a RangeError. In-process, on hand-written modules.
import { describe, expect, it } from "vitest";
import { BufferedOutput, ProgramRuntimeError, runModule } from "../../interp/host.ts";
import { loadBinaryen, projectFeatures } from "../../util/binaryen.ts";
import { UserError } from "../../util/errors.ts";

async function wat(text: string): Promise<Uint8Array> {
  const b = await loadBinaryen();
  const mod = b.parseText(text);
  mod.setFeatures(projectFeatures(b));
  try {
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}

const calling = (name: string, params: string, args: string) =>
  wat(
    `(module (import "futamura" "${name}" (func $f ${params})) (memory (export "memory") 1) (func (export "run") (call $f ${args})))`,
  );

describe("the host ABI", () => {
  it("names an import the ABI does not have, and the ABI's names", async () => {
    const old = await calling("print_text", "(param i32 i32)", "(i32.const 0) (i32.const 1)");
    await expect(runModule(old, new Uint8Array(0), new BufferedOutput())).rejects.toThrow(UserError);
    await expect(runModule(old, new Uint8Array(0), new BufferedOutput())).rejects.toThrow(
      /imports futamura\.print_text, which futamura's host ABI does not provide \(futamura has the functions program_length, .*write.*\): it was built for another version of the ABI/,
    );
  });

  it.each([
    ["write", "(param i32 i32)", "(i32.const 65530) (i32.const 100)"],
    ["write", "(param i32 i32)", "(i32.const -1) (i32.const 1)"],
    ["read", "(param i32 i32) (result i32)", "(drop (call $f (i32.const 65536) (i32.const 1)))"],
  ])("futamura.%s outside memory is a runtime error", async (name, params, args) => {
    const mod = args.startsWith("(drop")
      ? await wat(
          `(module (import "futamura" "${name}" (func $f ${params})) (memory (export "memory") 1) (func (export "run") ${args}))`,
        )
      : await calling(name, params, args);
    await expect(runModule(mod, new Uint8Array(0), new BufferedOutput())).rejects.toThrow(ProgramRuntimeError);
    await expect(runModule(mod, new Uint8Array(0), new BufferedOutput())).rejects.toThrow(
      new RegExp(
        `^runtime error: the interpreter passed futamura\\.${name} the bytes \\d+\\.\\.\\d+ .*outside its memory \\(65536 bytes\\)`,
      ),
    );
  });
});
