// A line diff (longest common subsequence) for the detail pane's "before → after" view: the Wasm of the generic
// blocks an instruction went through against the Wasm of the blocks specialized for it, lines compared without
// their indentation. What the specializer removed (fetch, decode, dispatch) shows as deleted, what it kept as
// common. Pure.

export interface DiffLine {
  kind: "same" | "del" | "ins";
  text: string;
}

/** Past this many lines on a side the table would be too big to be worth it: the view says so instead. */
export const DIFF_MAX_LINES = 2000;

export function diffLines(before: string[], after: string[]): DiffLine[] {
  const a = before.map((l) => l.trim());
  const b = after.map((l) => l.trim());
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[at(i, j)] = a[i] === b[j] ? lcs[at(i + 1, j + 1)] + 1 : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: after[j] });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)]))
      out.push({ kind: "ins", text: after[j++] });
    else out.push({ kind: "del", text: before[i++] });
  }
  return out;
}
