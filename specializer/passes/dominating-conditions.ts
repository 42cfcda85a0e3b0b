// Pass: branches decided by a dominating branch. Below the edge a `cond v` took (its target has no other
// predecessor), v is known, and so is an unsigned lower bound of x where v compares x with a constant, or x itself
// where v is `x == c` or `x != c` (or `eqz x`) and the edge is the one where they are equal; a later `cond` on v, or
// on a comparison of x with a constant that the bound or the value decides, becomes a `br`. An interpreter's
// bounds checks on one array length (`3 >= len` exits, then `3 >= len` again for the store, or `1 >= len` after
// `6 >= len`) are the case: store forwarding makes the lengths one value, this pass drops the checks they imply;
// and its type checks on one forwarded tag (Fern's `tag != FLOAT` for the INDEX that loaded an element, again for
// the arithmetic that reads it: two compares with two constants, so not one value v).
//   before:  block0: v3 = i64.le_u v1, (const 6) ; cond v3, block9(), block1()   block1: v4 = i64.le_u v1, (const 3) ; cond v4, block9(), block2()
//   after:   block1: ... ; br block2()                    (v1 > 6 on the edge into block1, so v1 <= 3 is false)
// Requires: valid SSA, exact preds. Guarantees: valid SSA, the same results; the blocks a folded branch no longer
// reaches are left for dead-blocks (the caller runs it).
import type { BlockId, FunctionBody, ValueId } from "../ssa/ir.ts";
import { DominatorTree } from "../ssa/dominators.ts";

/** x compared with the constant c: `x op c`, or the constant first (`c op x`). */
interface Compare {
  x: ValueId;
  c: bigint;
  op: "le_u" | "lt_u" | "ge_u" | "gt_u";
  constFirst: boolean;
}

/** Returns the number of branches made jumps. `order`: the reachable blocks in reverse postorder, and `dom` their
 *  dominator tree, when the caller has them. */
export function foldDominatedConditions(
  f: FunctionBody,
  order: BlockId[] = f.reversePostorder(),
  dom?: DominatorTree,
): number {
  if (order.length === 0) return 0;
  dom ??= new DominatorTree(f, order);
  const known = new Map<ValueId, boolean>();
  const low = new Map<ValueId, bigint>(); // unsigned lower bounds
  const eq = new Map<ValueId, bigint>(); // values known equal to a constant (unsigned)
  let folded = 0;
  // Depth-first over the dominator tree; a block's edge fact is learned when it is entered and undone when its
  // subtree is done (siblings never see each other's).
  const stack: { b: BlockId; fact?: { v: ValueId; taken: boolean }; undo?: (() => void)[] }[] = [{ b: order[0] }];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.undo) {
      for (const u of top.undo.reverse()) u();
      stack.pop();
      continue;
    }
    top.undo = [];
    if (top.fact) learn(f, top.fact.v, top.fact.taken, { known, low, eq }, top.undo);
    const block = f.blocks[top.b];
    const t = block.term;
    if (t.kind === "cond") {
      const v = f.resolve(t.cond);
      const decided = known.get(v) ?? decide(f, v, low, eq);
      if (decided !== undefined) {
        block.term = { kind: "br", target: decided ? t.then : t.else };
        folded++;
      }
    }
    const u = block.term;
    for (const child of dom.childrenOf(top.b)) {
      let fact: { v: ValueId; taken: boolean } | undefined;
      // The edge dominates the child only when it is the child's one way in.
      if (u.kind === "cond" && u.then.block !== u.else.block && f.blocks[child].preds.length === 1) {
        if (child === u.then.block) fact = { v: f.resolve(u.cond), taken: true };
        else if (child === u.else.block) fact = { v: f.resolve(u.cond), taken: false };
      }
      stack.push({ b: child, fact });
    }
  }
  return folded;
}

/** Set a map entry, with its undo. */
function set<K, V>(m: Map<K, V>, k: K, v: V, undo: (() => void)[]): void {
  const had = m.has(k);
  const old = m.get(k);
  m.set(k, v);
  undo.push(() => (had ? m.set(k, old as V) : m.delete(k)));
}

/** What the pass knows below an edge: conditions, unsigned lower bounds, values equal to a constant. */
interface Facts {
  known: Map<ValueId, boolean>;
  low: Map<ValueId, bigint>;
  eq: Map<ValueId, bigint>;
}

/** What `cond v` having gone to then (`taken`) or else tells: v itself, x's value when v is `x == c` (or `x != c`)
 *  and they came out equal, and x's lower bound when v compares it. */
