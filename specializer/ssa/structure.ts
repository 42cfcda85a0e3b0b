// Structured control flow for a reducible graph, in one linear walk of the dominator tree (Ramsey, "Beyond
// Relooper", ICFP 2022): the backend's replacement for binaryen's Relooper wherever the graph is reducible, since
// the Relooper's cost grows faster than the function (mandelbrot.b through the Brainfuck interpreter, 20,646
// values: 2.9 s of a 4.3 s build in renderAndDispose, more than binaryen's optimization of the result).
//
//   A block is a loop header when a back edge (to a block not later in reverse postorder) enters it: its code is
//   wrapped in `loop $L<b>`, and back edges are `br $L<b>`. A block with two or more forward in-edges is a merge
//   block: its code follows a `block $B<b>` that wraps the code of its immediate dominator, and forward edges to
//   it are `br $B<b>`. Any other block (one forward in-edge) is emitted in place, where its predecessor branches.
//   A node's merge children nest outermost-first by decreasing reverse-postorder number, so every forward branch
//   is to an enclosing label. A br_table's targets go through one `block` per distinct (target, arguments), whose
//   end runs that edge's parallel copy.
//   Every emitted block's code ends in a branch, return or trap, so the code after an `if` whose arm branches away
//   is the other arm: a condition emits one arm inside the `if` and continues with the other in the same
//   sequence, and the last thing emitted at a place (a merge child, the arm after an `if`) is written in the same
//   list by a loop, not by recursion. Nesting (and the recursion depth) is the output's own: loops in loops, arms
//   in arms, merge blocks around one dominator.
//   A loop's exits — the loop header's dominator-tree children outside the loop — are merge blocks too, wrapped
//   around the loop (`block $B<e> (loop …)`, then e's code), not emitted inside it as Ramsey's paper has it: there,
//   the code after a loop sits inside the loop, so every loop of a long function nests the rest of it one level
//   deeper (Fern's one function of 10,000 statements: 930 levels), and binaryen's vacuum and remove-unused-brs cost
//   grew with the depth times the size (vacuum 25x from 1,000 statements to 10,000). Finding them walks each loop's
//   body back from its back edges: linear in the blocks times the loops' nesting depth.
// Irreducible graphs (a back edge whose target does not dominate its source; specialization can create them)
// return undefined: the caller uses the Relooper. Cost: linear in blocks plus edges.
import type { Binaryen, BinaryenModule } from "../../util/binaryen.ts";
import { targetsOf, type BlockId, type FunctionBody, type Target } from "./ir.ts";
import { DominatorTree } from "./dominators.ts";

type Ref = number;

/** What the structurer needs from the backend: a block's instructions (and its return or trap), an edge's
 *  parallel copy, and block b's condition or index (called once per block, before any of its edges' copies: the
 *  `if` or br_table it feeds evaluates it before them, as the local plan has it: locals.ts terminatorOperands). */
export interface StructureHooks {
  code(b: BlockId): Ref[];
  copies(t: Target): Ref;
  operand(b: BlockId): Ref;
}

/** The body of `f` (reachable blocks in reverse postorder `order`, whose dominator tree is `dom`) as one structured
 *  block, or undefined when the graph is irreducible. `prologue` runs first (the entry parameters' copies). */
export function structuredBody(
  b: Binaryen,
  mod: BinaryenModule,
  f: FunctionBody,
  order: BlockId[],
  hooks: StructureHooks,
  prologue: Ref[],
  dom: DominatorTree = new DominatorTree(f, order),
): Ref | undefined {
  const s = Structurer.plan(f, order, dom);
  if (!s) return undefined;
  const out = prologue.slice();
  new Emitter(b, mod, f, s, hooks).drain(f.entry, out);
  return mod.block(null, out, b.none);
}

/** The shape facts: positions, loop headers, merge blocks, each block's merge children inside its loop and each
 *  loop header's exits (both in decreasing order). */
