// The explorer's pure parts. The speed verdict (explorer/src/verdict.ts) says only what its numbers can: no ratio
// under 1 ms, slower called slower, aborted or partly interpreted modules labelled, a stopped run not compared. The
// before → after diff (diff.ts) keeps what both sides share.
import { describe, expect, it } from "vitest";
import { diffLines } from "../../explorer/src/diff.ts";
import { speedWords, verdict } from "../../explorer/src/verdict.ts";

const base = { same: true, aborted: 0, requests: 1 };

describe("the explorer's verdict", () => {
  it("calls faster faster, slower slower, and close about the same", () => {
    expect(speedWords(100, 10)).toBe("10.0× faster");
    expect(speedWords(10, 70)).toBe("7.0× slower");
    expect(speedWords(10, 11)).toBe("about as fast (within ±15%)");
  });

  it("gives no ratio for runs under a millisecond", () => {
    const v = verdict({ ...base, interpreted: { cold: 0.4 }, wevaled: { cold: 0.2 } });
    expect(v.text).toBe("✓ same output · first call: under 1 ms, too short to compare.");
  });

  it("labels aborted and partly interpreted modules", () => {
    expect(verdict({ ...base, aborted: 1, interpreted: { cold: 50 }, wevaled: { cold: 30 } }).text).toBe(
      "✓ same output · nothing was specialized (every request aborted): both run the interpreter, any difference is noise.",
    );
    expect(
      verdict({
        ...base,
        aborted: 2,
        requests: 7,
        interpreted: { cold: 50, warm: 40 },
        wevaled: { cold: 10, warm: 50 },
      }).text,
    ).toBe(
      "✓ same output · partly interpreted (2 of 7 functions aborted) · first call: wevaled 5.0× faster, warm: wevaled 1.3× slower.",
    );
  });

  it("compares nothing when a run was stopped, and says when outputs differ", () => {
    expect(
      verdict({ ...base, stopped: "stopped after 1.2 s", interpreted: { cold: NaN }, wevaled: { cold: NaN } }),
    ).toEqual({ text: "■ stopped after 1.2 s: outputs not compared.", kind: "" });
    expect(verdict({ ...base, same: false, interpreted: { cold: 5 }, wevaled: { cold: 5 } }).kind).toBe("bad");
  });
});

describe("the explorer's before → after diff", () => {
  it("keeps common lines (indentation aside) and marks what went and what came", () => {
    expect(diffLines(["(block", "  (i32.load)", "  (i64.sub)", ")"], ["(i64.sub)", "(i64.add)"])).toEqual([
      { kind: "del", text: "(block" },
      { kind: "del", text: "  (i32.load)" },
      { kind: "same", text: "(i64.sub)" },
      { kind: "ins", text: "(i64.add)" },
      { kind: "del", text: ")" },
    ]);
  });
});
