// Pass: sparse conditional constant propagation (Wegman & Zadeck 1991) over block parameters. Optimistic: a
// parameter is assumed constant until an executable edge passes it something else, and an edge is executable only
// when its branch can take it with what is known, so a value carried around a loop that is the same constant on
// every path that can run folds, even when a path that cannot run would pass another. Stores forwarded into block
// parameters (store-forwarding.ts) make this the case an interpreter with registers in memory needs: a register's
// type tag at a loop header is phi(int tag, float tag) only because the integer path of an arithmetic operator is
// still in the graph, and that path is dead once the tag it tests is known to be the float one.
//   before:  block1(v1): v2 = i32.eq v1, 3 ; cond v2, block2(), block3()    (entry passes 19; block2 passes 3
//            back to block1, block3 passes 19 back)
//   after:   block1(): br block3()                                          (block2 is never taken: v1 is 19)
// Values: unknown yet (top), one constant, or varying (bottom), only ever lowered; a block runs once an executable
// edge reaches it. Operators fold through ../ssa/fold.ts (which leaves anything that would trap unfolded); memory,
// globals and calls vary. The blocks are swept in reverse postorder until nothing changes (each sweep lowers
// something, and the lattice is three deep, so the sweeps are bounded); with no fixpoint after MAX_SWEEPS the
// function is left as it is. Then constants replace the values and parameters that are constant, branches on
// constants become jumps (the blocks no executable edge reaches become unreachable) and constant parameters go.
// Requires: valid SSA. Guarantees: valid SSA, the same behaviour, no use of an alias, unreachable blocks emptied.
import { effectsOf } from "../ssa/effects.ts";
import { fold } from "../ssa/fold.ts";
import { targetsOf, type BlockId, type FunctionBody, type Target, type ValueId } from "../ssa/ir.ts";
import type { Const } from "../ssa/types.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";
import { dropParams, IncomingEdges } from "./edges.ts";

/** A guard: a function whose sweeps do not settle by then is left alone (never seen; the lattice bounds them). */
const MAX_SWEEPS = 200;

const TOP = 0;
const CONST = 1;
const BOTTOM = 2;

/** Returns the number of values and parameters made constant plus branches made jumps. */
export function propagateConstants(f: FunctionBody): number {
  const order = f.reversePostorder();
  const n = f.values.length;
  const state = new Uint8Array(n); // TOP
  const consts: (Const | undefined)[] = new Array(n);
  const runs = new Uint8Array(f.blocks.length);
  const taken = new Set<Target>();
  const into = new IncomingEdges(f, order);
  runs[f.entry] = 1;
  for (const p of f.blocks[f.entry].params) state[p] = BOTTOM;

  let changed = true;
  const lower = (v: ValueId, s: number, c?: Const) => {
    if (s === TOP || state[v] === BOTTOM) return;
    if (state[v] === CONST) {
      if (s === CONST && sameConst(consts[v]!, c!)) return;
      state[v] = BOTTOM;
    } else {
      state[v] = s;
      consts[v] = c;
    }
    changed = true;
  };
  const take = (t: Target) => {
    if (taken.has(t)) return;
    taken.add(t);
    runs[t.block] = 1;
    changed = true;
  };
  const valueOf = (v: ValueId): [number, Const | undefined] => {
    const r = f.resolve(v);
    const d = f.values[r];
    if (d.kind === "op" && d.op.name === "const") return [CONST, d.op.value];
    return [state[r], consts[r]];
  };

  let sweeps = 0;
  while (changed) {
    if (++sweeps > MAX_SWEEPS) return 0;
    changed = false;
    for (const b of order) {
      if (!runs[b]) continue;
      const block = f.blocks[b];
      if (b !== f.entry) {
        const edges = into.of(b).filter((t) => taken.has(t));
        block.params.forEach((p, i) => {
          for (const t of edges) lower(p, ...valueOf(t.args[i]));
        });
      }
      for (const v of block.insts) evaluate(f, v, valueOf, lower);
      const t = block.term;
      if (t.kind === "br") take(t.target);
      else if (t.kind === "cond") {
        const [s, c] = valueOf(t.cond);
        if (s === BOTTOM) {
          take(t.then);
          take(t.else);
        } else if (s === CONST) take((c!.bits as number) !== 0 ? t.then : t.else);
      } else if (t.kind === "table") {
        const [s, c] = valueOf(t.index);
        if (s === BOTTOM) for (const x of targetsOf(t)) take(x);
        else if (s === CONST) {
          const i = (c!.bits as number) >>> 0;
          take(i < t.targets.length ? t.targets[i] : t.default);
        }
      }
    }
  }
  return rewrite(f, order, runs, state, consts, into);
}