class Structurer {
  constructor(
    readonly pos: Int32Array,
    readonly loopHeader: Uint8Array,
    readonly merge: Uint8Array,
    readonly mergeChildren: Map<BlockId, BlockId[]>,
    readonly loopExits: Map<BlockId, BlockId[]>,
  ) {}

  static plan(f: FunctionBody, order: BlockId[], dom: DominatorTree): Structurer | undefined {
    const n = f.blocks.length;
    const pos = new Int32Array(n).fill(-1);
    order.forEach((blk, i) => (pos[blk] = i));
    const loopHeader = new Uint8Array(n);
    const forwardIn = new Int32Array(n);
    const preds: BlockId[][] = Array.from({ length: n }, () => []);
    const latches = new Map<BlockId, BlockId[]>();
    for (const blk of order) {
      const term = f.blocks[blk].term;
      const seen = term.kind === "table" ? new Set<string>() : undefined;
      for (const t of targetsOf(term)) {
        preds[t.block].push(blk);
        if (pos[t.block] <= pos[blk]) {
          if (!dom.dominates(t.block, blk)) return undefined; // irreducible
          loopHeader[t.block] = 1;
          latches.set(t.block, [...(latches.get(t.block) ?? []), blk]);
          continue;
        }
        if (seen) {
          const key = edgeKey(t);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        forwardIn[t.block]++;
      }
    }
    const merge = new Uint8Array(n);
    const exit = loopExitsOf(dom, preds, latches);
    const mergeChildren = new Map<BlockId, BlockId[]>();
    const loopExits = new Map<BlockId, BlockId[]>();
    for (let i = order.length - 1; i >= 1; i--) {
      const blk = order[i];
      if (forwardIn[blk] < 2 && !exit[blk]) continue;
      merge[blk] = 1;
      const d = dom.idom.get(blk)!;
      const lists = exit[blk] ? loopExits : mergeChildren;
      const list = lists.get(d);
      if (list) list.push(blk);
      else lists.set(d, [blk]);
    }
    return new Structurer(pos, loopHeader, merge, mergeChildren, loopExits);
  }
}

/** Marks each loop header's dominator-tree children that are outside its loop: the blocks from which no back edge
 *  to the header is reachable without passing it (a backward walk from the back edges' sources, per loop). */
function loopExitsOf(dom: DominatorTree, preds: BlockId[][], latches: Map<BlockId, BlockId[]>): Uint8Array {
  const n = preds.length;
  const exit = new Uint8Array(n);
  const seen = new Int32Array(n).fill(-1);
  for (const [h, sources] of latches) {
    seen[h] = h;
    const stack = sources.filter((s) => seen[s] !== h);
    for (const s of stack) seen[s] = h;
    while (stack.length) {
      const x = stack.pop()!;
      for (const p of preds[x])
        if (seen[p] !== h) {
          seen[p] = h;
          stack.push(p);
        }
    }
    for (const c of dom.childrenOf(h)) if (seen[c] !== h) exit[c] = 1;
  }
  return exit;
}

/** A br_table edge's identity: its target and arguments (one copy block per distinct one). */
const edgeKey = (t: Target) => `${t.block}:${t.args.join(",")}`;

class Emitter {
  constructor(
    private readonly b: Binaryen,
    private readonly mod: BinaryenModule,
    private readonly f: FunctionBody,
    private readonly s: Structurer,
    private readonly hooks: StructureHooks,
  ) {}

  /** Emit `x`'s dominator subtree into `out`, and whatever it leaves in tail position after it, iteratively. */
  drain(x: BlockId, out: Ref[]): void {
    for (let t = x; t >= 0;) t = this.tree(t, out);
  }

  /** `x` with its dominator subtree (a loop when x is a header); returns the block to emit next in `out`, or -1. */
  private tree(x: BlockId, out: Ref[]): BlockId {
    if (!this.s.loopHeader[x]) return this.within(x, out);
    const body: Ref[] = [];
    this.drain(this.within(x, body), body);
    const loop = this.mod.loop(`L${x}`, this.mod.block(null, body, this.b.none));
    return this.around([loop], this.s.loopExits.get(x), out);
  }

