// Names for the interpreter's generic blocks where the function's structure says what they do: the entry, the
// dispatch (the block ending in the widest br_table: the switch on the opcode), each dispatch target as "case k"
// (k the br_table index; default "default"), and loop heads (a block a later block in reverse postorder jumps back
// to). Nothing is guessed from names the Wasm does not have.
import type { BlockId, FunctionBody } from "../../specializer/ssa/ir.ts";
import { InternalError } from "../../util/errors.ts";

export function blockNames(f: FunctionBody): Map<BlockId, string> {
  const names = new Map<BlockId, string[]>();
  const add = (b: BlockId, n: string) => (names.get(b) ?? names.set(b, []).get(b)!).push(n);
  const order = f.reversePostorder();
  const position = new Map(order.map((b, i) => [b, i]));
  add(f.entry, "entry");
  let dispatch: BlockId | undefined;
  let widest = 2;
  for (const b of order) {
    const t = f.blocks[b].term;
    if (t.kind === "table" && t.targets.length > widest) [dispatch, widest] = [b, t.targets.length];
  }
  for (const b of order)
    for (const p of f.blocks[b].preds)
      if ((position.get(p) ?? -1) >= position.get(b)!) {
        add(b, "loop head");
        break;
      }
  if (dispatch !== undefined) {
    const t = f.blocks[dispatch].term;
    if (t.kind !== "table") throw new InternalError("unreachable");
    add(dispatch, `dispatch (${t.targets.length}-way)`);
    const cases = new Map<BlockId, string[]>();
    t.targets.forEach((x, k) => (cases.get(x.block) ?? cases.set(x.block, []).get(x.block)!).push(String(k)));
    cases.set(t.default.block, [...(cases.get(t.default.block) ?? []), "default"]);
    for (const [b, ks] of cases)
      add(
        b,
        ks.length > 4
          ? `cases ${ks.slice(0, 3).join(",")},… (${ks.length})`
          : `case${ks.length > 1 ? "s" : ""} ${ks.join(",")}`,
      );
  }
  return new Map([...names].map(([b, ns]) => [b, ns.join(" · ")]));
}
