// Random valid toy programs for differential tests and fuzzing. Programs terminate by construction: backward
// jumps only close counted loops whose counter local the body never touches (nested up to 3 deep), and every other
// jump goes forward. They use every opcode, wrap around (large immediates), and print as they go. Deterministic for
// a seed (a small xorshift generator), so a failing seed reproduces.

/** A seeded xorshift32 generator. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

const DATA_LOCALS = 4; // locals 0..3 hold data; 4.. are loop counters
const MAX_DEPTH = 3;

/** An immediate operand: a small or medium number, a 64-bit hex pattern (wraps around) or a small negative one. */
function randomImmediate(rng: Rng): string {
  switch (rng.below(4)) {
    case 0:
      return String(rng.below(10));
    case 1:
      return String(rng.below(1000));
    case 2:
      return "0x" + ((BigInt(rng.next()) << 32n) | BigInt(rng.next())).toString(16);
    default:
      return String(-1 - rng.below(5));
  }
}

/** Assembly text of a random terminating program. */
export function randomProgram(seed: number, size = 30): string {
  const rng = new Rng(seed);
  const lines: string[] = [`; random program, seed ${seed}`, `.locals ${DATA_LOCALS + MAX_DEPTH}`];
  let labels = 0;
  const block = (budget: number, depth: number): void => {
    for (let i = 0; i < budget; i++) {
      const r = rng.below(depth < MAX_DEPTH ? 13 : 12);
      const d = rng.below(DATA_LOCALS);
      switch (r) {
        case 0:
          lines.push(`  LOAD_IMMEDIATE ${randomImmediate(rng)}`);
          break;
        case 1:
          lines.push(`  STORE_LOCAL ${d}`);
          break;
        case 2:
          lines.push(`  LOAD_LOCAL ${d}`);
          break;
        case 3:
          lines.push(`  PRINT ${rng.pick(['"x"', '" "', '"\\n"', '"acc="', '"λ"'])}`);
          break;
        case 4:
          lines.push("  PRINTI");
          break;
        case 5:
          lines.push("  INC");
          break;
        case 6:
          lines.push("  DEC");
          break;
        case 7:
          lines.push(`  ADD ${d}, ${rng.below(DATA_LOCALS)}`);
          break;
        case 8:
        case 9: {
          // A forward conditional jump over a few instructions.
          const label = `f${labels++}`;
          lines.push(`  JMPNZ ${label}`);
          block(1 + rng.below(3), depth);
          lines.push(`${label}:`);
          break;
        }
        case 10:
          lines.push("  INC", "  PRINTI", '  PRINT "\\n"');
          break;
        case 11:
          lines.push(`  LOAD_LOCAL ${d}`, "  PRINTI", '  PRINT ","');
          break;
        case 12: {
          // A counted loop: counter local (4 + depth) runs from n down to 1; the accumulator is saved around the
          // counter bookkeeping in data local 0..3, like a real program would.
          const counter = DATA_LOCALS + depth;
          const label = `l${labels++}`;
          lines.push(
            `  LOAD_IMMEDIATE ${1 + rng.below(depth === 0 ? 20 : 5)}`,
            `  STORE_LOCAL ${counter}`,
            `${label}:`,
          );
          block(1 + rng.below(5), depth + 1);
          lines.push(`  LOAD_LOCAL ${counter}`, "  DEC", `  STORE_LOCAL ${counter}`, `  JMPNZ ${label}`);
          break;
        }
      }
    }
  };
  block(size, 0);
  lines.push("  PRINTI", "  HALT");
  return lines.join("\n") + "\n";
}