  /** `code` inside the blocks of `ys` (decreasing order), each one's subtree after its block's end; returns the
   *  outermost one, to emit next in `out` (or -1 when there are none, `code` pushed as it is). */
  private around(code: Ref[], ys: BlockId[] | undefined, out: Ref[]): BlockId {
    if (!ys) {
      for (const r of code) out.push(r);
      return -1;
    }
    let inner = code;
    for (let i = ys.length - 1; i >= 1; i--) {
      inner = [this.mod.block(`B${ys[i]}`, inner, this.b.none)];
      this.drain(ys[i], inner);
    }
    out.push(this.mod.block(`B${ys[0]}`, inner, this.b.none));
    return ys[0];
  }

  /** `x`'s code inside the blocks of its merge children, each child's subtree after its block's end. */
  private within(x: BlockId, out: Ref[]): BlockId {
    const ys = this.s.mergeChildren.get(x);
    if (!ys) return this.node(x, out);
    const inner: Ref[] = [];
    this.drain(this.node(x, inner), inner);
    return this.around(inner, ys, out);
  }

  /** One block's code and terminator; returns the block emitted in place after it (tail position), or -1. */
  private node(x: BlockId, out: Ref[]): BlockId {
    const { f, mod, hooks } = this;
    for (const r of hooks.code(x)) out.push(r);
    const term = f.blocks[x].term;
    switch (term.kind) {
      case "br":
        return this.edge(x, term.target, out);
      case "cond": {
        // One arm inside the `if`, the other after it: the arm that is a plain branch (or the smaller tree) goes in.
        const thenInPlace = this.inPlace(x, term.then.block) && term.then.block !== term.else.block;
        const elseInPlace = this.inPlace(x, term.else.block) && term.then.block !== term.else.block;
        const [inside, after, cond] =
          thenInPlace && !elseInPlace
            ? [term.else, term.then, mod.i32.eqz(hooks.operand(x))]
            : [term.then, term.else, hooks.operand(x)];
        const arm: Ref[] = [];
        this.drain(this.edge(x, inside, arm), arm);
        out.push(mod.if(cond, mod.block(null, arm, this.b.none)));
        return this.edge(x, after, out);
      }
      case "table":
        return this.table(x, term.targets, term.default, out);
      default:
        return -1; // return and unreachable are in the block's code
    }
  }

  /** Whether the edge x→y emits y's code in place (a forward edge into a block that is not a merge block). */
  private inPlace(x: BlockId, y: BlockId): boolean {
    return this.s.pos[y] > this.s.pos[x] && !this.s.merge[y];
  }

  /** The edge's parallel copy, then a branch to `t` — or, when t's code goes in place, t itself (returned). */
  private edge(x: BlockId, t: Target, out: Ref[]): BlockId {
    const copy = this.hooks.copies(t);
    if (this.b.getExpressionId(copy) !== this.b.NopId) out.push(copy);
    if (this.inPlace(x, t.block)) return t.block;
    out.push(this.mod.br(this.s.pos[t.block] <= this.s.pos[x] ? `L${t.block}` : `B${t.block}`));
    return -1;
  }

  /** A br_table: one block per distinct edge around the switch; after each block's end, that edge. */
  private table(x: BlockId, targets: Target[], def: Target, out: Ref[]): BlockId {
    const groups = new Map<string, { label: string; target: Target }>();
    const labelOf = (t: Target) => {
      const key = edgeKey(t);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label: `T${x}_${groups.size}`, target: t }));
      return g.label;
    };
    const names = targets.map(labelOf);
    const defName = labelOf(def);
    let inner: Ref[] = [this.mod.switch(names, defName, this.hooks.operand(x))];
    const list = [...groups.values()];
    for (let k = 0; k < list.length - 1; k++) {
      inner = [this.mod.block(list[k].label, inner, this.b.none)];
      this.drain(this.edge(x, list[k].target, inner), inner);
    }
    const lastGroup = list[list.length - 1];
    out.push(this.mod.block(lastGroup.label, inner, this.b.none));
    return this.edge(x, lastGroup.target, out);
  }
}
