// The verifier rejects hand-broken IR, one test per check, and its message says what is wrong and prints the IR.
import { describe, expect, it } from "vitest";
import { parseFunction } from "../../specializer/ssa/parse.ts";
import { IrVerifyError, verifyFunction } from "../../specializer/ssa/verify.ts";

const good = `function f(i32) -> i32 {
block0(v0:i32):
  v1:i32 = const 1
  v2:i32 = i32.add v0, v1
  cond v2, block1(v2), block2()
block1(v3:i32):
  return v3
block2():
  return v1
}`;

function rejects(text: string, message: RegExp, mutate?: (f: ReturnType<typeof parseFunction>) => void): void {
  const f = parseFunction(text);
  mutate?.(f);
  expect(() => verifyFunction(f)).toThrow(IrVerifyError);
  expect(() => verifyFunction(f)).toThrow(message);
  expect(() => verifyFunction(f)).toThrow(/function f\(i32\) -> i32 \{/);
}

describe("IR verifier", () => {
  it("accepts well-formed IR", () => verifyFunction(parseFunction(good)));

  it("accepts tail calls, and rejects one without its table index or of another operator", () => {
    const tail = good.replace("block2():\n  return v1", "block2():\n  return_call_indirect 0 0 v0, v1");
    verifyFunction(parseFunction(tail));
    verifyFunction(parseFunction(good.replace("block2():\n  return v1", "block2():\n  return_call 3 v0, v1")));
    rejects(
      tail.replace("return_call_indirect 0 0 v0, v1", "return_call_indirect 0 0"),
      /block2's return_call_indirect has no i32 table index last/,
    );
    rejects(tail, /block2 tail-calls with i32.add, not call or call_indirect/, (f) => {
      const t = f.blocks[2].term as { op: { name: string } };
      t.op = { name: "i32.add" };
    });
  });

  it("rejects a use its definition does not dominate", () =>
    rejects(
      good.replace("block2():\n  return v1", "block2():\n  return v3"),
      /the terminator in block2 uses v3, whose definition in block1 does not dominate it/,
    ));

  it("rejects a use before the definition in the same block", () =>
    rejects(
      good.replace("v2:i32 = i32.add v0, v1", "v2:i32 = i32.add v0, v4\n  v4:i32 = const 2"),
      /v2 in block0 uses v4, whose definition in block0 does not dominate it/,
    ));

  it("rejects a branch with the wrong number of arguments", () =>
    rejects(
      good.replace("block1(v2), block2()", "block1(), block2()"),
      /block0 passes 0 arguments to block1, which has 1 parameters/,
    ));

  it("rejects a branch argument of the wrong type", () =>
    rejects(
      good.replace("v3:i32", "v3:i64").replace("return v3", "return v1"),
      /block0 passes v2:i32 to block1's parameter v3:i64/,
    ));

  it("rejects preds and succs that disagree with the terminators", () =>
    rejects(good, /preds do not list block0|succs \[.*\] disagree/, (f) => (f.blocks[0].succs = [1])));

  it("rejects a block without a terminator", () =>
    rejects(good, /block2 has no terminator/, (f) => (f.blocks[2].term = { kind: "none" })));

  it("rejects a value defined twice", () => rejects(good, /v1 is defined twice/, (f) => f.blocks[1].insts.push(1)));

  it("rejects an operator argument of the wrong type", () =>
    rejects(
      good.replace("v1:i32 = const 1", "v1:i64 = const 1").replace("return v1", "return v0"),
      /v2 \(i32\.add\) argument 1 is v1:i64, expected i32/,
    ));

  it("rejects a return of the wrong type", () =>
    rejects(
      good
        .replace("v1:i32 = const 1\n  v2:i32 = i32.add v0, v1", "v1:i64 = const 1\n  v2:i32 = i32.add v0, v0")
        .replace("return v1", "return v1"),
      /block2 returns \(i64\), the function returns \(i32\)/,
    ));
});
