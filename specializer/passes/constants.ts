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
// edge reaches it. Operators fold through ../ssa/fold.ts (which leaves anything that would trap unfolded), and so
// does an integer operator with one constant operand that decides it whatever the other (`and x 0`, `or x -1`,
// `lt_u x 0`, `sub x x`: fold.ts's absorb), the always-false flag tests an interpreter's specialized code is full of;
// one whose constant operand is neutral (`and x -1`, `add x 0`, `shl x 0`) becomes a copy of the other. Memory,
// globals and calls vary. The blocks are swept in reverse postorder until nothing changes (each sweep lowers
// something, and the lattice is three deep, so the sweeps are bounded); with no fixpoint after MAX_SWEEPS the
// function is left as it is. Then constants replace the values and parameters that are constant, branches on
// constants become jumps (the blocks no executable edge reaches become unreachable) and constant parameters go.
// Requires: valid SSA. Guarantees: valid SSA, the same behaviour, no use of an alias, unreachable blocks emptied.
import { effectsOf } from "../ssa/effects.ts";
import { absorb, fold, isNeutral, onSameOperands } from "../ssa/fold.ts";
import { targetsOf, type BlockId, type FunctionBody, type Target, type Terminator, type ValueId } from "../ssa/ir.ts";
import type { Const } from "../ssa/types.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { removeDeadBlocks } from "./dead-blocks.ts";
import { dropParams, IncomingEdges } from "./edges.ts";

/** A guard: a function whose sweeps do not settle by then is left alone (never seen; the lattice bounds them). */
const MAX_SWEEPS = 200;

const TOP = 0;
const CONST = 1;
const BOTTOM = 2;

/** The lattice: each value's state and constant, and whether a sweep lowered anything. `stateOf` reads an operand
 *  (a constant operator is its constant) and leaves its constant in `got` (no tuple per operand read). */
class Lattice {
  readonly state: Uint8Array;
  readonly consts: (Const | undefined)[];
  changed = true;
  got: Const | undefined;
  /** A clock that ticks before each block's evaluation, and the tick at which each value was last lowered. */
  tick = 1;
  readonly lowered: Int32Array;

  constructor(private readonly f: FunctionBody) {
    this.state = new Uint8Array(f.values.length); // TOP
    this.consts = new Array(f.values.length);
    this.lowered = new Int32Array(f.values.length);
  }

  /** Whether v (an operand: resolved here) was lowered after tick t. */
  loweredAfter(v: ValueId, t: number): boolean {
    return this.lowered[this.f.resolve(v)] > t;
  }

  stateOf(v: ValueId): number {
    const r = this.f.resolve(v);
    const d = this.f.values[r];
    if (d.kind === "op" && d.op.name === "const") {
      this.got = d.op.value;
      return CONST;
    }
    this.got = this.consts[r];
    return this.state[r];
  }

  lower(v: ValueId, s: number, c?: Const): void {
    const { state } = this;
    if (s === TOP || state[v] === BOTTOM) return;
    if (state[v] === CONST) {
      if (s === CONST && sameConst(this.consts[v]!, c!)) return;
      state[v] = BOTTOM;
    } else {
      state[v] = s;
      this.consts[v] = c;
    }
    this.lowered[v] = this.tick;
    this.changed = true;
  }
}

/** Returns the number of values and parameters made constant plus branches made jumps. `order`: the reachable blocks
 *  in reverse postorder, when the caller has them. */
export function propagateConstants(f: FunctionBody, order: BlockId[] = f.reversePostorder()): number {
  const lat = new Lattice(f);
  const runs = new Uint8Array(f.blocks.length);
  const taken = new Set<Target>();
  const into = new IncomingEdges(f, order);
  runs[f.entry] = 1;
  for (const p of f.blocks[f.entry].params) lat.state[p] = BOTTOM;
  // When each block's parameters and instructions were last evaluated (0: never), and when an edge into it was
  // last taken: a block none of whose inputs changed since is not evaluated again — it would lower nothing (each
  // value's state is a function of its operands' and of the taken edges'), so the sweeps and the result are the
  // round-robin's. Its terminator is swept every time (cheap; nonZero reads past its operands).
  const evaluated = new Int32Array(f.blocks.length);
  const enteredAt = new Int32Array(f.blocks.length);
  const take = (t: Target) => {
    if (taken.has(t)) return;
    taken.add(t);
    runs[t.block] = 1;
    enteredAt[t.block] = lat.tick;
    lat.changed = true;
  };
  let sweeps = 0;
  while (lat.changed) {
    if (++sweeps > MAX_SWEEPS) return 0;
    lat.changed = false;
    for (const b of order) {
      if (!runs[b]) continue;
      const block = f.blocks[b];
      if (!evaluated[b] || enteredAt[b] >= evaluated[b] || inputsLowered(f, b, into, lat, evaluated[b])) {
        evaluated[b] = ++lat.tick;
        if (b !== f.entry) {
          const { edges, first } = into;
          for (let i = 0; i < block.params.length; i++) {
            for (let k = first[b]; k < first[b + 1]; k++) {
              if (!taken.has(edges[k])) continue;
              const s = lat.stateOf(edges[k].args[i]);
              lat.lower(block.params[i], s, lat.got);
            }
          }
        }
        for (const v of block.insts) evaluate(f, v, lat);
      }
      sweepTerminator(f, block.term, lat, take);
    }
  }
  return rewrite(f, order, runs, lat.state, lat.consts, into);
}

