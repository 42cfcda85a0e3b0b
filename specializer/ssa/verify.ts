// The IR verifier, run after every transform in tests and under --verify: every reachable block has one
// terminator; branch arguments match the target's parameters in count and type; preds/succs agree with the
// terminators; a tail call's operator and arguments are a call's; each value is defined once, and its definition
// dominates every use (earlier in the same block, or in a dominating block); operator arguments have the types the
// operator takes. A failure throws an IrVerifyError whose message says what is wrong and includes the printed
// function.
import {
  targetsOf,
  terminatorUses,
  defUses,
  type BlockId,
  type FunctionBody,
  type Terminator,
  type ValueId,
} from "./ir.ts";
import { DominatorTree } from "./dominators.ts";
import { printFunction } from "./print.ts";
import { OPS_BY_NAME } from "./wasm-ops.ts";

export class IrVerifyError extends Error {}

/** Checks `f` in named steps (definitions, then each reachable block's instructions, terminator, edges, return and
 *  preds/succs); throws an IrVerifyError listing every problem found. */
export function verifyFunction(f: FunctionBody): void {
  const problems: string[] = [];
  const order = f.reversePostorder();
  const reachable = new Set(order);
  const { defBlock, defPos } = collectDefinitions(f, order, problems);
  const dom = new DominatorTree(f, order);
  const checkUse: CheckUse = (v, b, pos, what) => {
    const db = defBlock.get(v);
    if (db === undefined) problems.push(`${what} in block${b} uses v${v}, which is not defined in a reachable block`);
    else if (db === b ? defPos.get(v)! >= pos : !dom.dominates(db, b))
      problems.push(`${what} in block${b} uses v${v}, whose definition in block${db} does not dominate it`);
  };
  for (const b of order) {
    const block = f.blocks[b];
    block.insts.forEach((v, i) => checkInstruction(f, b, v, i, checkUse, problems));
    if (block.term.kind === "none") problems.push(`block${b} has no terminator`);
    for (const u of terminatorUses(block.term)) checkUse(u, b, block.insts.length, "the terminator");
    checkEdges(f, b, problems);
    if (block.term.kind === "return") {
      const got = block.term.values.map((x) => f.typesOf(x)[0]);
      if (got.join() !== f.results.join())
        problems.push(`block${b} returns (${got.join(", ")}), the function returns (${f.results.join(", ")})`);
    }
    if (block.term.kind === "return_call") checkTailCall(f, b, block.term, problems);
    checkPredsSuccs(f, b, reachable, problems);
  }
  if (problems.length)
    throw new IrVerifyError(`IR verification failed for ${f.name}:\n  ${problems.join("\n  ")}\n${printFunction(f)}`);
}

/** Checks that `v`, used at position `pos` of block `b` (its terminator: the block's length), is defined in a
 *  reachable block, where it dominates the use. */
type CheckUse = (v: ValueId, b: BlockId, pos: number, what: string) => void;

/** Where each value of a reachable block is defined (block, and position: -1 for a parameter); a value defined
 *  twice, a parameter not defined as that block's, or a listed value that is not an instruction is a problem. */
function collectDefinitions(f: FunctionBody, order: BlockId[], problems: string[]) {
  const defBlock = new Map<ValueId, BlockId>();
  const defPos = new Map<ValueId, number>();
  const define = (v: ValueId, b: BlockId, pos: number) => {
    if (defBlock.has(v)) problems.push(`v${v} is defined twice (block${defBlock.get(v)} and block${b})`);
    defBlock.set(v, b);
    defPos.set(v, pos);
  };
  for (const b of order) {
    const block = f.blocks[b];
    block.params.forEach((p, i) => {
      const d = f.values[p];
      if (d?.kind !== "param" || d.block !== b || d.index !== i)
        problems.push(`block${b} parameter ${i} (v${p}) is not defined as that block's parameter`);
      define(p, b, -1);
    });
    block.insts.forEach((v, i) => {
      const d = f.values[v];
      if (!d || d.kind === "param" || d.kind === "none")
        problems.push(`block${b} lists v${v}, which is not an instruction`);
      define(v, b, i);
    });
  }
  return { defBlock, defPos };
}

