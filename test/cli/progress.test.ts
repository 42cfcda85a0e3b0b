// The CLI's progress line: drawn only on a terminal, names the stage with k/n and a bar, erased at the end; and the
// library calls it for every stage of a real build (snapshot, specialize request k of n, binaryen).
import { describe, expect, it } from "vitest";
import { progressLine } from "../../cli/progress.ts";
import { loadProgramSource } from "../../bytecode/index.ts";
import { wevaled } from "../helpers.ts";

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, columns: 200, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream,
  };
}

describe("progress line", () => {
  it("draws nothing and gives no callback when stderr is not a terminal", () => {
    const { written, stream } = fakeStream(false);
    const p = progressLine("prog.fern", stream);
    expect(p.onProgress).toBeUndefined();
    p.clear();
    expect(written).toEqual([]);
  });

  it("draws the stage, k/n and a bar on a terminal, and erases itself", () => {
    const { written, stream } = fakeStream(true);
    const p = progressLine("prog.fern", stream);
    p.onProgress!("specialize", 0, 4);
    p.onProgress!("specialize", 4, 4);
    expect(written.join("")).toMatch(/futamura: prog\.fern: specialize 0\/4 \[-{20}\]/);
    expect(written.join("")).toMatch(/specialize 4\/4 \[#{20}\]/);
    p.clear();
    expect(written.at(-1)).toBe("\r\x1b[2K");
  });

  it("is told every stage of a build, each ending at done = total", async () => {
    const seen: [string, number, number][] = [];
    await wevaled(loadProgramSource("LOAD_IMMEDIATE 3\nHALT\n", "t.asm").bytes, { onProgress: (...a) => seen.push(a) });
    const stages = [...new Set(seen.map(([s]) => s))];
    expect(stages).toEqual(["snapshot", "specialize", "binaryen"]);
    for (const s of stages)
      expect(seen.filter(([x]) => x === s).at(-1)).toSatisfy(
        ([, done, total]: [string, number, number]) => done === total,
      );
  });
});