/** One instruction's value from its operands' (constants fold; memory, globals and calls vary). */
function evaluate(
  f: FunctionBody,
  v: ValueId,
  valueOf: (v: ValueId) => [number, Const | undefined],
  lower: (v: ValueId, s: number, c?: Const) => void,
): void {
  const d = f.values[v];
  if (d.kind !== "op" || d.types.length !== 1) {
    if (d.kind !== "alias") lower(v, BOTTOM);
    return;
  }
  if (d.op.name === "const") return;
  if (d.op.name === "select") {
    const [sc, cc] = valueOf(d.args[2]);
    if (sc === CONST) return lower(v, ...valueOf(d.args[(cc!.bits as number) !== 0 ? 0 : 1]));
    const [sa, ca] = valueOf(d.args[0]);
    const [sb, cb] = valueOf(d.args[1]);
    if (sc === TOP || sa === TOP || sb === TOP) return;
    if (sa === CONST && sb === CONST && sameConst(ca!, cb!)) return lower(v, CONST, ca);
    return lower(v, BOTTOM);
  }
  const e = effectsOf(d.op);
  if (e.readsMemory || e.writesMemory || e.readsGlobal || e.writesGlobal || e.calls || d.args.length === 0)
    return lower(v, BOTTOM);
  const args: Const[] = [];
  for (const a of d.args) {
    const [s, c] = valueOf(a);
    if (s === TOP) return;
    if (s === BOTTOM) return lower(v, BOTTOM);
    args.push(c!);
  }
  const c = fold(d.op.name, args);
  if (c && c.type === d.types[0]) lower(v, CONST, c);
  else lower(v, BOTTOM);
}

function sameConst(a: Const, b: Const): boolean {
  return a.type === b.type && a.bits === b.bits;
}

/** Constants for the constant values and parameters, jumps for the decided branches. */
function rewrite(
  f: FunctionBody,
  order: BlockId[],
  runs: Uint8Array,
  state: Uint8Array,
  consts: (Const | undefined)[],
  into: IncomingEdges,
): number {
  let count = 0;
  const isConst = (v: ValueId): Const | undefined => {
    const r = f.resolve(v);
    const d = f.values[r];
    if (d.kind === "op" && d.op.name === "const") return d.op.value;
    return state[r] === CONST ? consts[r] : undefined;
  };
  for (const b of order) {
    if (!runs[b]) continue;
    const block = f.blocks[b];
    // A branch on a value no executable edge decided (never seen at a fixpoint) keeps the whole function as it is.
    const t = block.term;
    if (
      (t.kind === "cond" && state[f.resolve(t.cond)] === TOP && !isConst(t.cond)) ||
      (t.kind === "table" && state[f.resolve(t.index)] === TOP && !isConst(t.index))
    )
      return 0;
  }
  for (const b of order) {
    if (!runs[b]) continue;
    const block = f.blocks[b];
    const made: ValueId[] = [];
    const keep = block.params.map((p) => {
      const c = b === f.entry ? undefined : isConst(p);
      if (!c) return true;
      const k = f.addOp({ name: "const", value: c }, [], [c.type]);
      made.push(k);
      f.values[p] = { kind: "alias", to: k, type: c.type };
      count++;
      return false;
    });
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind !== "op" || d.op.name === "const" || d.types.length !== 1 || state[v] !== CONST) continue;
      const e = effectsOf(d.op);
      if (e.readsMemory || e.writesMemory || e.readsGlobal || e.writesGlobal || e.calls) continue;
      f.values[v] = { kind: "op", op: { name: "const", value: consts[v]! }, args: [], types: [d.types[0]] };
      count++;
    }
    if (made.length) block.insts = [...made, ...block.insts];
    if (keep.includes(false)) dropParams(f, b, keep, into);
    const t = block.term;
    if (t.kind === "cond") {
      const c = isConst(t.cond);
      if (c) {
        block.term = { kind: "br", target: (c.bits as number) !== 0 ? t.then : t.else };
        count++;
      }
    } else if (t.kind === "table") {
      const c = isConst(t.index);
      if (c) {
        const i = (c.bits as number) >>> 0;
        block.term = { kind: "br", target: i < t.targets.length ? t.targets[i] : t.default };
        count++;
      }
    }
  }
  removeDeadBlocks(f);
  propagateCopies(f);
  return count;
}
