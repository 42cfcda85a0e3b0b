// Shrinks a failing generated Lua program (test/fuzz/lua-patterns-random.ts's shape) for `npm run fuzz`: drops whole
// `do -- pattern` blocks, then single call lines (`R(`), then items of the subject lists and CHECK's operation lists,
// greedily, as long as the program still fails.

/** The smallest program found by dropping blocks, call lines and list items of `source` while `fails` stays true. */
export async function minimizeLua(source: string, fails: (source: string) => Promise<boolean>): Promise<string> {
  let lines = source.split("\n");
  const attempt = async (candidate: string[]) => {
    if (await fails(candidate.join("\n"))) lines = candidate;
  };
  const blocks = () => lines.flatMap((l, i) => (l.startsWith("do -- pattern") ? [i] : []));
  for (const start of blocks().reverse())
    await attempt([...lines.slice(0, start), ...lines.slice(lines.indexOf("end", start) + 1)]);
  for (let i = lines.length - 1; i >= 0; i--)
    if (/^\s*R\(/.test(lines[i]!)) await attempt([...lines.slice(0, i), ...lines.slice(i + 1)]);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!/^\s*(local subjects = |CHECK\()/.test(lines[i]!)) continue;
    const level = lines[i]!.trim().startsWith("CHECK(") ? 2 : 1; // CHECK's operations: its last argument
    for (let k = listItems(lines[i]!, level).items.length - 1; k >= 0; k--) {
      const { items, rebuild } = listItems(lines[i]!, level);
      if (items.length > 1)
        await attempt(lines.map((l, j) => (j === i ? rebuild(items.filter((_, n) => n !== k)) : l)));
    }
  }
  return lines.join("\n");
}

/** The items of the last `{ ... }` list `level` brackets deep on `line` (commas inside strings, parentheses and braces
 *  are not separators), and the line rebuilt with other items. */
function listItems(line: string, level: number): { items: string[]; rebuild: (items: string[]) => string } {
  let depth = 0;
  let quote = "";
  let open = -1;
  let close = -1;
  const commas: number[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "{") {
      if (++depth === level && c === "{") [open, commas.length] = [i, 0];
    } else if (c === ")" || c === "}") {
      if (depth-- === level && c === "}") close = i;
    } else if (c === "," && depth === level && open > close) commas.push(i);
  }
  if (open < 0 || close < open) return { items: [], rebuild: () => line };
  const bounds = [open, ...commas, close];
  const items = bounds.slice(1).map((end, k) => line.slice(bounds[k]! + 1, end).trim());
  return { items, rebuild: (kept) => `${line.slice(0, open)}{ ${kept.join(", ")} }${line.slice(close + 1)}` };
}
