// A binary min-heap of items by a numeric key: the specializer's worklist (lowest (context, block order) first).
// Items with equal keys come out in an order that depends only on the pushes and pops, so runs are deterministic.

export class MinHeap<T> {
  private readonly items: T[] = [];
  private readonly keys: number[] = [];

  push(item: T, key: number): void {
    const { items, keys } = this;
    let i = items.push(item) - 1;
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      items[i] = items[parent];
      keys[i] = keys[parent];
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
  }

  pop(): T | undefined {
    const { items, keys } = this;
    if (items.length === 0) return undefined;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastKey = keys.pop()!;
    if (items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const c = l + 1 < items.length && keys[l + 1] < keys[l] ? l + 1 : l;
      if (keys[c] >= lastKey) break;
      items[i] = items[c];
      keys[i] = keys[c];
      i = c;
    }
    items[i] = lastItem;
    keys[i] = lastKey;
    return top;
  }
}