/** Instruction `v` at position `i` of block `b`: its uses, an operator's argument count and types, a pick's
 *  result. */
function checkInstruction(f: FunctionBody, b: BlockId, v: ValueId, i: number, checkUse: CheckUse, problems: string[]) {
  const d = f.values[v];
  for (const u of defUses(d)) checkUse(u, b, i, `v${v}`);
  if (d.kind === "op") {
    const info = OPS_BY_NAME.get(d.op.name);
    if (info) {
      if (d.args.length !== info.params.length)
        problems.push(`v${v} (${d.op.name}) has ${d.args.length} arguments, takes ${info.params.length}`);
      else
        d.args.forEach((a, k) => {
          const t = f.typesOf(a);
          if (t.length !== 1 || t[0] !== info.params[k])
            problems.push(`v${v} (${d.op.name}) argument ${k} is v${a}:${t.join(",")}, expected ${info.params[k]}`);
        });
    }
  }
  if (d.kind === "pick") {
    const of = f.values[d.value];
    if (of?.kind !== "op" || of.types[d.index] !== d.type)
      problems.push(`v${v} picks result ${d.index} of v${d.value}, which has no such ${d.type} result`);
  }
}

/** Block `b`'s tail call: a call or call_indirect (its table index an i32, last) of single values. (The callee's
 *  signature is the module's: binaryen validates it.) */
function checkTailCall(
  f: FunctionBody,
  b: BlockId,
  t: Extract<Terminator, { kind: "return_call" }>,
  problems: string[],
) {
  if (t.op.name !== "call" && t.op.name !== "call_indirect")
    problems.push(`block${b} tail-calls with ${t.op.name}, not call or call_indirect`);
  t.args.forEach((a, k) => {
    if (f.typesOf(a).length !== 1) problems.push(`block${b}'s tail call argument ${k} (v${a}) is not one value`);
  });
  const index = t.args[t.args.length - 1];
  if (t.op.name === "call_indirect" && (index === undefined || f.typesOf(index).join() !== "i32"))
    problems.push(`block${b}'s return_call_indirect has no i32 table index last`);
}

/** Block `b`'s branches: each target exists and takes the arguments passed, in count and type. */
function checkEdges(f: FunctionBody, b: BlockId, problems: string[]) {
  for (const t of targetsOf(f.blocks[b].term)) {
    const target = f.blocks[t.block];
    if (!target) {
      problems.push(`block${b} branches to block${t.block}, which does not exist`);
      continue;
    }
    if (t.args.length !== target.params.length)
      problems.push(
        `block${b} passes ${t.args.length} arguments to block${t.block}, which has ${target.params.length} parameters`,
      );
    else
      t.args.forEach((a, k) => {
        const at = f.typesOf(a);
        const pt = f.typesOf(target.params[k]);
        if (at.length !== 1 || at[0] !== pt[0])
          problems.push(
            `block${b} passes v${a}:${at.join(",")} to block${t.block}'s parameter v${target.params[k]}:${pt[0]}`,
          );
      });
  }
}

/** Block `b`'s preds and succs as stored agree with the terminators (preds from unreachable blocks aside). */
function checkPredsSuccs(f: FunctionBody, b: BlockId, reachable: Set<BlockId>, problems: string[]) {
  const block = f.blocks[b];
  const succs = [...new Set(targetsOf(block.term).map((t) => t.block))].sort();
  if ([...block.succs].sort().join() !== succs.join())
    problems.push(`block${b} succs [${block.succs}] disagree with its terminator [${succs}]`);
  for (const s of succs)
    if (!f.blocks[s]?.preds.includes(b)) problems.push(`block${s} preds do not list block${b}, which branches to it`);
  for (const p of block.preds)
    if (reachable.has(p) && !targetsOf(f.blocks[p].term).some((t) => t.block === b))
      problems.push(`block${b} lists block${p} as a pred, but block${p} does not branch to it`);
}
