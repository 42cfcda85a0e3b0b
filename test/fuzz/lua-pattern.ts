// Random Lua patterns for test/fuzz/lua-patterns-random.ts: a pattern over the whole syntax (classes and their
// complements, '.', sets with ranges, '%]' and '^', quantifiers, anchors, captures with position and nested ones,
// back-references, %b, %f, escapes), a subject that matches it (made from the same tree), the same pattern written
// another way (single items boxed in a set, which matches the same), and malformed variants for the error paths.
import type { Rng } from "../../bytecode/random.ts";

/** A pattern: its text, an equivalent text (boxed), and a maker of strings it matches. */
export interface RandomPattern {
  text: string;
  boxed: string;
  sample(): string;
}

const CLASSES = "adlsuwxpcg";
const LITERALS = "abcxyzAB019 _,;:/=";
const ESCAPED = ".%()[]-+*?^$";
const FOR_CLASS: Record<string, string> = {
  a: "abzXY",
  d: "0379",
  l: "abqz",
  s: " \t\n",
  u: "AQZ",
  w: "a9Z",
  x: "0aF9",
  p: ".,;!-(",
  c: "\x01\n\x00\x7f",
  g: "a!~0",
};
const NOT_CLASS: Record<string, string> = {
  a: "0 .\x00",
  d: "a .",
  l: "A0 ",
  s: "ab0",
  u: "a0 ",
  w: " .\x00",
  x: "g .",
  p: "a0 ",
  c: "a0 ",
  g: " \x00\n",
};

/** One item: its text, its boxed text, and its sample maker (the captures so far, for back-references). */
interface Node {
  text: string;
  boxed: string;
  sample(caps: string[]): string;
  single?: boolean; // a single-character item (a quantifier may follow)
}

/** A random pattern of about `size` items. */
export function randomPattern(rng: Rng, size: number): RandomPattern {
  const gen = new PatternGen(rng);
  const anchored = rng.below(4) === 0;
  const nodes = gen.seq(size, 0);
  const dollar = rng.below(5) === 0;
  const text = (anchored ? "^" : "") + nodes.map((n) => n.text).join("") + (dollar ? "$" : "");
  const boxed = (anchored ? "^" : "") + nodes.map((n) => n.boxed).join("") + (dollar ? "$" : "");
  return {
    text,
    boxed,
    sample: () => {
      const caps: string[] = [];
      return nodes.map((n) => n.sample(caps)).join("");
    },
  };
}

class PatternGen {
  private captures = 0; // closed captures so far (a back-reference names one of them)
  constructor(private readonly rng: Rng) {}

  seq(size: number, depth: number): Node[] {
    const out: Node[] = [];
    for (let i = 0; i < size; i++) out.push(this.item(depth));
    return out;
  }

  /** One item (a dispatch over the kinds of item). */
  private item(depth: number): Node {
    const { rng } = this;
    const k = rng.below(20);
    if (k < 10) return this.quantified(this.single());
    if (k < 13 && depth < 3) return this.capture(depth);
    if (k === 13 && this.captures > 0) {
      const n = 1 + rng.below(this.captures);
      return { text: `%${n}`, boxed: `%${n}`, sample: (caps) => caps[n - 1] ?? "" };
    }
    if (k === 14) {
      const [b, e] = rng.pick(["()", "()", "[]", '""', "ab", "xx"]);
      const body = rng.pick(["", "x", "a(b)c", "((", "))"]);
      return { text: `%b${b}${e}`, boxed: `%b${b}${e}`, sample: () => b + body + e };
    }
    if (k === 15) {
      const set = rng.pick(["[%w]", "[%W]", "[^%s]", "[a-c]", "[%z]", "[%a_]", "[\x00]"]);
      return { text: `%f${set}`, boxed: `%f${set}`, sample: () => "" };
    }
    if (k === 16) return { text: "()", boxed: "()", sample: (caps) => (caps.push(""), "") };
    if (k === 17) return { text: "$", boxed: "$", sample: () => "$" }; // a literal '$' unless last
    return this.quantified(this.single());
  }

  private capture(depth: number): Node {
    const inner = this.seq(1 + this.rng.below(3), depth + 1);
    this.captures++;
    return {
      text: `(${inner.map((n) => n.text).join("")})`,
      boxed: `(${inner.map((n) => n.boxed).join("")})`,
      sample: (caps) => {
        const at = caps.length;
        caps.push("");
        const s = inner.map((n) => n.sample(caps)).join("");
        caps[at] = s;
        return s;
      },
    };
  }

