// The IR's text form (parse.ts reads it back to the same IR). One function per text:
//   function "name"(i32, i64) -> (i32) {
//   block0(v0: i32, v1: i64):
//     v2: i32 = i32.add v0, v1
//     v3 = i32.store offset=4 align=2 v0, v2           ; no result
//     v4: (i32, f64) = call func=3 v0                  ; multi-result op, then its picks
//     v5: i32 = pick v4.0
//     v6: f64 = pick v4.1
//     br_if v2, block1(v5), block2                     ; br, br_table vI, [block1, block2(v0)], block3, return v5, unreachable
//   block1(v7: i32):  ; preds: block0
//   ...
//   }
// Float constants print as their exact bits with the value in a comment. Blocks print in arena order, each with
// its preds in a comment. Relies on ir.ts and types.ts.
import { type FunctionBody, type Operator, type Target, type Terminator, type ValueId } from "./ir.ts";
import { describeConst, formatConst } from "./types.ts";

export function printFunction(body: FunctionBody): string {
  const lines: string[] = [];
  lines.push(`function ${JSON.stringify(body.name)}(${body.params.join(", ")}) -> (${body.results.join(", ")}) {`);
  body.blocks.forEach((b, id) => {
    const params = b.params.map((p) => `v${p}: ${typeText(body, p)}`).join(", ");
    const entry = id === body.entry && id !== 0 ? " entry" : "";
    const preds = b.preds.length ? `  ; preds: ${b.preds.map((p) => `block${p}`).join(", ")}` : "";
    lines.push(`block${id}${params ? `(${params})` : ""}:${entry}${preds}`);
    for (const v of b.insts) lines.push("  " + printValue(body, v));
    lines.push("  " + printTerminator(b.term));
  });
  lines.push("}");
  return lines.join("\n") + "\n";
}

function typeText(body: FunctionBody, v: ValueId): string {
  const def = body.values[v];
  return def?.kind === "blockparam" || def?.kind === "pick" ? def.type : "?";
}

/** One instruction line, e.g. `v2: i32 = i32.add v0, v1`. */
export function printValue(body: FunctionBody, v: ValueId): string {
  const def = body.values[v];
  switch (def?.kind) {
    case "op": {
      const types = def.types.length === 0 ? "" : def.types.length === 1 ? `: ${def.types[0]}` : `: (${def.types.join(", ")})`;
      const args = def.args.map((a) => `v${a}`).join(", ");
      const comment = def.op.value ? describeConst(def.op.value) : undefined;
      return `v${v}${types} = ${printOperator(def.op)}${args ? " " + args : ""}${comment !== undefined ? `  ; ${comment}` : ""}`;
    }
    case "pick":
      return `v${v}: ${def.type} = pick v${def.value}.${def.index}`;
    case "alias":
      return `v${v} = alias v${def.to}`;
    case "blockparam":
      return `v${v} = blockparam block${def.block}.${def.index}  ; (misplaced)`;
    default:
      return `v${v} = none`;
  }
}

export function printOperator(op: Operator): string {
  const parts = [op.name];
  if (op.value) parts.push(formatConst(op.value));
  if (op.offset !== undefined) parts.push(`offset=${op.offset}`);
  if (op.align !== undefined) parts.push(`align=${op.align}`);
  if (op.index !== undefined) parts.push(`${indexKey(op.name)}=${op.index}`);
  if (op.table !== undefined) parts.push(`table=${op.table}`);
  return parts.join(" ");
}

/** What `index` means for an operator, as printed (`func=3`, `type=1`, `global=0`, `data=2`). */
export function indexKey(name: string): string {
  if (name === "call") return "func";
  if (name === "call_indirect") return "type";
  if (name.startsWith("global.")) return "global";
  return "data";
}

function printTarget(t: Target): string {
  return `block${t.block}${t.args.length ? `(${t.args.map((a) => `v${a}`).join(", ")})` : ""}`;
}

export function printTerminator(t: Terminator): string {
  switch (t.kind) {
    case "br":
      return `br ${printTarget(t.target)}`;
    case "br_if":
      return `br_if v${t.cond}, ${printTarget(t.then)}, ${printTarget(t.else)}`;
    case "br_table":
      return `br_table v${t.index}, [${t.targets.map(printTarget).join(", ")}], ${printTarget(t.default)}`;
    case "return":
      return `return${t.values.length ? " " + t.values.map((v) => `v${v}`).join(", ") : ""}`;
    case "unreachable":
      return "unreachable";
    case "none":
      return "<no terminator>";
  }
}
