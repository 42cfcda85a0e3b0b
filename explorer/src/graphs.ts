// The explorer's control-flow graphs as Graphviz DOT text: the generic function as the specializer read it (its
// blocks named where the structure says what they do: names.ts), and the specialized function with every block
// filled in the colour of its context. Each SVG node gets an id (`g-block12`, `s-block40`, `s-ctx7`) so the page
// can link clicks and highlights; the layout itself is done off the page's thread (layout-worker.ts). A
// specialized graph over MAX_BLOCKS blocks is drawn one node per context instead, and over MAX_BLOCKS contexts only
// the first ones are drawn, with a message saying so.
import { formatContext, type CleanedBlock, type GraphBlock, type SpecializedBlock } from "./pipeline.ts";

/** Past this many blocks a specialized graph is drawn one node per context. */
export const MAX_BLOCKS = 300;

/** Each context's colour (as #rrggbb, which Graphviz reads), by the pc's rank among `pcs`: ranks spread around
 *  the hue circle by the golden angle, with saturation and lightness varied too, so that neither neighbours nor
 *  ranks a Fibonacci number apart (where the golden angle comes back round) share a colour. Light enough for
 *  black text (WCAG AA) in both themes. */
export function palette(pcs: Iterable<number>): (pc: number | undefined) => string {
  const rank = new Map([...new Set(pcs)].sort((a, b) => a - b).map((pc, i) => [pc, i]));
  return (pc) => (pc === undefined ? "#dddddd" : colourOf(rank.get(pc) ?? rank.size + pc));
}

function colourOf(rank: number): string {
  const h = (rank * 137.508) % 360;
  const s = [0.75, 0.45][Math.floor(rank / 3) % 2];
  const l = [0.8, 0.72, 0.87][rank % 3];
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/** A DOT string: backslashes and quotes escaped, newlines as Graphviz's centred line break. */
const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

/** A graph to lay out: its DOT text, how many nodes it draws, and why it is not drawn block by block, if not. */
export interface GraphSpec {
  dot: string;
  nodes: number;
  note?: string;
}

const HEADER = `digraph G { graph [rankdir=TB, nodesep=0.2, ranksep=0.3, bgcolor="transparent"]; node [shape=box, style="rounded,filled", fontname="Courier", fontsize=10, fillcolor="#f4f4f4", color="#888888", fontcolor="#000000", margin="0.08,0.03"]; edge [color="#777777", arrowsize=0.6];`;

/** Past this many blocks nodes get no tooltip (the block's IR): it would be most of the SVG the page parses, and a
 *  click shows the IR anyway. */
const TOOLTIP_MAX_BLOCKS = 150;
const tooltip = (b: GraphBlock, n: number) =>
  n > TOOLTIP_MAX_BLOCKS ? `tooltip=${quote(`block${b.id}`)}` : `tooltip=${quote(b.lines.join("\n"))}`;

/** The generic function: one node per block, labelled with its id, its name where known, and its size. */
export function genericGraph(blocks: GraphBlock[], entry: number): GraphSpec {
  const lines = [HEADER];
  for (const b of blocks) {
    const insts = b.lines.length - 2;
    const name = b.name;
    lines.push(
      `b${b.id} [id=${quote(`g-block${b.id}`)}, label=${quote(`block${b.id}${name ? `\n${name}` : ""}\n${insts} inst${insts === 1 ? "" : "s"}`)}, ${tooltip(b, blocks.length)}${b.id === entry ? ', penwidth=2, color="#333333"' : ""}];`,
    );
  }
  for (const b of blocks) for (const s of b.succs) lines.push(`b${b.id} -> b${s};`);
  lines.push("}");
  return { dot: lines.join("\n"), nodes: blocks.length };
}

/** The specialized function (cleaned or not): one node per block in its context's colour, or one per context. */
export function specializedGraph(
  blocks: (SpecializedBlock | CleanedBlock)[],
  entry: number,
  colour: (pc: number | undefined) => string,
): GraphSpec {
  if (blocks.length > MAX_BLOCKS) return perContext(blocks, colour);
  const lines = [HEADER];
  for (const b of blocks) {
    const pcs = b.pcs;
    const label = `block${b.id}\n${b.context}${pcs.length > 1 ? `\n+ pcs ${formatContext(pcs.filter((p) => p !== b.pc).join(","))}` : ""}`;
    lines.push(
      `b${b.id} [id=${quote(`s-block${b.id}`)}, class=${quote(pcs.map((p) => `pc-${p}`).join(" "))}, label=${quote(label)}, fillcolor=${quote(colour(b.pc))}, ${tooltip(b, blocks.length)}${b.id === entry ? ', penwidth=2, color="#333333"' : ""}];`,
    );
  }
  for (const b of blocks) for (const s of b.succs) lines.push(`b${b.id} -> b${s};`);
  lines.push("}");
  return { dot: lines.join("\n"), nodes: blocks.length };
}

/** One node per context (innermost pc), edges between contexts, with the block count in each. */
function perContext(
  blocks: (SpecializedBlock | CleanedBlock)[],
  colour: (pc: number | undefined) => string,
): GraphSpec {
  const key = (b: SpecializedBlock | CleanedBlock) => (b.pc === undefined ? "root" : String(b.pc));
  const groups = new Map<string, { pc?: number; context: string; count: number }>();
  const groupOf = new Map<number, string>();
  for (const b of blocks) {
    const k = key(b);
    groupOf.set(b.id, k);
    const g = groups.get(k) ?? { pc: b.pc, context: b.context, count: 0 };
    g.count++;
    groups.set(k, g);
  }
  let keys = [...groups.keys()];
  let note = `${blocks.length} blocks is more than ${MAX_BLOCKS}: drawn one node per context (pc); the listing's highlight still works.`;
  if (keys.length > MAX_BLOCKS) {
    note = `${blocks.length} blocks in ${keys.length} contexts: only the first ${MAX_BLOCKS} contexts are drawn, one node each.`;
    keys = keys.slice(0, MAX_BLOCKS);
  }
  const shown = new Set(keys);
  const lines = [HEADER];
  for (const k of keys) {
    const g = groups.get(k)!;
    lines.push(
      `c${k} [id=${quote(`s-ctx${k}`)}, class=${quote(g.pc === undefined ? "" : `pc-${g.pc}`)}, label=${quote(`pc ${formatContext(String(g.pc ?? "-"))}\n${g.count} block${g.count === 1 ? "" : "s"}`)}, fillcolor=${quote(colour(g.pc))}];`,
    );
  }
  const edges = new Set<string>();
  for (const b of blocks) {
    const from = groupOf.get(b.id)!;
    for (const s of b.succs) {
      const to = groupOf.get(s);
      if (to === undefined || to === from || !shown.has(from) || !shown.has(to)) continue;
      edges.add(`c${from} -> c${to};`);
    }
  }
  lines.push(...edges, "}");
  return { dot: lines.join("\n"), nodes: keys.length, note };
}
