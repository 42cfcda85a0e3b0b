// Pass: peel the first iteration of an innermost loop that reads memory through a pointer it does not compute
// (loop-invariant) which the interpreter declared of an alias class (weval.assume.alias.class), as a JIT peels a
// loop so that its load elimination finds the first iteration's loads: store forwarding (run next) then keeps
// those bytes known across the loop where no store of their class reaches them — an object's header fields, and
// through the storage pointer read there, an array's elements (Fern's n-body: `b`'s length, element pointer,
// `b[0..2]` and `b[6]`, with their type and bounds checks, leave the inner loop) — where it cannot without the
// peel: a load is never added to a path that did not run it, and the loop's own first load of them is behind its
// exit test. Only loops of at most PEEL_MAX_VALUES instructions are peeled, and only where such a declared load
// exists: without a declared class, any store through another pointer forgets what the peel made known. Loops that
// store a constant at a loop-invariant address are peeled too, with or without declared classes (storesConstant:
// the tag byte Lua's loops store every iteration, which the peel lets redundant-stores remove).
//   before:  pre: br H(x0)     H(x): ... loop body ... br H(x1) / exit E (uses body value y)
//   after:   pre: br H'(x0)    H'(x'): ... copy of the body ... br H(x1') / E(y')     H(x): ... br H(x1) / E(y)
// The values of the loop used outside it first become parameters of the exit block that dominates the use (the
// loop must have one for each such use, and those exits no way in from outside the loop; else it is not peeled),
// so both copies pass theirs. The copy's values carry the originals' alias-class declarations.
// Requires: valid SSA. Guarantees: valid SSA, the same results, memory and traps (the copy runs exactly what the
// first iteration ran); block preds recomputed.
import { defUses, terminatorUses, targetsOf, declareAliasClass, type BlockId, type FunctionBody } from "../ssa/ir.ts";
import type { Operator, Target, Terminator, ValueDef, ValueId } from "../ssa/ir.ts";
import { DominatorTree } from "../ssa/dominators.ts";
import { effectsOf } from "../ssa/effects.ts";
import { OPS_BY_NAME } from "../ssa/wasm-ops.ts";

/** The largest loop body (instructions) peeled: the copy is that much more code to optimize and compile. */
export const PEEL_MAX_VALUES = 1500;

interface Loop {
  header: BlockId;
  body: Set<BlockId>;
}

/** Returns the number of loops peeled. */
export function peelLoops(f: FunctionBody): number {
  f.recomputePreds();
  let order = f.reversePostorder();
  let dom = new DominatorTree(f, order);
  let peeled = 0;
  for (const header of innermostLoops(f, order, dom).map((l) => l.header)) {
    // Each peel changes dominance: the loop is found again in the current graph.
    const loop = loopAt(f, header, dom);
    // (A loop at the entry has no way in to give its copy.)
    if (!loop || header === f.entry || !worthPeeling(f, loop, dom)) continue;
    if (!closeLoop(f, loop, order, dom)) continue;
    cloneFirstIteration(f, loop);
    f.recomputePreds();
    order = f.reversePostorder();
    dom = new DominatorTree(f, order);
    peeled++;
  }
  return peeled;
}

/** The natural loop of each header no other loop's header is inside of. */
function innermostLoops(f: FunctionBody, order: BlockId[], dom: DominatorTree): Loop[] {
  const loops: Loop[] = [];
  const headers = new Set<BlockId>();
  for (const b of order)
    for (const t of targetsOf(f.blocks[b].term)) if (dom.dominates(t.block, b)) headers.add(t.block);
  for (const h of headers) {
    const loop = loopAt(f, h, dom);
    if (loop && ![...loop.body].some((b) => b !== h && headers.has(b))) loops.push(loop);
  }
  return loops;
}

/** The natural loop of header h: the blocks that reach one of its back edges' sources without passing h. */
function loopAt(f: FunctionBody, h: BlockId, dom: DominatorTree): Loop | undefined {
  const latches = f.blocks[h].preds.filter((p) => dom.dominates(h, p));
  if (!latches.length) return undefined;
  const body = new Set<BlockId>([h, ...latches]);
  const work = latches.filter((u) => u !== h);
  while (work.length) {
    const x = work.pop()!;
    for (const p of f.blocks[x].preds) {
      if (body.has(p)) continue;
      // A block that reaches the latch without h dominating it: an irreducible loop, left alone.
      if (!dom.dominates(h, p)) return undefined;
      body.add(p);
      work.push(p);
    }
  }
  return { header: h, body };
}

