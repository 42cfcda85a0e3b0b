// Pass: float parameters. An interpreter that keeps every value as 64 raw bits (Fern's registers, a tagged value's
// payload) hands the specializer floats as i64: each float operation reads `f64.reinterpret_i64 p` and writes
// `i64.reinterpret_f64 x`, and a float carried round a loop is an i64 block parameter. V8 keeps such a parameter in
// an integer register and moves it to and from a float register at every use (two `vmovq` on the loop's critical
// path). This pass gives those parameters the type they are used as:
//   - a web of i64 parameters (non-entry blocks; joined where one is passed to another) whose every incoming value
//     is `i64.reinterpret_f64 x` or an i64 constant, and that is fed or used as a float somewhere (an incoming
//     `i64.reinterpret_f64`, a use `f64.reinterpret_i64`), becomes f64: edges pass x (or the constant's bits as an
//     f64 constant), the reinterprets of a parameter become the parameter, and a use that needs the bits (an i64
//     store, a return, an edge out of the web) gets its own `i64.reinterpret_f64` just before it — off the hot path
//     when that use is (a specialized body's exit to its interpreter writes every register to memory);
//   - `f64.reinterpret_i64 (i64.reinterpret_f64 x)` is x wherever it occurs.
// A web with any other incoming value (an integer path joining it), or with only constants in and bits out, stays.
// Linear: one union-find over the parameters, one walk over uses. Reinterprets left unused go in dead-values.
// Requires: valid SSA without alias uses. Guarantees: valid SSA, the same results bit for bit (a reinterpret pair is
// the identity on every bit pattern, NaNs included).
import { targetAt, targetCount, type BlockId, type FunctionBody, type ValueId } from "../ssa/ir.ts";
import { propagateCopies } from "./copy-propagation.ts";
import { InternalError } from "../../util/errors.ts";

const TO_BITS = "i64.reinterpret_f64";
const TO_FLOAT = "f64.reinterpret_i64";

/** Returns the number of parameters made f64 plus the reinterpret pairs removed. `order`: the reachable blocks in
 *  reverse postorder, when the caller has them. */
export function floatParams(f: FunctionBody, order: BlockId[] = f.reversePostorder()): number {
  const { changed, reinterprets, uses } = removeReinterpretPairs(f, order);
  // A web flips only when a reinterpret uses or feeds it: with none in the function, nothing flips.
  if (reinterprets === 0) return changed;
  const webs = floatWebs(f, order, uses);
  // Flip: parameters become f64, edges pass floats, reinterprets of a flipped parameter become the parameter. The
  // flipped parameters are flagged in an array the rewrite below reads per use (not the webs' find per use).
  const flipped = new Uint8Array(f.values.length);
  let count = 0;
  for (const p of webs.params) {
    if (!webs.flips(p)) continue;
    const d = f.values[p];
    if (d.kind === "param") d.type = "f64";
    flipped[p] = 1;
    count++;
  }
  if (count === 0) {
    if (changed) propagateCopies(f, order);
    return changed;
  }
  for (const b of order) {
    passFloats(f, b, flipped);
    reinterpretUses(f, b, flipped);
  }
  propagateCopies(f, order);
  return changed + count;
}

/** `v`'s operand when it is the unary operator `name`. */
function opArg(f: FunctionBody, v: ValueId, name: string): ValueId | undefined {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === name ? d.args[0] : undefined;
}

/** What the instructions and terminators tell the webs (floatWebs), found in removeReinterpretPairs' walk: the
 *  candidate parameters a `f64.reinterpret_i64` reads, and those a branch condition or table index reads. */
interface WebUses {
  floatUsed: ValueId[];
  branchUsed: ValueId[];
}

/** f64.reinterpret_i64 (i64.reinterpret_f64 x) becomes x, wherever it is; returns how many, how many reinterprets
 *  either way the function holds, and (in the same walk) the uses floatWebs asks about. */
