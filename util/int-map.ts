// A hash map from non-negative safe integers to values, by open addressing (linear probing, Fibonacci hashing, keys
// in a Float64Array): for the specializer's tables keyed by (context, block) and (parent context, pc), which grow to
// hundreds of thousands of entries on a 100,000-instruction program, where a Map's lookups and rehashing were a tenth
// of specializing it. Deleting shifts the entries after it back (no tombstones), so a lookup never probes further
// than the entries that hash near it. Iteration order is not kept: callers that need one keep their own list. Each
// entry carries a small integer beside its value (`aux`, 0 unless set), and `indexOf` gives an entry's slot, so that
// a caller reads and changes an entry with one lookup.

/** The empty slot's key (keys are >= 0). */
const EMPTY = -1;

export class IntMap<V> {
  private keys: Float64Array;
  private vals: (V | undefined)[];
  private auxs: Int32Array;
  /** 32 minus log2 of the capacity: a hash's top bits are its slot. */
  private shift: number;
  private count = 0;

  constructor(capacity = 16) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.shift = 32 - bits;
    this.keys = new Float64Array(1 << bits).fill(EMPTY);
    this.vals = new Array<V | undefined>(1 << bits).fill(undefined);
    this.auxs = new Int32Array(1 << bits);
  }

  get size(): number {
    return this.count;
  }

  /** Key `k`'s home slot. */
  private home(k: number): number {
    return Math.imul((k >>> 0) ^ Math.floor(k / 4294967296), 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `k`, or the empty slot where it would go. */
  private find(k: number): number {
    const { keys } = this;
    const mask = keys.length - 1;
    let i = this.home(k);
    while (keys[i] !== k && keys[i] !== EMPTY) i = (i + 1) & mask;
    return i;
  }

  get(k: number): V | undefined {
    return this.vals[this.find(k)];
  }

  has(k: number): boolean {
    return this.keys[this.find(k)] === k;
  }

  /** Set `k` to `v`, with `aux` beside it. */
  set(k: number, v: V, aux = 0): void {
    if (!(k >= 0 && Number.isSafeInteger(k)))
      throw new RangeError(`IntMap key ${k} is not a non-negative safe integer`);
    let i = this.find(k);
    if (this.keys[i] === EMPTY) {
      if ((this.count + 1) * 2 > this.keys.length) {
        this.grow();
        i = this.find(k);
      }
      this.keys[i] = k;
      this.count++;
    }
    this.vals[i] = v;
    this.auxs[i] = aux;
  }

  /** The slot of `k`'s entry, or -1: valid for valueAt, auxAt and replaceAt until the next set or delete. */
  indexOf(k: number): number {
    const i = this.find(k);
    return this.keys[i] === k ? i : -1;
  }

  valueAt(i: number): V {
    return this.vals[i]!;
  }

  auxAt(i: number): number {
    return this.auxs[i];
  }

  /** Change the entry in slot `i` (from indexOf). */
  replaceAt(i: number, v: V, aux: number): void {
    this.vals[i] = v;
    this.auxs[i] = aux;
  }

  delete(k: number): boolean {
    const { keys, vals } = this;
    const mask = keys.length - 1;
    let i = this.find(k);
    if (keys[i] !== k) return false;
    this.count--;
    // Shift back each following entry of the run that may sit at i: one whose home is no further from its slot j
    // than i is.
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      if (((j - this.home(keys[j])) & mask) < ((j - i) & mask)) continue;
      keys[i] = keys[j];
      vals[i] = vals[j];
      this.auxs[i] = this.auxs[j];
      i = j;
    }
    keys[i] = EMPTY;
    vals[i] = undefined;
    return true;
  }

  /** Twice the slots, every entry hashed again. */
  private grow(): void {
    const { keys, vals, auxs } = this;
    this.shift--;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.vals = new Array<V | undefined>(keys.length * 2).fill(undefined);
    this.auxs = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY) continue;
      const j = this.find(keys[i]);
      this.keys[j] = keys[i];
      this.vals[j] = vals[i];
      this.auxs[j] = auxs[i];
    }
  }
}
