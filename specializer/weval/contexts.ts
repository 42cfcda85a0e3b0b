// Specialization contexts: the stack of bytecode pcs the interpreter declared with weval.push.context /
// update.context / pop.context, plus the values `specialize.value` forked on. Each context is interned as
// (parent, element), so a context is a small number and equal stacks are the same number. The root (0) is the
// context outside any push. A pc is a number, or a key naming a constant address that is only known as a pointer
// into a constant buffer argument (`&buffer0[12]`, weval's pointer pcs: C interpreters push the address of the
// next instruction). A value element lasts until the next update or pop, which first drop it (as in weval,
// where updating a loop's pc leaves the per-value copies of the previous iteration).

import { IntMap } from "../../util/int-map.ts";

/** The context key of a pc that is a pointer into constant buffer `buffer` at `offset`. */
export const pointerPc = (buffer: number, offset: number): string => `&buffer${buffer}[${offset}]`;

export class Contexts {
  private parents: number[] = [-1];
  private pcs: (number | string)[] = [-1];
  /** True for elements made by specialize.value (the number in `pcs` is then the value). */
  private isValue: boolean[] = [false];
  /** The interning table: a child by (parent, element). A pc or value that is an integer in [0, 2^24) under a parent
   *  below 2^27 is keyed by one number in `small` (an IntMap: toy's 100,000-instruction program interns ~260,000
   *  times, and a Map per parent was a twentieth of specializing it); the rest — pointer pcs, large or negative
   *  numbers — by a Map per parent. */
  private readonly small = new IntMap<number>();
  private children: (Map<number | string, number> | undefined)[] = [undefined];
  private valueChildren: (Map<number | string, number> | undefined)[] = [undefined];

  get count(): number {
    return this.parents.length;
  }

  private intern(parent: number, n: number | string, value: boolean): number {
    const small = typeof n === "number" && Number.isInteger(n) && n >= 0 && n < 2 ** 24 && parent < 2 ** 27;
    const key = small ? (parent * 2 ** 24 + n) * 2 + (value ? 1 : 0) : -1;
    let byPc: Map<number | string, number> | undefined;
    let id: number | undefined;
    if (small) id = this.small.get(key);
    else {
      const table = value ? this.valueChildren : this.children;
      byPc = table[parent] ??= new Map();
      id = byPc.get(n);
    }
    if (id === undefined) {
      id = this.parents.push(parent) - 1;
      this.pcs.push(n);
      this.isValue.push(value);
      this.children.push(undefined);
      this.valueChildren.push(undefined);
      if (byPc) byPc.set(n, id);
      else this.small.set(key, id);
    }
    return id;
  }

  /** The context `pc` pushed on top of `parent` (a pointer pc's key comes from `pointerPc`). */
  push(parent: number, pc: number | string): number {
    return this.intern(parent, pc, false);
  }

  /** The context for one value of a specialize.value fork. */
  pushValue(parent: number, value: number): number {
    return this.intern(parent, value, true);
  }

  private dropValues(ctx: number): number {
    while (ctx !== 0 && this.isValue[ctx]) ctx = this.parents[ctx];
    return ctx;
  }

  /** Replace the innermost pc (update.context); at the root it pushes. */
  update(ctx: number, pc: number | string): number {
    ctx = this.dropValues(ctx);
    return this.push(ctx === 0 ? 0 : this.parents[ctx], pc);
  }

  pop(ctx: number): number {
    ctx = this.dropValues(ctx);
    return ctx === 0 ? 0 : this.parents[ctx];
  }

  /** The innermost pc, skipping value elements (a pointer pc as its offset in its buffer); undefined at the root. */
  innermostPc(ctx: number): number | undefined {
    ctx = this.dropValues(ctx);
    if (ctx === 0) return undefined;
    const pc = this.pcs[ctx];
    return typeof pc === "number" ? pc : Number(/\[(-?\d+)\]$/.exec(pc)![1]);
  }

  /** `[pc, pc, …]` from the outermost in. */
  describe(ctx: number): string {
    const pcs: string[] = [];
    for (let c = ctx; c > 0; c = this.parents[c])
      pcs.unshift(this.isValue[c] ? `value=${this.pcs[c]}` : String(this.pcs[c]));
    return `[${pcs.join(", ")}]`;
  }
}