function removeReinterpretPairs(
  f: FunctionBody,
  order: BlockId[],
): { changed: number; reinterprets: number; uses: WebUses } {
  let changed = 0;
  let reinterprets = 0;
  const uses: WebUses = { floatUsed: [], branchUsed: [] };
  for (const b of order) {
    const block = f.blocks[b];
    for (const v of block.insts) {
      const d = f.values[v];
      if (d.kind !== "op" || (d.op.name !== TO_FLOAT && d.op.name !== TO_BITS)) continue;
      reinterprets++;
      const inner = opArg(f, v, TO_FLOAT);
      const x = inner === undefined ? undefined : opArg(f, f.resolve(inner), TO_BITS);
      if (x !== undefined) {
        f.values[v] = { kind: "alias", to: x, type: "f64" };
        changed++;
      } else if (inner !== undefined && isCandidateParam(f, f.resolve(inner))) uses.floatUsed.push(f.resolve(inner));
    }
    const t = block.term;
    const used = t.kind === "cond" ? t.cond : t.kind === "table" ? t.index : -1;
    if (used >= 0 && isCandidateParam(f, f.resolve(used))) uses.branchUsed.push(f.resolve(used));
  }
  return { changed, reinterprets, uses };
}

/** A parameter that may become f64: an i64 one of a block other than the entry. */
function isCandidateParam(f: FunctionBody, v: ValueId): boolean {
  const d = f.values[v];
  return d.kind === "param" && d.type === "i64" && d.block !== f.entry;
}

/** The webs of i64 parameters (union-find over the values' ids, in typed arrays: -1 is "not a web member"): every
 *  candidate parameter, and whether its web flips — it takes only float bits and i64 constants in, no branch uses
 *  it, and it is used or fed as a float. */
function floatWebs(
  f: FunctionBody,
  order: BlockId[],
  uses: WebUses,
): { params: Iterable<ValueId>; flips: (p: ValueId) => boolean } {
  const isCandidate = (v: ValueId) => isCandidateParam(f, v);
  const parent = new Int32Array(f.values.length).fill(-1);
  const members: ValueId[] = [];
  const join = (v: ValueId) => {
    if (parent[v] < 0) {
      parent[v] = v;
      members.push(v);
    }
  };
  const find = (v: ValueId): ValueId => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    for (let x = v; x !== r;) {
      const next = parent[x];
      parent[x] = r;
      x = next;
    }
    return r;
  };
  // Parameters of webs that stay i64, before unions are final (re-rooted below): a branch condition or table index
  // cannot be fixed up.
  const badParams: ValueId[] = [...uses.branchUsed];
  const floatUsed: ValueId[] = [...uses.floatUsed];
  for (const b of order) {
    const term = f.blocks[b].term;
    for (let k = 0, n = targetCount(term); k < n; k++) {
      const t = targetAt(term, k);
      const params = f.blocks[t.block].params;
      for (let i = 0; i < t.args.length; i++) {
        const p = params[i];
        const a = f.resolve(t.args[i]);
        if (!isCandidate(p)) continue; // passed on as something else (the entry block's parameter): fixed up below
        join(p);
        if (isCandidate(a)) {
          join(a);
          parent[find(a)] = find(p);
        } else if (opArg(f, a, TO_BITS) === undefined && !isI64Const(f, a)) badParams.push(p);
        // ...or fed a float somewhere (an edge passing `i64.reinterpret_f64 x`): then its bits are needed only by
        // uses that are not float, which get their reinterpret where they are (an interpreter's exit, usually).
        else if (opArg(f, a, TO_BITS) !== undefined) floatUsed.push(p);
      }
    }
  }
  // A web is flipped only if it is used as a float somewhere (uses.floatUsed: a `f64.reinterpret_i64` of it).
  const bad = new Set<ValueId>();
  for (const p of badParams) if (parent[p] >= 0) bad.add(find(p));
  const usedAsFloat = new Set(floatUsed.filter((p) => parent[p] >= 0).map(find));
  return { params: members, flips: (p) => parent[p] >= 0 && !bad.has(find(p)) && usedAsFloat.has(find(p)) };
}