/** Small enough, and it loads through a loop-invariant pointer declared of an alias class, bytes that no block
 *  before the loop loads (on every way in: in a block that dominates the header; so a peeled loop is not peeled
 *  again). */
function worthPeeling(f: FunctionBody, loop: Loop, dom: DominatorTree): boolean {
  const defined = new Set<ValueId>();
  let size = 0;
  for (const b of loop.body) {
    for (const p of f.blocks[b].params) defined.add(p);
    for (const v of f.blocks[b].insts) defined.add(v);
    size += f.blocks[b].insts.length;
  }
  if (size > PEEL_MAX_VALUES) return false;
  const memo = new Map<ValueId, boolean>();
  const invariant = (v: ValueId): boolean => {
    v = f.resolve(v);
    if (!defined.has(v)) return true;
    const known = memo.get(v);
    if (known !== undefined) return known;
    memo.set(v, false); // a cycle (through other parameters) is not invariant
    const d = f.values[v];
    // A parameter is when every way in passes it itself or an invariant value (a register the loop leaves alone,
    // before redundant-params has made it the value from outside).
    const r =
      d.kind === "param"
        ? f.blocks[d.block].preds.every((p) =>
            targetsOf(f.blocks[p].term).every(
              (t) => t.block !== d.block || f.resolve(t.args[d.index]) === v || invariant(t.args[d.index]),
            ),
          )
        : d.kind === "op" && effectsOf(d.op).pure && d.args.every(invariant);
    memo.set(v, r);
    return r;
  };
  // The loads, and the stores of constants, of the blocks every way into the loop passes.
  const before = new Set<string>();
  for (let b = dom.idom.get(loop.header); b !== undefined; b = b === f.entry ? undefined : dom.idom.get(b))
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind !== "op") continue;
      const cls = OPS_BY_NAME.get(d.op.name)?.cls;
      if (cls === "load") before.add(loadKey(f, d.op, d.args[0]));
      const k = cls === "store" ? constantStoreKey(f, v) : undefined;
      if (k !== undefined) before.add(k);
    }
  if (storesConstant(f, loop, invariant, before)) return true;
  if (!f.aliasClasses?.size) return false;
  const declared = new Set<ValueId>();
  for (const [v, c] of f.aliasClasses) if (c >= 0) declared.add(f.resolve(v));
  for (const b of loop.body)
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind !== "op" || OPS_BY_NAME.get(d.op.name)?.cls !== "load") continue;
      const a = f.resolve(d.args[0]);
      if (declared.has(a) && invariant(a) && !before.has(loadKey(f, d.op, a))) return true;
    }
  return false;
}

/** Whether the loop stores a constant at a loop-invariant address (Lua's type tag of a register the loop writes:
 *  the same byte every iteration). The peeled first iteration stores it before the loop, so redundant-stores
 *  (./redundant-stores.ts) can find the bytes holding it on every way into the loop and remove the loop's store;
 *  without the peel the way in from before the loop holds something else. Not when a block every way in passes
 *  stores it already (the peeled copy, after a peel). (Calls on the loop's paths are no reason not to: before store
 *  forwarding, a Lua loop still has its slow paths, which forwarding folds away.) */
function storesConstant(f: FunctionBody, loop: Loop, invariant: (v: ValueId) => boolean, before: Set<string>): boolean {
  for (const b of loop.body)
    for (const v of f.blocks[b].insts) {
      const d = f.values[v];
      if (d.kind !== "op" || OPS_BY_NAME.get(d.op.name)?.cls !== "store") continue;
      const k = constantStoreKey(f, v);
      if (k !== undefined && invariant(d.args[0]) && !before.has(k)) return true;
    }
  return false;
}

