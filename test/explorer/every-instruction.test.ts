// Every instruction of every shipped example (bytecode/programs/*.asm, lang/programs/*.fern, lang/bench/*.fern,
// brainfuck/programs/*.b)
// through the explorer's pipeline, selection and Wasm printer (explorer/src/pipeline.ts, selection.ts,
// wasm-text.ts: the code the page and its worker run), checking that each one's Wasm before and after prints. It
// takes about two minutes on 2 cores, so it runs with FUTAMURA_EXPLORER_ALL=1 (like `npm run fuzz`); the browser
// test clicks every instruction of sum.asm, programs/functions.fern and bench/fib.fern in the page on every
// `npm test`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { explore, type Language } from "../../explorer/src/pipeline.ts";
import { resolveSelection } from "../../explorer/src/selection.ts";
import { WasmPrinter } from "../../explorer/src/wasm-text.ts";
import { ROOT } from "../../util/root.ts";

const files = ["bytecode/programs", "lang/programs", "lang/bench", "brainfuck/programs"].flatMap((d) =>
  readdirSync(join(ROOT, d))
    .filter((f) => f.endsWith(".asm") || f.endsWith(".fern") || f.endsWith(".b"))
    .map((f) => join(d, f)),
);

describe.runIf(process.env.FUTAMURA_EXPLORER_ALL === "1")("the explorer on every instruction of every example", () => {
  it.each(files)(
    "%s",
    async (file) => {
      const language: Language = file.endsWith(".fern") ? "fern" : file.endsWith(".b") ? "bf" : "toy";
      const interpreter = readFileSync(join(ROOT, "build", "interp", `${language}.wasm`));
      const { exploration: r, bodies } = await explore({
        language,
        source: readFileSync(join(ROOT, file), "utf8"),
        interpreter,
      });
      const printer = await WasmPrinter.load(
        r.snapshotWasm,
        r.requests.filter((q) => !q.stats.aborted).map((q) => q.tableIndex),
      );
      const errors: string[] = [];
      try {
        for (const q of r.requests) {
          for (const ins of r.functions[q.func]?.instructions ?? []) {
            const { generic, cleaned } = resolveSelection(r, q, { kind: "pc", func: q.func, pc: ins.pc }, true);
            try {
              printer.fragmentText(bodies[q.position].generic, generic);
              if (bodies[q.position].cleaned) printer.fragmentText(bodies[q.position].cleaned!, cleaned);
            } catch (e) {
              errors.push(`fn ${q.func} pc ${ins.pc} (${ins.text}): ${(e as Error).message}`);
            }
          }
        }
      } finally {
        printer.dispose();
      }
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