/** Block b's edges into flipped parameters pass floats: x for `i64.reinterpret_f64 x`, an i64 constant's bits as
 *  an f64 constant. */
function passFloats(f: FunctionBody, b: BlockId, flipped: Uint8Array): void {
  const term = f.blocks[b].term;
  for (let k = 0, n = targetCount(term); k < n; k++) {
    const t = targetAt(term, k);
    const params = f.blocks[t.block].params;
    for (let i = 0; i < t.args.length; i++) {
      if (!flipped[params[i]]) continue;
      const a = f.resolve(t.args[i]);
      if (flipped[a]) continue;
      const x = opArg(f, a, TO_BITS);
      if (x !== undefined) t.args[i] = x;
      else {
        const c = f.values[a];
        if (c.kind !== "op" || c.op.value?.type !== "i64")
          throw new InternalError(`float-params: v${a} is neither a reinterpret nor an i64 constant`);
        t.args[i] = f.appendOp(b, { name: "const", value: { type: "f64", bits: c.op.value.bits } }, [], ["f64"]);
      }
    }
  }
}

/** In block b, reinterprets of a flipped parameter become the parameter, and uses that need its bits get a
 *  reinterpret just before them (one per parameter per block). Lists change only where a use does: a new array per
 *  instruction, edge and block, every one of them kept, was most of this pass's time and garbage on Fern's
 *  10,000-statement function. */
function reinterpretUses(f: FunctionBody, b: BlockId, flipped: Uint8Array): void {
  const block = f.blocks[b];
  const insts = block.insts;
  let bitsOf: Map<ValueId, ValueId> | undefined;
  /** The new instruction list, from the first reinterpret made on (instructions before `at` copied). */
  let out: ValueId[] | undefined;
  let at = 0;
  const bits = (p: ValueId): ValueId => {
    let r = bitsOf?.get(p);
    if (r === undefined) {
      r = f.addOp({ name: TO_BITS }, [p], ["i64"]);
      (bitsOf ??= new Map()).set(p, r);
      (out ??= insts.slice(0, at)).push(r);
    }
    return r;
  };
  // A use of a flipped parameter needs its bits unless it reaches it through one of the float aliases made here.
  const needsBits = (a: ValueId) => {
    if (!flipped[f.resolve(a)]) return false;
    const d = f.values[a];
    return !(d.kind === "alias" && d.type === "f64");
  };
  /** `list` with each use that needs bits replaced by a reinterpret (a copy, when one does; `keep(i)`: the use at i
   *  stays as it is). */
  const withBits = (list: ValueId[], keep?: (i: number) => boolean): ValueId[] => {
    let copy: ValueId[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      if (needsBits(a) && !keep?.(i)) (copy ??= list.slice())[i] = bits(f.resolve(a));
    }
    return copy ?? list;
  };
  for (; at < insts.length; at++) {
    const v = insts[at];
    const d = f.values[v];
    const inner = opArg(f, v, TO_FLOAT);
    if (inner !== undefined && flipped[f.resolve(inner)])
      f.values[v] = { kind: "alias", to: f.resolve(inner), type: "f64" };
    else if (d.kind === "op") d.args = withBits(d.args);
    out?.push(v);
  }
  const t = block.term;
  if (t.kind === "return") t.values = withBits(t.values);
  if (t.kind === "return_call") t.args = withBits(t.args);
  for (let k = 0, n = targetCount(t); k < n; k++) {
    const e = targetAt(t, k);
    const params = f.blocks[e.block].params;
    e.args = withBits(e.args, (i) => flipped[params[i]] === 1);
  }
  if (out) block.insts = out;
}

function isI64Const(f: FunctionBody, v: ValueId): boolean {
  const d = f.values[v];
  return d.kind === "op" && d.op.name === "const" && d.op.value?.type === "i64";
}
