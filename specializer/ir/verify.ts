// The IR verifier, run after every transform in tests and under --verify. It checks:
//   structure   — an entry block whose params match the function's params; every block has one terminator;
//                 every value is defined once, in one place; param and pick definitions match their position;
//   operators   — known names, argument count and types, result types (calls/globals too when module info is
//                 given), constants of the right type, picks of an existing result of an earlier multi-result op;
//   uses        — every use names a defined single-result value, and its definition dominates the use
//                 (Cooper, Harvey, Kennedy, "A Simple, Fast Dominance Algorithm", 2001, over reachable blocks);
//   branches    — targets exist; argument count and types match the target's params; br_if/br_table conditions
//                 are i32; return values match the function's results;
//   edges       — each block's preds/succs equal what the terminators say.
// On failure it throws IrVerifyError listing every problem, followed by the printed IR.
// Relies on ir.ts, module.ts, opcodes.ts, print.ts.
import { FunctionBody, reversePostorder, targetsOf, type BlockId, type Operator, type ValueId } from "./ir.ts";
import { funcTypeOf, type WasmModuleInfo } from "./module.ts";
import { opInfo } from "./opcodes.ts";
import { printFunction } from "./print.ts";
import type { ValType } from "./types.ts";

export class IrVerifyError extends Error {
  constructor(
    readonly func: string,
    readonly problems: string[],
    readonly ir: string,
  ) {
    super(`IR verification failed for function ${func}:\n${problems.map((p) => "  - " + p).join("\n")}\n${ir}`);
    this.name = "IrVerifyError";
  }
}

export function verifyFunction(body: FunctionBody, info?: WasmModuleInfo): void {
  const problems = collectProblems(body, info);
  if (problems.length) {
    let ir: string;
    try {
      ir = printFunction(body);
    } catch (e) {
      ir = `(the IR cannot be printed: ${(e as Error).message})`;
    }
    throw new IrVerifyError(body.name, problems, ir);
  }
}

/** Where each value is defined: block and position (-1 for params). */
interface Site {
  block: BlockId;
  pos: number;
}

