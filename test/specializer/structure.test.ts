// The backend's own structured layout (ssa/structure.ts): an irreducible graph is left to the Relooper (undefined),
// and a reducible one with a loop, a diamond and a br_table becomes a valid function that computes what the graph
// does. (The .wat corpus round trip and the random programs at -O0 run it on every function they emit.)
import { describe, expect, it } from "vitest";
import { FunctionBody } from "../../specializer/ssa/ir.ts";
import { structuredBody } from "../../specializer/ssa/structure.ts";
import { loadBinaryen, withFeatures } from "../../util/binaryen.ts";

const i32 = (f: FunctionBody, block: number, value: number) =>
  f.appendOp(block, { name: "const", value: { type: "i32", bits: value } }, [], ["i32"]);

describe("structured layout", () => {
  it("leaves an irreducible graph (two loop entries) to the Relooper", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(b, new b.Module());
    const f = new FunctionBody("irreducible", ["i32"], []);
    const [entry, x, y] = [f.addBlock(), f.addBlock(), f.addBlock()];
    const p = f.addBlockParam(entry, "i32");
    f.setTerminator(entry, { kind: "cond", cond: p, then: { block: x, args: [] }, else: { block: y, args: [] } });
    f.setTerminator(x, { kind: "br", target: { block: y, args: [] } });
    f.setTerminator(y, { kind: "br", target: { block: x, args: [] } });
    f.recomputePreds();
    const hooks = { code: () => [], copies: () => mod.nop(), operand: () => mod.local.get(0, b.i32) };
    expect(structuredBody(b, mod, f, f.reversePostorder(), hooks, [])).toBeUndefined();
    mod.dispose();
  });

  it("lays out a loop around a diamond and a br_table, and the function computes the same", async () => {
    const b = await loadBinaryen();
    const mod = withFeatures(b, new b.Module());
    // sum(n): s = 0; do { s += (n & 1 ? 3 : 5) + [10, 20, 30][n % 3]; n-- } while (n); return s — with
    // locals instead of SSA values, since the test drives the structurer directly.
    const f = new FunctionBody("sum", ["i32"], ["i32"]);
    const [entry, head, odd, even, join, t0, t1, t2, latch, exit] = Array.from({ length: 10 }, () => f.addBlock());
    f.addBlockParam(entry, "i32");
    const local = (i: number) => mod.local.get(i, b.i32);
    const set = (i: number, e: number) => mod.local.set(i, e);
    const code: Record<number, () => number[]> = {
      [entry]: () => [set(1, mod.i32.const(0))],
      [head]: () => [],
      [odd]: () => [set(1, mod.i32.add(local(1), mod.i32.const(3)))],
      [even]: () => [set(1, mod.i32.add(local(1), mod.i32.const(5)))],
      [join]: () => [],
      [t0]: () => [set(1, mod.i32.add(local(1), mod.i32.const(10)))],
      [t1]: () => [set(1, mod.i32.add(local(1), mod.i32.const(20)))],
      [t2]: () => [set(1, mod.i32.add(local(1), mod.i32.const(30)))],
      [latch]: () => [set(0, mod.i32.sub(local(0), mod.i32.const(1)))],
      [exit]: () => [mod.return(local(1))],
    };
    const cond = i32(f, head, 0); // stands for n & 1 (head's condition, read through `operand`)
    const index = i32(f, join, 1); // stands for n % 3
    const more = i32(f, latch, 2); // stands for n != 0
    const operands: Record<number, () => number> = {
      [head]: () => mod.i32.and(local(0), mod.i32.const(1)),
      [join]: () => mod.i32.rem_u(local(0), mod.i32.const(3)),
      [latch]: () => local(0),
    };
    const to = (block: number) => ({ block, args: [] });
    f.setTerminator(entry, { kind: "br", target: to(head) });
    f.setTerminator(head, { kind: "cond", cond, then: to(odd), else: to(even) });
    f.setTerminator(odd, { kind: "br", target: to(join) });
    f.setTerminator(even, { kind: "br", target: to(join) });
    f.setTerminator(join, { kind: "table", index, targets: [to(t0), to(t1)], default: to(t2) });
    for (const t of [t0, t1, t2]) f.setTerminator(t, { kind: "br", target: to(latch) });
    f.setTerminator(latch, { kind: "cond", cond: more, then: to(head), else: to(exit) });
    f.setTerminator(exit, { kind: "return", values: [] });
    f.recomputePreds();
    const hooks = {
      code: (blk: number) => code[blk](),
      copies: () => mod.nop(),
      operand: (blk: number) => operands[blk](),
    };
    const body = structuredBody(b, mod, f, f.reversePostorder(), hooks, []);
    expect(body).toBeDefined();
    mod.addFunction("sum", b.createType([b.i32]), b.i32, [b.i32], mod.block(null, [body!, mod.unreachable()], b.i32));
    mod.addFunctionExport("sum", "sum");
    expect(mod.validate()).toBeTruthy();
    const { instance } = await WebAssembly.instantiate(mod.emitBinary() as BufferSource);
    mod.dispose();
    const sum = instance.exports.sum as (n: number) => number;
    const expected = (n: number) => {
      let s = 0;
      do {
        s += n & 1 ? 3 : 5;
        s += [10, 20, 30][n % 3];
        n--;
      } while (n);
      return s;
    };
    for (const n of [1, 2, 3, 7, 10]) expect(sum(n)).toBe(expected(n));
  });
});