/** Store v's key (loadKey's, with the constant it stores), or undefined when it stores a computed value. */
function constantStoreKey(f: FunctionBody, v: ValueId): string | undefined {
  const d = f.values[v] as { op: Operator; args: ValueId[] };
  const x = f.values[f.resolve(d.args[1])];
  if (x.kind !== "op" || x.op.name !== "const") return undefined;
  return `${loadKey(f, d.op, d.args[0])}=${x.op.value!.type}:${x.op.value!.bits}`;
}

/** What a load reads, as text: its operator, offset and address, where the address is a pure expression over
 *  values (so the same expression computed twice, before a loop and in it, is one key), a parameter that every
 *  way in passes one value (or itself) being that value. */
function loadKey(f: FunctionBody, op: Operator, address: ValueId): string {
  const expr = (v: ValueId, depth: number): string => {
    v = f.resolve(v);
    const same = depth <= 4 ? onlyValue(f, v) : undefined;
    if (same !== undefined) return expr(same, depth + 1);
    const d = f.values[v];
    if (depth > 4 || d.kind !== "op" || !effectsOf(d.op).pure) return `v${v}`;
    const imm = d.op.value ? `${d.op.value.type}:${d.op.value.bits}` : "";
    return `${d.op.name}${imm}(${d.args.map((a) => expr(a, depth + 1)).join(",")})`;
  };
  return `${op.name}@${op.memarg!.offset}:${expr(address, 0)}`;
}

/** The one value parameter p receives on every edge (p itself aside), or undefined (not a parameter, or two). */
function onlyValue(f: FunctionBody, p: ValueId): ValueId | undefined {
  const d = f.values[p];
  if (d.kind !== "param") return undefined;
  let only: ValueId | undefined;
  for (const pred of f.blocks[d.block].preds)
    for (const t of targetsOf(f.blocks[pred].term)) {
      if (t.block !== d.block) continue;
      const a = f.resolve(t.args[d.index]);
      if (a === p) continue;
      if (only !== undefined && only !== a) return undefined;
      only = a;
    }
  return only;
}

/** Makes every use outside the loop of a value defined in it a use of a new parameter of the exit block that
 *  dominates it (the loop's blocks pass the value), so that a second copy of the loop can pass its own. Returns
 *  false, changing nothing, when a use has no such exit or the exit has a way in from outside the loop. */
function closeLoop(f: FunctionBody, loop: Loop, order: BlockId[], dom: DominatorTree): boolean {
  const definedIn = new Set<ValueId>();
  for (const b of loop.body) {
    for (const p of f.blocks[b].params) definedIn.add(p);
    for (const v of f.blocks[b].insts) definedIn.add(v);
  }
  const exits = new Set<BlockId>();
  for (const b of loop.body)
    for (const t of targetsOf(f.blocks[b].term)) if (!loop.body.has(t.block)) exits.add(t.block);
  // For each block outside the loop that uses loop values: its exit.
  const exitOf = new Map<BlockId, BlockId>();
  const needs = new Map<BlockId, ValueId[]>(); // exit -> the loop values used below it
  for (const x of order) {
    if (loop.body.has(x)) continue;
    const uses = blockUses(f, x).filter((u) => definedIn.has(u));
    if (!uses.length) continue;
    let e: BlockId | undefined = x;
    while (e !== undefined && !exits.has(e)) e = e === f.entry ? undefined : dom.idom.get(e);
    if (e === undefined || f.blocks[e].preds.some((p) => !loop.body.has(p))) return false;
    exitOf.set(x, e);
    const list = needs.get(e) ?? [];
    for (const u of uses) if (!list.includes(u)) list.push(u);
    needs.set(e, list);
  }
  const params = new Map<BlockId, Map<ValueId, ValueId>>();
  for (const [e, values] of needs) {
    const map = new Map<ValueId, ValueId>();
    for (const v of values) map.set(v, f.addBlockParam(e, f.typeOf(v)));
    params.set(e, map);
    for (const p of new Set(f.blocks[e].preds))
      for (const t of targetsOf(f.blocks[p].term)) if (t.block === e) t.args.push(...values);
  }
  for (const [x, e] of exitOf) rewriteUses(f, x, params.get(e)!);
  return true;
}

