// Wasm text for what the views select, made by the project's own backend (specializer/ssa/backend.ts) and printed
// by binaryen: a set of IR blocks — the generic blocks one bytecode instruction went through, or the specialized
// blocks made for it — becomes a small function of its own: one entry block passes the function's parameters to the
// first selected block, every value the blocks use but do not define becomes a parameter too, and every edge out
// of the selection goes to an `unreachable` exit. That is the "one opcode, before and after" of
// docs/how-the-specializer-works.md, for any instruction of any program. Also prints a whole function of a module
// (the specialized function after binaryen's optimizer).
import { loadBinaryen, withFeatures, type Binaryen, type BinaryenModule } from "../../util/binaryen.ts";
import { emitFunction, ModuleNames, type CallSignatures } from "../../specializer/ssa/backend.ts";
import {
  FunctionBody,
  terminatorUses,
  type BlockId,
  type Target,
  type Terminator,
  type ValueId,
} from "../../specializer/ssa/ir.ts";
import { decodeModule } from "../../specializer/ssa/module.ts";
import { callSignatures } from "../../specializer/ssa/roundtrip.ts";
import { verifyFunction } from "../../specializer/ssa/verify.ts";
import { InternalError } from "../../util/errors.ts";

/** A module loaded into binaryen, kept for printing fragments of IR that belongs to it. */
export class WasmPrinter {
  private fragments = 0;
  private constructor(
    private readonly b: Binaryen,
    private readonly mod: BinaryenModule,
    private readonly names: ModuleNames,
    private readonly sigs: CallSignatures,
    private readonly tableFunctions: Map<number, number>,
  ) {}

  /** `specialized`: the table indices of the generic functions of the requests that were specialized, in request
   *  order. Specialized IR calls the specialized functions directly, by the indices the specializer gives them (the
   *  module's function count, then one per specialized request in order: specializer/index.ts, rewriteModule), so
   *  each gets a stand-in function (same signature, body `unreachable`) at that index, for calls to print. */
  static async load(bytes: Uint8Array, specialized: number[] = []): Promise<WasmPrinter> {
    const b = await loadBinaryen();
    const info = decodeModule(bytes);
    const mod = withFeatures(b, b.readBinary(bytes));
    const names = new ModuleNames(b, mod);
    const sigs = callSignatures(info);
    specialized.forEach((tableIndex, i) => {
      const fn = info.table0.get(tableIndex);
      if (fn === undefined) throw new InternalError(`table slot ${tableIndex} holds no function`);
      const type = info.functions[fn].type;
      const name = `weval.specialized.${i}`;
      const params = type.params.length === 0 ? b.none : b.createType(type.params.map((t) => b[t]));
      const results = type.results.length === 0 ? b.none : b.createType(type.results.map((t) => b[t]));
      mod.addFunction(name, params, results, [], mod.unreachable());
      names.functions.push(name);
      sigs.functions.push(type);
    });
    return new WasmPrinter(b, mod, names, sigs, info.table0);
  }

  dispose(): void {
    this.mod.dispose();
  }

  /** The function in table slot `slot` (where the specializer put a request's function), as Wasm text. */
  tableFunctionText(slot: number): string {
    const index = this.tableFunctions.get(slot);
    if (index === undefined) return `;; table slot ${slot} holds no function`;
    return this.functionText(this.names.functions[index]);
  }

  functionText(name: string): string {
    const fn = this.mod.getFunction(name);
    const info = this.b.getFunctionInfo(fn);
    const params = this.b
      .expandType(info.params)
      .map((t, i) => `(param $${i} ${typeName(this.b, t)})`)
      .join(" ");
    const results = this.b
      .expandType(info.results)
      .map((t) => `(result ${typeName(this.b, t)})`)
      .join(" ");
    const locals = info.vars
      .map((t, i) => `(local $${info.params ? this.b.expandType(info.params).length + i : i} ${typeName(this.b, t)})`)
      .join(" ");
    return `(func $${name} ${params} ${results}\n ${locals}\n${this.b.emitText(info.body)})`;
  }

