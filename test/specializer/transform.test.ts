// Golden IR tests for the weval transform alone (specializer/weval/specialize.ts): one fixture per mechanism in
// test/specializer/transform/ (its README says how they are written). Each is split after specialize.value,
// converted to max-SSA and specialized against the arguments its header gives; the printed result is compared
// with NAME.out.ir (bless with `npx vitest run test/specializer/transform.test.ts -u`, then READ the diff), and
// the generic and specialized bodies run on sample arguments — in the IR interpreter (intrinsics with their
// reference meaning) and, for the specialized one, through the backend in V8 — with the same results, calls and
// memory. ~2 s on 2026-12-06.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { toMaxSSA } from "../../specializer/ssa/max-ssa.ts";
import { printFunction } from "../../specializer/ssa/print.ts";
import type { Const } from "../../specializer/ssa/types.ts";
import { verifyFunction } from "../../specializer/ssa/verify.ts";
import { splitAfterCalls } from "../../specializer/weval/split-at-intrinsic.ts";
import {
  DEFAULT_LIMITS,
  SpecializationAborted,
  specializeFunction,
  type ArgSpec,
  type Limits,
} from "../../specializer/weval/specialize.ts";
import { emitAndRun, interpretIR, PAGE, sampleArgs, type Outcome, type RunSetup } from "./ir-run.ts";

const DIR = join(dirname(fileURLToPath(import.meta.url)), "transform");

interface Fixture {
  text: string;
  intrinsics: Map<number, string>;
  /** Per parameter: the request's argument, and the value the function is called with unless it is runtime. */
  args: { spec: ArgSpec; value?: Const }[];
  memory: Uint8Array;
  limits: Partial<Limits>[];
}

function header(text: string, key: string): string | undefined {
  return text.match(new RegExp(`^; ${key}:(.*)$`, "m"))?.[1].trim();
}

function readFixture(name: string): Fixture {
  const text = readFileSync(join(DIR, name), "utf8");
  const intrinsics = new Map<number, string>();
  for (const pair of (header(text, "intrinsics") ?? "").split(/\s+/).filter(Boolean)) {
    const [index, intrinsic] = pair.split("=");
    intrinsics.set(Number(index), intrinsic);
  }
  const memory = new Uint8Array(PAGE);
  const args = (header(text, "args") ?? "")
    .split(",")
    .filter((a) => a.trim())
    .map((a) => {
      const [kind, ...rest] = a.trim().split(/\s+/);
      if (kind === "runtime") return { spec: { kind: "runtime" } as ArgSpec };
      if (kind === "const") {
        const value = (
          rest[0] === "i64" ? { type: "i64", bits: BigInt(rest[1]) } : { type: "i32", bits: Number(rest[1]) >>> 0 }
        ) as Const;
        return { spec: { kind: "const", value } as ArgSpec, value };
      }
      const bytes = Uint8Array.from(rest.slice(1), (h) => parseInt(h, 16));
      memory.set(bytes, Number(rest[0]));
      return { spec: { kind: "buffer", bytes } as ArgSpec, value: { type: "i32", bits: Number(rest[0]) } as Const };
    });
  const limits = (header(text, "limits") ?? "")
    .split(";")
    .filter((l) => l.trim())
    .map((l) => {
      const [k, v] = l.trim().split("=");
      return { [k]: Number(v) } as Partial<Limits>;
    });
  return { text, intrinsics, args, memory, limits };
}

function generic(fx: Fixture) {
  const f = parseFunction(fx.text);
  f.recomputePreds();
  verifyFunction(f);
  splitAfterCalls(f, new Set([...fx.intrinsics].filter(([, n]) => n === "specialize.value").map(([i]) => i)));
  toMaxSSA(f);
  verifyFunction(f);
  return f;
}

/** Argument lists: the constant and buffer arguments as the header gives them, sample values for the others. */
function argLists(fx: Fixture, params: string[]): Const[][] {
  const runtime = fx.args.map((a, i) => (a.value ? undefined : i)).filter((i) => i !== undefined);
  return sampleArgs(runtime.map((i) => params[i!] as Const["type"])).map((sample) =>
    fx.args.map((a, i) => a.value ?? sample[runtime.indexOf(i)]),
  );
}

const fixtures = readdirSync(DIR)
  .filter((n) => n.endsWith(".ir") && !n.endsWith(".out.ir"))
  .sort();

describe("the weval transform, one golden fixture per mechanism", () => {
  for (const name of fixtures) {
    it(name, async () => {
      const fx = readFixture(name);
      const out = join(DIR, name.replace(/\.ir$/, ".out.ir"));
      const argSpecs = fx.args.map((a) => a.spec);
      if (fx.limits.length) {
        const lines = fx.limits.map((l) => {
          try {
            specializeFunction(generic(fx), argSpecs, fx.intrinsics, { ...DEFAULT_LIMITS, ...l });
            return `; ${JSON.stringify(l)}: not aborted`;
          } catch (e) {
            if (!(e instanceof SpecializationAborted)) throw e;
            return `; ${JSON.stringify(l)}: aborted (${e.kind}): ${e.reason}`;
          }
        });
        await expect(lines.join("\n") + "\n").toMatchFileSnapshot(out);
        return;
      }
      const g = generic(fx);
      const r = specializeFunction(g, argSpecs, fx.intrinsics);
      verifyFunction(r.body);
      await expect(
        `; contexts ${r.contexts}, blocks ${r.blocks}, values ${r.values}\n${printFunction(r.body)}`,
      ).toMatchFileSnapshot(out);
      const lists = argLists(fx, g.params);
      const setup: RunSetup = { memory: fx.memory, intrinsics: fx.intrinsics };
      // Memory compared by digest: deep equality on 64 KiB arrays takes seconds.
      const digest = (o: Outcome) => ({
        ...o,
        memory: o.memory && createHash("sha256").update(o.memory).digest("hex"),
      });
      const reference = lists.map((a) => digest(interpretIR(g, a, 200_000, setup)));
      const specialized = lists.map((a) => digest(interpretIR(r.body, a, 200_000, { memory: fx.memory })));
      expect(specialized).toEqual(reference);
      // In V8, the argument lists on which the reference terminates.
      const ends = lists.map((_, i) => i).filter((i) => reference[i].result !== "diverges");
      const [v8] = await emitAndRun([r.body], [ends.map((i) => lists[i])], fx.memory);
      v8.forEach((o, k) => {
        expect(
          digest({ ...o, memory: o.memory!.slice(0, PAGE) }),
          `arguments ${lists[ends[k]].map((c) => c.bits)}`,
        ).toEqual(reference[ends[k]]);
      });
    });
  }
});
