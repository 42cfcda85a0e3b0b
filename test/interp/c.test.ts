// The C interpreter (interp/c/toy.c), built by Debian's clang for wasm32-wasi: pre-initialized by futamura's
// snapshot (WASI, the program on standard input) and by the real wizer binary, specialized, run as a WASI command,
// and compared with its own interpreted run on the program corpus. Covers pointer pcs (every variant keys its
// contexts by the address of the next instruction), -O2 and -Os, SIMD in the module (a v128 checksum in init), the
// virtual stack and locals (the -virtual variants print the memory state the specialized code must write back),
// and the loop shape clang cannot keep constant (TOY_LOOP_BOTTOM), which aborts with a message that says what works.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCInterpreter, C_DIR, type CVariant } from "../../interp/c-build.ts";
import { runWasiCommand } from "../../interp/wasi.ts";
import { snapshot } from "../../snapshot/index.ts";
import { generatedFiles } from "../../pipeline/generated.ts";
import { differential } from "../../pipeline/index.ts";
import { specializeModule } from "../../specializer/index.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { ROOT } from "../../util/root.ts";
import { corpus } from "../helpers.ts";

/** The corpus without sum-to-100M (seconds interpreted). */
const programs = corpus()
  .filter((p) => !p.file.endsWith("sum.asm"))
  .map((p) => ({ name: p.file, bytes: p.bytes }));
const WIZER = join(ROOT, "node_modules", "@bytecodealliance", "wizer-linux-x64", "wizer");

let headerWasCurrent = false;
beforeAll(() => {
  const header = generatedFiles().find((f) => f.path.endsWith("toy-opcodes.h"))!;
  headerWasCurrent = existsSync(header.path) && readFileSync(header.path, "utf8") === header.content;
});

describe("the C interpreter", () => {
  it("has a committed toy-opcodes.h that matches the opcode table", () => {
    expect(
      headerWasCurrent,
      "interp/c/toy-opcodes.h drifted from bytecode/opcodes.ts: run `npm run build:interp` and commit it",
    ).toBe(true);
  });

  // The -Os builds run a slice of the corpus (loops, jumps, output, wrap-around) to keep the suite's time down.
  const slice = programs.filter((p) => /(fib|hello|nested|jumps|wrap_dec)\.asm$/.test(p.name));
  const variants: [CVariant, { simd: boolean; virtual: boolean; corpus: typeof programs }][] = [
    ["toy-c", { simd: true, virtual: false, corpus: programs }],
    ["toy-c-os", { simd: true, virtual: false, corpus: slice }],
    ["toy-c-virtual", { simd: true, virtual: true, corpus: programs }],
    ["toy-c-virtual-os", { simd: false, virtual: true, corpus: slice }],
  ];
  it.each(variants)(
    "%s: snapshots, specializes every request and matches its interpreted output",
    async (variant, { simd, virtual, corpus }) => {
      const { wasm } = buildCInterpreter(variant);
      expect(decodeModule(wasm).targetFeatures.includes("simd128")).toBe(simd);
      const results = await differential(wasm, corpus);
      expect(results).toHaveLength(corpus.length);
      for (const r of results) {
        expect(r.aborted, r.name).toEqual([]);
        expect(r.wevaled, r.name).toEqual(r.interpreted);
        expect(r.interpreted.error, r.name).toBeUndefined();
        expect(r.interpreted.stdout, r.name).toMatch(/halt \d+\n/);
        if (virtual) expect(r.interpreted.stdout, r.name).toMatch(/memory: acc \d+, locals/);
        if (simd) expect(r.interpreted.stdout, r.name).toMatch(/^checksum \d+\n/);
      }
      const fib = results.find((r) => r.name.endsWith("fib.asm"))!;
      expect(fib.wevaled.stdout).toContain("fib(90) = 2880067194370816120\n");
    },
  );

  it("is pre-initialized by the real wizer binary too, and that snapshot specializes and runs the same", async () => {
    expect(existsSync(WIZER), "the optional dependency @bytecodealliance/wizer-linux-x64 is installed").toBe(true);
    const { wasm, path } = buildCInterpreter("toy-c-virtual");
    const dir = mkdtempSync(join(tmpdir(), "futamura-wizer-"));
    const stubs = join(C_DIR, "weval-stubs.wat");
    const fib = programs.find((p) => p.name.endsWith("fib.asm"))!;
    const out = join(dir, "wizer.wasm");
    execFileSync(WIZER, ["--allow-wasi", "-r", "_start=wizer.resume", "--preload", `weval=${stubs}`, "-o", out, path], {
      input: fib.bytes,
    });
    const wizered = new Uint8Array(readFileSync(out));
    const ours = await snapshot(wasm, {
      wasi: { stdin: fib.bytes },
      imports: {
        weval: Object.fromEntries(
          decodeModule(wasm)
            .functions.filter((f) => f.import?.module === "weval")
            .map((f) => [f.import!.name, () => {}]),
        ),
      },
    });
    const spec = await specializeModule(wizered, { verify: true });
    expect(spec.requests.map((r) => r.aborted)).toEqual([undefined]);
    const interpretedWizer = await runWasiCommand(wizered, { capture: true });
    const interpretedOurs = await runWasiCommand(ours.wasm, { capture: true });
    const wevaled = await runWasiCommand(spec.wasm, { capture: true });
    expect(interpretedWizer).toEqual({ exitCode: 0, stdout: interpretedOurs.stdout, stderr: "" });
    expect(wevaled).toEqual(interpretedWizer);
    expect(wevaled.stdout).toContain("fib(90) = 2880067194370816120\nhalt 2880067194370816120\n");
  });

  it("with the context update at the bottom of its loop, aborts saying which shape works, and still runs interpreted", async () => {
    const { wasm } = buildCInterpreter("toy-c-loop-bottom");
    const [r] = await differential(
      wasm,
      programs.filter((p) => p.name.endsWith("countdown.asm")),
    );
    expect(r.same).toBe(true);
    expect(r.aborted).toHaveLength(1);
    expect(r.aborted[0]?.reason).toMatch(
      /weval\.update\.context in .*: the pc is not a constant \(runtime \((different values meet|a select)/,
    );
    expect(r.aborted[0]?.reason).toContain(
      "call update.context on each path where the next pc is known (at the top of the loop",
    );
  });

  it("passes a WASI exit code and standard error through, interpreted and wevaled", async () => {
    const { wasm } = buildCInterpreter("toy-c");
    const weval = {
      weval: Object.fromEntries(
        decodeModule(wasm)
          .functions.filter((f) => f.import?.module === "weval")
          .map((f) => [f.import!.name, () => {}]),
      ),
    };
    const snap = await snapshot(wasm, { wasi: { stdin: new TextEncoder().encode("not a program") }, imports: weval });
    const spec = await specializeModule(snap.wasm);
    expect(spec.requests).toEqual([]); // init queued nothing
    for (const m of [snap.wasm, spec.wasm])
      expect(await runWasiCommand(m, { capture: true })).toEqual({
        exitCode: 1,
        stdout: "",
        stderr: "toy-c: standard input is not a futamura bytecode program (.fbc)\n",
      });
  });
});