  /** The blocks `selected` of `f` as a function of their own, through the backend, in Wasm text. */
  fragmentText(f: FunctionBody, selected: BlockId[]): string {
    if (selected.length === 0) return ";; no blocks";
    const g = fragment(f, selected);
    verifyFunction(g);
    const name = `fragment${this.fragments++}`;
    emitFunction(this.b, this.mod, this.names, this.sigs, g, name);
    // Readability only: local copies folded into their uses and empty blocks merged. Nothing that deletes code
    // (no vacuum, no DCE), since the fragment's exits are `unreachable` and would let the optimizer drop it all.
    this.mod.runPassesOnFunction(name, [
      "simplify-locals-nostructure",
      "remove-unused-brs",
      "merge-blocks",
      "remove-unused-names",
      "coalesce-locals",
      "reorder-locals",
      "merge-blocks",
    ]);
    try {
      return withoutNops(this.functionText(name));
    } finally {
      this.mod.removeFunction(name);
    }
  }
}

/** Drop what does nothing from printed Wasm: `(nop)` lines and empty `(block)`s (binaryen's vacuum pass would,
 *  but it also deletes code whose results only leave the fragment). */
function withoutNops(text: string): string {
  let out = text.replace(/^\s*\(nop\)\n/gm, "");
  for (let before = ""; before !== out;) {
    before = out;
    out = out.replace(/^(\s*)\(block\n\1\)\n/gm, "");
  }
  return out;
}

function typeName(b: Binaryen, t: number): string {
  const names: [number, string][] = [
    [b.i32, "i32"],
    [b.i64, "i64"],
    [b.f32, "f32"],
    [b.f64, "f64"],
  ];
  return names.find(([k]) => k === t)?.[1] ?? String(t);
}

/** A copy of `f` whose only reachable blocks are `selected` (see the header). Values keep their ids. */
function fragment(f: FunctionBody, selected: BlockId[]): FunctionBody {
  const keep = new Set(selected);
  const g = new FunctionBody(`${f.name}$fragment`, [], f.results);
  g.values = f.values.slice();
  const defined = new Set<ValueId>();
  for (const b of selected) for (const v of [...f.blocks[b].params, ...f.blocks[b].insts]) defined.add(v);
  g.blocks = f.blocks.map(() => ({ params: [], insts: [], term: { kind: "none" }, preds: [], succs: [] }));
  const exit = g.addBlock();
  g.setTerminator(exit, { kind: "unreachable" });
  const entry = g.addBlock();
  g.entry = entry;
  const retarget = (t: Target): Target => (keep.has(t.block) ? t : { block: exit, args: [] });
  const liveIns: ValueId[] = [];
  const use = (v: ValueId) => {
    if (!defined.has(v) && !liveIns.includes(v)) liveIns.push(v);
  };
  for (const b of selected) {
    const src = f.blocks[b];
    g.blocks[b] = {
      params: src.params.slice(),
      insts: src.insts.slice(),
      term: retargetTerm(src.term, retarget),
      preds: [],
      succs: [],
    };
    for (const v of src.insts) {
      const d = f.values[v];
      if (d.kind === "op") d.args.forEach(use);
      else if (d.kind === "pick") use(d.value);
      else if (d.kind === "alias") use(d.to);
    }
    terminatorUses(g.blocks[b].term).forEach(use);
  }
  // The entry: the first selected block's parameters and every live-in value arrive as function parameters.
  const first = selected[0];
  const firstArgs = f.blocks[first].params.map((p) => g.addBlockParam(entry, f.typeOf(p)));
  for (const v of liveIns) {
    const type = f.typeOf(v);
    const index = g.blocks[entry].params.length;
    g.values[v] = { kind: "param", block: entry, index, type };
    g.blocks[entry].params.push(v);
  }
  g.params = g.blocks[entry].params.map((p) => g.typeOf(p));
  g.setTerminator(entry, { kind: "br", target: { block: first, args: firstArgs } });
  g.recomputePreds();
  return g;
}

function retargetTerm(t: Terminator, retarget: (t: Target) => Target): Terminator {
  switch (t.kind) {
    case "br":
      return { kind: "br", target: retarget(t.target) };
    case "cond":
      return { kind: "cond", cond: t.cond, then: retarget(t.then), else: retarget(t.else) };
    case "table":
      return { kind: "table", index: t.index, targets: t.targets.map(retarget), default: retarget(t.default) };
    default:
      return t;
  }
}