function learn(f: FunctionBody, v: ValueId, taken: boolean, { known, low, eq }: Facts, undo: (() => void)[]): void {
  set(known, v, taken, undo);
  const e = equalityOf(f, v);
  if (e && e.isEq === taken) set(eq, e.x, e.c, undo);
  const cmp = compareOf(f, v);
  if (!cmp) return;
  // x >= bound when the comparison came out this way (undefined: only an upper bound, not tracked).
  let bound: bigint | undefined;
  const { c, op, constFirst } = cmp;
  const xIsLeft = !constFirst;
  const holds = (o: Compare["op"]) => (xIsLeft ? o : mirror(o));
  const rel = taken ? holds(op) : negate(holds(op)); // the true relation "x rel c"
  if (rel === "gt_u") bound = c + 1n;
  else if (rel === "ge_u") bound = c;
  if (bound !== undefined && bound > (low.get(cmp.x) ?? 0n)) set(low, cmp.x, bound, undo);
}

/** Whether the comparison v is decided by x's value or lower bound: true, false, or undefined. */
function decide(f: FunctionBody, v: ValueId, low: Map<ValueId, bigint>, eq: Map<ValueId, bigint>): boolean | undefined {
  const e = equalityOf(f, v);
  const value = e && eq.get(e.x);
  if (value !== undefined) return (value === e!.c) === e!.isEq;
  const cmp = compareOf(f, v);
  const x = cmp && eq.get(cmp.x);
  if (x !== undefined) {
    const [a, b] = cmp!.constFirst ? [cmp!.c, x] : [x, cmp!.c];
    return cmp!.op === "le_u" ? a <= b : cmp!.op === "lt_u" ? a < b : cmp!.op === "ge_u" ? a >= b : a > b;
  }
  const lo = cmp && low.get(cmp.x);
  if (!cmp || lo === undefined) return undefined;
  const rel = cmp.constFirst ? mirror(cmp.op) : cmp.op; // x rel c
  if (rel === "gt_u") return lo > cmp.c ? true : undefined;
  if (rel === "ge_u") return lo >= cmp.c ? true : undefined;
  if (rel === "le_u") return lo > cmp.c ? false : undefined;
  return lo >= cmp.c ? false : undefined; // lt_u
}

/** `c op x` as `x op' c`. */
function mirror(op: Compare["op"]): Compare["op"] {
  return op === "le_u" ? "ge_u" : op === "lt_u" ? "gt_u" : op === "ge_u" ? "le_u" : "lt_u";
}
/** not (x op c). */
function negate(op: Compare["op"]): Compare["op"] {
  return op === "le_u" ? "gt_u" : op === "lt_u" ? "ge_u" : op === "ge_u" ? "lt_u" : "le_u";
}

const OPS = new Set(["le_u", "lt_u", "ge_u", "gt_u"]);

/** v as an unsigned comparison of a value with a constant (`eqz x` is `x <=u 0`), or undefined. */
function compareOf(f: FunctionBody, v: ValueId): Compare | undefined {
  const d = f.values[v];
  if (d.kind !== "op") return undefined;
  const [ty, name] = d.op.name.split(".");
  if ((ty !== "i32" && ty !== "i64") || d.args.length === 0) return undefined;
  if (name === "eqz") return { x: f.resolve(d.args[0]), c: 0n, op: "le_u", constFirst: false };
  if (!OPS.has(name)) return undefined;
  const [a, b] = d.args.map((x) => f.resolve(x));
  const cb = unsignedConst(f, b);
  if (cb !== undefined) return { x: a, c: cb, op: name as Compare["op"], constFirst: false };
  const ca = unsignedConst(f, a);
  if (ca !== undefined) return { x: b, c: ca, op: name as Compare["op"], constFirst: true };
  return undefined;
}

/** v as `x == c` or `x != c` (either operand the constant; `eqz x` is `x == 0`), or undefined. */
function equalityOf(f: FunctionBody, v: ValueId): { x: ValueId; c: bigint; isEq: boolean } | undefined {
  const d = f.values[v];
  if (d.kind !== "op") return undefined;
  const [ty, name] = d.op.name.split(".");
  if ((ty !== "i32" && ty !== "i64") || d.args.length === 0) return undefined;
  if (name === "eqz") return { x: f.resolve(d.args[0]), c: 0n, isEq: true };
  if (name !== "eq" && name !== "ne") return undefined;
  const [a, b] = d.args.map((x) => f.resolve(x));
  const cb = unsignedConst(f, b);
  const ca = cb === undefined ? unsignedConst(f, a) : undefined;
  if (cb === undefined && ca === undefined) return undefined;
  return { x: cb !== undefined ? a : b, c: cb ?? ca!, isEq: name === "eq" };
}

function unsignedConst(f: FunctionBody, v: ValueId): bigint | undefined {
  const d = f.values[v];
  if (d.kind !== "op" || d.op.name !== "const" || !d.op.value) return undefined;
  const { type, bits } = d.op.value;
  if (type === "i32") return BigInt((bits as number) >>> 0);
  if (type === "i64") return BigInt.asUintN(64, bits as bigint);
  return undefined;
}