export function collectProblems(body: FunctionBody, info?: WasmModuleInfo): string[] {
  const problems: string[] = [];
  const bad = (msg: string) => problems.push(msg);
  const nblocks = body.blocks.length;
  if (body.entry < 0 || body.entry >= nblocks) return [`entry block${body.entry} does not exist`];
  const entry = body.blocks[body.entry];
  const entryTypes = entry.params.map((p) => typeOrUndefined(body, p));
  if (entryTypes.join(",") !== body.params.join(",")) bad(`entry block${body.entry} params (${entryTypes.join(", ")}) do not match the function's params (${body.params.join(", ")})`);

  // Definition sites.
  const sites = new Map<ValueId, Site>();
  const place = (v: ValueId, site: Site, what: string) => {
    const prev = sites.get(v);
    if (prev) bad(`v${v} is defined twice (block${prev.block} and block${site.block}, as ${what})`);
    else sites.set(v, site);
  };
  body.blocks.forEach((b, id) => {
    b.params.forEach((p, index) => {
      const def = body.values[p];
      if (def?.kind !== "blockparam" || def.block !== id || def.index !== index) bad(`v${p} is param ${index} of block${id} but its definition says ${describe(body, p)}`);
      place(p, { block: id, pos: -1 }, "a block param");
    });
    b.insts.forEach((v, pos) => {
      const def = body.values[v];
      if (def?.kind !== "op" && def?.kind !== "pick") bad(`block${id} lists v${v} as an instruction but it is ${describe(body, v)}`);
      place(v, { block: id, pos }, "an instruction");
    });
    if (b.term.kind === "none") bad(`block${id} has no terminator`);
  });

  // Dominators over reachable blocks.
  const rpo = reversePostorder(body);
  const idom = dominators(body, rpo);
  const dominates = (a: BlockId, b: BlockId): boolean => {
    for (let x: BlockId | undefined = b; x !== undefined; x = x === body.entry ? undefined : idom.get(x)) if (x === a) return true;
    return false;
  };
  const reachable = new Set(rpo);

  /** Check a use of `v` at (block, pos) (pos = insts.length for the terminator); returns its type if usable. */
  const use = (v: ValueId, block: BlockId, pos: number, where: string): ValType | undefined => {
    const r = resolveOrUndefined(body, v);
    const site = r === undefined ? undefined : sites.get(r);
    if (r === undefined || !site) {
      bad(`${where} uses v${v}, which is not defined in any block`);
      return undefined;
    }
    const def = body.values[r];
    if (def.kind === "op" && def.types.length !== 1) {
      bad(`${where} uses v${v}, an op with ${def.types.length} results (use its picks)`);
      return undefined;
    }
    if (reachable.has(block)) {
      const ok = site.block === block ? site.pos < pos : dominates(site.block, block);
      if (!ok) bad(`${where} uses v${v}, whose definition in block${site.block} does not dominate it`);
    }
    return typeOrUndefined(body, r);
  };

  body.blocks.forEach((b, id) => {
    b.insts.forEach((v, pos) => {
      const def = body.values[v];
      const where = `v${v} in block${id}`;
      if (def?.kind === "pick") {
        const src = body.values[def.value];
        const srcSite = sites.get(def.value);
        if (src?.kind !== "op" || src.types.length < 2) bad(`${where} picks from v${def.value}, which is not a multi-result op`);
        else {
          if (def.index >= src.types.length) bad(`${where} picks result ${def.index} of v${def.value}, which has ${src.types.length}`);
          else if (src.types[def.index] !== def.type) bad(`${where} has type ${def.type} but result ${def.index} of v${def.value} is ${src.types[def.index]}`);
          if (!srcSite || srcSite.block !== id || srcSite.pos >= pos) bad(`${where} picks from v${def.value}, which is not earlier in the same block`);
        }
      } else if (def?.kind === "op") {
        const argTypes = def.args.map((a, i) => use(a, id, pos, `${where} (${def.op.name} argument ${i})`));
        checkOperator(body, def.op, argTypes, def.types, where, bad, info);
      }
    });
    const t = b.term;
    const termPos = b.insts.length;
    const where = `the terminator of block${id}`;
    if (t.kind === "br_if" && use(t.cond, id, termPos, `${where} (condition)`) !== "i32" && resolveOrUndefined(body, t.cond) !== undefined) bad(`${where} has a non-i32 condition v${t.cond}`);
    if (t.kind === "br_table" && use(t.index, id, termPos, `${where} (index)`) !== "i32" && resolveOrUndefined(body, t.index) !== undefined) bad(`${where} has a non-i32 index v${t.index}`);
    if (t.kind === "return") {
      const types = t.values.map((v, i) => use(v, id, termPos, `${where} (return value ${i})`));
      if (types.join(",") !== body.results.join(",")) bad(`${where} returns (${types.join(", ")}) but the function returns (${body.results.join(", ")})`);
    }
    for (const target of targetsOf(t)) {
      const dst = body.blocks[target.block];
      if (!dst) {
        bad(`${where} branches to block${target.block}, which does not exist`);
        continue;
      }
      const argTypes = target.args.map((a, i) => use(a, id, termPos, `${where} (argument ${i} to block${target.block})`));
      if (target.args.length !== dst.params.length) bad(`${where} passes ${target.args.length} arguments to block${target.block}, which has ${dst.params.length} params`);
      else
        dst.params.forEach((p, i) => {
          const want = typeOrUndefined(body, p);
          if (argTypes[i] !== undefined && argTypes[i] !== want) bad(`${where} passes v${target.args[i]}: ${argTypes[i]} to param v${p}: ${want} of block${target.block}`);
        });
    }
  });

  // Edges.
  const preds = body.blocks.map(() => [] as BlockId[]);
  body.blocks.forEach((b, id) => {
    const succs: BlockId[] = [];
    for (const t of targetsOf(b.term)) {
      if (!body.blocks[t.block]) continue;
      if (!succs.includes(t.block)) succs.push(t.block);
      if (!preds[t.block].includes(id)) preds[t.block].push(id);
    }
    if (!sameSet(succs, b.succs)) bad(`block${id} succs [${b.succs.map((s) => "block" + s)}] do not match its terminator's targets [${succs.map((s) => "block" + s)}]`);
  });
  body.blocks.forEach((b, id) => {
    if (!sameSet(preds[id], b.preds)) bad(`block${id} preds [${b.preds.map((s) => "block" + s)}] do not match the branches into it [${preds[id].map((s) => "block" + s)}]`);
  });
  return problems;
}

