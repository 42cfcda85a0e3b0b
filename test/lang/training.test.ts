// Training (pipeline/train.ts) and Fern's speculation on its feedback (interp/as/fern.ts): a training run records
// in each INDEX/INDEX_L/STORE's feedback byte what it met, the snapshot keeps those bytes in the requests' constant
// buffers, and the specialized body assumes them — leaving for the generic body when a run breaks an assumption.
// lang/programs/speculation-exits.fern is built so that training (stopped early by its fuel) sees only floats and
// arrays, and later calls break every kind of assumption: the test checks the assumptions are really in the
// snapshot, then that the wevaled run behaves exactly like the interpreter. Also: training that runs a program to
// its end, the fuel flag, and an interpreter without training exports.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildInterpreter } from "../../interp/build.ts";
import { compileFern } from "../../lang/index.ts";
import { fernLoaded } from "../../lang/loader.ts";
import { FEEDBACK, FERN_OPCODES, fernInstructionSize, FUNC_HEADER } from "../../lang/opcodes.ts";
import { buildProgram } from "../../pipeline/build.ts";
import { differential } from "../../pipeline/differential.ts";
import { DEFAULT_TRAINING_FUEL, trainingFuel } from "../../pipeline/train.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { constantExport, initialMemory, readPendingRequests } from "../../specializer/requests.ts";
import { UserError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";

const interp = (await buildInterpreter("fern")).wasm;
const EXITS = join(ROOT, "lang", "programs", "speculation-exits.fern");
const byCode = new Map(FERN_OPCODES.map((o) => [o.code, o]));

/** Every feedback byte in a snapshot's requests, as "OPCODE=byte" (INDEX, INDEX_L, STORE, CALL) and "PARAM=byte". */
function feedbackBytes(snapshot: Uint8Array): string[] {
  const info = decodeModule(snapshot);
  const requests = readPendingRequests(initialMemory(info), constantExport(info, "weval.pending.head")!);
  const out: string[] = [];
  for (const r of requests) {
    const blob = r.args[0].bytes!;
    const nparams = blob[FUNC_HEADER.nparams] | (blob[FUNC_HEADER.nparams + 1] << 8);
    for (let i = 0; i < Math.min(nparams, 4); i++) out.push(`PARAM=${blob[FUNC_HEADER.feedback + i]}`);
    const code = blob.subarray(FUNC_HEADER.size);
    for (let pc = 0; pc < code.length;) {
      const op = byCode.get(code[pc])!;
      if (op.name === "INDEX" || op.name === "STORE") out.push(`${op.name}=${code[pc + 1]}`);
      if (op.name === "INDEX_L") out.push(`${op.name}=${code[pc + 3]}`);
      if (op.name === "CALL") out.push(`CALL=${code[pc + 7]}`);
      pc += fernInstructionSize(op);
    }
  }
  return out.sort();
}

describe("training and speculation", () => {
  it("assumes what an early-stopped training run saw, and every broken assumption exits to the interpreter", async () => {
    const program = fernLoaded(compileFern(readFileSync(EXITS, "utf8"), EXITS));
    const built = await buildProgram(interp, program, { cache: false, train: 100 });
    expect(built.training?.ended).toMatch(/stopped after 100 units of fuel/);
    const fb = feedbackBytes(built.snapshot);
    const float = 1 << 2,
      int = 1 << 1;
    // sum's and firstOrNil's elements were floats, churn's ints, fill's stores into arrays: all assumed.
    expect(fb.filter((f) => f === `INDEX_L=${float}`).length).toBe(1);
    expect(fb).toContain(`INDEX=${float}`);
    expect(fb).toContain(`INDEX_L=${int}`);
    expect(fb).toContain(`STORE=${FEEDBACK.array}`);
    // Parameters (arrays, ints, floats) and call results (sum's float, churn's int) are assumed too.
    expect(fb).toContain(`PARAM=${1 << 4}`);
    expect(fb).toContain(`PARAM=${int}`);
    expect(fb).toContain(`CALL=${float}`);
    expect(fb).toContain(`CALL=${int}`);
    const [r] = await differential(interp, [{ ...program, name: "speculation-exits.fern" }], { train: 100 });
    expect(r.wevaled).toEqual(r.interpreted);
    expect(r.interpreted.stdout).toBe("400\n6\n11\nnil\n4\n2\n9 9 9\na\n120000\n");
  });

  it("a full training run sees every type, so it assumes nothing it will not meet; the snapshot without training has no feedback", async () => {
    const program = fernLoaded(compileFern(readFileSync(EXITS, "utf8"), EXITS));
    const trained = await buildProgram(interp, program, {
      cache: false,
      train: DEFAULT_TRAINING_FUEL,
      optimizeLevel: 0,
    });
    expect(trained.training?.ended).toBe("finished");
    // sum met floats, ints and a map: no single tag, so not assumed.
    expect(feedbackBytes(trained.snapshot)).toContain(`INDEX_L=${(1 << 1) | (1 << 2) | FEEDBACK.slow}`);
    const plain = await buildProgram(interp, program, { cache: false, optimizeLevel: 0 });
    expect(plain.training).toBeUndefined();
    expect(feedbackBytes(plain.snapshot).every((f) => f.endsWith("=0"))).toBe(true);
  });

  it("fuel stops a training run that would not end, also a numeric loop (a back-edge without a collection safe point)", async () => {
    const program = fernLoaded(compileFern("let i = 0;\nwhile (true) { i = i + 1; }\n", "forever.fern"));
    const built = await buildProgram(interp, program, { cache: false, train: 100_000, optimizeLevel: 0 });
    expect(built.training?.ended).toBe("stopped after 100000 units of fuel");
  });

  it("--train-fuel takes a positive whole number; an interpreter without training exports is a user error", async () => {
    expect(trainingFuel(undefined, undefined)).toBeUndefined();
    expect(trainingFuel(true, undefined)).toBe(DEFAULT_TRAINING_FUEL);
    expect(trainingFuel(undefined, "250")).toBe(250);
    for (const bad of ["0", "-3", "1.5", "lots", "1e6"]) expect(() => trainingFuel(true, bad), bad).toThrow(UserError);
    const toy = (await buildInterpreter("toy")).wasm;
    const program = readFileSync(join(ROOT, "bytecode", "programs", "sum.asm"), "utf8");
    const { assemble } = await import("../../bytecode/index.ts");
    await expect(buildProgram(toy, assemble(program).bytes, { cache: false, train: 10 })).rejects.toThrow(
      /no training exports/,
    );
  });

  it("from the command line: build --train says how training went; a bad fuel or an interpreter without training is one line, exit 1", () => {
    const futamura = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "bin", "futamura.mjs"), ...args], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 120_000,
      });
    const out = join(mkdtempSync(join(tmpdir(), "futamura-train-")), "out.wasm");
    const ok = futamura("build", "--train-fuel", "100", "--no-cache", EXITS, "-o", out);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^trained: stopped after 100 units of fuel, \d+ ms, feedback kept in 5 requests$/m);
    const fuel = futamura("build", "--train-fuel", "lots", EXITS, "-o", out + "2");
    expect([fuel.status, fuel.stderr]).toEqual([
      1,
      "--train-fuel: expected a positive whole number (calls plus loop back-edges; default 10000000), got 'lots'\n",
    ]);
    const toy = futamura("build", "--train", "bytecode/programs/sum.asm", "-o", out + "3");
    expect([toy.status, toy.stderr]).toEqual([
      1,
      "--train: the toy interpreter has no training exports (train(fuel: i64) and trainEnd(), docs/new-interpreter.md); build without --train\n",
    ]);
    expect(existsSync(out + "2") || existsSync(out + "3")).toBe(false);
  });
});