  private quantified(n: Node): Node {
    const q = this.rng.pick(["", "", "", "*", "+", "-", "?"]);
    if (!q) return n;
    const reps = () => (q === "?" ? this.rng.below(2) : (q === "+" ? 1 : 0) + this.rng.below(q === "-" ? 3 : 5));
    return {
      text: n.text + q,
      boxed: n.boxed + q,
      sample: (caps) => Array.from({ length: reps() }, () => n.sample(caps)).join(""),
    };
  }

  /** A single-character item: a literal, an escaped special, '.', a class or its complement, or a set. */
  private single(): Node {
    const { rng } = this;
    const k = rng.below(10);
    if (k < 3) {
      const c = rng.below(40) === 0 ? rng.pick(["\x00", "\n", "\xff"]) : rng.pick([...LITERALS]);
      return { text: c, boxed: `[${c}]`, sample: () => c, single: true };
    }
    if (k === 3) {
      const c = rng.pick([...ESCAPED]);
      return { text: `%${c}`, boxed: `[%${c}]`, sample: () => c, single: true };
    }
    if (k === 4) return { text: ".", boxed: ".", sample: () => rng.pick([..."a .\x00("]), single: true };
    if (k < 8) {
      const c = rng.pick([...CLASSES]);
      const upper = rng.below(3) === 0;
      const pool = upper ? NOT_CLASS[c]! : FOR_CLASS[c]!;
      const t = `%${upper ? c.toUpperCase() : c}`;
      return { text: t, boxed: `[${t}]`, sample: () => rng.pick([...pool]), single: true };
    }
    return this.set();
  }

  /** A set `[...]`: literals, ranges, classes, '%]', a leading ']' or '^'. */
  private set(): Node {
    const { rng } = this;
    const parts: string[] = [];
    const chars: string[] = [];
    const negated = rng.below(4) === 0;
    if (rng.below(8) === 0) (parts.push("]"), chars.push("]"));
    for (let i = 0, n = 1 + rng.below(3); i < n; i++) {
      switch (rng.below(5)) {
        case 0:
          parts.push(rng.pick(["a-f", "0-9", "A-Z", "x-z", "z-a"]));
          chars.push(...(parts.at(-1) === "z-a" ? [] : [parts.at(-1)![0]!, parts.at(-1)![2]!]));
          break;
        case 1: {
          const c = rng.pick([...CLASSES]);
          parts.push(`%${rng.below(4) ? c : c.toUpperCase()}`);
          chars.push(...(FOR_CLASS[c] ?? ""));
          break;
        }
        case 2:
          parts.push(rng.pick(["%]", "%[", "%-", "%%", "-", "^", ".", "("]));
          chars.push(parts.at(-1)!.at(-1)!);
          break;
        default: {
          const c = rng.pick([...LITERALS]);
          parts.push(c);
          chars.push(c);
        }
      }
    }
    if (!negated && parts[0] === "^") parts[0] = "%^"; // (a '^' first would negate the set)
    const text = `[${negated ? "^" : ""}${parts.join("")}]`;
    const sample = () => (negated ? rng.pick(["#", "Q", "\x00", "~"]) : rng.pick(chars.length ? chars : ["a"]));
    return { text, boxed: text, sample, single: true };
  }
}

/** A malformed pattern made from `p` (an error raised when matching gets to it), and the error it is meant for. */
export function malformed(rng: Rng, p: string): string {
  const cut = rng.below(p.length + 1);
  const at = (s: string) => p.slice(0, cut) + s + p.slice(cut);
  return rng.pick([
    () => p + "%", // malformed pattern (ends with '%')
    () => at("[a"), // malformed pattern (missing ']')
    () => p + "[^%]", // missing ']'
    () => p + "[]", // missing ']'
    () => at("("), // unfinished capture
    () => at(")"), // invalid pattern capture
    () => p + "%b", // missing arguments to '%b'
    () => p + "%bx", // missing arguments to '%b'
    () => at("%fa"), // missing '[' after '%f' in pattern
    () => at("%f"), // missing '[' after '%f' in pattern (or at the end)
    () => at("%9"), // invalid capture index
    () => "(a%1)" + p, // a back-reference to an open capture
    () => "%0" + p, // invalid capture index %0
    () => "(".repeat(33) + p, // too many captures
    () => p + "[a-", // missing ']'
  ])();
}

/** `s` as a Lua string literal (bytes outside printable ASCII, quotes and backslashes as 3-digit escapes). */
export function luaString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.charCodeAt(0) & 0xff;
    out += c >= 32 && c < 127 && ch !== '"' && ch !== "\\" ? ch : `\\${String(c).padStart(3, "0")}`;
  }
  return out + '"';
}
