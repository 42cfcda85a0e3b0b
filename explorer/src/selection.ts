// What a selection stands for, shared by the page (main.ts) and its tests: a bytecode instruction (from the source,
// the listing or a specialized block) or a generic block, resolved in one request to the generic blocks it went
// through, the specialized blocks made for it (before or after cleanup) and the context they were made in — and a
// context said in words, and which opcodes each of the dispatch's cases handled in this program. Pure data in,
// data out.
import type { CleanedBlock, Exploration, RequestView, SpecializedBlock } from "./pipeline.ts";

export type Selection = { kind: "pc"; func: number; pc: number } | { kind: "generic"; block: number };

/** What a selection stands for in the current request: the pc it is about (for the listing), the generic blocks,
 *  the specialized blocks in the drawn variant (cleaned or not), and the cleaned blocks (for the Wasm after). */
export interface Resolved {
  title: string;
  /** The context the selection was made in (a pc's own), when there is one. */
  context?: string;
  pc?: number;
  generic: number[];
  drawn: (SpecializedBlock | CleanedBlock)[];
  cleaned: number[];
}

export function resolveSelection(r: Exploration, q: RequestView, sel: Selection, afterCleanup: boolean): Resolved {
  const raw = q.specialized?.blocks ?? [];
  const cleaned = q.cleaned?.blocks ?? [];
  if (sel.kind === "pc") {
    const pc = sel.pc;
    const ins = r.functions[q.func]?.instructions.find((i) => i.pc === pc);
    const copies = raw.flatMap((b) => b.copies).filter((c) => c.pc === pc);
    const origs = new Set(copies.map((c) => c.orig));
    const inCleaned = cleaned.filter((b) => b.pcs.includes(pc));
    return {
      title: `pc ${pc}: ${ins?.text ?? "?"}${r.functions.length > 1 ? ` in fn ${r.functions[q.func].name}` : ""}${ins?.line ? ` (line ${ins.line})` : ""} — before and after `,
      pc,
      context: copies[0]?.context,
      generic: q.generic.blocks.map((b) => b.id).filter((id) => origs.has(id)),
      drawn: afterCleanup ? inCleaned : raw.filter((b) => b.pcs.includes(pc)),
      cleaned: inCleaned.map((b) => b.id),
    };
  }
  const copies = raw.flatMap((b) => b.copies).filter((c) => c.orig === sel.block);
  const inCleaned = cleaned.filter((b) => b.origs.includes(sel.block));
  const contexts = new Set(copies.map((b) => b.context)).size;
  const handled = handlers(r).get(sel.block);
  const name = [q.generic.blocks.find((b) => b.id === sel.block)?.name, handled && `handles ${handled.join(", ")}`]
    .filter((x) => x)
    .join(" · ");
  return {
    title: `generic block${sel.block}${name ? ` (${name})` : ""}: ${copies.length} cop${copies.length === 1 ? "y" : "ies"} in ${contexts} context${contexts === 1 ? "" : "s"} `,
    context: contexts === 1 ? copies[0].context : undefined,
    generic: [sel.block],
    drawn: afterCleanup ? inCleaned : raw.filter((b) => b.copies.some((c) => c.orig === sel.block)),
    cleaned: inCleaned.map((b) => b.id),
  };
}

const handled = new WeakMap<Exploration, Map<number, string[]>>();

/** For each of the dispatch's cases (the blocks names.ts calls "case k"), the opcodes whose specialized copies
 *  start in it, in this program: what that case handles, as far as the program shows. The interpreter's Wasm has no
 *  names; this is derived, never guessed. One generic function per exploration (every request specializes the
 *  interpreter's one body). */
export function handlers(r: Exploration): Map<number, string[]> {
  let m = handled.get(r);
  if (m) return m;
  const sets = new Map<number, Set<string>>();
  for (const q of r.requests) {
    const cases = new Set(q.generic.blocks.filter((b) => /\bcases? /.test(b.name ?? "")).map((b) => b.id));
    const opOf = new Map(r.functions[q.func]?.instructions.map((i) => [i.pc, i.text.split(" ")[0]]) ?? []);
    for (const c of q.specialized?.blocks.flatMap((b) => b.copies) ?? []) {
      const op = c.pc === undefined ? undefined : opOf.get(c.pc);
      if (op && cases.has(c.orig)) (sets.get(c.orig) ?? sets.set(c.orig, new Set()).get(c.orig)!).add(op);
    }
  }
  m = new Map([...sets].map(([b, ops]) => [b, [...ops].sort()]));
  handled.set(r, m);
  return m;
}

/** Fern's interpreter keys its constant-trip loops' contexts far above any pc (interp/as/fern.ts: PARAM_CONTEXT
 *  and the next three), one context per iteration: key + i + 1 after iteration i. */
const LOOP_KEYS: Record<number, string> = {
  4: "copying parameters into registers",
  5: "passing arguments past the fourth",
  6: "saving the stack at a safe point",
  7: "building a list",
};

/** A context (`[12, 0x60000003]`) in words, innermost last. */
export function contextWords(context: string, r: Exploration, func: number): string {
  const parts = context
    .replace(/^\[|\]$/g, "")
    .split(", ")
    .filter((p) => p);
  if (parts.length === 0) return "outside any context: the function's entry, before the interpreter declares a pc";
  return parts
    .map((p) => {
      if (p.startsWith("value=")) return `specialized on the value ${p.slice(6)} (weval.specialize.value)`;
      const n = Number(p);
      if (n >= 0x40000000 && r.language === "fern")
        return `${LOOP_KEYS[n >>> 28] ?? "an inner loop"}, iteration ${n & 0xfffffff} (from 0)`;
      const ins = r.functions[func]?.instructions.find((i) => i.pc === n);
      return ins ? `pc ${n}, ${ins.text}${ins.line ? ` (line ${ins.line})` : ""}` : `key ${p}`;
    })
    .join(" → inside that, ");
}
