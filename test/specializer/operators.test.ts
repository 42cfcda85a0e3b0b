// What the specializer's operator evaluation (weval/operators.ts) knows of a numeric operator with one run-time
// operand: known when its constant operand decides it whatever the other (an interpreter's `tag == INT && ...` on a
// known tag, which binaryen makes an i32.and of the two tests), so a branch on it is decided while specializing.
import { describe, expect, it } from "vitest";
import { runtime } from "../../specializer/weval/abstract.ts";
import { evaluateOperator, isCopy } from "../../specializer/weval/operators.ts";
import type { Known } from "../../specializer/weval/state.ts";
import { i32, i64, type Const } from "../../specializer/ssa/types.ts";

const known = (value: Const): Known => ({ abs: { kind: "const", value } });
const unknown: Known = { abs: runtime("a parameter"), out: 1 };
const evaluate = (name: string, args: Known[]) => evaluateOperator({ name }, args, ["i32"], []);

describe("operators with one constant operand", () => {
  it.each<[string, Known[], Const]>([
    ["i32.and", [unknown, known(i32(0))], i32(0)],
    ["i32.and", [known(i32(0)), unknown], i32(0)],
    ["i32.or", [unknown, known(i32(-1))], i32(-1)],
    ["i32.mul", [known(i32(0)), unknown], i32(0)],
    ["i32.lt_u", [unknown, known(i32(0))], i32(0)],
    ["i64.ge_u", [unknown, known(i64(0n))], i32(1)],
  ])("%s decided by its constant operand is known", (name, args, want) => {
    const r = evaluate(name, args);
    expect(isCopy(r)).toBe(false);
    expect((r as Known).abs).toEqual({ kind: "const", value: want });
  });

  it.each<[string, Known[]]>([
    ["i32.and", [unknown, known(i32(6))]],
    ["i32.div_u", [known(i32(0)), unknown]], // traps when the other is 0
    ["i32.sub", [known(i32(0)), unknown]],
  ])("%s that depends on the other operand is copied", (name, args) => {
    expect(isCopy(evaluate(name, args))).toBe(true);
  });
});
