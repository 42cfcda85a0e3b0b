// Random IR functions straight into the backend (specializer/ssa/backend.ts with its structured layout and
// simplifying locals plan, or the Relooper where the graph is irreducible), each run in V8 against the reference IR
// interpreter (test/specializer/ir-run.ts) on sample arguments: results, calls and memory must agree. Aimed at the
// backend's own bugs, which an interpreter's specialized code reaches only by chance (a tee into one block's
// terminator recomputed at another's: 2 cases in 24 random Fern programs, none visible). The graph is random
// (forward edges, some back edges, br_tables, blocks reached twice taking parameters), values of every dominating
// block are read anywhere (conditions, indexes, branch arguments, returns), and the code mixes pure i32 and i64
// arithmetic with loads, stores and calls (one with two results), whose order the plan must keep. Runs that do
// not end within the interpreter's fuel are not compared. Used by `npm run fuzz:backend` (backend-main.ts) and a
// few seeds in `npm test` (backend.test.ts). Found: a one-edge br_table's index dropped on the Relooper layout
// (seed 848); finds the tee recomputed at another block's terminator within 200 seeds when it is put back.
import { Rng } from "../../bytecode/random.ts";
import { DominatorTree } from "../../specializer/ssa/dominators.ts";
import { FunctionBody, type BlockId, type Target, type ValueId } from "../../specializer/ssa/ir.ts";
import { i32, i64, type ValType } from "../../specializer/ssa/types.ts";
import { verifyFunction } from "../../specializer/ssa/verify.ts";
import { emitAndRun, interpretIR, sampleArgs, type Outcome } from "../specializer/ir-run.ts";

/** Blocks a run may enter before it counts as not ending (a loop here either ends within a few rounds or never). */
const FUEL = 2_000;

type Shape = { kind: "br"; to: BlockId } | { kind: "cond" | "table"; to: BlockId[] } | { kind: "return" };

/** A random valid function (i32, i32) -> i32, the same for the same seed. */
export function randomFunction(seed: number): FunctionBody {
  const rng = new Rng(seed);
  const f = new FunctionBody(`random${seed}`, ["i32", "i32"], ["i32"]);
  const n = 3 + rng.below(12);
  for (let i = 0; i < n; i++) f.addBlock();
  f.addBlockParam(0, "i32");
  f.addBlockParam(0, "i32");
  // The graph: block i branches forward, or now and then back (never to the entry); the last returns.
  const target = (i: number) =>
    i > 1 && rng.below(6) === 0 ? 1 + rng.below(i) : i + 1 + rng.below(Math.min(4, n - 1 - i));
  const shapes: Shape[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.below(10);
    if (i === n - 1 || r === 0) shapes.push({ kind: "return" });
    else if (r <= 3) shapes.push({ kind: "br", to: target(i) });
    else if (r <= 7) shapes.push({ kind: "cond", to: [target(i), target(i)] });
    else shapes.push({ kind: "table", to: Array.from({ length: 2 + rng.below(3) }, () => target(i)) });
  }
  const placeholder = (to: BlockId): Target => ({ block: to, args: [] });
  shapes.forEach((s, i) => f.setTerminator(i, shapeTerminator(s, 0, placeholder)));
  f.recomputePreds();
  const order = f.reversePostorder();
  const dom = new DominatorTree(f, order);
  // Blocks reached more than once take parameters (one or two, i32 or i64).
  const edgesInto = new Int32Array(n);
  for (const b of order) for (const s of f.blocks[b].succs) edgesInto[s]++;
  for (const b of order)
    if (b !== 0 && edgesInto[b] > 1)
      for (let k = rng.below(3); k > 0; k--) f.addBlockParam(b, rng.below(4) ? "i32" : "i64");
  // Code in reverse postorder: each block sees the values of the blocks that dominate it.
  const visible = new Map<BlockId, ValueId[]>();
  for (const b of order) {
    const idom = dom.idom.get(b);
    const vals = [...(b === f.entry || idom === undefined ? [] : visible.get(idom)!), ...f.blocks[b].params];
    for (let k = rng.below(7); k > 0; k--) instruction(f, rng, b, vals);
    visible.set(b, vals);
    const pick = (t: ValType) => pickOf(f, rng, vals, t, b);
    const args = (to: BlockId): Target => ({ block: to, args: f.blocks[to].params.map((p) => pick(f.typeOf(p))) });
    f.setTerminator(b, shapeTerminator(shapes[b], pick("i32"), args));
  }
  for (let b = 0; b < n; b++) if (!visible.has(b)) f.setTerminator(b, { kind: "unreachable" });
  f.recomputePreds();
  verifyFunction(f);
  return f;
}

function shapeTerminator(
  s: Shape,
  operand: ValueId,
  target: (to: BlockId) => Target,
): FunctionBody["blocks"][number]["term"] {
  if (s.kind === "return") return { kind: "return", values: [operand] };
  if (s.kind === "br") return { kind: "br", target: target(s.to) };
  if (s.kind === "cond") return { kind: "cond", cond: operand, then: target(s.to[0]), else: target(s.to[1]) };
  const targets = s.to.map(target);
  return { kind: "table", index: operand, targets: targets.slice(0, -1), default: targets[targets.length - 1] };
}