/** Whether a value block b's parameters or instructions read was lowered since b was evaluated at tick t: an
 *  operand of its instructions after t (b's own evaluation lowers only b's values, each before it is read), an
 *  argument of an edge into it at t too (a loop of one block passes back values its evaluation lowered after
 *  its parameters read them). */
function inputsLowered(f: FunctionBody, b: BlockId, into: IncomingEdges, lat: Lattice, t: number): boolean {
  const block = f.blocks[b];
  if (block.params.length && b !== f.entry) {
    const { edges, first } = into;
    for (let k = first[b]; k < first[b + 1]; k++)
      for (const a of edges[k].args) if (lat.loweredAfter(a, t - 1)) return true;
  }
  for (const v of block.insts) {
    const d = f.values[v];
    if (d.kind === "op") {
      for (const a of d.args) if (lat.loweredAfter(a, t)) return true;
    } else if (d.kind === "pick" && lat.loweredAfter(d.value, t)) return true;
  }
  return false;
}

/** The edges a block's terminator can take with what is known. */
function sweepTerminator(f: FunctionBody, t: Terminator, lat: Lattice, take: (t: Target) => void): void {
  if (t.kind === "br") take(t.target);
  else if (t.kind === "cond") {
    const s = lat.stateOf(t.cond);
    if (s === BOTTOM) {
      take(t.then);
      if (!nonZero(f, t.cond, (v) => (lat.stateOf(v) === CONST ? lat.got : undefined))) take(t.else);
    } else if (s === CONST) take((lat.got!.bits as number) !== 0 ? t.then : t.else);
  } else if (t.kind === "table") {
    const s = lat.stateOf(t.index);
    if (s === BOTTOM) for (const x of targetsOf(t)) take(x);
    else if (s === CONST) {
      const i = (lat.got!.bits as number) >>> 0;
      take(i < t.targets.length ? t.targets[i] : t.default);
    }
  }
}

/** Branches on a value nonZero says is never 0 become jumps (no other folding: before a pass that needs the graph
 *  as it will be, not the whole propagation); returns how many. The caller removes the blocks left unreachable. */
export function foldNonZeroBranches(f: FunctionBody, order: BlockId[]): number {
  const constOf = (v: ValueId): Const | undefined => {
    const d = f.values[f.resolve(v)];
    return d.kind === "op" && d.op.name === "const" ? d.op.value : undefined;
  };
  let n = 0;
  for (const b of order) {
    const t = f.blocks[b].term;
    if (t.kind === "cond" && nonZero(f, t.cond, constOf)) {
      f.blocks[b].term = { kind: "br", target: t.then };
      n++;
    }
  }
  return n;
}

/** Whether v is never 0 though not a constant: an `or` with an operand that is a nonzero constant or such a value
 *  (an interpreter's `op == EQ || tag == NIL` where the first folded to 1: its branch is decided). */
function nonZero(f: FunctionBody, v: ValueId, constOf: (v: ValueId) => Const | undefined, depth = 0): boolean {
  const d = f.values[f.resolve(v)];
  if (depth > 8 || d.kind !== "op" || (d.op.name !== "i32.or" && d.op.name !== "i64.or")) return false;
  return d.args.some((a) => {
    const c = constOf(a);
    return c ? c.bits !== 0 && c.bits !== 0n : nonZero(f, a, constOf, depth + 1);
  });
}