/** The values block x's instructions and terminator use (resolved). */
function blockUses(f: FunctionBody, x: BlockId): ValueId[] {
  const uses: ValueId[] = [];
  for (const v of f.blocks[x].insts) for (const u of defUses(f.values[v])) uses.push(f.resolve(u));
  for (const u of terminatorUses(f.blocks[x].term)) uses.push(f.resolve(u));
  return uses;
}

/** Replaces, in block x, the uses of the map's keys (resolved) with its values. */
function rewriteUses(f: FunctionBody, x: BlockId, map: Map<ValueId, ValueId>): void {
  const m = (v: ValueId): ValueId => map.get(f.resolve(v)) ?? v;
  for (const v of f.blocks[x].insts) {
    const d = f.values[v];
    if (d.kind === "op") d.args = d.args.map(m);
    else if (d.kind === "pick") d.value = m(d.value);
    else if (d.kind === "alias") d.to = m(d.to);
  }
  f.blocks[x].term = mapTerminator(f.blocks[x].term, m, (b) => b);
}

/** A copy of terminator t with its values through m and its targets' blocks through to. */
function mapTerminator(t: Terminator, m: (v: ValueId) => ValueId, to: (b: BlockId) => BlockId): Terminator {
  const tg = (x: Target): Target => ({ block: to(x.block), args: x.args.map(m) });
  switch (t.kind) {
    case "br":
      return { kind: "br", target: tg(t.target) };
    case "cond":
      return { kind: "cond", cond: m(t.cond), then: tg(t.then), else: tg(t.else) };
    case "table":
      return { kind: "table", index: m(t.index), targets: t.targets.map(tg), default: tg(t.default) };
    case "return":
      return { kind: "return", values: t.values.map(m) };
    case "return_call":
      return { kind: "return_call", op: t.op, args: t.args.map(m) };
    default:
      return t;
  }
}

/** Copies the loop's blocks (the first iteration): the ways into the header from outside enter the copy of the
 *  header instead, and the copy's back edges go to the original header. */
function cloneFirstIteration(f: FunctionBody, loop: Loop): void {
  const blocks = [...loop.body];
  const copyOf = new Map<BlockId, BlockId>();
  for (const b of blocks) copyOf.set(b, f.addBlock());
  const map = new Map<ValueId, ValueId>();
  for (const b of blocks) {
    for (const p of f.blocks[b].params) map.set(p, f.addBlockParam(copyOf.get(b)!, f.typeOf(p)));
    for (const v of f.blocks[b].insts) map.set(v, f.values.push({ kind: "none" }) - 1);
  }
  const m = (v: ValueId): ValueId => map.get(f.resolve(v)) ?? map.get(v) ?? v;
  for (const b of blocks) {
    const c = copyOf.get(b)!;
    for (const v of f.blocks[b].insts) {
      f.values[map.get(v)!] = copyDef(f.values[v], m);
      f.blocks[c].insts.push(map.get(v)!);
    }
    const to = (t: BlockId) => (t === loop.header || !loop.body.has(t) ? t : copyOf.get(t)!);
    f.blocks[c].term = mapTerminator(f.blocks[b].term, m, to);
  }
  for (const p of new Set(f.blocks[loop.header].preds)) {
    if (loop.body.has(p)) continue;
    for (const t of targetsOf(f.blocks[p].term)) if (t.block === loop.header) t.block = copyOf.get(loop.header)!;
  }
  for (const decl of [f.aliasClasses, f.aliasRegions]) {
    if (!decl) continue;
    for (const [v, c] of [...decl]) {
      const copy = map.get(f.resolve(v));
      if (copy !== undefined) declareAliasClass(decl, copy, c);
    }
  }
}

/** A definition like d, its values through m. */
function copyDef(d: ValueDef, m: (v: ValueId) => ValueId): ValueDef {
  switch (d.kind) {
    case "op":
      return { kind: "op", op: { ...d.op }, args: d.args.map(m), types: [...d.types] };
    case "pick":
      return { kind: "pick", value: m(d.value), index: d.index, type: d.type };
    case "alias":
      return { kind: "alias", to: m(d.to), type: d.type };
    default:
      return { ...d };
  }
}