/** A visible value of type t (mostly a recent one), or a fresh constant in block b. */
function pickOf(f: FunctionBody, rng: Rng, vals: ValueId[], t: ValType, b: BlockId): ValueId {
  const of = vals.filter((v) => f.typeOf(v) === t);
  if (of.length && rng.below(8)) return of[Math.max(0, of.length - 1 - rng.below(Math.min(of.length, 6)))];
  const x = rng.below(5) - 1;
  const c = f.appendOp(b, { name: "const", value: t === "i32" ? i32(x) : i64(BigInt(x)) }, [], [t]);
  vals.push(c);
  return c;
}

const I32_BINARY = ["i32.add", "i32.sub", "i32.mul", "i32.xor", "i32.and", "i32.or", "i32.eq", "i32.lt_u", "i32.shl"];
const I64_BINARY = ["i64.add", "i64.sub", "i64.mul", "i64.xor", "i64.ne"];

/** One random instruction appended to block b, its result (if any) added to `vals`. */
function instruction(f: FunctionBody, rng: Rng, b: BlockId, vals: ValueId[]): void {
  const int = () => pickOf(f, rng, vals, "i32", b);
  const long = () => pickOf(f, rng, vals, "i64", b);
  // An address in the first 64 bytes, 4-aligned: (x & 60).
  const address = () => {
    const mask = f.appendOp(b, { name: "const", value: { type: "i32", bits: 60 } }, [], ["i32"]);
    return f.appendOp(b, { name: "i32.and" }, [int(), mask], ["i32"]);
  };
  const add = (v: ValueId) => void vals.push(v);
  const r = rng.below(15);
  if (r <= 4) add(f.appendOp(b, { name: rng.pick(I32_BINARY) }, [int(), int()], ["i32"]));
  else if (r === 5) {
    const name = rng.pick(I64_BINARY);
    add(f.appendOp(b, { name }, [long(), long()], [name === "i64.ne" ? "i32" : "i64"]));
  } else if (r === 6)
    add(f.appendOp(b, { name: rng.below(2) ? "i64.extend_i32_s" : "i64.extend_i32_u" }, [int()], ["i64"]));
  else if (r === 7) add(f.appendOp(b, { name: "i32.wrap_i64" }, [long()], ["i32"]));
  else if (r === 8) add(f.appendOp(b, { name: "i32.eqz" }, [int()], ["i32"]));
  else if (r === 9) add(f.appendOp(b, { name: "select" }, [int(), int(), int()], ["i32"]));
  else if (r === 10) add(f.appendOp(b, { name: "i32.load", memarg: { offset: 0, align: 2 } }, [address()], ["i32"]));
  else if (r === 11) f.appendOp(b, { name: "i32.store", memarg: { offset: 0, align: 2 } }, [address(), int()], []);
  else if (r === 12) add(f.appendOp(b, { name: "call", index: 0 }, [int()], ["i32"]));
  else if (r === 13) f.appendOp(b, { name: "call", index: 1 }, [int()], []);
  else {
    // Two results (a tuple's local), picked in either order or one of them.
    const pair = f.appendOp(b, { name: "call", index: 2 }, [int()], ["i32", "i32"]);
    for (const k of rng.pick([[0, 1], [1, 0], [0], [1]])) add(f.appendPick(b, pair, k, "i32"));
  }
}

/** What is compared: the result, the calls and the non-zero bytes of the memory the code reaches (its first 64
 *  bytes: every address is masked to them; the page's 64 KiB per run were most of the time). */
function summary(o: Outcome): string {
  const bytes: string[] = [];
  o.memory?.subarray(0, 64).forEach((x, i) => x !== 0 && bytes.push(`${i}:${x}`));
  return `${o.result}; calls ${o.calls.join(" ")}; memory ${bytes.join(" ")}`;
}

/** The functions of `seeds` through the backend (one module) against the reference interpreter: for each seed
 *  whose compiled code disagrees, the seed and the first difference. */
export async function checkSeeds(seeds: number[]): Promise<{ seed: number; problem: string }[]> {
  const fns = seeds.map(randomFunction);
  // A quarter of the 49 sample pairs (0, 1, 2, 3, 5, 9, -1 each): a V8 instance per run is most of the cost.
  const args = sampleArgs(["i32", "i32"]).filter((_, k) => k % 4 === 0);
  const want = fns.map((f) => args.map((a) => interpretIR(f, a, FUEL)));
  const runnable = want.map((row) => row.flatMap((o, k) => (o.result === "diverges" ? [] : [args[k]])));
  const got = await emitAndRun(fns, runnable);
  const problems: { seed: number; problem: string }[] = [];
  fns.forEach((_, i) => {
    const expected = want[i].filter((o) => o.result !== "diverges");
    const k = expected.findIndex((o, j) => summary(o) !== summary(got[i][j]));
    if (k >= 0)
      problems.push({
        seed: seeds[i],
        problem: `on ${runnable[i][k].map((c) => String(c.bits)).join(", ")}: interpreted ${summary(expected[k])}, compiled ${summary(got[i][k])}`,
      });
  });
  return problems;
}