function checkOperator(body: FunctionBody, op: Operator, argTypes: (ValType | undefined)[], types: ValType[], where: string, bad: (m: string) => void, info?: WasmModuleInfo): void {
  const row = opInfo(op.name);
  if (!row) return void bad(`${where} has the unknown operator '${op.name}'`);
  let params: ValType[] | undefined = row.params;
  let results: ValType[] | undefined = row.results;
  if (op.name === "select") {
    const t = argTypes[0];
    params = t ? [t, t, "i32"] : undefined;
    results = t ? [t] : undefined;
  } else if (info && op.name === "call") {
    const n = info.importedFuncs.length + info.funcs.length;
    if (op.index === undefined || op.index >= n) return void bad(`${where} calls function ${op.index}, which does not exist`);
    ({ params, results } = funcTypeOf(info, op.index));
  } else if (info && op.name === "call_indirect") {
    const t = op.index === undefined ? undefined : info.types[op.index];
    if (!t) return void bad(`${where} uses type ${op.index}, which does not exist`);
    [params, results] = [[...t.params, "i32"], t.results];
  } else if (info && op.name.startsWith("global.")) {
    const g = op.index === undefined ? undefined : info.globals[op.index];
    if (!g) return void bad(`${where} uses global ${op.index}, which does not exist`);
    if (op.name === "global.set" && !g.mutable) bad(`${where} sets the immutable global ${op.index}`);
    [params, results] = op.name === "global.get" ? [[], [g.type]] : [[g.type], []];
  }
  if (op.name.endsWith(".const") && op.value?.type !== op.name.slice(0, 3)) bad(`${where}: ${op.name} has ${op.value ? "a " + op.value.type : "no"} value`);
  if (row.imm === "memarg" && (op.offset === undefined || op.align === undefined)) bad(`${where}: ${op.name} lacks its offset/align`);
  if (params) {
    if (argTypes.length !== params.length) bad(`${where}: ${op.name} takes ${params.length} arguments, got ${argTypes.length}`);
    else argTypes.forEach((t, i) => t !== undefined && t !== params[i] && bad(`${where}: ${op.name} argument ${i} is ${t}, expected ${params[i]}`));
  }
  if (results && results.join(",") !== types.join(",")) bad(`${where}: ${op.name} results are (${types.join(", ")}), expected (${results.join(", ")})`);
}

function dominators(body: FunctionBody, rpo: BlockId[]): Map<BlockId, BlockId> {
  const order = new Map(rpo.map((b, i) => [b, i]));
  const preds = new Map<BlockId, BlockId[]>(rpo.map((b) => [b, []]));
  for (const b of rpo) for (const t of targetsOf(body.blocks[b].term)) if (order.has(t.block)) preds.get(t.block)!.push(b);
  const idom = new Map<BlockId, BlockId>([[body.entry, body.entry]]);
  const intersect = (a: BlockId, b: BlockId) => {
    while (a !== b) {
      while (order.get(a)! > order.get(b)!) a = idom.get(a)!;
      while (order.get(b)! > order.get(a)!) b = idom.get(b)!;
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of rpo.slice(1)) {
      let d: BlockId | undefined;
      for (const p of preds.get(b)!) if (idom.has(p)) d = d === undefined ? p : intersect(p, d);
      if (d !== undefined && idom.get(b) !== d) {
        idom.set(b, d);
        changed = true;
      }
    }
  }
  return idom;
}

function resolveOrUndefined(body: FunctionBody, v: ValueId): ValueId | undefined {
  try {
    const r = body.resolve(v);
    return body.values[r] ? r : undefined;
  } catch {
    return undefined;
  }
}

function typeOrUndefined(body: FunctionBody, v: ValueId): ValType | undefined {
  const def = body.values[v];
  if (def?.kind === "blockparam" || def?.kind === "pick") return def.type;
  if (def?.kind === "op" && def.types.length === 1) return def.types[0];
  return undefined;
}

function describe(body: FunctionBody, v: ValueId): string {
  const def = body.values[v];
  if (!def) return "undefined";
  if (def.kind === "blockparam") return `param ${def.index} of block${def.block}`;
  return `a ${def.kind}`;
}

function sameSet(a: BlockId[], b: BlockId[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

