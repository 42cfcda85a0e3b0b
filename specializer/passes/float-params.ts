// Pass: float parameters. An interpreter that keeps every value as 64 raw bits (Fern's registers, a tagged value's
// payload) hands the specializer floats as i64: each float operation reads `f64.reinterpret_i64 p` and writes
// `i64.reinterpret_f64 x`, and a float carried round a loop is an i64 block parameter. V8 keeps such a parameter in
// an integer register and moves it to and from a float register at every use (two `vmovq` on the loop's critical
// path). This pass gives those parameters the type they are used as:
//   - a web of i64 parameters (non-entry blocks; joined where one is passed to another) whose every incoming value
//     is `i64.reinterpret_f64 x` or an i64 constant, and whose every other use is `f64.reinterpret_i64`, becomes f64:
//     edges pass x (or the constant's bits as an f64 constant), the reinterprets of a parameter become the parameter;
//   - `f64.reinterpret_i64 (i64.reinterpret_f64 x)` is x wherever it occurs.
// A web with any other use or incoming value (an i64 store, a compare, an integer path joining it) stays as it is.
// Linear: one union-find over the parameters, one walk over uses. Reinterprets left unused go in dead-values.
// Requires: valid SSA without alias uses. Guarantees: valid SSA, the same results bit for bit (a reinterpret pair is
// the identity on every bit pattern, NaNs included). Relies on ../ssa/ir.ts, edges.ts and copy-propagation.ts.
import { targetsOf, type FunctionBody, type ValueId } from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";

const TO_BITS = "i64.reinterpret_f64";
const TO_FLOAT = "f64.reinterpret_i64";

/** Returns the number of parameters made f64 plus the reinterpret pairs removed. */
export function floatParams(f: FunctionBody): number {
  const order = f.reversePostorder();
  const opArg = (v: ValueId, name: string): ValueId | undefined => {
    const d = f.values[v];
    return d.kind === "op" && d.op.name === name ? d.args[0] : undefined;
  };
  let changed = 0;

  // Reinterpret pairs: f64.reinterpret_i64 (i64.reinterpret_f64 x) is x.
  for (const b of order) {
    for (const v of f.blocks[b].insts) {
      const inner = opArg(v, TO_FLOAT);
      const x = inner === undefined ? undefined : opArg(f.resolve(inner), TO_BITS);
      if (x !== undefined) {
        f.values[v] = { kind: "alias", to: x, type: "f64" };
        changed++;
      }
    }
  }

  // Webs of i64 parameters, by union-find over the values' ids.
  const isCandidate = (v: ValueId) => {
    const d = f.values[v];
    return d.kind === "param" && d.type === "i64" && d.block !== f.entry;
  };
  const parent = new Map<ValueId, ValueId>();
  const find = (v: ValueId): ValueId => {
    let r = v;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    for (let x = v; x !== r; ) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const bad = new Set<ValueId>(); // roots of webs that stay i64, before unions are final: re-rooted below
  const badParams: ValueId[] = [];
  for (const b of order) {
    for (const t of targetsOf(f.blocks[b].term)) {
      const params = f.blocks[t.block].params;
      t.args.forEach((a0, i) => {
        const p = params[i];
        const a = f.resolve(a0);
        if (!isCandidate(p)) {
          if (isCandidate(a)) badParams.push(a); // passed on as something else (the entry block's parameter)
          return;
        }
        if (!parent.has(p)) parent.set(p, p);
        if (isCandidate(a)) {
          if (!parent.has(a)) parent.set(a, a);
          parent.set(find(a), find(p));
        } else if (opArg(a, TO_BITS) === undefined && !isI64Const(f, a)) badParams.push(p);
      });
    }
  }
  // Every use of a web parameter other than an edge into the web must be f64.reinterpret_i64.
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind !== "op") continue;
      const ok = d.op.name === TO_FLOAT;
      for (const a of d.args) if (!ok && isCandidate(f.resolve(a))) badParams.push(f.resolve(a));
    }
    const t = block.term;
    const used = t.kind === "cond" ? [t.cond] : t.kind === "table" ? [t.index] : t.kind === "return" ? t.values : [];
    for (const a of used) if (isCandidate(f.resolve(a))) badParams.push(f.resolve(a));
  }
  for (const p of badParams) if (parent.has(p)) bad.add(find(p));
  const flips = (p: ValueId) => parent.has(p) && !bad.has(find(p));

  // Flip: parameters become f64, edges pass floats, reinterprets of a flipped parameter become the parameter.
  let flipped = 0;
  for (const p of parent.keys()) {
    if (!flips(p)) continue;
    const d = f.values[p];
    if (d.kind === "param") d.type = "f64";
    flipped++;
  }
  if (flipped === 0) {
    if (changed) propagateCopies(f);
    return changed;
  }
  for (const b of order) {
    for (const t of targetsOf(f.blocks[b].term)) {
      const params = f.blocks[t.block].params;
      t.args.forEach((a0, i) => {
        if (!flips(params[i])) return;
        const a = f.resolve(a0);
        if (flips(a)) return;
        const x = opArg(a, TO_BITS);
        if (x !== undefined) t.args[i] = x;
        else {
          const c = f.values[a];
          if (c.kind !== "op" || c.op.value?.type !== "i64") throw new Error(`internal: float-params: v${a} is neither a reinterpret nor an i64 constant`);
          t.args[i] = f.appendOp(b, { name: "const", value: { type: "f64", bits: c.op.value.bits } }, [], ["f64"]);
        }
      });
    }
    for (const v of f.blocks[b].insts) {
      const inner = opArg(v, TO_FLOAT);
      if (inner !== undefined && flips(f.resolve(inner))) f.values[v] = { kind: "alias", to: f.resolve(inner), type: "f64" };
    }
  }
  propagateCopies(f);
  return changed + flipped;
}

function isI64Const(f: FunctionBody, v: ValueId): boolean {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i64";
}
