// The IR's text form, for debugging (--dump-ir, `futamura ir`) and golden tests; parse.ts reads it back.
//
//   function sum(i64) -> i64 {
//   block0(v0:i64):
//     v1:i64 = const 0
//     v2:i64 = i64.add v1, v0
//     v3:i32 = i64.load offset=8 align=3 v2
//     v4:i32,i64 = call 3 v0           (multi-result) then  v5:i32 = pick v4 0
//     v6 = i32.store offset=0 align=2 v2, v3   (no result)
//     br block1(v2)  |  cond v3, block1(v2), block2()  |  table v3, [block1(), block2()], block3()
//     return v2  |  return_call 3 v0, v2  |  return_call_indirect 1 0 v0, v3  |  unreachable
//   }
// Only blocks reachable from the entry are printed, in reverse postorder; ids are kept as they are.
import { type FunctionBody, type Operator, type Target, type Terminator, type ValueId } from "./ir.ts";
import { formatConst } from "./types.ts";

export function formatOperator(op: Operator): string {
  switch (op.name) {
    case "const":
      return `const ${formatConst(op.value!)}`;
    case "call":
    case "global.get":
    case "global.set":
    case "memory.init":
    case "data.drop":
      return `${op.name} ${op.index}`;
    case "call_indirect":
      return `call_indirect ${op.index} ${op.table}`;
    default:
      return op.memarg ? `${op.name} offset=${op.memarg.offset} align=${op.memarg.align}` : op.name;
  }
}

const v = (id: ValueId) => `v${id}`;
const target = (t: Target) => `block${t.block}(${t.args.map(v).join(", ")})`;

export function formatTerminator(t: Terminator): string {
  switch (t.kind) {
    case "br":
      return `br ${target(t.target)}`;
    case "cond":
      return `cond ${v(t.cond)}, ${target(t.then)}, ${target(t.else)}`;
    case "table":
      return `table ${v(t.index)}, [${t.targets.map(target).join(", ")}], ${target(t.default)}`;
    case "return":
      return t.values.length ? `return ${t.values.map(v).join(", ")}` : "return";
    case "return_call":
      return `return_${formatOperator(t.op)}${t.args.length ? " " + t.args.map(v).join(", ") : ""}`;
    case "unreachable":
      return "unreachable";
    case "none":
      return "<no terminator>";
  }
}

export function formatValue(f: FunctionBody, id: ValueId): string {
  const d = f.values[id];
  const types = f.typesOf(id).join(",");
  switch (d.kind) {
    case "op": {
      const args = d.args.map(v).join(", ");
      const lhs = d.types.length ? `${v(id)}:${types} = ` : `${v(id)} = `;
      return `${lhs}${formatOperator(d.op)}${args ? " " + args : ""}`;
    }
    case "pick":
      return `${v(id)}:${types} = pick ${v(d.value)} ${d.index}`;
    case "alias":
      return `${v(id)}:${types} = alias ${v(d.to)}`;
    case "param":
      return `${v(id)}:${types}`;
    case "none":
      return `${v(id)} = none`;
  }
}

export function printFunction(f: FunctionBody, opts: { annotate?: (id: ValueId) => string | undefined } = {}): string {
  const lines = [`function ${f.name}(${f.params.join(", ")}) -> ${f.results.length ? f.results.join(", ") : "()"} {`];
  const order = f.reversePostorder();
  for (const b of order) {
    const block = f.blocks[b];
    const params = block.params.map((p) => `${v(p)}:${f.typesOf(p)[0]}`).join(", ");
    lines.push(`block${b}(${params}):${b === f.entry ? " ; entry" : ""}`);
    for (const inst of block.insts) {
      const note = opts.annotate?.(inst);
      lines.push(`  ${formatValue(f, inst)}${note ? `  ; ${note}` : ""}`);
    }
    lines.push(`  ${formatTerminator(block.term)}`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}
