// Brainfuck, the third interpreter: every vendored program (brainfuck/programs, with their .out/.in/.err files)
// runs identically interpreted and wevaled and matches its expected output byte for byte; the loader's
// run-length merging and [-] folding, its file:line:col errors, and agreement with the reference evaluator on
// random programs.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { BF_OPS, encodeBrainfuck, evaluateBrainfuck, load, parseBrainfuck } from "../../brainfuck/loader.ts";
import { differential, resolveInterpreter } from "../../pipeline/index.ts";
import { SourceError } from "../../util/errors.ts";
import { ROOT } from "../../util/root.ts";
import { expectUserError } from "../helpers.ts";

const dir = join(ROOT, "brainfuck", "programs");
const files = [
  ...readdirSync(dir).map((f) => join(dir, f)),
  ...readdirSync(join(dir, "acme")).map((f) => join(dir, "acme", f)),
]
  .filter((f) => f.endsWith(".b"))
  .sort();
const bf = await resolveInterpreter("bf");

describe("Brainfuck programs, interpreted and wevaled", () => {
  it.each(files.map((f) => [relative(dir, f), f]))("%s", async (_name, file) => {
    const { readFileSync } = await import("node:fs");
    const p = load(file, new Uint8Array(readFileSync(file)));
    const [r] = await differential(bf.wasm, [{ name: file, ...p }], { verify: true });
    expect(r.aborted).toEqual([]);
    expect(r.wevaled).toEqual(r.interpreted);
    if (p.expect?.error) expect(r.interpreted.error?.replace(file, relative(dir, file))).toBe(p.expect.error);
    else {
      expect(r.interpreted.error).toBeUndefined();
      expect(Buffer.from(r.interpreted.bytes).equals(Buffer.from(p.expect!.stdout as Uint8Array))).toBe(true);
    }
  });

  it("has an expected output or error for every program", () => {
    for (const f of files) {
      const p = load(f, new Uint8Array(0));
      expect(p.expect?.stdout ?? p.expect?.error, f).toBeDefined();
    }
  });
});

describe("the Brainfuck loader", () => {
  it("merges runs, folds [-] and [+], drops runs that cancel, and links brackets past their partners", () => {
    const code = parseBrainfuck("+++-- >><<< [-] [+] ,[.>+<-]", "t.b");
    expect(code.map((i) => [i.op, i.arg])).toEqual([
      [BF_OPS.add, 1],
      [BF_OPS.move, -1],
      [BF_OPS.clear, 0],
      [BF_OPS.clear, 0],
      [BF_OPS.in, 0],
      [BF_OPS.jz, 12],
      [BF_OPS.out, 0],
      [BF_OPS.move, 1],
      [BF_OPS.add, 1],
      [BF_OPS.move, -1],
      [BF_OPS.add, -1],
      [BF_OPS.jnz, 6],
      [BF_OPS.halt, 0],
    ]);
    expect(parseBrainfuck("+-<>", "t.b").map((i) => i.op)).toEqual([BF_OPS.halt]);
    const bytes = encodeBrainfuck(code);
    expect(bytes.length).toBe(13 * 8);
    expect(new DataView(bytes.buffer).getInt32(5 * 8 + 4, true)).toBe(12 * 8); // byte pcs in the bytecode
  });

  it.each([
    ["+]", "t.b:1:2: error: unmatched ']'"],
    ["+\n [[-]", "t.b:2:2: error: unmatched '['"],
  ])("%j is an error at file:line:col", (source, message) =>
    expectUserError(() => parseBrainfuck(source, "t.b"), SourceError, message),
  );

  it("agrees with the reference evaluator, interpreted and wevaled, on random programs", async () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const programs = Array.from({ length: 12 }, (_, k) => {
      // Balanced programs (deterministic: seed 7, all of them terminate; some walk off the tape's left end).
      const block = (depth: number): string =>
        Array.from({ length: 1 + rand(6) }, () => {
          const r = rand(10);
          if (r < 3) return "+".repeat(1 + rand(20));
          if (r < 5) return ">".repeat(1 + rand(3)) + "+".repeat(rand(9)); // moves right, sometimes adds
          if (r < 6) return "<".repeat(1 + rand(2));
          if (r < 8) return ".";
          return depth < 3 ? `[${block(depth + 1)}>[-]<-]` : "[-]";
        }).join("");
      const source = `>>>>${block(0)}.`;
      const code = parseBrainfuck(source, `random-${k}.b`);
      return { name: source, bytes: encodeBrainfuck(code), code };
    });
    for (const [i, r] of (await differential(bf.wasm, programs, { optimizeLevel: 0 })).entries()) {
      const ref = evaluateBrainfuck(programs[i].code, undefined, 1e7);
      expect(r.wevaled, r.name).toEqual(r.interpreted);
      expect(Buffer.from(r.interpreted.bytes).equals(Buffer.from(ref.output)), r.name).toBe(true);
      expect(!!r.interpreted.error, r.name).toBe(!!ref.error);
    }
  });
});
