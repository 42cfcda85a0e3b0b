// IntMap against a Map: the same answers after random sets, deletes and lookups, on keys that collide and grow it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IntMap } from "../../util/int-map.ts";

describe("IntMap", () => {
  it("answers as a Map does", () => {
    const op = fc.tuple(fc.constantFrom("set", "delete", "get"), fc.oneof(fc.nat(64), fc.nat(), fc.maxSafeNat()));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const m = new IntMap<number>();
        const ref = new Map<number, number>();
        ops.forEach(([kind, k], i) => {
          if (kind === "set") {
            m.set(k, i, i + 1);
            ref.set(k, i);
          } else if (kind === "delete") expect(m.delete(k)).toBe(ref.delete(k));
          expect(m.get(k)).toBe(ref.get(k));
          const at = m.indexOf(k);
          expect(at >= 0).toBe(ref.has(k));
          if (at >= 0) expect([m.valueAt(at), m.auxAt(at)]).toEqual([ref.get(k), ref.get(k)! + 1]);
          expect(m.has(k)).toBe(ref.has(k));
          expect(m.size).toBe(ref.size);
        });
        for (const [k, v] of ref) expect([m.get(k), m.auxAt(m.indexOf(k))]).toEqual([v, v + 1]);
      }),
    );
  });

  it("keeps every entry through growth and deletes of colliding keys", () => {
    const m = new IntMap<number>();
    // Multiples of a power of two share low bits: a weak hash would put them in one run.
    for (let i = 0; i < 5000; i++) m.set(i * 65536, i);
    for (let i = 0; i < 5000; i += 2) expect(m.delete(i * 65536)).toBe(true);
    for (let i = 0; i < 5000; i++) expect(m.get(i * 65536)).toBe(i % 2 ? i : undefined);
    expect(m.size).toBe(2500);
    const at = m.indexOf(65536);
    m.replaceAt(at, 7, 8);
    expect([m.get(65536), m.auxAt(m.indexOf(65536))]).toEqual([7, 8]);
  });

  it("refuses a key that is not a non-negative safe integer", () => {
    expect(() => new IntMap<number>().set(-1, 0)).toThrow(RangeError);
    expect(() => new IntMap<number>().set(0.5, 0)).toThrow(RangeError);
  });
});
