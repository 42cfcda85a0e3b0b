// Specialization contexts: the stack of bytecode pcs the interpreter declared with weval.push.context /
// update.context / pop.context. Each context is interned as (parent, pc), so a context is a small number and
// equal stacks are the same number. The root (0) is the context outside any push. Relies on nothing.

export class Contexts {
  private parents: number[] = [-1];
  private pcs: number[] = [-1];
  private index = new Map<string, number>();

  get count(): number {
    return this.parents.length;
  }

  /** The context `pc` pushed on top of `parent`. */
  push(parent: number, pc: number): number {
    const key = `${parent}:${pc}`;
    let id = this.index.get(key);
    if (id === undefined) {
      id = this.parents.push(parent) - 1;
      this.pcs.push(pc);
      this.index.set(key, id);
    }
    return id;
  }

  /** Replace the innermost pc (update.context); at the root it pushes. */
  update(ctx: number, pc: number): number {
    return this.push(ctx === 0 ? 0 : this.parents[ctx], pc);
  }

  pop(ctx: number): number {
    return ctx === 0 ? 0 : this.parents[ctx];
  }

  /** `[pc, pc, …]` from the outermost in. */
  describe(ctx: number): string {
    const pcs: number[] = [];
    for (let c = ctx; c > 0; c = this.parents[c]) pcs.unshift(this.pcs[c]);
    return `[${pcs.join(", ")}]`;
  }
}