/** One instruction's value from its operands' (constants fold; memory, globals and calls vary). */
function evaluate(f: FunctionBody, v: ValueId, lat: Lattice): void {
  const d = f.values[v];
  if (d.kind !== "op" || d.types.length !== 1) {
    if (d.kind !== "alias") lat.lower(v, BOTTOM);
    return;
  }
  if (d.op.name === "const") return;
  if (d.op.name === "select") {
    const sc = lat.stateOf(d.args[2]);
    if (sc === CONST) {
      const s = lat.stateOf(d.args[(lat.got!.bits as number) !== 0 ? 0 : 1]);
      return lat.lower(v, s, lat.got);
    }
    const sa = lat.stateOf(d.args[0]);
    const ca = lat.got;
    const sb = lat.stateOf(d.args[1]);
    const cb = lat.got;
    if (sc === TOP || sa === TOP || sb === TOP) return;
    if (sa === CONST && sb === CONST && sameConst(ca!, cb!)) return lat.lower(v, CONST, ca);
    return lat.lower(v, BOTTOM);
  }
  const e = effectsOf(d.op);
  if (e.readsMemory || e.writesMemory || e.readsGlobal || e.writesGlobal || e.calls || d.args.length === 0)
    return lat.lower(v, BOTTOM);
  if (d.args.length === 2) {
    const c = absorbed(f, d.op.name, d.args, lat);
    if (c && c.type === d.types[0]) return lat.lower(v, CONST, c);
  }
  const args: Const[] = [];
  for (const a of d.args) {
    const s = lat.stateOf(a);
    if (s === TOP) return;
    if (s === BOTTOM) return lat.lower(v, BOTTOM);
    args.push(lat.got!);
  }
  const c = fold(d.op.name, args);
  if (c && c.type === d.types[0]) lat.lower(v, CONST, c);
  else lat.lower(v, BOTTOM);
}

/** The constant a binary operator gives whatever its other operand is (`and x 0`, `or x -1`, `sub x x`: fold.ts's
 *  absorb and onSameOperands), or undefined. The other operand may still be unknown: the result cannot change. */
function absorbed(f: FunctionBody, name: string, args: ValueId[], lat: Lattice): Const | undefined {
  if (f.resolve(args[0]) === f.resolve(args[1])) {
    const c = onSameOperands(name);
    if (c) return c;
  }
  for (let i = 0; i < 2; i++) {
    if (lat.stateOf(args[i]) !== CONST) continue;
    const c = absorb(name, i, lat.got!);
    if (c) return c;
  }
  return undefined;
}

/** The operand a binary operator returns unchanged because the other is a neutral constant (`and x -1`, `add x 0`,
 *  `shl x 0`: fold.ts's isNeutral), or a mask that keeps every bit a zero-extending x can have (`and x 0xffffffff`
 *  of an i64.load32_u: the mask store forwarding puts on a value that reached a narrow load through a parameter),
 *  or undefined. */
function neutralOther(
  f: FunctionBody,
  name: string,
  args: ValueId[],
  isConst: (v: ValueId) => Const | undefined,
): ValueId | undefined {
  for (let i = 0; i < 2; i++) {
    const c = isConst(args[i]);
    if (c && isNeutral(name, i, c)) return args[1 - i];
    if (c && (name === "i32.and" || name === "i64.and") && keepsAll(c, zeroExtendedBits(f, args[1 - i])))
      return args[1 - i];
  }
  return undefined;
}

/** How many low bits of v may be set, where its operator zero-extends (a narrow unsigned load, extend_i32_u). */
function zeroExtendedBits(f: FunctionBody, v: ValueId): number | undefined {
  const d = f.values[f.resolve(v)];
  if (d.kind !== "op") return undefined;
  const m = /^i(32|64)\.(?:load(8|16|32)_u|extend_i(32)_u)$/.exec(d.op.name);
  return m ? Number(m[2] ?? m[3]) : undefined;
}

/** Whether mask c has its low `bits` bits set. */
function keepsAll(c: Const, bits: number | undefined): boolean {
  if (bits === undefined) return false;
  const low = (1n << BigInt(bits)) - 1n;
  const k = c.type === "i32" ? BigInt((c.bits as number) >>> 0) : BigInt.asUintN(64, c.bits as bigint);
  return (k & low) === low;
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
      if (d.kind !== "op" || d.op.name === "const" || d.types.length !== 1) continue;
      const e = effectsOf(d.op);
      if (e.readsMemory || e.writesMemory || e.readsGlobal || e.writesGlobal || e.calls) continue;
      if (state[v] === CONST) {
        f.values[v] = { kind: "op", op: { name: "const", value: consts[v]! }, args: [], types: [d.types[0]] };
        count++;
      } else if (d.args.length === 2) {
        // A copy of the other operand (which dominates this value, being its operand): an alias, gone below.
        const other = neutralOther(f, d.op.name, d.args, isConst);
        if (other === undefined) continue;
        f.values[v] = { kind: "alias", to: f.resolve(other), type: d.types[0] };
        count++;
      }
    }
    if (made.length) block.insts = [...made, ...block.insts];
    if (keep.includes(false)) dropParams(f, b, keep, into);
    const t = block.term;
    if (t.kind === "cond") {
      const c = isConst(t.cond);
      if (c || nonZero(f, t.cond, isConst)) {
        block.term = { kind: "br", target: !c || (c.bits as number) !== 0 ? t.then : t.else };
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
  // One order for both: emptying the blocks no edge reaches changes no reachable block's terminator.
  const after = f.reversePostorder();
  removeDeadBlocks(f, after);
  propagateCopies(f, after);
  return count;
}
